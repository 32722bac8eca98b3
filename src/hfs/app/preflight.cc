#include "hfs/app/preflight.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "hfs/pipeline/arbiter.h"
#include "hfs/pipeline/outline_planner.h"
#include "hfs/triad/preset.h"
#include "hfs/triad/triad.h"

namespace hfs::app {
namespace {

constexpr std::string_view kTriadPhases[] = {triad::kDeliberation, triad::kNegotiation,
                                             triad::kExecution};

// One place the run calls a model: a role, in a triad or not ("" triad), in a phase.
struct Call {
  std::string triad;
  std::string role;
  std::string phase;
};

// Every call the run makes, in the order the run makes them.
std::vector<Call> Calls(const config::Config& config) {
  std::vector<Call> calls;
  if (config.page.regions.empty()) {
    calls.push_back(
        {"", std::string(pipeline::kPlannerRole), std::string(pipeline::kPlannerPhase)});
  }
  for (const triad::TriadOptions& options : config.triads) {
    for (std::string_view role : triad::DescribePreset(options.preset).roles) {
      for (std::string_view phase : kTriadPhases) {
        calls.push_back({options.id, std::string(role), std::string(phase)});
      }
    }
  }
  calls.push_back({"", std::string(tiers::kCodeExecutionRole), triad::kExecution});
  calls.push_back({"", std::string(pipeline::kArbiterRole), std::string(pipeline::kArbiterPhase)});
  return calls;
}

void AddUnique(std::vector<std::string>& list, const std::string& item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

// "a", "a or b", "a, b or c" (`word` "and" likewise).
std::string JoinWords(const std::vector<std::string>& items, std::string_view word) {
  if (items.empty()) return "";
  if (items.size() == 1) return items.front();
  std::vector<std::string> head(items.begin(), items.end() - 1);
  return fmt::format("{} {} {}", fmt::join(head, ", "), word, items.back());
}

// How the run resolves `call`, as TierModels::Resolve asks the selector.
RoleResolution Resolve(const tiers::ModelSelector& selector,
                       const tiers::EscalationMap& escalations, const Call& call) {
  auto escalated = escalations.find({.triad = call.triad, .role = call.role});
  const tiers::SelectorQuery query{.triad = call.triad,
                                   .role = call.role,
                                   .phase = call.phase,
                                   .escalated = escalated == escalations.end()
                                                    ? std::nullopt
                                                    : std::optional(escalated->second)};
  RoleResolution row{.role = call.role, .phases = {call.phase}};
  if (!call.triad.empty()) row.triads.push_back(call.triad);
  if (Result<tiers::Selection> selection = selector.Select(query)) {
    row.tier = selection->tier;
    row.candidates = std::move(selection->candidates);
  } else if (!tiers::ModelSelector::IsPinnedRole(call.role)) {
    // An escalated tier no provider serves falls back to the base tier, which failed too.
    tiers::TierChoice choice = selector.TierFor(query);
    row.tier = choice.source == tiers::TierSource::kEscalation ? selector.BaseTier(query) : choice;
  }
  return row;
}

// Adds `row` to the row of the same role that resolves the same way, else appends it.
void Merge(std::vector<RoleResolution>& rows, RoleResolution row) {
  for (RoleResolution& existing : rows) {
    if (existing.role != row.role || existing.tier != row.tier ||
        existing.candidates != row.candidates) {
      continue;
    }
    for (const std::string& triad : row.triads) AddUnique(existing.triads, triad);
    for (const std::string& phase : row.phases) AddUnique(existing.phases, phase);
    return;
  }
  rows.push_back(std::move(row));
}

const ProviderStatus* FindProvider(const std::vector<ProviderStatus>& providers,
                                   const std::string& name) {
  for (const ProviderStatus& status : providers) {
    if (status.provider.name == name) return &status;
  }
  return nullptr;
}

// Why the providers of `models` (none usable) serve nothing, and what would change that.
struct OutOfReach {
  std::string why;     // "no cerebras key is set"
  std::string remedy;  // "set CEREBRAS_API_KEY (...) in the environment or in $HFS_HOME/.env"
};

OutOfReach WhyOutOfReach(const std::vector<tiers::ModelRef>& models,
                         const std::vector<ProviderStatus>& providers) {
  std::vector<std::string> without_keys, disabled, unknown;
  for (const tiers::ModelRef& model : models) {
    const ProviderStatus* status = FindProvider(providers, model.provider);
    if (status == nullptr) {
      AddUnique(unknown, model.provider);
    } else if (!status->provider.enabled) {
      AddUnique(disabled, model.provider);
    } else if (!status->usable()) {
      AddUnique(without_keys, model.provider);
    }
  }
  std::vector<std::string> why, remedy;
  if (!without_keys.empty()) {
    why.push_back(fmt::format("no {} key is set", JoinWords(without_keys, "or")));
    std::vector<std::string> variables;
    for (const std::string& provider : without_keys)
      variables.push_back(KeyVariablesHint(provider));
    remedy.push_back(
        fmt::format("set {} in the environment or in $HFS_HOME/.env (default "
                    "~/.hfs/.env)",
                    JoinWords(variables, "or")));
  }
  if (!disabled.empty()) {
    why.push_back(fmt::format("{} {} disabled in the config", JoinWords(disabled, "and"),
                              disabled.size() == 1 ? "is" : "are"));
    remedy.push_back(fmt::format("enable {} under providers", JoinWords(disabled, "and")));
  }
  if (!unknown.empty()) {
    why.push_back(fmt::format("{} {} not a configured provider", JoinWords(unknown, "and"),
                              unknown.size() == 1 ? "is" : "are"));
  }
  return {fmt::format("{}", fmt::join(why, "; ")), JoinWords(remedy, "or")};
}

std::string Capitalized(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

// "orchestrator (triads layout, state)", "arbiter", "generate_code (role code_execution)".
std::string RoleLabel(const std::string& role, const std::vector<std::string>& triads) {
  if (tiers::ModelSelector::IsPinnedRole(role)) return "generate_code (role code_execution)";
  if (triads.empty()) return role;
  return fmt::format("{} (triad{} {})", role, triads.size() == 1 ? "" : "s",
                     fmt::join(triads, ", "));
}

// The tier's models, in provider (fallback) order.
std::vector<tiers::ModelRef> TierModelsOf(const config::Config& config, tiers::Tier tier) {
  std::vector<tiers::ModelRef> models;
  auto found = config.model_tiers.tiers.find(tier);
  if (found == config.model_tiers.tiers.end()) return models;
  const std::map<std::string, std::string>& by_provider = found->second.providers;
  for (const llm::ProviderOptions& provider : config.providers) {
    if (auto it = by_provider.find(provider.name); it != by_provider.end()) {
      models.push_back({it->first, it->second});
    }
  }
  for (const auto& [provider, model] : by_provider) {
    if (std::find(models.begin(), models.end(), tiers::ModelRef{provider, model}) == models.end())
      models.push_back({provider, model});
  }
  return models;
}

// "arbiter needs the 'reasoning' tier, one of: cerebras qwen-3-235b-a22b-instruct-2507".
std::string NeedText(const PreflightProblem& problem) {
  const std::string who = JoinWords(problem.roles, "and");
  const std::string_view s = problem.roles.size() == 1 ? "s" : "";
  if (problem.tier) {
    const std::string_view tier = tiers::TierName(*problem.tier);
    if (problem.wanted.empty())
      return fmt::format("{} need{} the '{}' tier, which names no model", who, s, tier);
    return fmt::format("{} need{} the '{}' tier, one of: {}", who, s, tier,
                       ModelsText(problem.wanted));
  }
  if (problem.wanted.empty()) {
    return fmt::format("{} need{} a model, and model_tiers.code_models is empty", who, s);
  }
  return fmt::format("{} need{} one of: {}", who, s, ModelsText(problem.wanted));
}

// The need, why it is out of reach, and what to set or configure.
std::string ProblemMessage(const PreflightProblem& problem, const OutOfReach& reach,
                           const std::vector<std::string>& usable) {
  const std::string have = usable.empty() ? "" : fmt::format(" ({})", fmt::join(usable, ", "));
  const std::string fix =
      problem.tier
          ? fmt::format(
                "add a model of a provider you have keys for{} under "
                "model_tiers.tiers.{}.providers",
                have, tiers::TierName(*problem.tier))
          : fmt::format("list a model of a provider you have keys for{} in model_tiers.code_models",
                        have);
  if (problem.wanted.empty()) return fmt::format("{}. {}.", problem.need, Capitalized(fix));
  return fmt::format("{}; {}. {}.", problem.need, reach.why,
                     Capitalized(reach.remedy.empty() ? fix : reach.remedy + ", or " + fix));
}

// The roles that need one tier no provider with keys serves, or the code models (tier
// nullopt), with each role's triads.
struct UnmetNeed {
  std::optional<tiers::Tier> tier;
  std::vector<std::string> roles;  // in call order
  std::map<std::string, std::vector<std::string>> triads;
};

std::vector<UnmetNeed> UnmetNeeds(const std::vector<RoleResolution>& roles) {
  std::vector<UnmetNeed> needs;
  for (const RoleResolution& row : roles) {
    if (row.resolved()) continue;
    const std::optional<tiers::Tier> tier = row.tier ? std::optional(row.tier->tier) : std::nullopt;
    auto need = std::find_if(needs.begin(), needs.end(),
                             [&](const UnmetNeed& other) { return other.tier == tier; });
    if (need == needs.end()) need = needs.insert(needs.end(), UnmetNeed{.tier = tier});
    AddUnique(need->roles, row.role);
    std::vector<std::string>& triads = need->triads[row.role];
    for (const std::string& triad : row.triads) AddUnique(triads, triad);
  }
  return needs;
}

// One problem per unmet need, naming every role with it.
std::vector<PreflightProblem> Problems(const config::Config& config,
                                       const std::vector<RoleResolution>& roles,
                                       const std::vector<ProviderStatus>& providers,
                                       const std::vector<std::string>& usable) {
  std::vector<PreflightProblem> problems;
  for (const UnmetNeed& need : UnmetNeeds(roles)) {
    PreflightProblem problem{
        .tier = need.tier,
        .wanted = need.tier ? TierModelsOf(config, *need.tier) : config.model_tiers.code_models};
    for (const std::string& role : need.roles) {
      problem.roles.push_back(RoleLabel(role, need.triads.at(role)));
    }
    problem.need = NeedText(problem);
    problem.message = ProblemMessage(problem, WhyOutOfReach(problem.wanted, providers), usable);
    problems.push_back(std::move(problem));
  }
  return problems;
}

// The notice when the first pinned code model is out of reach but a later one is not.
std::optional<std::string> CodeFallbackNotice(const tiers::ModelSelector& selector,
                                              const std::vector<ProviderStatus>& providers) {
  const std::vector<tiers::ModelRef>& pinned = selector.options().code_models;
  const std::vector<tiers::ModelRef> reachable = selector.CodeCandidates();
  if (reachable.empty() || pinned.empty() || reachable.front() == pinned.front()) {
    return std::nullopt;
  }
  std::vector<tiers::ModelRef> skipped(pinned.begin(),
                                       std::find(pinned.begin(), pinned.end(), reachable.front()));
  std::vector<std::string> names;
  for (const tiers::ModelRef& model : skipped) names.push_back(ModelText(model));
  return fmt::format(
      "generate_code (role code_execution) will use {}, a fallback listed in "
      "model_tiers.code_models, instead of {}: {}.",
      ModelText(reachable.front()), JoinWords(names, "and"), WhyOutOfReach(skipped, providers).why);
}

}  // namespace

std::string ModelText(const tiers::ModelRef& model) { return model.provider + " " + model.model; }

std::string ModelsText(const std::vector<tiers::ModelRef>& models) {
  std::vector<std::string> names;
  for (const tiers::ModelRef& model : models) names.push_back(ModelText(model));
  return fmt::format("{}", fmt::join(names, ", "));
}

Preflight CheckPreflight(const config::Config& config, const std::vector<ProviderStatus>& providers,
                         const tiers::EscalationMap& escalations) {
  Preflight out;
  for (const ProviderStatus& status : providers) {
    if (status.usable()) out.usable_providers.push_back(status.provider.name);
  }
  const tiers::ModelSelector selector(config.model_tiers, out.usable_providers);
  for (const Call& call : Calls(config)) Merge(out.roles, Resolve(selector, escalations, call));
  out.problems = Problems(config, out.roles, providers, out.usable_providers);
  if (std::optional<std::string> notice = CodeFallbackNotice(selector, providers)) {
    out.notices.push_back(std::move(*notice));
  }
  return out;
}

}  // namespace hfs::app
