#include "hfs/pipeline/tier_models.h"

#include "hfs/base/check.h"
#include "hfs/base/try.h"

namespace hfs::pipeline {
namespace {

std::vector<std::string> UsableNames(
    const std::vector<std::pair<std::string, llm::Model*>>& providers) {
  std::vector<std::string> names;
  for (const auto& [name, model] : providers) {
    if (model != nullptr) names.push_back(name);
  }
  return names;
}

// A FallbackModel over `candidates`, or null when there are none.
std::unique_ptr<llm::FallbackModel> Fallback(
    const std::vector<tiers::ModelRef>& candidates,
    const std::vector<std::pair<std::string, llm::Model*>>& providers) {
  std::vector<llm::FallbackCandidate> clients;
  for (const tiers::ModelRef& candidate : candidates) {
    for (const auto& [name, model] : providers) {
      if (name == candidate.provider && model != nullptr) {
        clients.push_back(
            {.provider = candidate.provider, .model = candidate.model, .client = model});
        break;
      }
    }
  }
  if (clients.empty()) return nullptr;
  return std::make_unique<llm::FallbackModel>(std::move(clients));
}

}  // namespace

TierModels::TierModels(tiers::ModelTiersOptions options,
                       std::vector<std::pair<std::string, llm::Model*>> providers,
                       tiers::EscalationTracker* escalations)
    : selector_(std::move(options), UsableNames(providers)),
      own_tracker_(escalations == nullptr ? std::make_unique<tiers::EscalationTracker>() : nullptr),
      tracker_(escalations == nullptr ? own_tracker_.get() : escalations) {
  for (tiers::Tier tier : tiers::kAllTiers) {
    if (auto model = Fallback(selector_.Candidates(tier), providers)) {
      tier_models_[tier] = std::move(model);
    }
  }
  code_model_ = Fallback(selector_.CodeCandidates(), providers);
}

tiers::SelectorQuery TierModels::SelectorQueryFor(const agent::ModelQuery& query) const {
  return {.triad = query.triad,
          .role = query.role,
          .phase = query.phase,
          .escalated = tracker_->EscalatedTier(query.triad, query.role)};
}

tiers::TierChoice TierModels::TierFor(const agent::ModelQuery& query) const {
  return selector_.TierFor(SelectorQueryFor(query));
}

Result<agent::ModelChoice> TierModels::Resolve(const agent::ModelQuery& query) {
  tiers::Selection selection = HFS_TRY(selector_.Select(SelectorQueryFor(query)));
  llm::FallbackModel* model = code_model_.get();
  std::optional<std::string> effort = selector_.options().code_reasoning_effort;
  if (selection.tier) {
    auto it = tier_models_.find(selection.tier->tier);
    model = it == tier_models_.end() ? nullptr : it->second.get();
    auto tier = selector_.options().tiers.find(selection.tier->tier);
    effort = tier == selector_.options().tiers.end() ? std::nullopt : tier->second.reasoning_effort;
  }
  HFS_CHECK(model != nullptr, "the selector chose candidates TierModels has no fallback for");
  return agent::ModelChoice{.model = model,
                            .model_id = selection.candidates.front().model,
                            .reasoning_effort = std::move(effort)};
}

void TierModels::Record(const agent::ModelQuery& query, agent::CallOutcome outcome) {
  // The pinned code models never change tier, so their failures are not counted.
  if (tiers::ModelSelector::IsPinnedRole(query.role)) return;
  if (outcome == agent::CallOutcome::kSucceeded) {
    tracker_->RecordSuccess(query.triad, query.role);
    return;
  }
  tracker_->RecordFailure(query.triad, query.role, query.phase, TierFor(query).tier);
}

}  // namespace hfs::pipeline
