#include "hfs/trace/attribute_json.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "hfs/base/try.h"

namespace hfs::trace {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

ordered_json ScalarToJson(const std::string& value) { return {{"stringValue", value}}; }
ordered_json ScalarToJson(bool value) { return {{"boolValue", value}}; }
ordered_json ScalarToJson(int64_t value) { return {{"intValue", std::to_string(value)}}; }
ordered_json ScalarToJson(double value) { return {{"doubleValue", DoubleToJson(value)}}; }

template <class T>
ordered_json ScalarToJson(const std::vector<T>& values) {
  ordered_json list = ordered_json::array();
  for (const T& value : values) list.push_back(ScalarToJson(value));
  return {{"arrayValue", {{"values", std::move(list)}}}};
}

Error Invalid(const std::string& path, std::string_view what) {
  return Error{ErrorCode::kInvalidArgument, fmt::format("{}: {}", path, what)};
}

Result<double> DoubleFromJson(const json& value, const std::string& path) {
  if (value.is_number()) return value.get<double>();
  if (value == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (value == "Infinity") return std::numeric_limits<double>::infinity();
  if (value == "-Infinity") return -std::numeric_limits<double>::infinity();
  return Fail(Invalid(path, fmt::format("expected a number, got {}", value.dump())));
}

// One array element; `kind` is the first element's value key, all must share it.
template <class T>
Result<std::vector<T>> ArrayFromJson(const json& values, const std::string& kind,
                                     const std::string& path) {
  std::vector<T> out;
  for (size_t i = 0; i < values.size(); ++i) {
    std::string item_path = fmt::format("{}[{}]", path, i);
    if (!values[i].is_object() || !values[i].contains(kind)) {
      return Fail(Invalid(item_path, fmt::format("array elements must all be {}", kind)));
    }
    AttributeValue value = HFS_TRY(AttributeValueFromJson(values[i], item_path));
    out.push_back(std::get<T>(std::move(value)));
  }
  return out;
}

Result<AttributeValue> ArrayValueFromJson(const json& array, const std::string& path) {
  std::string values_path = path + ".arrayValue.values";
  if (!array.is_object()) return Fail(Invalid(path + ".arrayValue", "expected an object"));
  auto it = array.find("values");
  if (it == array.end() || it->empty()) return std::vector<std::string>{};
  if (!it->is_array()) return Fail(Invalid(values_path, "expected an array"));
  const json& first = (*it)[0];
  if (first.contains("stringValue"))
    return ArrayFromJson<std::string>(*it, "stringValue", values_path);
  if (first.contains("intValue")) return ArrayFromJson<int64_t>(*it, "intValue", values_path);
  if (first.contains("doubleValue")) return ArrayFromJson<double>(*it, "doubleValue", values_path);
  return Fail(Invalid(values_path, "only arrays of strings, integers or doubles are supported"));
}

}  // namespace

ordered_json DoubleToJson(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  return value;
}

Result<int64_t> Int64FromJson(const json& value, const std::string& path) {
  if (value.is_number_integer()) return value.get<int64_t>();
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    int64_t number = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) return number;
  }
  return Fail(Invalid(path, fmt::format("expected a 64-bit integer, got {}", value.dump())));
}

ordered_json AttributeValueToJson(const AttributeValue& value) {
  return std::visit([](const auto& v) { return ScalarToJson(v); }, value);
}

ordered_json AttributesToJson(const Attributes& attributes) {
  ordered_json list = ordered_json::array();
  for (const Attribute& attribute : attributes) {
    list.push_back({{"key", attribute.key}, {"value", AttributeValueToJson(attribute.value)}});
  }
  return list;
}

Result<AttributeValue> AttributeValueFromJson(const json& any_value, const std::string& path) {
  if (!any_value.is_object() || any_value.size() != 1) {
    return Fail(Invalid(path, "expected an AnyValue object with exactly one field"));
  }
  const std::string& kind = any_value.begin().key();
  const json& value = any_value.begin().value();
  if (kind == "stringValue" && value.is_string()) return value.get<std::string>();
  if (kind == "boolValue" && value.is_boolean()) return value.get<bool>();
  if (kind == "intValue") return Int64FromJson(value, path + ".intValue");
  if (kind == "doubleValue") return DoubleFromJson(value, path + ".doubleValue");
  if (kind == "arrayValue") return ArrayValueFromJson(value, path);
  return Fail(Invalid(path, fmt::format("unsupported value {}", any_value.dump())));
}

Result<Attributes> AttributesFromJson(const json& list, const std::string& path) {
  if (!list.is_array()) return Fail(Invalid(path, "expected an array of {key, value}"));
  Attributes attributes;
  for (size_t i = 0; i < list.size(); ++i) {
    std::string item_path = fmt::format("{}[{}]", path, i);
    const json& item = list[i];
    if (!item.is_object() || !item.contains("key") || !item["key"].is_string()) {
      return Fail(Invalid(item_path, "expected {\"key\": string, \"value\": {...}}"));
    }
    if (!item.contains("value")) return Fail(Invalid(item_path + ".value", "missing"));
    AttributeValue value = HFS_TRY(AttributeValueFromJson(item["value"], item_path + ".value"));
    attributes.emplace_back(item["key"].get<std::string>(), std::move(value));
  }
  return attributes;
}

}  // namespace hfs::trace
