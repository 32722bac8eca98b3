#include "hfs/base/clock.h"

#include <thread>

namespace hfs {

Timestamp SystemClock::Now() const {
  return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
}

void SystemClock::SleepFor(Duration duration) {
  if (duration > Duration::zero()) std::this_thread::sleep_for(duration);
}

void SystemClock::WaitUntil(CondVar& cv, Mutex& mu, Timestamp deadline) {
  Duration left = deadline - Now();
  if (left <= Duration::zero()) return;
  cv.WaitFor(mu, left);
}

}  // namespace hfs
