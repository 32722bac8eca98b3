// tools/emulator/schema_validator.h
//
// ValidateAgainstSchema: checks a JSON value against the subset of JSON Schema that
// FakeValue generates for (type, enum, const, required, properties,
// additionalProperties: false, items, minItems, maxItems, minLength, maxLength in code
// points, minimum, maximum, exclusiveMinimum, exclusiveMaximum, anyOf, oneOf, allOf).
// Used by tests and by the schema-violation fault to check that it really violates.
//
//   if (auto problem = ValidateAgainstSchema(args, schema)) Log(*problem);
//
// Thread-safe (pure). Returns nullopt when valid, else the first problem, e.g.
// "$.sections[1].id: shorter than minLength 3".
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

namespace hfs::emulator {

std::optional<std::string> ValidateAgainstSchema(const nlohmann::json& value,
                                                 const nlohmann::json& schema);

}  // namespace hfs::emulator
