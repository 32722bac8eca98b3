#include "hfs/agent/schema.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace hfs::agent {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// generate_code-like parameters: a section and files with paths and contents.
Schema CodeSchema() {
  Schema file = Schema::Object()
                    .Property("path", Schema::String().Length(1, 200), Required::kYes)
                    .Property("content", Schema::String(), Required::kYes);
  return Schema::Object()
      .Property("section_id", Schema::String().Length(1, 128).Describe("The section"),
                Required::kYes)
      .Property("code",
                Schema::Object().Property("files", Schema::Array(file).Items(1, 3), Required::kYes),
                Required::kYes)
      .Property("confidence", Schema::Number().Range(0, 1))
      .Property("attempt", Schema::Integer().Minimum(1))
      .Property("final", Schema::Boolean());
}

TEST(SchemaTest, WritesNestedJsonSchemaInDefinitionOrder) {
  ordered_json expected = ordered_json::parse(R"({
    "type": "object",
    "properties": {
      "section_id": {"type": "string", "description": "The section",
                     "minLength": 1, "maxLength": 128},
      "code": {
        "type": "object",
        "properties": {
          "files": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "path": {"type": "string", "minLength": 1, "maxLength": 200},
                "content": {"type": "string"}
              },
              "required": ["path", "content"],
              "additionalProperties": false
            },
            "minItems": 1, "maxItems": 3
          }
        },
        "required": ["files"],
        "additionalProperties": false
      },
      "confidence": {"type": "number", "minimum": 0, "maximum": 1},
      "attempt": {"type": "integer", "minimum": 1},
      "final": {"type": "boolean"}
    },
    "required": ["section_id", "code"],
    "additionalProperties": false
  })");
  EXPECT_EQ(CodeSchema().ToJson(), expected);
  EXPECT_EQ(CodeSchema().ToJsonText(), expected.dump());
}

TEST(SchemaTest, WritesEnumsFractionalBoundsAndOpenObjects) {
  Schema schema = Schema::Object()
                      .Property("decision", Schema::Enum({"CONCEDE", "REVISE", "HOLD"}))
                      .Property("temperature", Schema::Number().Maximum(0.5))
                      .AdditionalProperties(Additional::kAllowed);
  EXPECT_EQ(schema.ToJsonText(),
            R"({"type":"object","properties":{"decision":{"type":"string","enum":["CONCEDE",)"
            R"("REVISE","HOLD"]},"temperature":{"type":"number","maximum":0.5}}})");
}

TEST(SchemaTest, AcceptsValidArguments) {
  json arguments = json::parse(R"({"section_id": "layout", "attempt": 2.0, "confidence": 1,
      "final": null, "code": {"files": [{"path": "src/Layout.tsx", "content": ""}]}})");
  EXPECT_THAT(CodeSchema().Validate(arguments), IsEmpty());
}

TEST(SchemaTest, ReportsWrongTypes) {
  json arguments = json::parse(R"({"section_id": 7, "code": [], "confidence": "high",
      "attempt": 1.5, "final": "yes"})");
  EXPECT_THAT(CodeSchema().Validate(arguments),
              ElementsAre("section_id: must be a string (got integer)",
                          "code: must be an object (got array)",
                          "confidence: must be a number (got string)",
                          "attempt: must be an integer (got number)",
                          "final: must be a boolean (got string)"));
  EXPECT_THAT(CodeSchema().Validate(json::array()),
              ElementsAre("arguments: must be an object (got array)"));
}

TEST(SchemaTest, ReportsMissingRequiredProperties) {
  EXPECT_THAT(CodeSchema().Validate(json::object()),
              ElementsAre("section_id: required", "code: required"));
  // A null required property is missing too.
  EXPECT_THAT(
      CodeSchema().Validate(json{{"section_id", nullptr}, {"code", {{"files", json::array()}}}}),
      ElementsAre("section_id: must be a string (got null)", "code.files: must have 1-3 items"));
}

TEST(SchemaTest, ReportsEnumViolations) {
  Schema schema = Schema::Object().Property("decision", Schema::Enum({"CONCEDE", "REVISE", "HOLD"}),
                                            Required::kYes);
  EXPECT_THAT(schema.Validate(json{{"decision", "concede"}}),
              ElementsAre("decision: must be one of CONCEDE, REVISE, HOLD"));
  EXPECT_THAT(schema.Validate(json{{"decision", "HOLD"}}), IsEmpty());
}

