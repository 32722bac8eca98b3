// hfs/app/run_plan.h
//
// What a run of a config would do before any model is called, as shown by
// `hfs run --dry-run`: the triads with their presets, roles and effective budgets (a
// triad's budget capped by pressure.per_triad_max), and for every section which triads
// can claim it, so which sections will be contested, which are uncontested, and which no
// triad reaches (those are assigned at freeze by coverage pressure).
//
//   RunPlan plan = PlanRun(config);
//   std::cout << RenderPlan(config, plan);
//
// Pure functions; thread-safe.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "hfs/agent/budget_limits.h"
#include "hfs/config/config.h"

namespace hfs::app {

enum class SectionOutlook { kUnreached, kUncontested, kContested };

struct SectionPlan {
  std::string name;
  // Triads that hold the section in their primary scope, then those that reach it.
  std::vector<std::string> primary;
  std::vector<std::string> reach;
  SectionOutlook outlook = SectionOutlook::kUnreached;
};

struct TriadPlan {
  std::string id;
  agent::BudgetLimits budget;  // effective, after per_triad_max
};

struct RunPlan {
  std::vector<TriadPlan> triads;
  std::vector<SectionPlan> sections;
  int contested_count = 0;
  int unreached_count = 0;
};

RunPlan PlanRun(const config::Config& config);
std::string RenderPlan(const config::Config& config, const RunPlan& plan);
nlohmann::json PlanToJson(const config::Config& config, const RunPlan& plan);

}  // namespace hfs::app
