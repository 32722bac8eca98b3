#include "hfs/tiers/model_selector.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "hfs/tiers/escalation_state_file.h"

namespace hfs::tiers {
namespace {

constexpr std::string_view kSourceNames[] = {"escalation", "phase override", "role default",
                                             "general"};

bool Contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string ListOrNone(const std::vector<std::string>& names) {
  return names.empty() ? std::string("none") : fmt::format("{}", fmt::join(names, ", "));
}

// The key variables of a provider, as keys/key_discovery.h reads them.
std::string KeyVariables(std::string_view provider) {
  std::string upper;
  for (char c : provider) {
    upper += std::isalnum(static_cast<unsigned char>(c))
                 ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                 : '_';
  }
  return fmt::format("{0}_API_KEY (or NUM_{0} with {0}_API_KEY_1..N)", upper);
}

// Where a query comes from, for messages: "role 'critic' of triad 'layout' in phase 'x'".
std::string Who(const SelectorQuery& query) {
  std::string who = fmt::format("role '{}'", query.role);
  if (!query.triad.empty()) who += fmt::format(" of triad '{}'", query.triad);
  if (!query.phase.empty()) who += fmt::format(" in phase '{}'", query.phase);
  return who;
}

}  // namespace

std::string_view TierSourceName(TierSource source) {
  return kSourceNames[static_cast<size_t>(source)];
}

ModelSelector::ModelSelector(ModelTiersOptions options, std::vector<std::string> usable_providers)
    : options_(std::move(options)), usable_providers_(std::move(usable_providers)) {}

TierChoice ModelSelector::BaseTier(const SelectorQuery& query) const {
  const std::string role(query.role);
  if (auto overrides = options_.phase_overrides.find(std::string(query.phase));
      overrides != options_.phase_overrides.end()) {
    if (auto it = overrides->second.find(role); it != overrides->second.end()) {
      return {it->second, TierSource::kPhaseOverride};
    }
  }
  if (auto it = options_.role_defaults.find(role); it != options_.role_defaults.end()) {
    return {it->second, TierSource::kRoleDefault};
  }
  return {Tier::kGeneral, TierSource::kGeneral};
}

TierChoice ModelSelector::TierFor(const SelectorQuery& query) const {
  TierChoice choice = BaseTier(query);
  std::optional<Tier> escalated = query.escalated;
  const std::string key =
      RoleKeyName({.triad = std::string(query.triad), .role = std::string(query.role)});
  if (auto it = options_.escalation_state.find(key); it != options_.escalation_state.end()) {
    escalated = std::max(escalated.value_or(it->second), it->second);
  }
  if (escalated && *escalated > choice.tier) choice = {*escalated, TierSource::kEscalation};
  return choice;
}

std::vector<ModelRef> ModelSelector::Candidates(Tier tier) const {
  std::vector<ModelRef> candidates;
  auto models = options_.tiers.find(tier);
  if (models == options_.tiers.end()) return candidates;
  for (const std::string& provider : usable_providers_) {
    auto it = models->second.providers.find(provider);
    if (it != models->second.providers.end()) candidates.push_back({provider, it->second});
  }
  return candidates;
}

std::vector<ModelRef> ModelSelector::CodeCandidates() const {
  std::vector<ModelRef> candidates;
  for (const ModelRef& model : options_.code_models) {
    if (Contains(usable_providers_, model.provider)) candidates.push_back(model);
  }
  return candidates;
}

Result<Selection> ModelSelector::Select(const SelectorQuery& query) const {
  if (IsPinnedRole(query.role)) {
    std::vector<ModelRef> candidates = CodeCandidates();
    if (candidates.empty()) return Fail(NoCodeModel());
    return Selection{.tier = std::nullopt, .candidates = std::move(candidates)};
  }
  TierChoice choice = TierFor(query);
  std::vector<ModelRef> candidates = Candidates(choice.tier);
  if (candidates.empty() && choice.source == TierSource::kEscalation) {
    // No usable provider serves the escalated tier: the role keeps its own tier.
    choice = BaseTier(query);
    candidates = Candidates(choice.tier);
  }
  if (candidates.empty()) return Fail(NoTierModel(query, choice.tier));
  return Selection{.tier = choice, .candidates = std::move(candidates)};
}

Error ModelSelector::NoTierModel(const SelectorQuery& query, Tier tier) const {
  std::vector<std::string> named;
  if (auto models = options_.tiers.find(tier); models != options_.tiers.end()) {
    for (const auto& [provider, model] : models->second.providers) named.push_back(provider);
  }
  return Error{
      ErrorCode::kNotFound,
      fmt::format("no usable provider has a model in the '{0}' tier for {1} (the tier "
                  "names providers: {2}; providers with keys: {3}); set keys for one of "
                  "them (see `hfs keys`) or add a model of a usable provider under "
                  "model_tiers.tiers.{0}.providers",
                  TierName(tier), Who(query), ListOrNone(named), ListOrNone(usable_providers_))};
}

Error ModelSelector::NoCodeModel() const {
  if (options_.code_models.empty()) {
    return Error{ErrorCode::kNotFound,
                 "model_tiers.code_models is empty, so the code_execution role has no model"};
  }
  std::vector<std::string> models;
  std::vector<std::string> missing;
  for (const ModelRef& model : options_.code_models) {
    models.push_back(model.provider + "/" + model.model);
    if (!Contains(missing, model.provider)) missing.push_back(model.provider);
  }
  std::vector<std::string> variables;
  for (const std::string& provider : missing) variables.push_back(KeyVariables(provider));
  return Error{ErrorCode::kNotFound,
               fmt::format("code generation (role 'code_execution') uses only the pinned code "
                           "models {}, and none is reachable: no usable key for {} (providers "
                           "with keys: {}); set {}, or list a model of a usable provider under "
                           "model_tiers.code_models",
                           fmt::join(models, ", "), fmt::join(missing, ", "),
                           ListOrNone(usable_providers_), fmt::join(variables, "; "))};
}

}  // namespace hfs::tiers
