// hfs/agent/budget.h
//
// Budget: what a triad (or the whole run) has spent against its BudgetLimits: tokens
// from the usage providers report, tool calls, and wall time since the budget was
// created (from the injected Clock). A limit is reached when the amount spent is at
// least the limit, so a limit of 0 allows nothing: the config's "zero means no
// allowance". Under Enforcement::kHard, Check() then returns the overrun and the work
// stops; under kSoft it logs one warning per limit (spdlog) and lets the work go on.
// A budget may have a parent (a triad's budget under the run's budget): every charge
// is also charged to the parent, and Check() reports the parent's overrun too.
//
//   Budget run("run", pressure.global_budget, Enforcement::kHard, clock);
//   Budget triad("triad layout", triad_options.budget, Enforcement::kHard, clock, &run);
//   triad.ChargeTokens(reply.usage->total());
//   if (std::optional<BudgetOverrun> over = triad.Check()) return Stop(*over);
//
// Thread-safe. A parent must outlive its children.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/agent/budget_limits.h"
#include "hfs/base/clock.h"
#include "hfs/base/mutex.h"

namespace hfs::agent {

enum class BudgetResource { kTokens, kToolCalls, kTime };

// "tokens", "tool_calls", "time_ms" (the config's names).
std::string_view BudgetResourceName(BudgetResource resource);

// A limit that was reached.
struct BudgetOverrun {
  std::string budget;  // the budget's name
  BudgetResource resource = BudgetResource::kTokens;
  int64_t spent = 0;  // tokens, tool calls or milliseconds
  int64_t limit = 0;

  // "budget 'triad layout' spent 20450 of 20000 tokens".
  std::string ToString() const;
};

struct BudgetSpending {
  int64_t tokens = 0;
  int64_t tool_calls = 0;
  int64_t time_ms = 0;
};

class Budget {
 public:
  Budget(std::string name, BudgetLimits limits, Enforcement enforcement, const Clock& clock,
         Budget* parent = nullptr);
  Budget(const Budget&) = delete;
  Budget& operator=(const Budget&) = delete;

  // Also charged to the parent. Negative amounts are ignored.
  void ChargeTokens(int64_t tokens);
  void ChargeToolCall();

  // The first limit reached (tokens, then tool calls, then time) of a hard budget, else
  // of the parent; nullopt when the work may go on. Soft budgets warn once per limit.
  std::optional<BudgetOverrun> Check();

  // When a hard time limit here or in a parent ends the work; Timestamp::max() if none.
  Timestamp Deadline() const;

  BudgetSpending spent() const;
  const std::string& name() const { return name_; }
  const BudgetLimits& limits() const { return limits_; }
  Enforcement enforcement() const { return enforcement_; }

 private:
  // Every limit of this budget that is reached, in the order tokens, tool calls, time.
  std::vector<BudgetOverrun> Reached() const HFS_EXCLUDES(mu_);
  // Logs a reached limit of a soft budget the first time only.
  void WarnOnce(const BudgetOverrun& overrun) HFS_EXCLUDES(mu_);

  const std::string name_;
  const BudgetLimits limits_;
  const Enforcement enforcement_;
  const Clock& clock_;
  Budget* const parent_;
  const Timestamp start_;

  mutable Mutex mu_;
  int64_t tokens_ HFS_GUARDED_BY(mu_) = 0;
  int64_t tool_calls_ HFS_GUARDED_BY(mu_) = 0;
  std::array<bool, 3> warned_ HFS_GUARDED_BY(mu_) = {false, false, false};
};

}  // namespace hfs::agent
