#include "hfs/tiers/escalation_tracker.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "hfs/base/try.h"

namespace hfs::tiers {
namespace {

RoleKey Key(std::string_view triad, std::string_view role) {
  return RoleKey{.triad = std::string(triad), .role = std::string(role)};
}

std::optional<Tier> NextTier(Tier tier) {
  if (tier == Tier::kReasoning) return std::nullopt;
  return static_cast<Tier>(static_cast<int>(tier) + 1);
}

}  // namespace

std::string DescribeEscalation(const Escalation& escalation) {
  std::string text =
      fmt::format("{}: {} -> {} after {} failures in a row",
                  RoleKeyName({.triad = escalation.triad, .role = escalation.role}),
                  TierName(escalation.from), TierName(escalation.to), escalation.failures);
  if (!escalation.phase.empty()) text += fmt::format(" ({})", escalation.phase);
  return text;
}

Result<std::unique_ptr<EscalationTracker>> EscalationTracker::Open(
    EscalationTrackerOptions options) {
  EscalationMap start;
  if (!options.state_path.empty()) start = HFS_TRY(ReadEscalationState(options.state_path));
  return std::make_unique<EscalationTracker>(std::move(options), std::move(start));
}

EscalationTracker::EscalationTracker(EscalationTrackerOptions options, EscalationMap start)
    : options_(std::move(options)), state_(std::move(start)) {}

std::optional<Tier> EscalationTracker::EscalatedTier(std::string_view triad,
                                                     std::string_view role) const {
  MutexLock lock(mu_);
  auto it = state_.find(Key(triad, role));
  if (it == state_.end()) return std::nullopt;
  return it->second;
}

std::optional<Escalation> EscalationTracker::RecordFailure(std::string_view triad,
                                                           std::string_view role,
                                                           std::string_view phase, Tier used) {
  const RoleKey key = Key(triad, role);
  Escalation escalation{.triad = key.triad, .role = key.role, .phase = std::string(phase)};
  {
    MutexLock lock(mu_);
    int& failures = failures_[key];
    if (++failures < std::max(1, options_.threshold)) return std::nullopt;
    escalation.failures = failures;
    failures = 0;
    // Never below a tier the role already reached (another phase may use a weaker one).
    auto known = state_.find(key);
    escalation.from = known == state_.end() ? used : std::max(used, known->second);
    std::optional<Tier> next = NextTier(escalation.from);
    if (!next) {
      spdlog::warn("{} failed {} times in a row at the reasoning tier, the highest; not escalated",
                   RoleKeyName(key), escalation.failures);
      return std::nullopt;
    }
    escalation.to = *next;
    state_[key] = escalation.to;
  }
  if (!options_.state_path.empty()) {
    Result<EscalationMap> saved =
        MergeEscalation(options_.state_path, key, escalation.to, options_.lock_timeout);
    if (!saved) {
      escalation.persist_error = saved.error().message;
      spdlog::warn("escalation of {} to {} applies to this run only: {}", RoleKeyName(key),
                   TierName(escalation.to), escalation.persist_error);
    }
  }
  spdlog::info("tier escalation {}", DescribeEscalation(escalation));
  {
    MutexLock lock(mu_);
    escalations_.push_back(escalation);
  }
  if (options_.on_escalation) options_.on_escalation(escalation);
  return escalation;
}

void EscalationTracker::RecordSuccess(std::string_view triad, std::string_view role) {
  MutexLock lock(mu_);
  failures_.erase(Key(triad, role));
}

int EscalationTracker::ConsecutiveFailures(std::string_view triad, std::string_view role) const {
  MutexLock lock(mu_);
  auto it = failures_.find(Key(triad, role));
  return it == failures_.end() ? 0 : it->second;
}

EscalationMap EscalationTracker::State() const {
  MutexLock lock(mu_);
  return state_;
}

std::vector<Escalation> EscalationTracker::Escalations() const {
  MutexLock lock(mu_);
  return escalations_;
}

}  // namespace hfs::tiers