TEST(SchemaTest, ReportsStringLengthInCharacters) {
  Schema schema = Schema::Object()
                      .Property("section_id", Schema::String().Length(1, 128))
                      .Property("name", Schema::String().MinLength(2))
                      .Property("tag", Schema::String().MaxLength(1))
                      .Property("short", Schema::String().MaxLength(3));
  EXPECT_THAT(
      schema.Validate(json{{"section_id", ""}, {"name", "x"}, {"tag", "ab"}, {"short", "héé"}}),
      ElementsAre("section_id: must be 1-128 characters", "name: must be at least 2 characters",
                  "tag: must be at most 1 character"));
  EXPECT_THAT(schema.Validate(json{{"section_id", std::string(129, 'a')}}),
              ElementsAre("section_id: must be 1-128 characters"));
}

TEST(SchemaTest, ReportsNumbersOutOfRange) {
  Schema schema = Schema::Object()
                      .Property("confidence", Schema::Number().Range(0, 1))
                      .Property("attempt", Schema::Integer().Minimum(1))
                      .Property("temperature", Schema::Number().Maximum(0.5));
  EXPECT_THAT(schema.Validate(json{{"confidence", 1.5}, {"attempt", 0}, {"temperature", 0.75}}),
              ElementsAre("confidence: must be between 0 and 1", "attempt: must be at least 1",
                          "temperature: must be at most 0.5"));
}

TEST(SchemaTest, ReportsArrayCountsAndItemProblemsWithNestedPaths) {
  json too_many = {{"section_id", "a"},
                   {"code",
                    {{"files", json::array({{{"path", "a"}, {"content", ""}},
                                            {{"path", "b"}, {"content", ""}},
                                            {{"path", "c"}, {"content", ""}},
                                            {{"path", "d"}, {"content", ""}}})}}}};
  EXPECT_THAT(CodeSchema().Validate(too_many), ElementsAre("code.files: must have 1-3 items"));
  json bad_items = {{"section_id", "a"},
                    {"code", {{"files", json::array({{{"content", "x"}}, "index.html"})}}}};
  EXPECT_THAT(
      CodeSchema().Validate(bad_items),
      ElementsAre("code.files[0].path: required", "code.files[1]: must be an object (got string)"));
  Schema tags = Schema::Object()
                    .Property("tags", Schema::Array(Schema::String()).MinItems(1))
                    .Property("ids", Schema::Array(Schema::Integer()).MaxItems(1));
  EXPECT_THAT(tags.Validate(json{{"tags", json::array()}, {"ids", {1, 2}}}),
              ElementsAre("tags: must have at least 1 item", "ids: must have at most 1 item"));
}

TEST(SchemaTest, ReportsUnknownPropertiesAtEveryLevel) {
  json arguments = {
      {"section_id", "a"},
      {"foo", 1},
      {"code",
       {{"files", json::array({{{"path", "a"}, {"content", ""}, {"mode", 1}}})}, {"extra", true}}}};
  EXPECT_THAT(CodeSchema().Validate(arguments),
              ElementsAre("code.files[0]: unknown property 'mode'",
                          "code: unknown property 'extra'", "unknown property 'foo'"));
  Schema open = Schema::Object().AdditionalProperties(Additional::kAllowed);
  EXPECT_THAT(open.Validate(json{{"anything", 1}}), IsEmpty());
}

TEST(SchemaTest, SharesChildrenBetweenCopies) {
  Schema original = CodeSchema();
  Schema copy = original;
  copy.Describe("copy");
  EXPECT_EQ(original.description(), "");
  EXPECT_EQ(copy.ToJson()["properties"], original.ToJson()["properties"]);
}

}  // namespace
}  // namespace hfs::agent

namespace hfs::agent {
namespace {

TEST(SchemaTest, NullableAcceptsNullAndSaysSoInTheSchema) {
  Schema schema = Schema::Object()
                      .Property("winner", Schema::Enum({"a", "b"}).Nullable(), Required::kYes)
                      .Property("note", Schema::String().Nullable(), Required::kYes);
  EXPECT_TRUE(schema.Validate(nlohmann::json::parse(R"({"winner":null,"note":null})")).empty());
  EXPECT_TRUE(schema.Validate(nlohmann::json::parse(R"({"winner":"a","note":"x"})")).empty());
  EXPECT_FALSE(schema.Validate(nlohmann::json::parse(R"({"winner":"c","note":null})")).empty());
  EXPECT_FALSE(schema.Validate(nlohmann::json::parse(R"({"winner":null})")).empty());
  nlohmann::json json = nlohmann::json::parse(schema.ToJsonText());
  EXPECT_EQ(json["properties"]["winner"]["type"], nlohmann::json::parse(R"(["string","null"])"));
  EXPECT_EQ(json["properties"]["winner"]["enum"], nlohmann::json::parse(R"(["a","b",null])"));
  EXPECT_EQ(json["required"], nlohmann::json::parse(R"(["winner","note"])"));
}

}  // namespace
}  // namespace hfs::agent
