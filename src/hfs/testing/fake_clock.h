// hfs/testing/fake_clock.h
//
// FakeClock: a Clock that only moves when told to. SleepFor advances it at once, so
// code that waits runs instantly and deterministically in tests.
//
//   testing::FakeClock clock;                    // starts at 2026-01-01T00:00:00Z
//   clock.Advance(std::chrono::seconds(61));
//
// Thread-safe.
#pragma once

#include <atomic>

#include "hfs/base/clock.h"

namespace hfs::testing {

class FakeClock final : public Clock {
 public:
  // 2026-01-01T00:00:00Z.
  static constexpr int64_t kDefaultStartSeconds = 1767225600;

  explicit FakeClock(Timestamp start = Timestamp(std::chrono::seconds(kDefaultStartSeconds)))
      : now_(start.time_since_epoch().count()) {}

  Timestamp Now() const override { return Timestamp(Duration(now_.load())); }
  void SleepFor(Duration duration) override { Advance(duration); }
  // Jumps to `deadline` (never backwards) instead of blocking.
  void WaitUntil(CondVar&, Mutex&, Timestamp deadline) override {
    int64_t target = deadline.time_since_epoch().count();
    int64_t current = now_.load();
    while (current < target && !now_.compare_exchange_weak(current, target)) {
    }
  }
  void Advance(Duration duration) { now_ += duration.count(); }
  void Set(Timestamp t) { now_ = t.time_since_epoch().count(); }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace hfs::testing
