// hfs/tiers/model_selector.h
//
// ModelSelector decides which models serve one model call. A role's tier is, highest
// priority first: its escalation (from the EscalationTracker or the config's
// escalation_state), the phase override, the role default, else `general`; an escalation
// only ever raises a role, so it is used when it is stronger than the rest would give.
// The tier's candidates are its (provider, model) pairs over the providers that have
// usable keys, in provider (fallback) order; when none serves an escalated tier, the role
// keeps the tier the other rules give. The code_execution role ignores tiers and
// escalation: it always gets the pinned `code_models`, in config order, or an error
// naming them and how to make one reachable.
//
//   ModelSelector selector(config.model_tiers, {"cerebras", "groq"});
//   Selection selection = HFS_TRY(selector.Select({.triad = "layout", .role = "critic",
//                                                  .phase = "negotiation"}));
//   for (const ModelRef& candidate : selection.candidates) Try(candidate);
//
// Thread-safe (immutable after construction). Select fails with kNotFound when no
// usable provider serves the role's tier, or when no pinned code model is reachable;
// the message says which models were wanted and what to configure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/base/error.h"
#include "hfs/tiers/tier_options.h"

namespace hfs::tiers {

// Which rule chose a tier.
enum class TierSource { kEscalation, kPhaseOverride, kRoleDefault, kGeneral };
// "escalation", "phase override", "role default", "general".
std::string_view TierSourceName(TierSource source);

struct TierChoice {
  Tier tier = Tier::kGeneral;
  TierSource source = TierSource::kGeneral;
  friend bool operator==(const TierChoice&, const TierChoice&) = default;
};

struct SelectorQuery {
  std::string_view triad;  // "" outside triads
  std::string_view role;
  std::string_view phase;  // "" when unknown
  // The role's tier from the EscalationTracker, if escalated.
  std::optional<Tier> escalated;
};

struct Selection {
  // The tier and why; nullopt for the code_execution role (pinned models).
  std::optional<TierChoice> tier;
  // Reachable models in the order to try them; never empty.
  std::vector<ModelRef> candidates;
};

class ModelSelector {
 public:
  // `usable_providers`: the providers with usable keys (or needing none), in fallback
  // order.
  ModelSelector(ModelTiersOptions options, std::vector<std::string> usable_providers);

  static bool IsPinnedRole(std::string_view role) { return role == kCodeExecutionRole; }

  TierChoice TierFor(const SelectorQuery& query) const;
  // The tier without escalation: phase override, role default, else general.
  TierChoice BaseTier(const SelectorQuery& query) const;
  // The tier's models at usable providers, in provider order (may be empty).
  std::vector<ModelRef> Candidates(Tier tier) const;
  // The pinned code models whose provider is usable, in config order (may be empty).
  std::vector<ModelRef> CodeCandidates() const;
  Result<Selection> Select(const SelectorQuery& query) const;

  const ModelTiersOptions& options() const { return options_; }
  const std::vector<std::string>& usable_providers() const { return usable_providers_; }

 private:
  Error NoTierModel(const SelectorQuery& query, Tier tier) const;
  Error NoCodeModel() const;

  const ModelTiersOptions options_;
  const std::vector<std::string> usable_providers_;
};

}  // namespace hfs::tiers
