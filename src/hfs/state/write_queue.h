// hfs/state/write_queue.h
//
// WriteQueue: lets the threads of one process through one at a time, in the order they
// arrived (first come, first served), each waiting at most until its deadline. The
// SharedStateManager takes a turn here before it takes the cross-process file lock, so
// the writes of one process are applied in arrival order.
//
//   WriteQueue queue;
//   WriteQueue::Turn turn = HFS_TRY(queue.Wait(std::chrono::steady_clock::now() + 30s));
//   ...   // the only writer of this process until `turn` is destroyed
//
// Thread-safe. Wait fails with kDeadlineExceeded when the turn has not come by the
// deadline; the waiter then leaves the queue and the ones behind it move up.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>

#include "hfs/base/error.h"
#include "hfs/base/mutex.h"

namespace hfs::state {

class WriteQueue {
 public:
  using Deadline = std::chrono::steady_clock::time_point;

  // Holding a Turn means being at the front of the queue; destroying it lets the next in.
  class Turn {
   public:
    Turn(Turn&& other) noexcept : queue_(other.queue_) { other.queue_ = nullptr; }
    Turn& operator=(Turn&&) = delete;
    Turn(const Turn&) = delete;
    ~Turn();

   private:
    friend class WriteQueue;
    explicit Turn(WriteQueue* queue) : queue_(queue) {}
    WriteQueue* queue_;
  };

  WriteQueue() = default;
  WriteQueue(const WriteQueue&) = delete;
  WriteQueue& operator=(const WriteQueue&) = delete;

  Result<Turn> Wait(Deadline deadline);
  // How many writers hold or wait for a turn now.
  size_t waiting() const;

 private:
  void Leave();

  mutable Mutex mu_;
  CondVar turn_changed_;
  uint64_t next_ticket_ HFS_GUARDED_BY(mu_) = 0;
  std::deque<uint64_t> waiting_ HFS_GUARDED_BY(mu_);
};

}  // namespace hfs::state
