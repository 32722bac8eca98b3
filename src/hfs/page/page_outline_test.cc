#include "hfs/page/page_outline.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "hfs/page/section_role.h"

namespace hfs::page {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view kReply = R"({"title": "Pricing", "language": "en", "regions": [
  {"id": "hero", "title": "Hero", "purpose": "Say what it is", "content": "headline"},
  {"id": "pricing", "title": "Plans", "purpose": "Compare tiers", "content": "three tiers"},
  {"id": "faq", "title": "FAQ", "purpose": "Answer", "content": "six questions"}]})";

TEST(ParseOutlineTest, ReadsRegionsInOrderWithTheirSections) {
  Result<PageOutline> outline = ParseOutline(kReply);
  ASSERT_TRUE(outline.has_value()) << outline.error().message;
  EXPECT_EQ(outline->title, "Pricing");
  ASSERT_EQ(outline->regions.size(), 3u);
  EXPECT_EQ(outline->regions[1].id, "pricing");
  EXPECT_EQ(outline->regions[1].section, "page/pricing");
  EXPECT_EQ(outline->regions[2].content, "six questions");
}

TEST(ParseOutlineTest, FindsTheObjectInsideAFenceOrProse) {
  std::string fenced = "Here is the outline:\n```json\n" + std::string(kReply) + "\n```\nDone.";
  Result<PageOutline> outline = ParseOutline(fenced);
  ASSERT_TRUE(outline.has_value()) << outline.error().message;
  EXPECT_EQ(outline->regions.size(), 3u);
}

TEST(ParseOutlineTest, NamesEverySchemaProblem) {
  Result<PageOutline> outline = ParseOutline(
      R"({"title": "", "regions": [{"id": "Hero Banner", "title": "x", "purpose": "p",
          "content": "c"}, {"id": "faq", "title": "", "purpose": "p", "content": "c"},
          {"id": "faq", "title": "again", "purpose": "p", "content": "c"}]})");
  ASSERT_FALSE(outline.has_value());
  EXPECT_EQ(outline.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(outline.error().message, HasSubstr("title: must not be empty"));
  EXPECT_THAT(outline.error().message, HasSubstr("'Hero Banner' must be lower-case"));
  EXPECT_THAT(outline.error().message, HasSubstr("'faq' is used twice"));
}

TEST(ParseOutlineTest, RejectsProseAndMissingFields) {
  EXPECT_THAT(ParseOutline("I would build a hero and an FAQ.").error().message,
              HasSubstr("not a JSON object"));
  EXPECT_THAT(ParseOutline(R"({"title": "x", "regions": [{"id": "hero"}]})").error().message,
              HasSubstr("regions[0].title: a string is required"));
  EXPECT_THAT(ParseOutline(R"({"title": "x", "regions": []})").error().message,
              HasSubstr("at least one region"));
}

TEST(OutlineSchemaTest, IsStrictModeCompatible) {
  nlohmann::json schema = nlohmann::json::parse(OutlineSchemaJson());
  EXPECT_EQ(schema["required"].size(), schema["properties"].size());
  const nlohmann::json& item = schema["properties"]["regions"]["items"];
  EXPECT_EQ(item["required"].size(), item["properties"].size());
  EXPECT_EQ(item["additionalProperties"], false);
}

TEST(SectionRoleTest, InfersContributionsFromNames) {
  EXPECT_EQ(InferContribution("visual/colors"), Contribution::kTokens);
  EXPECT_EQ(InferContribution("visual/typography"), Contribution::kStyles);
  EXPECT_EQ(InferContribution("state/data_flow"), Contribution::kData);
  EXPECT_EQ(InferContribution("state/persistence"), Contribution::kBehaviour);
  EXPECT_EQ(InferContribution("accessibility/semantic"), Contribution::kRequirements);
  EXPECT_EQ(InferContribution("accessibility/keyboard"), Contribution::kBehaviour);
  EXPECT_EQ(InferContribution("layout/grid"), Contribution::kStyles);
  EXPECT_EQ(ParseContribution("behavior"), Contribution::kBehaviour);
  EXPECT_EQ(ParseContribution("colors"), std::nullopt);
}

TEST(SectionRoleTest, WavesPutFoundationsFirstAndBehaviourLast) {
  EXPECT_EQ(WaveOf({.kind = SectionKind::kRegion}), Wave::kRegions);
  EXPECT_EQ(WaveOf({.kind = SectionKind::kConcern, .contribution = Contribution::kTokens}),
            Wave::kFoundations);
  EXPECT_EQ(WaveOf({.kind = SectionKind::kConcern, .contribution = Contribution::kData}),
            Wave::kFoundations);
  EXPECT_EQ(WaveOf({.kind = SectionKind::kConcern, .contribution = Contribution::kBehaviour}),
            Wave::kBehaviour);
}

}  // namespace
}  // namespace hfs::page
