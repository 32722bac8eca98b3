#include "hfs/testing/in_memory_exporter.h"

#include <algorithm>

namespace hfs::testing {

Result<void> InMemoryExporter::Export(std::span<const trace::SpanData> spans) {
  MutexLock lock(mu_);
  if (shut_down_) return Fail(ErrorCode::kFailedPrecondition, "InMemoryExporter is shut down");
  spans_.insert(spans_.end(), spans.begin(), spans.end());
  batch_sizes_.push_back(spans.size());
  exported_.NotifyAll();
  return Ok();
}

void InMemoryExporter::Shutdown() {
  MutexLock lock(mu_);
  shut_down_ = true;
}

std::vector<trace::SpanData> InMemoryExporter::spans() const {
  MutexLock lock(mu_);
  return spans_;
}

std::vector<size_t> InMemoryExporter::batch_sizes() const {
  MutexLock lock(mu_);
  return batch_sizes_;
}

bool InMemoryExporter::WaitForSpans(size_t count, std::chrono::milliseconds timeout) const {
  MutexLock lock(mu_);
  return exported_.WaitUntil(mu_, std::chrono::steady_clock::now() + timeout,
                             [&]() HFS_REQUIRES(mu_) { return spans_.size() >= count; });
}

const trace::SpanData* InMemoryExporter::FindByName(std::string_view name) const {
  MutexLock lock(mu_);
  auto it = std::find_if(spans_.begin(), spans_.end(),
                         [&](const trace::SpanData& span) { return span.name == name; });
  return it == spans_.end() ? nullptr : &*it;
}

bool InMemoryExporter::is_shut_down() const {
  MutexLock lock(mu_);
  return shut_down_;
}

void InMemoryExporter::Clear() {
  MutexLock lock(mu_);
  spans_.clear();
  batch_sizes_.clear();
}

}  // namespace hfs::testing
