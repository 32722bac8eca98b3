#include "hfs/state/write_queue.h"

#include <fmt/format.h>

#include <algorithm>

namespace hfs::state {

WriteQueue::Turn::~Turn() {
  if (queue_ != nullptr) queue_->Leave();
}

Result<WriteQueue::Turn> WriteQueue::Wait(Deadline deadline) {
  MutexLock lock(mu_);
  uint64_t ticket = next_ticket_++;
  waiting_.push_back(ticket);
  bool front = turn_changed_.WaitUntil(
      mu_, deadline, [&]() HFS_REQUIRES(mu_) { return waiting_.front() == ticket; });
  if (front) return Turn(this);
  size_t ahead =
      static_cast<size_t>(std::find(waiting_.begin(), waiting_.end(), ticket) - waiting_.begin());
  waiting_.erase(waiting_.begin() + static_cast<std::ptrdiff_t>(ahead));
  turn_changed_.NotifyAll();
  return Fail(ErrorCode::kDeadlineExceeded,
              fmt::format("timed out waiting for {} earlier write(s) of this process", ahead));
}

size_t WriteQueue::waiting() const {
  MutexLock lock(mu_);
  return waiting_.size();
}

void WriteQueue::Leave() {
  MutexLock lock(mu_);
  waiting_.pop_front();
  turn_changed_.NotifyAll();
}

}  // namespace hfs::state
