#include "hfs/trace/simple_processor.h"

#include "hfs/base/check.h"

namespace hfs::trace {

SimpleProcessor::SimpleProcessor(std::shared_ptr<SpanExporter> exporter)
    : exporter_(std::move(exporter)) {
  MutexLock lock(mu_);
  HFS_CHECK(exporter_ != nullptr, "SimpleProcessor needs an exporter");
}

void SimpleProcessor::OnEnd(const SpanData& span) {
  MutexLock lock(mu_);
  if (shut_down_) return;
  Result<void> result = exporter_->Export(std::span<const SpanData>(&span, 1));
  if (!result && !error_) error_ = result.error();
}

Result<void> SimpleProcessor::ForceFlush() {
  MutexLock lock(mu_);
  return TakeError();
}

Result<void> SimpleProcessor::Shutdown() {
  MutexLock lock(mu_);
  if (!shut_down_) {
    shut_down_ = true;
    exporter_->Shutdown();
  }
  return TakeError();
}

Result<void> SimpleProcessor::TakeError() {
  if (!error_) return Ok();
  Error error = std::move(*error_);
  error_.reset();
  return Fail(std::move(error));
}

}  // namespace hfs::trace
