// tools/emulator/schema_faker_test.cc
#include "tools/emulator/schema_faker.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tools/emulator/schema_validator.h"

namespace hfs::emulator {
namespace {

using nlohmann::json;

const json kSchemas = json::parse(R"([
  {"type": "object", "required": ["section_id", "code"], "additionalProperties": false,
   "properties": {"section_id": {"type": "string"}, "code": {"type": "string", "minLength": 20}}},
  {"type": "object", "required": ["vote", "reason"],
   "properties": {"vote": {"type": "string", "enum": ["approve", "reject", "abstain"]},
                  "reason": {"type": "string", "minLength": 5, "maxLength": 12},
                  "confidence": {"type": "number", "minimum": 0, "maximum": 1}}},
  {"type": "object", "required": ["sections"],
   "properties": {"sections": {"type": "array", "minItems": 3, "maxItems": 5,
     "items": {"type": "object", "required": ["id", "priority", "tags"],
               "properties": {"id": {"type": "string", "minLength": 3, "maxLength": 3},
                              "priority": {"type": "integer", "minimum": 1, "maximum": 3},
                              "tags": {"type": "array", "maxItems": 1, "items": {"type": "string"}},
                              "meta": {"type": "object", "properties": {
                                 "deep": {"type": "object", "required": ["ok"],
                                          "properties": {"ok": {"type": "boolean"}}}}}}}}}},
  {"type": "object", "properties": {"n": {"type": "integer", "exclusiveMinimum": 10, "exclusiveMaximum": 12},
                                    "maybe": {"type": ["null", "string"]},
                                    "choice": {"anyOf": [{"type": "integer"}, {"type": "string"}]},
                                    "fixed": {"const": "v1"},
                                    "empty": {"type": "array", "maxItems": 0}}},
  {"type": "array", "minItems": 2, "items": {"enum": [1, 2, 3]}},
  {"allOf": [{"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
             {"properties": {"b": {"type": "integer", "minimum": 100}}, "required": ["b"]}]}
])");

TEST(EmulatorSchemaFakerTest, GeneratedValuesValidateForManySeeds) {
  for (const json& schema : kSchemas) {
    for (uint64_t seed = 0; seed < 200; ++seed) {
      const json value = FakeValue(schema, {.seed = seed, .sections = {"hero", "pricing"}});
      const auto problem = ValidateAgainstSchema(value, schema);
      EXPECT_FALSE(problem.has_value())
          << *problem << "\nvalue: " << value.dump() << "\nschema: " << schema.dump();
    }
  }
}

TEST(EmulatorSchemaFakerTest, DeterministicForASeedAndEnumsVary) {
  const json& vote = kSchemas[1];
  EXPECT_EQ(FakeValue(vote, {.seed = 5}), FakeValue(vote, {.seed = 5}));
  std::set<std::string> seen;
  for (uint64_t seed = 0; seed < 50; ++seed) seen.insert(FakeValue(vote, {.seed = seed})["vote"]);
  EXPECT_EQ(seen.size(), 3u);
}

TEST(EmulatorSchemaFakerTest, SteeringWordPicksTheEnumValue) {
  for (uint64_t seed = 0; seed < 20; ++seed) {
    EXPECT_EQ(FakeValue(kSchemas[1], {.seed = seed, .steer_word = "reject"})["vote"], "reject");
  }
}

TEST(EmulatorSchemaFakerTest, SectionIdsComeFromTheConversationAndHookFillsCode) {
  FakerContext context{.seed = 1, .sections = {"pricing"}};
  context.string_hook = [](std::string_view property) -> std::optional<std::string> {
    if (property == "code") return "<section id=\"pricing\"></section>";
    return std::nullopt;
  };
  const json value = FakeValue(kSchemas[0], context);
  EXPECT_EQ(value["section_id"], "pricing");
  EXPECT_EQ(value["code"], "<section id=\"pricing\"></section>");
}

TEST(EmulatorSchemaFakerTest, ValidatorCatchesViolations) {
  const json& schema = kSchemas[2];
  EXPECT_TRUE(ValidateAgainstSchema(json::parse(R"({"sections": []})"), schema).has_value());
  EXPECT_TRUE(ValidateAgainstSchema(json::object(), schema).has_value());
  EXPECT_TRUE(
      ValidateAgainstSchema(json::parse(R"({"vote": "maybe", "reason": "because"})"), kSchemas[1])
          .has_value());
  EXPECT_TRUE(
      ValidateAgainstSchema(json::parse(R"({"vote": "reject", "reason": "no"})"), kSchemas[1])
          .has_value());
  EXPECT_FALSE(
      ValidateAgainstSchema(json::parse(R"({"vote": "reject", "reason": "because"})"), kSchemas[1])
          .has_value());
}

}  // namespace
}  // namespace hfs::emulator
