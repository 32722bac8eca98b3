// tools/emulator/rate_window.h
//
// RateWindows: request and token accounting per bucket (a quota scope and a model)
// against a list of LimitRules, as sliding windows (an amount recorded at t counts while
// now < t + window) or fixed windows aligned to multiples of the window since the Unix
// epoch. Window lengths are multiplied by a scale factor so benchmarks can turn 60 s into
// 1 s. A refused request is not recorded.
//
//   RateWindows windows(clock, /*window_scale=*/1.0);
//   Admission a = windows.Admit("groq|org-1|llama-3.1-8b-instant", rules, /*tokens=*/420);
//   if (!a.admitted) SendRetryAfter(a.retry_after);
//
// Thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "hfs/base/clock.h"
#include "hfs/base/mutex.h"

namespace hfs::emulator {

enum class LimitKind { kRequests, kTokens };
enum class WindowMode { kSliding, kFixed };

struct LimitRule {
  LimitKind kind = LimitKind::kRequests;
  int64_t limit = 0;
  // Unscaled window length, as configured (60 for a minute, 86400 for a day).
  double window_seconds = 60;
  WindowMode mode = WindowMode::kSliding;
  // OpenRouter only: refuse with the "rate-limited upstream" body instead of its own.
  bool upstream = false;
};

struct WindowStatus {
  LimitRule rule;
  int64_t used = 0;       // after this request when admitted
  int64_t remaining = 0;  // limit - used, never negative
  Duration reset{0};      // until the window next frees capacity (0 when empty)
};

struct Admission {
  bool admitted = true;
  std::vector<WindowStatus> windows;  // one per rule, in rule order
  int violated = -1;                  // index of the first refusing rule
  Duration retry_after{0};            // when the request would first fit again
  int64_t requested_tokens = 0;
  double window_scale = 1.0;  // the windows' scale (the rules keep their unscaled windows)
};

class RateWindows {
 public:
  RateWindows(const Clock& clock, double window_scale);

  // Checks every rule; records 1 request and `tokens` tokens on all of them when all
  // admit, nothing otherwise.
  Admission Admit(const std::string& bucket, const std::vector<LimitRule>& rules, int64_t tokens);
  // Forgets all recorded usage.
  void Reset();
  double window_scale() const { return window_scale_; }

 private:
  struct Entry {
    Timestamp at;
    int64_t amount = 0;
  };
  struct Window {
    std::deque<Entry> entries;  // sliding mode
    int64_t sum = 0;
    Timestamp fixed_start;  // fixed mode
  };

  Duration ScaledWindow(const LimitRule& rule) const;
  void Expire(Window& window, const LimitRule& rule, Timestamp now) const;
  WindowStatus Status(const Window& window, const LimitRule& rule, int64_t amount,
                      Timestamp now) const;
  Duration RetryAfter(const Window& window, const LimitRule& rule, int64_t amount,
                      Timestamp now) const;

  const Clock& clock_;
  const double window_scale_;
  Mutex mu_;
  std::map<std::string, std::vector<Window>> buckets_ HFS_GUARDED_BY(mu_);
};

}  // namespace hfs::emulator
