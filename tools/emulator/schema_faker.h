// tools/emulator/schema_faker.h
//
// FakeValue: a JSON value valid against a JSON Schema, chosen deterministically from a
// seed. Understands type (or a list of types), enum, const, anyOf/oneOf (first branch),
// allOf (merged), properties and required (every property is filled), nested objects,
// arrays with items/minItems/maxItems, strings with minLength/maxLength, integers and
// numbers with minimum/maximum/exclusiveMinimum/exclusiveMaximum, booleans and null.
// Enum values are chosen by a seeded rule, except that a value containing the steering
// word (e.g. "reject") wins. A string property named like "section" or "section_id"
// takes a section name found in the conversation; a hook can supply other strings (the
// emulator uses it for code).
//
//   FakerContext context{.seed = 7, .sections = {"hero", "pricing"}};
//   nlohmann::json args = FakeValue(tool["function"]["parameters"], context);
//
// Thread-safe (pure); never throws.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hfs::emulator {

struct FakerContext {
  uint64_t seed = 0;
  std::vector<std::string> sections;
  std::string steer_word;
  // Called for string values with the property name; a value it returns is used (then
  // cut or padded to the schema's lengths).
  std::function<std::optional<std::string>(std::string_view property)> string_hook;
};

nlohmann::json FakeValue(const nlohmann::json& schema, const FakerContext& context);

}  // namespace hfs::emulator
