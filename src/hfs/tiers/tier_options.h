// hfs/tiers/tier_options.h
//
// ModelTiersOptions: the `model_tiers` section of the config. Three tiers (fast,
// general, reasoning) each name a model per provider; roles default to a tier; a phase
// may override a role's tier; escalation_state holds roles the user starts escalated
// ("triad:role", or a bare role for calls outside a triad -> tier; the tracker's own
// state lives in a file beside the config, see escalation_state_file.h); code_models pins
// the models of the code_execution role. DefaultModelTiers() equals the original HFS
// defaults, plus the pinned code models Cerebras zai-glm-4.7 then gpt-oss-120b.
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
#include <vector>

namespace hfs::tiers {

// Ordered from weakest to strongest; escalation moves one step up.
enum class Tier { kFast, kGeneral, kReasoning };
inline constexpr std::array<Tier, 3> kAllTiers = {Tier::kFast, Tier::kGeneral, Tier::kReasoning};

std::string_view TierName(Tier tier);
std::optional<Tier> ParseTier(std::string_view name);

// The role whose calls (generate_code) always use `code_models`, never a tier.
inline constexpr std::string_view kCodeExecutionRole = "code_execution";

// One model at one provider.
struct ModelRef {
  std::string provider;
  std::string model;
  friend bool operator==(const ModelRef&, const ModelRef&) = default;
};

struct TierModels {
  std::string description;
  // provider name -> model id, in config order.
  std::map<std::string, std::string> providers;
  // For reasoning models: "low", "medium" or "high" (nullopt: "low").
  std::optional<std::string> reasoning_effort;
};

struct ModelTiersOptions {
  std::map<Tier, TierModels> tiers;
  // role -> tier; a role not listed uses Tier::kGeneral.
  std::map<std::string, Tier> role_defaults;
  // phase name -> role -> tier.
  std::map<std::string, std::map<std::string, Tier>> phase_overrides;
  // "triad_id:role" (or a bare role outside triads) -> tier; never lowers a role.
  std::map<std::string, Tier> escalation_state;
  // The code_execution role's models, tried in order; tiers and escalation never apply.
  std::vector<ModelRef> code_models;
  // The code models' reasoning effort (nullopt: "low").
  std::optional<std::string> code_reasoning_effort;
  // How long a call first waits for a free key at each provider of its tier before it
  // tries the next (llm::FallbackModel); only when none has a key in time does it wait
  // longer. Milliseconds.
  int64_t fallback_key_wait_ms = 3000;
};

ModelTiersOptions DefaultModelTiers();

}  // namespace hfs::tiers
