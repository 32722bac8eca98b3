// hfs/trace/attributes.h
//
// Span, event, resource and metric attributes: an ordered list of key -> AttributeValue,
// where a value is one of the OTLP AnyValue kinds HFS uses (string, bool, int64, double,
// and homogeneous arrays of string, int64 or double).
//
//   Attributes attributes = {{"gen_ai.operation.name", "chat"},   // a string, not a bool
//                            {"gen_ai.usage.input_tokens", 812}}; // an int64
//   SetAttribute(attributes, Attribute("gen_ai.request.model", model));
//   if (const AttributeValue* v = FindAttribute(attributes, "gen_ai.operation.name")) ...
//
// Thread-compatible value types.
#pragma once

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace hfs::trace {

using AttributeValue = std::variant<std::string, bool, int64_t, double, std::vector<std::string>,
                                    std::vector<int64_t>, std::vector<double>>;

struct Attribute {
  Attribute(std::string key_in, AttributeValue value_in)
      : key(std::move(key_in)), value(std::move(value_in)) {}
  // Text stays text: without these a const char* would convert to bool.
  Attribute(std::string key_in, std::string text)
      : key(std::move(key_in)), value(std::in_place_type<std::string>, std::move(text)) {}
  Attribute(std::string key_in, const char* text)
      : Attribute(std::move(key_in), std::string(text)) {}
  Attribute(std::string key_in, std::string_view text)
      : Attribute(std::move(key_in), std::string(text)) {}
  // Every integer type (int, size_t, ...) becomes an int64.
  template <std::integral T>
  requires(!std::same_as<T, bool>) Attribute(std::string key_in, T number)
      : Attribute(std::move(key_in), AttributeValue(static_cast<int64_t>(number))) {}

  friend bool operator==(const Attribute&, const Attribute&) = default;

  std::string key;
  AttributeValue value;
};

using Attributes = std::vector<Attribute>;

// Replaces the value of an attribute with the same key, or appends it.
void SetAttribute(Attributes& attributes, Attribute attribute);
// The value stored under `key`, or nullptr.
const AttributeValue* FindAttribute(const Attributes& attributes, std::string_view key);

}  // namespace hfs::trace
