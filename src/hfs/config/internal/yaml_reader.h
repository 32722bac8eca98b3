// hfs/config/internal/yaml_reader.h
//
// YamlReader reads typed values out of a yaml-cpp document and records a located
// ConfigIssue for anything wrong (wrong type, out of range, unknown key with a "did you
// mean" suggestion, duplicate key, merge key, quoted number, missing required key), so the
// loader can go on and report every problem at once, up to kMaxIssues. Used only inside
// hfs/config.
//
//   YamlReader r("standard.yaml");
//   if (r.Map(node, "pressure", {"initial_temperature", "temperature_decay"})) {
//     r.Number(node, "initial_temperature", "pressure", {0, 1}, options.initial_temperature);
//   }
//
// Thread-compatible. Report throws TooManyIssues when kMaxIssues are already recorded; the
// loader catches it and stops there.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/config/config_error.h"

namespace hfs::config::internal {

// The most characters a name (triad id, section, provider) may hold.
inline constexpr size_t kMaxNameLength = 128;
inline constexpr size_t kMaxIssues = 100;
struct TooManyIssues {};

struct Range {
  double min;
  double max;
};

// "a.b" / "a[3]" path joining; the root path is "".
std::string Child(std::string_view path, std::string_view key);
std::string Index(std::string_view path, size_t index);

// The located error for YAML that does not parse: "FILE:LINE:COL: malformed YAML: ...".
Error MalformedYaml(std::string_view file_name, const YAML::Exception& exception);

enum class Letters { kAnyCase, kLowerCase };
// True when `text` is not empty and holds only ASCII letters (lower-case ones only with
// kLowerCase), digits and characters of `punctuation`.
bool HoldsOnly(std::string_view text, Letters letters, std::string_view punctuation);

// The allowed word closest to `word` if it is close enough to be a likely typo.
std::optional<std::string> DidYouMean(std::string_view word,
                                      const std::vector<std::string>& allowed);

class YamlReader {
 public:
  explicit YamlReader(std::string file) : file_(std::move(file)) {}

  // Records an issue at `node` (or at the last known place when node has no mark).
  void Report(const YAML::Node& node, std::string_view path, std::string message);
  // True when `node` is a mapping whose keys are all in `allowed` and unique; records
  // issues for each unknown or duplicate key. False when `node` is not a mapping.
  bool Map(const YAML::Node& node, std::string_view path, std::vector<std::string> allowed);
  // True when `text` holds at most `max` characters; otherwise records "[SUBJECT of ]N
  // characters; at most MAX" and returns false.
  bool WithinLength(const YAML::Node& node, std::string_view path, std::string_view text,
                    size_t max, std::string_view subject = "");
  // True when `node` is a sequence.
  bool Sequence(const YAML::Node& node, std::string_view path);
  // Records "missing required key" unless `map[key]` is present.
  bool Require(const YAML::Node& map, std::string_view key, std::string_view path);

  // Each reads `map[key]` into `out` when present and valid; absent keys keep the default.
  void String(const YAML::Node& map, std::string_view key, std::string_view path, std::string& out);
  void Boolean(const YAML::Node& map, std::string_view key, std::string_view path, bool& out);
  void Integer(const YAML::Node& map, std::string_view key, std::string_view path, Range range,
               int64_t& out);
  void Integer(const YAML::Node& map, std::string_view key, std::string_view path, Range range,
               int& out);
  void Number(const YAML::Node& map, std::string_view key, std::string_view path, Range range,
              double& out);
  void StringList(const YAML::Node& map, std::string_view key, std::string_view path,
                  std::vector<std::string>& out);
  // Reads a scalar that must be one of `choices`; returns its index.
  std::optional<size_t> Choice(const YAML::Node& map, std::string_view key, std::string_view path,
                               const std::vector<std::string>& choices);
  // A scalar string at `node` itself; nullopt (with an issue) otherwise.
  std::optional<std::string> ScalarString(const YAML::Node& node, std::string_view path);

  const std::vector<ConfigIssue>& issues() const { return issues_; }
  const std::string& file() const { return file_; }

 private:
  // Records "expected WHAT, got the quoted string 'x'; ..." for a quoted scalar.
  bool Unquoted(const YAML::Node& node, std::string_view path, std::string_view what);

  std::string file_;
  std::vector<ConfigIssue> issues_;
  YAML::Mark last_mark_;
};

}  // namespace hfs::config::internal
