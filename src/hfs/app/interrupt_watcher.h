// hfs/app/interrupt_watcher.h
//
// InterruptWatcher turns SIGINT and SIGTERM into an orderly stop. Start() blocks both
// signals in the calling thread, so every thread started afterwards inherits the mask,
// and a background thread waits for them with sigwait. On the first signal it runs the
// registered callbacks in order (flush the usage store, write partial results), then
// ends the process with exit code 130; a second signal while they run ends it at once.
// Either way the programs it runs are stopped first (StopSubprocesses, a few seconds at
// most) and the validators' temporary directories removed.
// Callbacks run on the watcher's thread, never inside a signal handler, so they may lock
// mutexes and do I/O.
//
//   InterruptWatcher watcher;
//   watcher.Start();                                   // in main, before other threads
//   InterruptRegistration flush = watcher.OnInterrupt([&] { (void)usage->Flush(); });
//   ... // the callback is removed when `flush` goes out of scope
//
// Thread-safe. Start() may be called once; the watcher must outlive its registrations.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <thread>

#include "hfs/base/mutex.h"

namespace hfs::app {

class InterruptWatcher;

// Keeps a callback registered while it lives. Move-only.
class InterruptRegistration {
 public:
  InterruptRegistration() = default;
  InterruptRegistration(InterruptWatcher* watcher, uint64_t id) : watcher_(watcher), id_(id) {}
  InterruptRegistration(InterruptRegistration&& other) noexcept;
  InterruptRegistration& operator=(InterruptRegistration&& other) noexcept;
  ~InterruptRegistration();

 private:
  InterruptWatcher* watcher_ = nullptr;
  uint64_t id_ = 0;
};

class InterruptWatcher {
 public:
  InterruptWatcher() = default;
  // Stops watching (the process is exiting normally).
  ~InterruptWatcher();
  InterruptWatcher(const InterruptWatcher&) = delete;
  InterruptWatcher& operator=(const InterruptWatcher&) = delete;

  void Start();
  [[nodiscard]] InterruptRegistration OnInterrupt(std::function<void()> callback);

 private:
  friend class InterruptRegistration;
  void Remove(uint64_t id);
  void Watch();

  Mutex mu_;
  // Run in registration order.
  std::map<uint64_t, std::function<void()>> callbacks_ HFS_GUARDED_BY(mu_);
  uint64_t next_id_ HFS_GUARDED_BY(mu_) = 1;
  std::thread thread_;
};

}  // namespace hfs::app
