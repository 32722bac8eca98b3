// hfs/pipeline/tier_models.h
//
// TierModels: the ModelSource of a run, from the config's model tiers. A role's tier is
// its phase override, else its role default, else `general`; the tier names a model per
// provider, and the role is served by a FallbackModel over the usable providers that have
// a model in that tier, in provider order. Escalation to stronger tiers belongs to the
// model-tiers selector and is not applied here.
//
//   TierModels models(config.model_tiers, {{"cerebras", cerebras}, {"groq", groq}});
//   agent::ModelChoice choice = HFS_TRY(models.Resolve({.role = "critic", .phase = "negotiation"}));
//
// Thread-safe (read-only after construction). Resolve fails with kNotFound when no usable
// provider has a model in the role's tier.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "hfs/agent/agent.h"
#include "hfs/llm/fallback_model.h"
#include "hfs/tiers/tier_options.h"

namespace hfs::pipeline {

class TierModels final : public agent::ModelSource {
 public:
  // `providers`: usable providers in fallback order, each with its model (usually the
  // provider's RotatingModel), which must outlive this object.
  TierModels(tiers::ModelTiersOptions options,
             std::vector<std::pair<std::string, llm::Model*>> providers);

  Result<agent::ModelChoice> Resolve(const agent::ModelQuery& query) override;

  tiers::Tier TierFor(std::string_view role, std::string_view phase) const;

 private:
  const tiers::ModelTiersOptions options_;
  // Per tier: the fallback over its providers and the first candidate's model id.
  std::map<tiers::Tier, std::unique_ptr<llm::FallbackModel>> models_;
  std::map<tiers::Tier, std::string> first_model_;
};

}  // namespace hfs::pipeline
