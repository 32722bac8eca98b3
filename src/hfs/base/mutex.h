// hfs/base/mutex.h
//
// Mutex and MutexLock: std::mutex with clang thread-safety annotations, so guarded
// members are checked at compile time. CondVar waits on a MutexLock.
//
//   Mutex mu_;
//   std::deque<Item> queue_ HFS_GUARDED_BY(mu_);
//   void Push(Item item) {
//     MutexLock lock(mu_);
//     queue_.push_back(std::move(item));
//   }
//
// Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "hfs/base/thread_annotations.h"

namespace hfs {

class HFS_CAPABILITY("mutex") Mutex {
 public:
  void Lock() HFS_ACQUIRE() { mu_.lock(); }
  void Unlock() HFS_RELEASE() { mu_.unlock(); }
  // BasicLockable, for std::condition_variable_any.
  void lock() HFS_ACQUIRE() { mu_.lock(); }
  void unlock() HFS_RELEASE() { mu_.unlock(); }

 private:
  std::mutex mu_;
};

class HFS_SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mu) HFS_ACQUIRE(mu) : mu_(mu) { mu_.Lock(); }
  ~MutexLock() HFS_RELEASE() { mu_.Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex& mu_;
};

// A condition variable used with a held Mutex.
//   MutexLock lock(mu_);
//   cv_.Wait(mu_, [&] { return !queue_.empty(); });
class CondVar {
 public:
  template <class Predicate>
  void Wait(Mutex& mu, Predicate ready) HFS_REQUIRES(mu) {
    cv_.wait(mu, ready);
  }
  // Returns ready() at the end: false when the deadline passed first.
  template <class TimePoint, class Predicate>
  bool WaitUntil(Mutex& mu, TimePoint deadline, Predicate ready) HFS_REQUIRES(mu) {
    return cv_.wait_until(mu, deadline, ready);
  }
  // Waits until notified or `timeout` passes (spurious wake-ups possible).
  template <class Rep, class Period>
  void WaitFor(Mutex& mu, std::chrono::duration<Rep, Period> timeout) HFS_REQUIRES(mu) {
    cv_.wait_for(mu, timeout);
  }
  void NotifyOne() { cv_.notify_one(); }
  void NotifyAll() { cv_.notify_all(); }

 private:
  std::condition_variable_any cv_;
};

}  // namespace hfs
