#include "hfs/agent/schema.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <utility>

#include "hfs/base/check.h"

namespace hfs::agent {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

std::string_view TypeName(Schema::Type type) {
  switch (type) {
    case Schema::Type::kString:
      return "string";
    case Schema::Type::kInteger:
      return "integer";
    case Schema::Type::kNumber:
      return "number";
    case Schema::Type::kBoolean:
      return "boolean";
    case Schema::Type::kArray:
      return "array";
    case Schema::Type::kObject:
      return "object";
  }
  return "unknown";
}

// "a string", "an integer", ...
std::string WithArticle(Schema::Type type) {
  std::string_view name = TypeName(type);
  bool vowel = name[0] == 'a' || name[0] == 'i' || name[0] == 'o';
  return fmt::format("{} {}", vowel ? "an" : "a", name);
}

// The JSON type of a value, in JSON Schema words.
std::string_view ValueTypeName(const json& value) {
  if (value.is_null()) return "null";
  if (value.is_boolean()) return "boolean";
  if (value.is_number_integer()) return "integer";
  if (value.is_number()) return "number";
  if (value.is_string()) return "string";
  if (value.is_array()) return "array";
  return "object";
}

bool IsIntegral(double value) {
  return std::isfinite(value) && std::trunc(value) == value && std::fabs(value) < 9.0e15;
}

bool Matches(Schema::Type type, const json& value) {
  switch (type) {
    case Schema::Type::kString:
      return value.is_string();
    case Schema::Type::kInteger:
      return value.is_number_integer() ||
             (value.is_number_float() && IsIntegral(value.get<double>()));
    case Schema::Type::kNumber:
      return value.is_number();
    case Schema::Type::kBoolean:
      return value.is_boolean();
    case Schema::Type::kArray:
      return value.is_array();
    case Schema::Type::kObject:
      return value.is_object();
  }
  return false;
}

// Whole numbers as JSON integers, so `minimum: 1` is not written `1.0`.
ordered_json NumberJson(double value) {
  if (IsIntegral(value)) return static_cast<int64_t>(value);
  return value;
}

std::string Label(const std::string& path) { return path.empty() ? "arguments" : path; }

std::string Plural(int64_t count, std::string_view noun) {
  return fmt::format("{} {}{}", count, noun, count == 1 ? "" : "s");
}

// "must be 1-128 characters", "must be at least 1 character", "must be at most 5 items".
std::string CountRule(std::string_view verb, std::optional<int64_t> min, std::optional<int64_t> max,
                      std::string_view noun) {
  if (min && max) return fmt::format("must {} {}-{} {}s", verb, *min, *max, noun);
  if (min) return fmt::format("must {} at least {}", verb, Plural(*min, noun));
  return fmt::format("must {} at most {}", verb, Plural(*max, noun));
}

int64_t CountCharacters(const std::string& text) {
  int64_t count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

std::string Join(const std::vector<std::string>& values, std::string_view separator) {
  std::string out;
  for (const std::string& value : values) {
    if (!out.empty()) out += separator;
    out += value;
  }
  return out;
}

}  // namespace

Schema Schema::String() { return Schema(Type::kString); }
Schema Schema::Integer() { return Schema(Type::kInteger); }
Schema Schema::Number() { return Schema(Type::kNumber); }
Schema Schema::Boolean() { return Schema(Type::kBoolean); }
Schema Schema::Object() { return Schema(Type::kObject); }

Schema Schema::Enum(std::vector<std::string> values) {
  HFS_CHECK(!values.empty(), "Schema::Enum needs at least one value");
  Schema schema(Type::kString);
  schema.enum_values_ = std::move(values);
  return schema;
}

Schema Schema::Array(Schema items) {
  Schema schema(Type::kArray);
  schema.items_ = std::make_shared<const Schema>(std::move(items));
  return schema;
}

Schema& Schema::Nullable() {
  nullable_ = true;
  return *this;
}

Schema& Schema::Describe(std::string description) {
  description_ = std::move(description);
  return *this;
}

Schema& Schema::Length(int64_t min, int64_t max) { return MinLength(min).MaxLength(max); }

Schema& Schema::MinLength(int64_t min) {
  HFS_CHECK(type_ == Type::kString && min >= 0, "MinLength needs a string schema and min >= 0");
  min_length_ = min;
  return *this;
}

Schema& Schema::MaxLength(int64_t max) {
  HFS_CHECK(type_ == Type::kString && max >= 0, "MaxLength needs a string schema and max >= 0");
  max_length_ = max;
  return *this;
}

Schema& Schema::Range(double min, double max) { return Minimum(min).Maximum(max); }

Schema& Schema::Minimum(double min) {
  HFS_CHECK(type_ == Type::kInteger || type_ == Type::kNumber, "Minimum needs a numeric schema");
  minimum_ = min;
  return *this;
}

Schema& Schema::Maximum(double max) {
  HFS_CHECK(type_ == Type::kInteger || type_ == Type::kNumber, "Maximum needs a numeric schema");
  maximum_ = max;
  return *this;
}

Schema& Schema::Items(int64_t min, int64_t max) { return MinItems(min).MaxItems(max); }

Schema& Schema::MinItems(int64_t min) {
  HFS_CHECK(type_ == Type::kArray && min >= 0, "MinItems needs an array schema and min >= 0");
  min_items_ = min;
  return *this;
}

Schema& Schema::MaxItems(int64_t max) {
  HFS_CHECK(type_ == Type::kArray && max >= 0, "MaxItems needs an array schema and max >= 0");
  max_items_ = max;
  return *this;
}

Schema& Schema::Property(std::string name, Schema schema, Required required) {
  HFS_CHECK(type_ == Type::kObject, "Property needs an object schema");
  for (const PropertyEntry& entry : properties_) {
    HFS_CHECK(entry.name != name, "Schema property '" + name + "' is defined twice");
  }
  properties_.push_back(
      {std::move(name), std::make_shared<const Schema>(std::move(schema)), required});
  return *this;
}

Schema& Schema::AdditionalProperties(Additional additional) {
  HFS_CHECK(type_ == Type::kObject, "AdditionalProperties needs an object schema");
  additional_ = additional;
  return *this;
}

ordered_json Schema::ToJson() const {
  ordered_json out = ordered_json::object();
  out["type"] = TypeName(type_);
  if (nullable_) out["type"] = ordered_json::array({TypeName(type_), "null"});
  if (!description_.empty()) out["description"] = description_;
  if (!enum_values_.empty()) {
    out["enum"] = enum_values_;
    if (nullable_) out["enum"].push_back(nullptr);
  }
  if (min_length_) out["minLength"] = *min_length_;
  if (max_length_) out["maxLength"] = *max_length_;
  if (minimum_) out["minimum"] = NumberJson(*minimum_);
  if (maximum_) out["maximum"] = NumberJson(*maximum_);
  if (items_) out["items"] = items_->ToJson();
  if (min_items_) out["minItems"] = *min_items_;
  if (max_items_) out["maxItems"] = *max_items_;
  if (type_ != Type::kObject) return out;
  ordered_json properties = ordered_json::object();
  ordered_json required = ordered_json::array();
  for (const PropertyEntry& entry : properties_) {
    properties[entry.name] = entry.schema->ToJson();
    if (entry.required == Required::kYes) required.push_back(entry.name);
  }
  out["properties"] = std::move(properties);
  if (!required.empty()) out["required"] = std::move(required);
  if (additional_ == Additional::kForbidden) out["additionalProperties"] = false;
  return out;
}

std::string Schema::ToJsonText() const {
  return ToJson().dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

std::vector<std::string> Schema::Validate(const json& value) const {
  std::vector<std::string> hints;
  ValidateAt(value, "", hints);
  return hints;
}

void Schema::ValidateAt(const json& value, const std::string& path,
                        std::vector<std::string>& hints) const {
  if (nullable_ && value.is_null()) return;
  if (!Matches(type_, value)) {
    hints.push_back(fmt::format("{}: must be {} (got {})", Label(path), WithArticle(type_),
                                ValueTypeName(value)));
    return;
  }
  switch (type_) {
    case Type::kString:
      return ValidateString(value, path, hints);
    case Type::kInteger:
    case Type::kNumber:
      return ValidateNumber(value, path, hints);
    case Type::kArray:
      return ValidateArray(value, path, hints);
    case Type::kObject:
      return ValidateObject(value, path, hints);
    case Type::kBoolean:
      return;
  }
}

void Schema::ValidateString(const json& value, const std::string& path,
                            std::vector<std::string>& hints) const {
  const std::string& text = value.get_ref<const std::string&>();
  if (!enum_values_.empty()) {
    for (const std::string& allowed : enum_values_) {
      if (text == allowed) return;
    }
    hints.push_back(fmt::format("{}: must be one of {}", Label(path), Join(enum_values_, ", ")));
    return;
  }
  if (!min_length_ && !max_length_) return;
  int64_t length = CountCharacters(text);
  if ((min_length_ && length < *min_length_) || (max_length_ && length > *max_length_)) {
    hints.push_back(
        fmt::format("{}: {}", Label(path), CountRule("be", min_length_, max_length_, "character")));
  }
}

void Schema::ValidateNumber(const json& value, const std::string& path,
                            std::vector<std::string>& hints) const {
  double number = value.get<double>();
  if ((!minimum_ || number >= *minimum_) && (!maximum_ || number <= *maximum_)) return;
  std::string rule;
  if (minimum_ && maximum_) {
    rule = fmt::format("must be between {} and {}", *minimum_, *maximum_);
  } else if (minimum_) {
    rule = fmt::format("must be at least {}", *minimum_);
  } else {
    rule = fmt::format("must be at most {}", *maximum_);
  }
  hints.push_back(fmt::format("{}: {}", Label(path), rule));
}

void Schema::ValidateArray(const json& value, const std::string& path,
                           std::vector<std::string>& hints) const {
  auto count = static_cast<int64_t>(value.size());
  if ((min_items_ && count < *min_items_) || (max_items_ && count > *max_items_)) {
    hints.push_back(
        fmt::format("{}: {}", Label(path), CountRule("have", min_items_, max_items_, "item")));
  }
  if (!items_) return;
  for (size_t i = 0; i < value.size(); ++i) {
    items_->ValidateAt(value[i], fmt::format("{}[{}]", Label(path), i), hints);
  }
}

void Schema::ValidateObject(const json& value, const std::string& path,
                            std::vector<std::string>& hints) const {
  for (const PropertyEntry& entry : properties_) {
    std::string child = path.empty() ? entry.name : path + "." + entry.name;
    auto it = value.find(entry.name);
    bool absent = it == value.end() || (it->is_null() && entry.required == Required::kNo);
    if (absent) {
      if (entry.required == Required::kYes) hints.push_back(child + ": required");
      continue;
    }
    entry.schema->ValidateAt(*it, child, hints);
  }
  if (additional_ == Additional::kAllowed) return;
  for (auto it = value.begin(); it != value.end(); ++it) {
    bool known = false;
    for (const PropertyEntry& entry : properties_) known = known || entry.name == it.key();
    if (known) continue;
    std::string hint = fmt::format("unknown property '{}'", it.key());
    hints.push_back(path.empty() ? hint : path + ": " + hint);
  }
}

}  // namespace hfs::agent
