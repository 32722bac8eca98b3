// The pre-flight's text for stderr and --dry-run, and its JSON (see preflight.h).
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "hfs/app/preflight.h"

namespace hfs::app {
namespace {

using nlohmann::json;

std::string TierText(const RoleResolution& row) {
  if (!row.tier) return "pinned";
  std::string text(tiers::TierName(row.tier->tier));
  if (row.tier->source == tiers::TierSource::kEscalation) text += " (escalated)";
  return text;
}

// "layout, state", plus the phases when the role resolves differently in other phases
// (`split`).
std::string ForText(const RoleResolution& row, bool split) {
  if (row.triads.empty()) return "";
  std::string text = fmt::format("{}", fmt::join(row.triads, ", "));
  if (split) text += fmt::format("; {}", fmt::join(row.phases, ", "));
  return text;
}

// One line per row: role, tier, models, triads; the columns as wide as their widest cell.
std::string RoleTable(const std::vector<RoleResolution>& roles) {
  std::vector<std::array<std::string, 4>> lines = {
      {"ROLE", "TIER", "MODELS (in fallback order)", "TRIADS"}};
  for (const RoleResolution& row : roles) {
    const bool split = std::count_if(roles.begin(), roles.end(), [&](const RoleResolution& other) {
                         return other.role == row.role;
                       }) > 1;
    lines.push_back({row.role, TierText(row),
                     row.resolved() ? ModelsText(row.candidates) : "none reachable",
                     ForText(row, split)});
  }
  std::array<size_t, 3> widths{};
  for (const auto& line : lines) {
    for (size_t i = 0; i < widths.size(); ++i) widths[i] = std::max(widths[i], line[i].size());
  }
  std::string out;
  for (const auto& line : lines) {
    std::string text = fmt::format("  {:<{}}  {:<{}}  {:<{}}  {}", line[0], widths[0], line[1],
                                   widths[1], line[2], widths[2], line[3]);
    text.erase(text.find_last_not_of(' ') + 1);
    out += text + "\n";
  }
  return out;
}

json ModelsJson(const std::vector<tiers::ModelRef>& models) {
  json out = json::array();
  for (const tiers::ModelRef& model : models) {
    out.push_back({{"provider", model.provider}, {"model", model.model}});
  }
  return out;
}

}  // namespace

std::string PreflightFailure(const Preflight& preflight) {
  size_t roles = 0;
  for (const PreflightProblem& problem : preflight.problems) roles += problem.roles.size();
  std::string out = fmt::format(
      "Error: pre-flight: {} of this run {} no model at the providers with keys ({}); nothing "
      "was sent to any provider.\n",
      roles == 1 ? "a role" : "some roles", roles == 1 ? "has" : "have",
      preflight.usable_providers.empty()
          ? std::string("none")
          : fmt::format("{}", fmt::join(preflight.usable_providers, ", ")));
  for (const PreflightProblem& problem : preflight.problems) {
    out += "  - " + problem.message + "\n";
  }
  return out +
         "`hfs run --dry-run` shows this check and `hfs tiers -c FILE` the models of every "
         "role.\n";
}

std::string RenderPreflight(const Preflight& preflight) {
  std::string out;
  if (preflight.usable_providers.empty()) {
    out = "\nPre-flight: no provider has keys yet, so a run stops before calling any model.\n";
  } else {
    out = fmt::format("\nPre-flight (providers with keys: {}): {}.\n",
                      fmt::join(preflight.usable_providers, ", "),
                      preflight.ok() ? "every role has a model"
                                     : "some roles have no model; a run stops here (exit code 2)");
    out += RoleTable(preflight.roles);
  }
  for (const std::string& notice : preflight.notices) out += "  notice: " + notice + "\n";
  if (preflight.usable_providers.empty()) {
    // Every need is unmet; say what each needs, the variables are in `hfs run`'s guidance.
    out += "With keys, a run needs:\n";
    for (const PreflightProblem& problem : preflight.problems) out += "  - " + problem.need + "\n";
    return out +
           "Set keys for the providers of these models (`hfs run` without --dry-run lists the "
           "variables).\n";
  }
  if (!preflight.problems.empty()) {
    out += "Missing:\n";
    for (const PreflightProblem& problem : preflight.problems) {
      out += "  - " + problem.message + "\n";
    }
  }
  return out;
}

json PreflightToJson(const Preflight& preflight) {
  json roles = json::array();
  for (const RoleResolution& row : preflight.roles) {
    roles.push_back(
        {{"role", row.role},
         {"triads", row.triads},
         {"phases", row.phases},
         {"tier", row.tier ? json(tiers::TierName(row.tier->tier)) : json(nullptr)},
         {"source", row.tier ? json(tiers::TierSourceName(row.tier->source)) : json("code_models")},
         {"candidates", ModelsJson(row.candidates)}});
  }
  json problems = json::array();
  for (const PreflightProblem& problem : preflight.problems) {
    problems.push_back(
        {{"tier", problem.tier ? json(tiers::TierName(*problem.tier)) : json(nullptr)},
         {"roles", problem.roles},
         {"need", problem.need},
         {"wanted", ModelsJson(problem.wanted)},
         {"message", problem.message}});
  }
  return {{"ok", preflight.ok()},
          {"usable_providers", preflight.usable_providers},
          {"roles", roles},
          {"problems", problems},
          {"notices", preflight.notices}};
}

}  // namespace hfs::app
