// hfs/agent/budget_limits.h
//
// BudgetLimits: how much a triad (or the whole run) may spend: tokens from real usage,
// tool calls and wall time. Zero means "no allowance". Enforcement says what happens
// when a limit is reached: kHard stops the work with a stop reason, kSoft warns and
// continues. The defaults (a triad's budget when the config gives none) come from the
// most one triad spent in the realistic benchmark (docs/benchmarks.md), with headroom.
//
//   BudgetLimits limits{.tokens = 15000, .tool_calls = 20, .time_ms = 15000};
//
// Plain value type.
#pragma once

#include <cstdint>

namespace hfs::agent {

struct BudgetLimits {
  int64_t tokens = 160000;
  int64_t tool_calls = 120;
  int64_t time_ms = 900000;

  friend bool operator==(const BudgetLimits&, const BudgetLimits&) = default;
};

enum class Enforcement { kHard, kSoft };

}  // namespace hfs::agent
