// hfs/testing/in_memory_exporter.h
//
// InMemoryExporter: a SpanExporter that keeps every exported span (and the size of each
// batch) in memory, for tests that assert on the spans a component produced.
//
//   auto exporter = std::make_shared<testing::InMemoryExporter>();
//   tracer.AddProcessor(std::make_shared<trace::SimpleProcessor>(exporter));
//   ...
//   const trace::SpanData* chat = exporter->FindByName("chat llama-3.3-70b");
//   ASSERT_NE(chat, nullptr);
//
// Thread-safe. FindByName returns a pointer into the exporter's storage, valid until
// the next Export or Clear (so call it after the spans are flushed).
#pragma once

#include <chrono>
#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "hfs/base/mutex.h"
#include "hfs/trace/span_exporter.h"

namespace hfs::testing {

class InMemoryExporter final : public trace::SpanExporter {
 public:
  // Records the batch; kFailedPrecondition after Shutdown.
  Result<void> Export(std::span<const trace::SpanData> spans) override;
  void Shutdown() override;

  // A copy of every span exported so far, in export order.
  std::vector<trace::SpanData> spans() const;
  // The size of every Export call so far.
  std::vector<size_t> batch_sizes() const;
  // Waits (real time, up to `timeout`) until at least `count` spans were exported;
  // returns whether they were.
  bool WaitForSpans(size_t count, std::chrono::milliseconds timeout) const;
  // The first span named `name`, or nullptr.
  const trace::SpanData* FindByName(std::string_view name) const;
  bool is_shut_down() const;
  void Clear();

 private:
  mutable Mutex mu_;
  mutable CondVar exported_;
  std::vector<trace::SpanData> spans_ HFS_GUARDED_BY(mu_);
  std::vector<size_t> batch_sizes_ HFS_GUARDED_BY(mu_);
  bool shut_down_ HFS_GUARDED_BY(mu_) = false;
};

}  // namespace hfs::testing
