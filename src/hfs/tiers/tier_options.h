// hfs/tiers/tier_options.h
//
// ModelTiersOptions: the `model_tiers` section of the config. Three tiers (fast,
// general, reasoning) each name a model per provider; roles default to a tier; a phase
// may override a role's tier; escalation_state records roles moved up after repeated
// failures ("triad:role" -> tier). DefaultModelTiers() equals the original HFS defaults.
//
//   ModelTiersOptions tiers = DefaultModelTiers();
//   std::string model = tiers.tiers.at(Tier::kFast).providers.at("cerebras");
//
// Plain value types.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace hfs::tiers {

// Ordered from weakest to strongest; escalation moves one step up.
enum class Tier { kFast, kGeneral, kReasoning };
inline constexpr std::array<Tier, 3> kAllTiers = {Tier::kFast, Tier::kGeneral, Tier::kReasoning};

std::string_view TierName(Tier tier);
std::optional<Tier> ParseTier(std::string_view name);

struct TierModels {
  std::string description;
  // provider name -> model id, in config order.
  std::map<std::string, std::string> providers;
};

struct ModelTiersOptions {
  std::map<Tier, TierModels> tiers;
  // role -> tier; a role not listed uses Tier::kGeneral.
  std::map<std::string, Tier> role_defaults;
  // phase name -> role -> tier.
  std::map<std::string, std::map<std::string, Tier>> phase_overrides;
  // "triad_id:role" -> tier.
  std::map<std::string, Tier> escalation_state;
};

ModelTiersOptions DefaultModelTiers();

}  // namespace hfs::tiers
