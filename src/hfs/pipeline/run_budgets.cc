#include "hfs/pipeline/run_budgets.h"

#include <algorithm>

#include "hfs/base/check.h"

namespace hfs::pipeline {

agent::BudgetLimits CapBudget(const agent::BudgetLimits& wanted, const agent::BudgetLimits& cap) {
  return {.tokens = std::min(wanted.tokens, cap.tokens),
          .tool_calls = std::min(wanted.tool_calls, cap.tool_calls),
          .time_ms = std::min(wanted.time_ms, cap.time_ms)};
}

RunBudgets::RunBudgets(const PressureOptions& pressure,
                       const std::vector<triad::TriadOptions>& triads, const Clock& clock)
    : global_(std::make_unique<agent::Budget>("run", pressure.global_budget, pressure.enforcement,
                                              clock)) {
  for (const triad::TriadOptions& triad : triads) {
    triads_.emplace(triad.id, std::make_unique<agent::Budget>(
                                  triad.id, CapBudget(triad.budget, pressure.per_triad_max),
                                  pressure.enforcement, clock, global_.get()));
  }
}

agent::Budget& RunBudgets::For(std::string_view triad_id) {
  auto it = triads_.find(triad_id);
  HFS_CHECK(it != triads_.end(), "no budget for triad '" + std::string(triad_id) + "'");
  return *it->second;
}

}  // namespace hfs::pipeline
