#include "tools/emulator/outline.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "tools/emulator/behaviour.h"
#include "tools/emulator/schema_validator.h"

namespace hfs::emulator {
namespace {

using nlohmann::json;

constexpr const char* kPricingRequest =
    "A pricing page for a SaaS product with three tiers, a feature comparison table and an FAQ";

std::vector<std::string> Ids(const json& outline) {
  std::vector<std::string> ids;
  for (const json& region : outline["regions"]) ids.push_back(region["id"]);
  return ids;
}

TEST(EmulatorOutlineTest, PricingRequestGetsItsRegionsInOrder) {
  const json outline = PageOutline(kPricingRequest);
  EXPECT_EQ(Ids(outline),
            (std::vector<std::string>{"hero", "pricing", "comparison", "faq", "footer"}));
  EXPECT_EQ(outline["title"], "Pricing \u2014 SaaS product");
  EXPECT_EQ(outline["language"], "en");
  const std::string pricing = outline["regions"][1]["content"];
  EXPECT_NE(pricing.find("three tiers (Starter, Pro, Enterprise)"), std::string::npos) << pricing;
  EXPECT_NE(pricing.find("monthly/annual toggle"), std::string::npos);
  for (const json& region : outline["regions"]) {
    EXPECT_TRUE(std::regex_match(region["id"].get<std::string>(), std::regex("[a-z][a-z0-9-]*")));
    for (const char* key : {"title", "purpose", "content"}) {
      EXPECT_FALSE(region[key].get<std::string>().empty()) << key;
    }
  }
  EXPECT_EQ(PageOutline(kPricingRequest), outline);  // deterministic
}

TEST(EmulatorOutlineTest, RegionsFollowTheRequestAndCountWords) {
  EXPECT_EQ(
      Ids(PageOutline("A portfolio site with testimonials, a blog and a contact form")),
      (std::vector<std::string>{"hero", "gallery", "testimonials", "posts", "contact", "footer"}));
  EXPECT_EQ(Ids(PageOutline("A page about my grandmother's apple pie")),
            (std::vector<std::string>{"hero", "content", "footer"}));
  const json two = PageOutline("Landing page for Acme Notes with two plans and features");
  EXPECT_EQ(Ids(two), (std::vector<std::string>{"hero", "pricing", "features", "footer"}));
  EXPECT_NE(two["regions"][1]["content"].get<std::string>().find("two tiers (Free, Pro)"),
            std::string::npos);
  EXPECT_EQ(two["title"], "Landing \u2014 Acme Notes");
}

TEST(EmulatorOutlineTest, RequestLineIsFound) {
  EXPECT_EQ(RequestOf({"system text", "Plan the page.\nRequest: a blog\nLanguage: en"}, "x"),
            "a blog");
  EXPECT_EQ(RequestOf({"no request here"}, "fallback"), "fallback");
}

TEST(EmulatorOutlineTest, OutlineCallIsAnsweredWithASchemaValidOutline) {
  const json schema = json::parse(R"({"type":"object","additionalProperties":false,
      "required":["title","language","regions"],"properties":{
      "title":{"type":"string","minLength":1},"language":{"type":"string"},
      "regions":{"type":"array","minItems":2,"items":{"type":"object",
        "additionalProperties":false,"required":["id","title","purpose","content"],
        "properties":{"id":{"type":"string"},"title":{"type":"string"},
        "purpose":{"type":"string"},"content":{"type":"string"}}}}}})");
  const json request = {
      {"model", "m"},
      {"messages",
       {{{"role", "system"}, {"content", "You plan web pages."}},
        {{"role", "user"},
         {"content", std::string("Plan the outline of this page.\nRequest: ") + kPricingRequest}}}},
      {"response_format",
       {{"type", "json_schema"}, {"json_schema", {{"name", "page_outline"}, {"schema", schema}}}}}};
  const Completion completion = Respond(request, {.seed = 3});
  const json outline = json::parse(completion.content);
  EXPECT_FALSE(ValidateAgainstSchema(outline, schema).has_value()) << completion.content;
  EXPECT_EQ(Ids(outline),
            (std::vector<std::string>{"hero", "pricing", "comparison", "faq", "footer"}));
}

TEST(EmulatorOutlineTest, OutlineFitsASchemaWithOtherFields) {
  // A schema without "language" that also requires "concerns": the outline drops what is
  // forbidden and gets the required field it lacks, so the reply stays valid.
  const json schema = json::parse(R"({"type":"object","additionalProperties":false,
      "required":["title","regions","concerns"],"properties":{
      "title":{"type":"string"},"concerns":{"type":"array","items":{"type":"string"}},
      "regions":{"type":"array","items":{"type":"object","additionalProperties":false,
        "required":["id"],"properties":{"id":{"type":"string"}}}}}})");
  const json request = {
      {"model", "m"},
      {"messages", {{{"role", "user"}, {"content", "Request: a blog with an FAQ"}}}},
      {"response_format",
       {{"type", "json_schema"}, {"json_schema", {{"name", "page_outline"}, {"schema", schema}}}}}};
  const json outline = json::parse(Respond(request, {.seed = 1}).content);
  EXPECT_FALSE(ValidateAgainstSchema(outline, schema).has_value()) << outline.dump();
  EXPECT_EQ(Ids(outline), (std::vector<std::string>{"hero", "posts", "faq", "footer"}));
}

}  // namespace
}  // namespace hfs::emulator
