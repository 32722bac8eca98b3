// tools/emulator/schema_validator.cc
#include "tools/emulator/schema_validator.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace hfs::emulator {
namespace {

using nlohmann::json;
using Problem = std::optional<std::string>;

Problem Check(const json& value, const json& schema, const std::string& path);

size_t CodePoints(const std::string& text) {
  size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

bool HasType(const json& value, const std::string& type) {
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "string") return value.is_string();
  if (type == "integer") {
    return value.is_number_integer() ||
           (value.is_number_float() &&
            value.get<double>() == static_cast<int64_t>(value.get<double>()));
  }
  if (type == "number") return value.is_number();
  if (type == "boolean") return value.is_boolean();
  if (type == "null") return value.is_null();
  return true;
}

Problem CheckType(const json& value, const json& schema, const std::string& path) {
  if (!schema.contains("type")) return std::nullopt;
  const json& type = schema["type"];
  if (type.is_string() && !HasType(value, type.get<std::string>())) {
    return fmt::format("{}: expected {}", path, type.get<std::string>());
  }
  if (type.is_array()) {
    for (const auto& t : type) {
      if (t.is_string() && HasType(value, t.get<std::string>())) return std::nullopt;
    }
    return fmt::format("{}: expected one of {}", path, type.dump());
  }
  return std::nullopt;
}

Problem CheckObject(const json& value, const json& schema, const std::string& path) {
  if (schema.contains("required")) {
    for (const auto& name : schema["required"]) {
      if (name.is_string() && !value.contains(name.get<std::string>())) {
        return fmt::format("{}: missing required '{}'", path, name.get<std::string>());
      }
    }
  }
  const json properties = schema.value("properties", json::object());
  for (const auto& [name, item] : value.items()) {
    if (properties.contains(name)) {
      if (auto problem = Check(item, properties[name], path + "." + name)) return problem;
    } else if (schema.contains("additionalProperties") && schema["additionalProperties"] == false) {
      return fmt::format("{}: unexpected property '{}'", path, name);
    }
  }
  return std::nullopt;
}

Problem CheckArray(const json& value, const json& schema, const std::string& path) {
  if (schema.contains("minItems") && value.size() < schema["minItems"].get<size_t>()) {
    return fmt::format("{}: fewer than minItems {}", path, schema["minItems"].dump());
  }
  if (schema.contains("maxItems") && value.size() > schema["maxItems"].get<size_t>()) {
    return fmt::format("{}: more than maxItems {}", path, schema["maxItems"].dump());
  }
  if (!schema.contains("items")) return std::nullopt;
  for (size_t i = 0; i < value.size(); ++i) {
    if (auto problem = Check(value[i], schema["items"], fmt::format("{}[{}]", path, i))) {
      return problem;
    }
  }
  return std::nullopt;
}

Problem CheckScalar(const json& value, const json& schema, const std::string& path) {
  if (value.is_string()) {
    const size_t length = CodePoints(value.get<std::string>());
    if (schema.contains("minLength") && length < schema["minLength"].get<size_t>()) {
      return fmt::format("{}: shorter than minLength {}", path, schema["minLength"].dump());
    }
    if (schema.contains("maxLength") && length > schema["maxLength"].get<size_t>()) {
      return fmt::format("{}: longer than maxLength {}", path, schema["maxLength"].dump());
    }
  }
  if (value.is_number()) {
    const double number = value.get<double>();
    if (schema.contains("minimum") && number < schema["minimum"].get<double>()) {
      return fmt::format("{}: below minimum {}", path, schema["minimum"].dump());
    }
    if (schema.contains("maximum") && number > schema["maximum"].get<double>()) {
      return fmt::format("{}: above maximum {}", path, schema["maximum"].dump());
    }
    if (schema.contains("exclusiveMinimum") && schema["exclusiveMinimum"].is_number() &&
        number <= schema["exclusiveMinimum"].get<double>()) {
      return fmt::format("{}: not above exclusiveMinimum", path);
    }
    if (schema.contains("exclusiveMaximum") && schema["exclusiveMaximum"].is_number() &&
        number >= schema["exclusiveMaximum"].get<double>()) {
      return fmt::format("{}: not below exclusiveMaximum", path);
    }
  }
  return std::nullopt;
}

Problem CheckCombinators(const json& value, const json& schema, const std::string& path) {
  if (schema.contains("allOf")) {
    for (const auto& part : schema["allOf"]) {
      if (auto problem = Check(value, part, path)) return problem;
    }
  }
  for (const char* name : {"anyOf", "oneOf"}) {
    if (!schema.contains(name)) continue;
    size_t matches = 0;
    for (const auto& part : schema[name]) matches += !Check(value, part, path).has_value();
    if (matches == 0 || (std::string_view(name) == "oneOf" && matches > 1)) {
      return fmt::format("{}: does not match {}", path, name);
    }
  }
  return std::nullopt;
}

Problem Check(const json& value, const json& schema, const std::string& path) {
  if (!schema.is_object()) return std::nullopt;
  if (schema.contains("const") && value != schema["const"]) {
    return fmt::format("{}: not the const {}", path, schema["const"].dump());
  }
  if (schema.contains("enum")) {
    const json& values = schema["enum"];
    if (std::find(values.begin(), values.end(), value) == values.end()) {
      return fmt::format("{}: {} is not one of {}", path, value.dump(), values.dump());
    }
  }
  if (auto problem = CheckType(value, schema, path)) return problem;
  if (auto problem = CheckCombinators(value, schema, path)) return problem;
  if (value.is_object()) return CheckObject(value, schema, path);
  if (value.is_array()) return CheckArray(value, schema, path);
  return CheckScalar(value, schema, path);
}

}  // namespace

std::optional<std::string> ValidateAgainstSchema(const nlohmann::json& value,
                                                 const nlohmann::json& schema) {
  try {
    return Check(value, schema, "$");
  } catch (const std::exception& e) {
    return fmt::format("$: schema not understood ({})", e.what());
  }
}

}  // namespace hfs::emulator
