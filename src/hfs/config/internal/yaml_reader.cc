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

// A number, or +-infinity for one too large for a double (out of any range).
std::optional<double> ParseNumber(const YAML::Node& node) {
  if (!node.IsScalar()) return std::nullopt;
  const std::string& text = node.Scalar();
  if (text.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || std::isnan(value)) return std::nullopt;
  if (std::isinf(value) && errno != ERANGE) return std::nullopt;  // "inf" is not a number here
  return value;
}

// Doubles hold every whole number up to 2^53 - 1 exactly.
constexpr double kMaxExactWholeNumber = 9007199254740991.0;

size_t CharacterCount(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

}  // namespace

std::string Child(std::string_view path, std::string_view key) {
  return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
}

std::string Index(std::string_view path, size_t index) {
  return fmt::format("{}[{}]", path, index);
}

bool HoldsOnly(std::string_view text, Letters letters, std::string_view punctuation) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           (letters == Letters::kAnyCase && c >= 'A' && c <= 'Z') ||
           punctuation.find(c) != std::string_view::npos;
  });
}

std::optional<std::string> DidYouMean(std::string_view word,
                                      const std::vector<std::string>& allowed) {
  // Bounds the work on hostile input: long words and long lists get no suggestion.
  if (word.size() > kMaxNameLength || allowed.size() > 1000) return std::nullopt;
  std::optional<std::string> best;
  size_t best_distance = std::max<size_t>(2, (word.size() + 1) / 2) + 1;
  for (const std::string& candidate : allowed) {
    size_t length_gap =
        std::max(word.size(), candidate.size()) - std::min(word.size(), candidate.size());
    if (length_gap >= best_distance) continue;  // the distance is at least the gap
    size_t distance = EditDistance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

void YamlReader::Report(const YAML::Node& node, std::string_view path, std::string message) {
  if (issues_.size() >= kMaxIssues) throw TooManyIssues{};
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
    } else if (key == "<<") {
      Report(key_node, key_path, "merge keys ('<<') are not supported; write the keys out");
    } else if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::optional<std::string> suggestion = DidYouMean(key, allowed);
      Report(key_node, key_path,
             suggestion ? fmt::format("unknown key '{}' (did you mean '{}'?)", key, *suggestion)
                        : fmt::format("unknown key '{}'", key));
    }
  }
  return true;
}

bool YamlReader::WithinLength(const YAML::Node& node, std::string_view path, std::string_view text,
                              size_t max, std::string_view subject) {
  size_t count = text.size() <= max ? text.size() : CharacterCount(text);
  if (count <= max) return true;
  Report(node, path,
         fmt::format("{}{}{} characters; at most {}", subject, subject.empty() ? "" : " of ", count,
                     max));
  return false;
}

bool YamlReader::Unquoted(const YAML::Node& node, std::string_view path, std::string_view what) {
  if (!node.IsScalar() || node.Tag() != "!") return true;
  Report(node, path,
         fmt::format("expected {}, got the quoted string '{}'; write it without quotes", what,
                     node.Scalar()));
  return false;
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
  if (!Unquoted(node, Child(path, key), "true or false")) return;
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
  if (!Unquoted(node, Child(path, key), "a number")) return;
  std::optional<double> value = ParseNumber(node);
  if (!value) {
    Report(node, Child(path, key), fmt::format("expected a number, got {}", Describe(node)));
  } else if (*value < range.min || *value > range.max || !std::isfinite(*value)) {
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
  if (!Unquoted(node, Child(path, key), "a whole number")) return;
  const Range exact = {std::max(range.min, -kMaxExactWholeNumber),
                       std::min(range.max, kMaxExactWholeNumber)};
  std::optional<double> value = ParseNumber(node);
  if (!value || *value != std::floor(*value)) {
    Report(node, Child(path, key), fmt::format("expected a whole number, got {}", Describe(node)));
  } else if (*value < exact.min || *value > exact.max) {
    Report(node, Child(path, key),
           fmt::format("{} is out of range: expected a whole number {}", node.Scalar(),
                       RangeText(*value > exact.max ? exact : range)));
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
