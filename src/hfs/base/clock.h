// hfs/base/clock.h
//
// Clock is the only source of time in HFS, injected wherever time matters (rate-limit
// windows, backoff, span timestamps), so tests run on hfs::testing::FakeClock.
//
//   SystemClock clock;
//   Timestamp start = clock.Now();
//   clock.SleepFor(std::chrono::milliseconds(50));
//   Duration took = clock.Now() - start;
//
// Thread-safe: implementations may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>

#include "hfs/base/mutex.h"

namespace hfs {

using Duration = std::chrono::nanoseconds;
// Wall-clock time since the Unix epoch, in nanoseconds.
using Timestamp = std::chrono::time_point<std::chrono::system_clock, Duration>;

// Nanoseconds since the Unix epoch, as OTLP wants them.
inline int64_t UnixNanos(Timestamp t) { return t.time_since_epoch().count(); }
inline double Seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock now.
  virtual Timestamp Now() const = 0;
  // Blocks the calling thread for `duration` (a FakeClock advances instead).
  virtual void SleepFor(Duration duration) = 0;
  // Waits on `cv` (with `mu` held) until notified or until `deadline` on this clock;
  // may also wake spuriously, so callers re-check their condition in a loop. A FakeClock
  // moves time forward to `deadline` instead of blocking.
  virtual void WaitUntil(CondVar& cv, Mutex& mu, Timestamp deadline) HFS_REQUIRES(mu) = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp Now() const override;
  void SleepFor(Duration duration) override;
  void WaitUntil(CondVar& cv, Mutex& mu, Timestamp deadline) HFS_REQUIRES(mu) override;
};

}  // namespace hfs
