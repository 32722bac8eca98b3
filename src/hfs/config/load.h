// hfs/config/load.h
//
// Loads a YAML config (optionally wrapped in a top-level `config:` key) into Config and
// checks it: types, ranges, enums, unknown keys (with a "did you mean"), duplicate keys
// and ids, scopes that name configured sections, the model tiers. Every issue is
// reported with file, line:column and its path, such as `triads[2].scope.primary[0]`.
// Input is bounded (internal/yaml_limits.h): at most 1 MiB of one YAML document, nesting,
// aliases and names of bounded size, and at most 100 issues listed.
//
//   Result<Config> config = LoadConfig("config/examples/standard.yaml");
//   if (!config) std::cerr << config.error().message;   // one located issue per line
//
// Thread-compatible free functions. Failures: kNotFound / kPermissionDenied /
// kInvalidArgument (a directory, not a regular file, over 1 MiB) for the file itself;
// kInvalidArgument for malformed YAML or an invalid config, the message listing every
// issue.
#pragma once

#include <filesystem>
#include <string_view>

#include "hfs/base/error.h"
#include "hfs/config/config.h"

namespace hfs::config {

Result<Config> LoadConfig(const std::filesystem::path& path);
// `file_name` only names the source in issue locations.
Result<Config> LoadConfigFromString(std::string_view yaml, std::string_view file_name);

}  // namespace hfs::config
