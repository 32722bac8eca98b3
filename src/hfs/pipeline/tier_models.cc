#include "hfs/pipeline/tier_models.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

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
    const std::vector<std::pair<std::string, llm::Model*>>& providers, Duration key_wait) {
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
  return std::make_unique<llm::FallbackModel>(std::move(clients), key_wait);
}

std::string Name(const tiers::ModelRef& ref) { return ref.provider + "/" + ref.model; }

// Whether `written_by` ("provider/model" as a reply named it) is `candidates[current]`.
// A provider may name the model a little differently from the config
// ("openai/gpt-oss-120b" for "openai/gpt-oss-120b:free"), so without an exact match a
// prefix at the same provider counts; an unknown writer ("") counts as the current entry.
bool WrittenBy(const std::vector<tiers::ModelRef>& candidates, size_t current,
               std::string_view written_by) {
  if (written_by.empty()) return true;
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (written_by == Name(candidates[i])) return i == current;
  }
  const tiers::ModelRef& ref = candidates.at(current);
  const size_t slash = written_by.find('/');
  if (slash == std::string_view::npos || written_by.substr(0, slash) != ref.provider) return false;
  const std::string_view model = written_by.substr(slash + 1);
  return model.starts_with(ref.model) || std::string_view(ref.model).starts_with(model);
}

}  // namespace

TierModels::TierModels(tiers::ModelTiersOptions options,
                       std::vector<std::pair<std::string, llm::Model*>> providers,
                       tiers::EscalationTracker* escalations)
    : selector_(std::move(options), UsableNames(providers)),
      own_tracker_(escalations == nullptr ? std::make_unique<tiers::EscalationTracker>() : nullptr),
      tracker_(escalations == nullptr ? own_tracker_.get() : escalations),
      providers_(providers) {
  for (tiers::Tier tier : tiers::kAllTiers) {
    if (auto model = Fallback(selector_.Candidates(tier), providers, KeyWait())) {
      tier_models_[tier] = std::move(model);
    }
  }
  code_model_ = Fallback(selector_.CodeCandidates(), providers, KeyWait());
}

Duration TierModels::KeyWait() const {
  return std::chrono::milliseconds(std::max<int64_t>(0, selector_.options().fallback_key_wait_ms));
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
  std::string model_id = selection.candidates.front().model;
  if (!selection.tier) {
    MutexLock lock(code_mu_);
    auto order = code_orders_.find(query.triad);
    if (order != code_orders_.end() && order->second.model != nullptr) {
      model = order->second.model;
      model_id = selection.candidates.at(order->second.first).model;
    }
  }
  return agent::ModelChoice{
      .model = model, .model_id = std::move(model_id), .reasoning_effort = std::move(effort)};
}

void TierModels::Record(const agent::ModelQuery& query, agent::CallOutcome outcome) {
  if (tiers::ModelSelector::IsPinnedRole(query.role)) {
    // The pinned code models never change tier; failures move the triad's list on.
    MutexLock lock(code_mu_);
    CodeOrder& order = code_orders_[std::string(query.triad)];
    if (outcome == agent::CallOutcome::kSucceeded) {
      order.failures = 0;
    } else if (++order.failures >= tiers::kEscalationThreshold) {
      const std::string from = Name(selector_.CodeCandidates().at(order.first));
      const std::string to = MoveOn(order);
      if (!to.empty()) {
        spdlog::warn("{}: code model {} failed {} calls in a row; its code calls now go to {}",
                     query.triad, from, tiers::kEscalationThreshold, to);
      }
    }
    return;
  }
  if (outcome == agent::CallOutcome::kSucceeded) {
    tracker_->RecordSuccess(query.triad, query.role);
    return;
  }
  tracker_->RecordFailure(query.triad, query.role, query.phase, TierFor(query).tier);
}

std::string TierModels::Demote(const agent::ModelQuery& query, std::string_view model) {
  if (!tiers::ModelSelector::IsPinnedRole(query.role)) return "";
  MutexLock lock(code_mu_);
  const std::vector<tiers::ModelRef> candidates = selector_.CodeCandidates();
  CodeOrder& order = code_orders_[std::string(query.triad)];
  if (candidates.empty() || !WrittenBy(candidates, order.first, model)) return "";
  return MoveOn(order);
}

std::string TierModels::MoveOn(CodeOrder& order) {
  const std::vector<tiers::ModelRef> candidates = selector_.CodeCandidates();
  order.failures = 0;
  if (candidates.size() < 2) return "";
  order.first = (order.first + 1) % candidates.size();
  std::vector<tiers::ModelRef> rotated(candidates.begin() + static_cast<long>(order.first),
                                       candidates.end());
  rotated.insert(rotated.end(), candidates.begin(),
                 candidates.begin() + static_cast<long>(order.first));
  std::unique_ptr<llm::FallbackModel> model = Fallback(rotated, providers_, KeyWait());
  if (model == nullptr) return "";
  order.model = model.get();
  moved_models_.push_back(std::move(model));
  return Name(candidates.at(order.first));
}

}  // namespace hfs::pipeline
