#include "hfs/app/run_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "hfs/app/config_summary.h"
#include "hfs/pipeline/run_budgets.h"
#include "hfs/triad/preset.h"

namespace hfs::app {
namespace {

bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string_view OutlookName(SectionOutlook outlook) {
  switch (outlook) {
    case SectionOutlook::kUnreached:
      return "unreached";
    case SectionOutlook::kUncontested:
      return "uncontested";
    case SectionOutlook::kContested:
      return "contested";
  }
  return "";
}

std::string BudgetText(const agent::BudgetLimits& budget) {
  return fmt::format("{} tokens, {} tool calls, {:.0f} s", budget.tokens, budget.tool_calls,
                     budget.time_ms / 1000.0);
}

nlohmann::json BudgetJson(const agent::BudgetLimits& budget) {
  return {
      {"tokens", budget.tokens}, {"tool_calls", budget.tool_calls}, {"time_ms", budget.time_ms}};
}

}  // namespace

RunPlan PlanRun(const config::Config& config) {
  RunPlan plan;
  for (const triad::TriadOptions& triad : config.triads) {
    plan.triads.push_back(
        {triad.id, pipeline::CapBudget(triad.budget, config.pressure.per_triad_max)});
  }
  for (const std::string& section : config.sections) {
    SectionPlan item{.name = section};
    for (const triad::TriadOptions& triad : config.triads) {
      if (Contains(triad.scope.primary, section)) item.primary.push_back(triad.id);
      if (Contains(triad.scope.reach, section)) item.reach.push_back(triad.id);
    }
    size_t claimants = item.primary.size() + item.reach.size();
    item.outlook = claimants == 0   ? SectionOutlook::kUnreached
                   : claimants == 1 ? SectionOutlook::kUncontested
                                    : SectionOutlook::kContested;
    plan.contested_count += item.outlook == SectionOutlook::kContested;
    plan.unreached_count += item.outlook == SectionOutlook::kUnreached;
    plan.sections.push_back(std::move(item));
  }
  return plan;
}

// How the page's regions come about and who takes them.
std::string PageText(const config::Config& config) {
  std::vector<std::string> owners;
  std::vector<std::string> contenders;
  for (const triad::TriadOptions& triad : config.triads) {
    auto names = [](const std::vector<std::string>& list) {
      return std::find(list.begin(), list.end(), "page/*") != list.end();
    };
    if (names(triad.scope.primary)) owners.push_back(triad.id);
    if (names(triad.scope.reach)) contenders.push_back(triad.id);
  }
  std::string out = "\nPage: ";
  if (config.page.regions.empty()) {
    out += "regions planned from the request by one model call (role planner)";
  } else {
    std::vector<std::string> ids;
    for (const page::Region& region : config.page.regions) ids.push_back(region.id);
    out += fmt::format("regions fixed by the config: {}", fmt::join(ids, ", "));
  }
  out += owners.empty() ? "; no triad names page/*, so coverage assigns them at freeze"
                        : fmt::format("; dealt to {} (page/*)", fmt::join(owners, ", "));
  if (!contenders.empty()) out += fmt::format(", contended by {}", fmt::join(contenders, ", "));
  return out +
         ".\nExecution: foundations (tokens, styles, data, requirements), then the "
         "regions, then behaviour.\n";
}

std::string RenderPlan(const config::Config& config, const RunPlan& plan) {
  std::string out = "Dry run: nothing is sent to any provider.\n\nTriads:\n";
  for (size_t i = 0; i < config.triads.size(); ++i) {
    const triad::TriadOptions& triad = config.triads[i];
    const triad::PresetInfo& preset = triad::DescribePreset(triad.preset);
    out += fmt::format("  {:<16} {:<13} roles {}, {}, {}\n", triad.id, preset.name, preset.roles[0],
                       preset.roles[1], preset.roles[2]);
    out += fmt::format("  {:<16} budget: {}\n", "", BudgetText(plan.triads[i].budget));
  }
  out += fmt::format("\nSections ({}; {} contested, {} unreached):\n", plan.sections.size(),
                     plan.contested_count, plan.unreached_count);
  for (const SectionPlan& section : plan.sections) {
    std::string who = fmt::format("{}", fmt::join(section.primary, ", "));
    if (!section.reach.empty()) {
      who += fmt::format("{}reach: {}", who.empty() ? "" : "; ", fmt::join(section.reach, ", "));
    }
    if (section.outlook == SectionOutlook::kUnreached) {
      who = "no triad; assigned at freeze by coverage pressure";
    }
    out += fmt::format("  {:<28} {:<12} {}\n", section.name, OutlookName(section.outlook), who);
  }
  out += PageText(config);
  const pipeline::PressureOptions& pressure = config.pressure;
  out += fmt::format(
      "\nNegotiation: temperature {} falling by {} per round, at most {} rounds; a section "
      "without progress for {} rounds goes to the arbiter; no new claims at or below {}.\n",
      pressure.initial_temperature, pressure.temperature_decay, pressure.max_negotiation_rounds,
      pressure.escalation_threshold, pressure.freeze_threshold);
  out += fmt::format("Global budget: {} ({} enforcement).\n", BudgetText(pressure.global_budget),
                     pressure.enforcement == agent::Enforcement::kHard ? "hard" : "soft");
  out += fmt::format("Output: {}\n", OutputDescription(config.output));
  return out;
}

nlohmann::json PlanToJson(const config::Config& config, const RunPlan& plan) {
  nlohmann::json triads = nlohmann::json::array();
  for (size_t i = 0; i < config.triads.size(); ++i) {
    const triad::PresetInfo& preset = triad::DescribePreset(config.triads[i].preset);
    triads.push_back({{"id", config.triads[i].id},
                      {"preset", preset.name},
                      {"roles", preset.roles},
                      {"budget", BudgetJson(plan.triads[i].budget)}});
  }
  nlohmann::json sections = nlohmann::json::array();
  for (const SectionPlan& section : plan.sections) {
    sections.push_back({{"name", section.name},
                        {"outlook", OutlookName(section.outlook)},
                        {"primary", section.primary},
                        {"reach", section.reach}});
  }
  return {{"dry_run", true},
          {"triads", triads},
          {"sections", sections},
          {"contested_count", plan.contested_count},
          {"unreached_count", plan.unreached_count},
          {"global_budget", BudgetJson(config.pressure.global_budget)},
          {"summary", ConfigSummaryJson(config)}};
}

}  // namespace hfs::app
