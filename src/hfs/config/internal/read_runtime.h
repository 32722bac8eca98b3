// hfs/config/internal/read_runtime.h
//
// Readers for the config sections that describe the runtime rather than the spec:
// `providers`, `model_tiers` and `observability`. Each leaves defaults in place for
// absent keys and records located issues in the YamlReader. Used only by load.cc.
//
//   internal::ReadProviders(r, root, config.providers);
//   internal::ReadModelTiers(r, root, config.providers, config.model_tiers);
//
// Thread-compatible.
#pragma once

#include <vector>

#include "hfs/config/internal/yaml_reader.h"
#include "hfs/llm/provider_options.h"
#include "hfs/tiers/tier_options.h"
#include "hfs/trace/observability_options.h"

namespace hfs::config::internal {

void ReadProviders(YamlReader& r, const YAML::Node& root,
                   std::vector<llm::ProviderOptions>& providers);
// Tier provider names are checked against `providers`.
void ReadModelTiers(YamlReader& r, const YAML::Node& root,
                    const std::vector<llm::ProviderOptions>& providers,
                    tiers::ModelTiersOptions& tiers);
void ReadObservability(YamlReader& r, const YAML::Node& root,
                       trace::ObservabilityOptions& observability);

// The agent roles a tier can be chosen for: the nine preset roles, code_execution and
// arbiter.
const std::vector<std::string>& KnownRoles();

}  // namespace hfs::config::internal
