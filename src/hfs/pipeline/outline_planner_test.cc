#include "hfs/pipeline/outline_planner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hfs/pipeline/region_scopes.h"
#include "hfs/testing/function_model.h"
#include "hfs/testing/scripted_model.h"

namespace hfs::pipeline {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::TextReply;

constexpr char kGood[] = R"({"title": "Plans", "language": "en", "regions": [
  {"id": "hero", "title": "Hero", "purpose": "p", "content": "c"},
  {"id": "pricing", "title": "Pricing", "purpose": "p", "content": "three tiers"}]})";

TEST(PlanOutlineTest, AsksForTheSchemaAndReadsTheRegions) {
  testing::ScriptedModel model;
  agent::FixedModel source(model, "planner-model");
  model.Push(TextReply(kGood));
  Result<OutlinePlan> plan = PlanOutline(source, "a pricing page", {.run_id = "r"});
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_EQ(plan->attempts, 1);
  ASSERT_EQ(plan->outline.regions.size(), 2u);
  EXPECT_EQ(plan->outline.regions[1].section, "page/pricing");
  const llm::ChatRequest request = model.requests().at(0);
  EXPECT_EQ(request.response_schema_name, "page_outline");
  EXPECT_THAT(request.messages.back().content, HasSubstr("Request: a pricing page"));
  EXPECT_EQ(model.contexts().at(0).role, "planner");
  EXPECT_EQ(model.contexts().at(0).phase, "input");
}

TEST(PlanOutlineTest, ASchemaViolationIsRepairedOnceWithTheProblems) {
  testing::ScriptedModel model;
  agent::FixedModel source(model, "m");
  model.Push(TextReply(R"({"title": "x", "regions": [{"id": "Hero Banner", "title": "x",
                           "purpose": "p", "content": "c"}]})"));
  model.Push(TextReply(std::string("```json\n") + kGood + "\n```"));
  Result<OutlinePlan> plan = PlanOutline(source, "a pricing page", {});
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_EQ(plan->attempts, 2);
  EXPECT_THAT(model.requests().at(1).messages.back().content,
              HasSubstr("'Hero Banner' must be lower-case"));
}

TEST(PlanOutlineTest, ProseTwiceIsAClearErrorNamingTheRequest) {
  testing::ScriptedModel model;
  agent::FixedModel source(model, "m");
  model.Push(TextReply("Sure! The page should have a hero and an FAQ."));
  model.Push(TextReply("A hero, then pricing."));
  Result<OutlinePlan> plan = PlanOutline(source, "a pricing page", {});
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(plan.error().message,
              HasSubstr("the page outline for the request 'a pricing page' could not be planned"));
  EXPECT_THAT(plan.error().message, HasSubstr("not a JSON object"));
  EXPECT_EQ(model.remaining(), 0u);
}

TEST(PlanOutlineTest, AReplyCutOffAtTheTokenLimitIsRepairedThenAClearError) {
  testing::ScriptedModel model;
  agent::FixedModel source(model, "m");
  llm::ChatResponse cut = TextReply(R"({"title": "Plans", "regions": [{"id": "he)");
  cut.finish_reason = llm::FinishReason::kLength;
  model.Push(cut);
  model.Push(cut);
  Result<OutlinePlan> plan = PlanOutline(source, "a pricing page", {});
  ASSERT_FALSE(plan.has_value());
  EXPECT_THAT(plan.error().message, HasSubstr("cut off at the token limit"));
  EXPECT_THAT(model.requests().at(1).messages.back().content, HasSubstr("cut off"));
}

TEST(RegionScopesTest, RegionsAreDealtAmongOwnersAndContenders) {
  std::vector<triad::TriadOptions> triads(3);
  triads[0] = {.id = "a", .scope = {.primary = {"page/*", "visual"}}};
  triads[1] = {.id = "b", .scope = {.primary = {"page/*"}, .reach = {"visual"}}};
  triads[2] = {.id = "c", .scope = {.primary = {"motion"}, .reach = {"page/*"}}};
  page::PageOutline outline;
  for (const char* id : {"hero", "pricing", "faq"}) {
    outline.regions.push_back({.id = id, .section = page::RegionSection(id)});
  }
  std::vector<triad::TriadOptions> expanded = ExpandRegionScopes(triads, outline);
  EXPECT_THAT(expanded[0].scope.primary, ElementsAre("visual", "page/hero", "page/faq"));
  EXPECT_THAT(expanded[1].scope.primary, ElementsAre("page/pricing"));
  EXPECT_THAT(expanded[2].scope.reach, ElementsAre("page/hero", "page/pricing", "page/faq"));
  EXPECT_THAT(expanded[2].scope.primary, ElementsAre("motion"));
}

}  // namespace
}  // namespace hfs::pipeline
