// hfs/pipeline/run_budgets.h
//
// RunBudgets: the budgets of one run, from the config: a global budget
// (pressure.global_budget) and, for every triad, its own budget capped by
// pressure.per_triad_max, whose spending also charges the global one. Both use the
// configured enforcement: kHard stops the work with the stop reason budget_exhausted,
// kSoft warns once and continues.
//
//   RunBudgets budgets(config.pressure, config.triads, clock);
//   deps.budget = &budgets.For("layout");
//   if (auto overrun = budgets.global().Check()) ...
//
// Thread-safe (the budgets are); the clock must outlive it. For() of an id that is not a
// configured triad is a bug (HFS_CHECK).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/agent/budget.h"
#include "hfs/pipeline/pipeline_options.h"
#include "hfs/triad/triad_options.h"

namespace hfs::pipeline {

// Each limit of `wanted`, at most the one of `cap`.
agent::BudgetLimits CapBudget(const agent::BudgetLimits& wanted, const agent::BudgetLimits& cap);

class RunBudgets {
 public:
  RunBudgets(const PressureOptions& pressure, const std::vector<triad::TriadOptions>& triads,
             const Clock& clock);

  agent::Budget& global() { return *global_; }
  agent::Budget& For(std::string_view triad_id);

 private:
  std::unique_ptr<agent::Budget> global_;
  std::map<std::string, std::unique_ptr<agent::Budget>, std::less<>> triads_;
};

}  // namespace hfs::pipeline
