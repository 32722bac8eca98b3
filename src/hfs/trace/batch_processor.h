// hfs/trace/batch_processor.h
//
// BatchProcessor queues finished spans in a bounded queue and exports them from a
// background std::jthread, in batches of at most max_batch_size, as soon as a batch is
// full or every schedule_delay. When the queue is full, new spans are dropped and
// counted, so ending a span never waits on the exporter.
//
//   auto exporter = HFS_TRY(JsonlExporter::Open(run_dir / "trace.jsonl", resource));
//   auto batch = std::make_shared<BatchProcessor>(std::move(exporter));
//   tracer.AddProcessor(batch);
//   ...
//   HFS_RETURN_IF_ERROR(tracer.Shutdown());       // exports what is queued, joins
//
// Thread-safe. The schedule delay is measured by the condition variable's steady clock
// (it is a flush interval, not a timestamp; span times come from the tracer's Clock).
// ForceFlush/Shutdown return the first export error since the previous call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "hfs/base/clock.h"
#include "hfs/base/mutex.h"
#include "hfs/trace/span_exporter.h"
#include "hfs/trace/span_processor.h"

namespace hfs::trace {

struct BatchOptions {
  size_t max_queue_size = 2048;
  size_t max_batch_size = 512;
  Duration schedule_delay = std::chrono::seconds(1);
};

class BatchProcessor final : public SpanProcessor {
 public:
  explicit BatchProcessor(std::shared_ptr<SpanExporter> exporter, BatchOptions options = {});
  // Shuts down: exports what is queued and joins the thread.
  ~BatchProcessor() override;
  BatchProcessor(const BatchProcessor&) = delete;
  BatchProcessor& operator=(const BatchProcessor&) = delete;

  void OnEnd(const SpanData& span) override;
  // Blocks until every span queued before the call has been handed to the exporter.
  Result<void> ForceFlush() override;
  Result<void> Shutdown() override;

  // Spans dropped because the queue was full or the processor was shut down.
  uint64_t dropped_count() const;

 private:
  void Run();
  // Waits for work and takes the next batch; empty when it is time to stop.
  std::vector<SpanData> NextBatch();
  Result<void> TakeError() HFS_REQUIRES(mu_);

  const std::shared_ptr<SpanExporter> exporter_;
  const BatchOptions options_;
  Mutex shutdown_mu_;  // serialises Shutdown (joining the worker)
  bool exporter_shut_down_ HFS_GUARDED_BY(shutdown_mu_) = false;
  mutable Mutex mu_;
  CondVar work_ready_;  // the worker waits here
  CondVar batch_done_;  // ForceFlush waits here
  std::deque<SpanData> queue_ HFS_GUARDED_BY(mu_);
  // Spans accepted into the queue / whose export has finished, since construction.
  uint64_t accepted_ HFS_GUARDED_BY(mu_) = 0;
  uint64_t completed_ HFS_GUARDED_BY(mu_) = 0;
  uint64_t flush_target_ HFS_GUARDED_BY(mu_) = 0;
  uint64_t dropped_ HFS_GUARDED_BY(mu_) = 0;
  bool stopping_ HFS_GUARDED_BY(mu_) = false;
  std::optional<Error> error_ HFS_GUARDED_BY(mu_);
  std::jthread worker_;  // last: starts after everything above exists
};

}  // namespace hfs::trace
