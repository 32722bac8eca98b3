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
};

class SystemClock final : public Clock {
 public:
  Timestamp Now() const override;
  void SleepFor(Duration duration) override;
};

}  // namespace hfs
