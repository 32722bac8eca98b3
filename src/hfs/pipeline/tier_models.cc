#include "hfs/pipeline/tier_models.h"

#include <fmt/format.h>

namespace hfs::pipeline {

TierModels::TierModels(tiers::ModelTiersOptions options,
                       std::vector<std::pair<std::string, llm::Model*>> providers)
    : options_(std::move(options)) {
  for (const auto& [tier, models] : options_.tiers) {
    std::vector<llm::FallbackCandidate> candidates;
    for (const auto& [provider, model] : providers) {
      auto it = models.providers.find(provider);
      if (it == models.providers.end() || model == nullptr) continue;
      candidates.push_back({.provider = provider, .model = it->second, .client = model});
    }
    if (candidates.empty()) continue;
    first_model_[tier] = candidates.front().model;
    models_[tier] = std::make_unique<llm::FallbackModel>(std::move(candidates));
  }
}

tiers::Tier TierModels::TierFor(std::string_view role, std::string_view phase) const {
  if (auto overrides = options_.phase_overrides.find(std::string(phase));
      overrides != options_.phase_overrides.end()) {
    if (auto it = overrides->second.find(std::string(role)); it != overrides->second.end()) {
      return it->second;
    }
  }
  if (auto it = options_.role_defaults.find(std::string(role));
      it != options_.role_defaults.end()) {
    return it->second;
  }
  return tiers::Tier::kGeneral;
}

Result<agent::ModelChoice> TierModels::Resolve(const agent::ModelQuery& query) {
  std::string_view role = query.role;
  const tiers::Tier tier = TierFor(role, query.phase);
  auto it = models_.find(tier);
  if (it == models_.end()) {
    return Fail(ErrorCode::kNotFound,
                fmt::format("no usable provider has a model in the '{}' tier (role '{}')",
                            tiers::TierName(tier), role));
  }
  return agent::ModelChoice{.model = it->second.get(), .model_id = first_model_.at(tier)};
}

}  // namespace hfs::pipeline
