// hfs/config/internal/limit_reader.h
//
// Reads the per-model limit mappings used both by limit tables and by the config's
// `providers.<name>.limits`:
//   model: {requests_per_minute: 30, requests_per_day: 1000, tokens_per_minute: 12000}
// The six keys are requests_ and tokens_ per_minute, per_hour and per_day; each optional.
//
//   ReadModelLimits(r, node, "providers.groq.limits", limits.models);
//
// Thread-compatible.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "hfs/config/internal/yaml_reader.h"
#include "hfs/keys/limits.h"

namespace hfs::config::internal {

// Replaces the rules of every model named in `node` (a mapping of model -> limits).
void ReadModelLimits(YamlReader& r, const YAML::Node& node, const std::string& path,
                     std::map<std::string, std::vector<keys::LimitRule>, std::less<>>& models);

}  // namespace hfs::config::internal
