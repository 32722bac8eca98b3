// tools/emulator/rate_window.cc
#include "tools/emulator/rate_window.h"

#include <algorithm>
#include <cmath>

namespace hfs::emulator {
namespace {

int64_t Amount(const LimitRule& rule, int64_t tokens) {
  return rule.kind == LimitKind::kRequests ? 1 : tokens;
}

}  // namespace

RateWindows::RateWindows(const Clock& clock, double window_scale)
    : clock_(clock), window_scale_(window_scale > 0 ? window_scale : 1.0) {}

Duration RateWindows::ScaledWindow(const LimitRule& rule) const {
  double nanos = std::round(rule.window_seconds * window_scale_ * 1e9);
  return Duration(std::max<int64_t>(1, static_cast<int64_t>(nanos)));
}

void RateWindows::Expire(Window& window, const LimitRule& rule, Timestamp now) const {
  const Duration length = ScaledWindow(rule);
  if (rule.mode == WindowMode::kFixed) {
    const int64_t index = now.time_since_epoch().count() / length.count();
    const Timestamp start(Duration(index * length.count()));
    if (window.fixed_start != start) {
      window.fixed_start = start;
      window.sum = 0;
    }
    return;
  }
  while (!window.entries.empty() && window.entries.front().at + length <= now) {
    window.sum -= window.entries.front().amount;
    window.entries.pop_front();
  }
}

WindowStatus RateWindows::Status(const Window& window, const LimitRule& rule, int64_t amount,
                                 Timestamp now) const {
  WindowStatus status{.rule = rule, .used = window.sum + amount};
  status.remaining = std::max<int64_t>(0, rule.limit - status.used);
  const Duration length = ScaledWindow(rule);
  if (rule.mode == WindowMode::kFixed) {
    status.reset = window.fixed_start + length - now;
  } else if (!window.entries.empty()) {
    status.reset = window.entries.front().at + length - now;
  } else if (amount > 0) {
    status.reset = length;  // the entry about to be recorded
  }
  return status;
}

Duration RateWindows::RetryAfter(const Window& window, const LimitRule& rule, int64_t amount,
                                 Timestamp now) const {
  const Duration length = ScaledWindow(rule);
  if (rule.mode == WindowMode::kFixed || amount > rule.limit) {
    return rule.mode == WindowMode::kFixed ? window.fixed_start + length - now : length;
  }
  int64_t freed = 0;
  for (const Entry& entry : window.entries) {
    freed += entry.amount;
    if (window.sum - freed + amount <= rule.limit) return entry.at + length - now;
  }
  return length;
}

Admission RateWindows::Admit(const std::string& bucket, const std::vector<LimitRule>& rules,
                             int64_t tokens) {
  const Timestamp now = clock_.Now();
  MutexLock lock(mu_);
  std::vector<Window>& windows = buckets_[bucket];
  windows.resize(std::max(windows.size(), rules.size()));
  Admission admission{.requested_tokens = tokens, .window_scale = window_scale_};
  for (size_t i = 0; i < rules.size(); ++i) {
    Expire(windows[i], rules[i], now);
    const int64_t amount = Amount(rules[i], tokens);
    if (admission.admitted && windows[i].sum + amount > rules[i].limit) {
      admission.admitted = false;
      admission.violated = static_cast<int>(i);
      admission.retry_after = RetryAfter(windows[i], rules[i], amount, now);
    }
  }
  for (size_t i = 0; i < rules.size(); ++i) {
    const int64_t amount = admission.admitted ? Amount(rules[i], tokens) : 0;
    if (amount > 0) {
      windows[i].sum += amount;
      if (rules[i].mode == WindowMode::kSliding) windows[i].entries.push_back({now, amount});
    }
    admission.windows.push_back(Status(windows[i], rules[i], 0, now));
  }
  return admission;
}

void RateWindows::Reset() {
  MutexLock lock(mu_);
  buckets_.clear();
}

}  // namespace hfs::emulator
