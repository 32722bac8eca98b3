#include "hfs/base/json_reply.h"

#include <gtest/gtest.h>

namespace hfs {
namespace {

TEST(JsonReplyTest, PlainObjectIsReadAsItIs) {
  EXPECT_EQ(JsonObjectText(R"( {"a": 1, "b": [true]} )"), R"({"a":1,"b":[true]})");
}

TEST(JsonReplyTest, FencedObjectWithTextAroundIsFound) {
  EXPECT_EQ(JsonObjectText("Here is the claim:\n```json\n{\"section_id\": \"hero\"}\n```\nDone."),
            R"({"section_id":"hero"})");
  EXPECT_EQ(JsonObjectText("Sure! {\"winner\": \"layout\"} is my decision."),
            R"({"winner":"layout"})");
}

TEST(JsonReplyTest, TrailingCommasAndRawLineBreaksAreRepaired) {
  EXPECT_EQ(JsonObjectText("{\"a\": [1, 2,], \"b\": \"x\",\n}"), R"({"a":[1,2],"b":"x"})");
  EXPECT_EQ(JsonObjectText("{\"code\": \"line one\nline two\"}"),
            R"({"code":"line one\nline two"})");
}

TEST(JsonReplyTest, BracesInsideStringsDoNotEndTheObject) {
  EXPECT_EQ(JsonObjectText(R"(ok {"css": "a { color: red }", "n": 1} end)"),
            R"({"css":"a { color: red }","n":1})");
}

TEST(JsonReplyTest, ProseArraysAndCutObjectsGiveNothing) {
  EXPECT_EQ(JsonObjectText("I will claim the hero section."), std::nullopt);
  EXPECT_EQ(JsonObjectText("[1, 2]"), std::nullopt);
  EXPECT_EQ(JsonObjectText(R"({"section_id": "hero", "rationale": "because)"), std::nullopt);
  EXPECT_EQ(JsonObjectText("{'a': 1}"), std::nullopt);
  EXPECT_EQ(JsonObjectText(""), std::nullopt);
}

}  // namespace
}  // namespace hfs
