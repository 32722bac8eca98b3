#include "hfs/trace/batch_processor.h"

#include <algorithm>
#include <chrono>

#include "hfs/base/check.h"

namespace hfs::trace {

BatchProcessor::BatchProcessor(std::shared_ptr<SpanExporter> exporter, BatchOptions options)
    : exporter_(std::move(exporter)), options_(options) {
  HFS_CHECK(exporter_ != nullptr, "BatchProcessor needs an exporter");
  HFS_CHECK(options_.max_batch_size > 0 && options_.max_queue_size > 0,
            "BatchProcessor sizes must be positive");
  worker_ = std::jthread([this] { Run(); });
}

BatchProcessor::~BatchProcessor() { (void)Shutdown(); }

void BatchProcessor::OnEnd(const SpanData& span) {
  SpanData copy = span;  // copied outside the lock
  MutexLock lock(mu_);
  if (stopping_ || queue_.size() >= options_.max_queue_size) {
    ++dropped_;
    return;
  }
  queue_.push_back(std::move(copy));
  ++accepted_;
  if (queue_.size() >= options_.max_batch_size) work_ready_.NotifyOne();
}

Result<void> BatchProcessor::ForceFlush() {
  MutexLock lock(mu_);
  uint64_t target = accepted_;
  flush_target_ = std::max(flush_target_, target);
  work_ready_.NotifyOne();
  batch_done_.Wait(mu_, [&]() HFS_REQUIRES(mu_) { return completed_ >= target; });
  return TakeError();
}

Result<void> BatchProcessor::Shutdown() {
  MutexLock shutdown_lock(shutdown_mu_);
  {
    MutexLock lock(mu_);
    stopping_ = true;
    work_ready_.NotifyOne();
  }
  if (!exporter_shut_down_) {
    worker_.join();
    exporter_->Shutdown();
    exporter_shut_down_ = true;
  }
  MutexLock lock(mu_);
  return TakeError();
}

uint64_t BatchProcessor::dropped_count() const {
  MutexLock lock(mu_);
  return dropped_;
}

void BatchProcessor::Run() {
  while (true) {
    std::vector<SpanData> batch = NextBatch();
    if (batch.empty()) return;
    Result<void> result = exporter_->Export(batch);
    MutexLock lock(mu_);
    completed_ += batch.size();
    if (!result && !error_) error_ = result.error();
    batch_done_.NotifyAll();
  }
}

std::vector<SpanData> BatchProcessor::NextBatch() {
  MutexLock lock(mu_);
  auto ready = [&]() HFS_REQUIRES(mu_) {
    return stopping_ || queue_.size() >= options_.max_batch_size || flush_target_ > completed_;
  };
  while (true) {
    auto deadline = std::chrono::steady_clock::now() + options_.schedule_delay;
    work_ready_.WaitUntil(mu_, deadline, ready);
    if (stopping_ && queue_.empty()) return {};
    // Ready (full batch, flush, stop) or the delay passed: export what is queued.
    if (!queue_.empty()) break;
  }
  size_t count = std::min(queue_.size(), options_.max_batch_size);
  std::vector<SpanData> batch(std::make_move_iterator(queue_.begin()),
                              std::make_move_iterator(queue_.begin() + count));
  queue_.erase(queue_.begin(), queue_.begin() + count);
  return batch;
}

Result<void> BatchProcessor::TakeError() {
  if (!error_) return Ok();
  Error error = std::move(*error_);
  error_.reset();
  return Fail(std::move(error));
}

}  // namespace hfs::trace
