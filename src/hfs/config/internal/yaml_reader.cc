#include "hfs/config/internal/yaml_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <set>

namespace hfs::config::internal {

Error MalformedYaml(std::string_view file_name, const YAML::Exception& exception) {
  const bool located = !exception.mark.is_null();
  return IssuesToError({ConfigIssue{.file = std::string(file_name),
                                    .line = located ? exception.mark.line + 1 : 0,
                                    .column = located ? exception.mark.column + 1 : 0,
                                    .message = "malformed YAML: " + exception.msg}});
}
namespace {

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string Describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
      return "nothing (null)";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Scalar:
      return fmt::format("'{}'", node.Scalar());
    default:
      return "nothing";
  }
}

std::string FormatNumber(double value) { return fmt::format("{}", value); }

std::string RangeText(Range range) {
  if (range.max == INFINITY) return fmt::format("at least {}", FormatNumber(range.min));
  return fmt::format("from {} to {}", FormatNumber(range.min), FormatNumber(range.max));
}

std::optional<double> ParseNumber(const YAML::Node& node) {
  if (!node.IsScalar()) return std::nullopt;
  const std::string& text = node.Scalar();
  if (text.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (errno != 0 || end != text.c_str() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace

std::string Child(std::string_view path, std::string_view key) {
  return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
}

std::string Index(std::string_view path, size_t index) {
  return fmt::format("{}[{}]", path, index);
}

std::optional<std::string> DidYouMean(std::string_view word,
                                      const std::vector<std::string>& allowed) {
  std::optional<std::string> best;
  size_t best_distance = std::max<size_t>(2, (word.size() + 1) / 2) + 1;
  for (const std::string& candidate : allowed) {
    size_t distance = EditDistance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

void YamlReader::Report(const YAML::Node& node, std::string_view path, std::string message) {
  YAML::Mark mark = node.IsDefined() ? node.Mark() : YAML::Mark::null_mark();
  if (mark.is_null()) mark = last_mark_;
  issues_.push_back(ConfigIssue{.file = file_,
                                .line = mark.is_null() ? 0 : mark.line + 1,
                                .column = mark.is_null() ? 0 : mark.column + 1,
                                .path = std::string(path),
                                .message = std::move(message)});
}

bool YamlReader::Map(const YAML::Node& node, std::string_view path,
                     std::vector<std::string> allowed) {
  if (node.IsDefined() && !node.Mark().is_null()) last_mark_ = node.Mark();
  if (!node.IsMap()) {
    Report(node, path, fmt::format("expected a mapping, got {}", Describe(node)));
    return false;
  }
  std::set<std::string> seen;
  for (const auto& entry : node) {
    const YAML::Node& key_node = entry.first;
    std::string key = key_node.IsScalar() ? key_node.Scalar() : std::string("?");
    std::string key_path = Child(path, key);
    if (!seen.insert(key).second) {
      Report(key_node, key_path, "duplicate key");
    } else if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::optional<std::string> suggestion = DidYouMean(key, allowed);
      Report(key_node, key_path,
             suggestion ? fmt::format("unknown key '{}' (did you mean '{}'?)", key, *suggestion)
                        : fmt::format("unknown key '{}'", key));
    }
  }
  return true;
}

bool YamlReader::Sequence(const YAML::Node& node, std::string_view path) {
  if (node.IsSequence()) return true;
  Report(node, path, fmt::format("expected a list, got {}", Describe(node)));
  return false;
}

bool YamlReader::Require(const YAML::Node& map, std::string_view key, std::string_view path) {
  if (map[std::string(key)].IsDefined()) return true;
  Report(map, Child(path, key), "missing required key");
  return false;
}

std::optional<std::string> YamlReader::ScalarString(const YAML::Node& node, std::string_view path) {
  if (node.IsScalar()) return node.Scalar();
  Report(node, path, fmt::format("expected a string, got {}", Describe(node)));
  return std::nullopt;
}

void YamlReader::String(const YAML::Node& map, std::string_view key, std::string_view path,
                        std::string& out) {
  YAML::Node node = map[std::string(key)];
  if (!node.IsDefined()) return;
  if (auto value = ScalarString(node, Child(path, key))) out = *value;
}

void YamlReader::Boolean(const YAML::Node& map, std::string_view key, std::string_view path,
                         bool& out) {
  YAML::Node node = map[std::string(key)];
  if (!node.IsDefined()) return;
  static const std::set<std::string> kTrue = {"true", "True", "TRUE", "yes", "on"};
  static const std::set<std::string> kFalse = {"false", "False", "FALSE", "no", "off"};
  if (node.IsScalar() && kTrue.count(node.Scalar())) {
    out = true;
  } else if (node.IsScalar() && kFalse.count(node.Scalar())) {
    out = false;
  } else {
    Report(node, Child(path, key), fmt::format("expected true or false, got {}", Describe(node)));
  }
}

void YamlReader::Number(const YAML::Node& map, std::string_view key, std::string_view path,
                        Range range, double& out) {
  YAML::Node node = map[std::string(key)];
  if (!node.IsDefined()) return;
  std::optional<double> value = ParseNumber(node);
  if (!value) {
    Report(node, Child(path, key), fmt::format("expected a number, got {}", Describe(node)));
  } else if (*value < range.min || *value > range.max) {
    Report(
        node, Child(path, key),
        fmt::format("{} is out of range: expected a number {}", node.Scalar(), RangeText(range)));
  } else {
    out = *value;
  }
}

void YamlReader::Integer(const YAML::Node& map, std::string_view key, std::string_view path,
                         Range range, int64_t& out) {
  YAML::Node node = map[std::string(key)];
  if (!node.IsDefined()) return;
  std::optional<double> value = ParseNumber(node);
  if (!value || *value != std::floor(*value) || std::abs(*value) > 9e15) {
    Report(node, Child(path, key), fmt::format("expected a whole number, got {}", Describe(node)));
  } else if (*value < range.min || *value > range.max) {
    Report(node, Child(path, key),
           fmt::format("{} is out of range: expected a whole number {}", node.Scalar(),
                       RangeText(range)));
  } else {
    out = static_cast<int64_t>(*value);
  }
}

void YamlReader::Integer(const YAML::Node& map, std::string_view key, std::string_view path,
                         Range range, int& out) {
  int64_t wide = out;
  Integer(map, key, path, {std::max(range.min, -2147483648.0), std::min(range.max, 2147483647.0)},
          wide);
  out = static_cast<int>(wide);
}

void YamlReader::StringList(const YAML::Node& map, std::string_view key, std::string_view path,
                            std::vector<std::string>& out) {
  YAML::Node node = map[std::string(key)];
  if (!node.IsDefined()) return;
  std::string list_path = Child(path, key);
  if (!Sequence(node, list_path)) return;
  std::vector<std::string> values;
  for (size_t i = 0; i < node.size(); ++i) {
    if (auto value = ScalarString(node[i], Index(list_path, i))) values.push_back(*value);
  }
  out = std::move(values);
}

std::optional<size_t> YamlReader::Choice(const YAML::Node& map, std::string_view key,
                                         std::string_view path,
                                         const std::vector<std::string>& choices) {
  YAML::Node node = map[std::string(key)];
  if (!node.IsDefined()) return std::nullopt;
  std::string value_path = Child(path, key);
  std::optional<std::string> value = ScalarString(node, value_path);
  if (!value) return std::nullopt;
  auto it = std::find(choices.begin(), choices.end(), *value);
  if (it != choices.end()) return static_cast<size_t>(it - choices.begin());
  std::string message = fmt::format("'{}' is not one of: {}", *value, fmt::join(choices, ", "));
  if (auto suggestion = DidYouMean(*value, choices)) {
    message += fmt::format(" (did you mean '{}'?)", *suggestion);
  }
  Report(node, value_path, std::move(message));
  return std::nullopt;
}

}  // namespace hfs::config::internal
