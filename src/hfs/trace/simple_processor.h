// hfs/trace/simple_processor.h
//
// SimpleProcessor exports each span synchronously, inside Span::End(). Meant for tests
// and tools; production runs use BatchProcessor so the request path never waits on I/O.
//
//   auto exporter = std::make_shared<testing::InMemoryExporter>();
//   tracer.AddProcessor(std::make_shared<SimpleProcessor>(exporter));
//
// Thread-safe: exports are serialised by a mutex. Export errors are kept and returned
// by the next ForceFlush/Shutdown.
#pragma once

#include <memory>
#include <optional>

#include "hfs/base/mutex.h"
#include "hfs/trace/span_exporter.h"
#include "hfs/trace/span_processor.h"

namespace hfs::trace {

class SimpleProcessor final : public SpanProcessor {
 public:
  explicit SimpleProcessor(std::shared_ptr<SpanExporter> exporter);

  void OnEnd(const SpanData& span) override;
  Result<void> ForceFlush() override;
  Result<void> Shutdown() override;

 private:
  Result<void> TakeError() HFS_REQUIRES(mu_);

  Mutex mu_;
  std::shared_ptr<SpanExporter> exporter_ HFS_GUARDED_BY(mu_);
  std::optional<Error> error_ HFS_GUARDED_BY(mu_);
  bool shut_down_ HFS_GUARDED_BY(mu_) = false;
};

}  // namespace hfs::trace
