// hfs/config/internal/yaml_limits.h
//
// The bounds a config's text must keep before HFS builds a YAML tree from it: at most
// 1 MiB, one document, nested at most 32 levels, at most 200 alias uses, no alias inside
// the node it names, and at most 10,000 values and 1 MiB of scalar text once aliases are
// expanded. NormalizeLineBreaks turns CR and CRLF line breaks into LF first, so a file
// with old Mac line endings reads as lines. Used only inside hfs/config.
//
//   if (yaml.size() > kMaxConfigBytes) return Fail(IssuesToError({TooLargeIssue(file)}));
//   std::string text = NormalizeLineBreaks(yaml);
//   if (std::optional<ConfigIssue> issue = CheckYamlLimits(text, file)) ...
//
// Thread-safe free functions. CheckYamlLimits returns the located issue of the first bound
// the text breaks, nullopt when it keeps them all; malformed YAML throws YAML::Exception,
// as YAML::Load would.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "hfs/config/config_error.h"

namespace hfs::config::internal {

inline constexpr size_t kMaxConfigBytes = size_t{1} << 20;
inline constexpr size_t kMaxDepth = 32;
inline constexpr size_t kMaxAliases = 200;
inline constexpr size_t kMaxValues = 10000;

// "FILE: larger than 1 MiB (1048576 bytes), the most a config may hold".
ConfigIssue TooLargeIssue(std::string_view file_name);

std::string NormalizeLineBreaks(std::string_view text);

std::optional<ConfigIssue> CheckYamlLimits(std::string_view text, std::string_view file_name);

}  // namespace hfs::config::internal
