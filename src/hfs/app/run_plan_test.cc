#include "hfs/app/run_plan.h"

#include <gtest/gtest.h>

#include "hfs/config/load.h"

namespace hfs::app {
namespace {

config::Config Load(const std::string& yaml) {
  Result<config::Config> config = config::LoadConfigFromString(yaml, "plan.yaml");
  EXPECT_TRUE(config.has_value()) << config.error().message;
  return *config;
}

TEST(RunPlanTest, ContestedWhenTwoTriadsCanClaim) {
  config::Config config = Load(R"(
triads:
  - {id: a, preset: dialectic, scope: {primary: [x], reach: [y]}}
  - {id: b, preset: consensus, scope: {primary: [y]}}
sections: [x, y, z]
)");
  RunPlan plan = PlanRun(config);
  ASSERT_EQ(plan.sections.size(), 3u);
  EXPECT_EQ(plan.sections[0].outlook, SectionOutlook::kUncontested);
  EXPECT_EQ(plan.sections[1].outlook, SectionOutlook::kContested);
  EXPECT_EQ(plan.sections[1].primary, std::vector<std::string>{"b"});
  EXPECT_EQ(plan.sections[1].reach, std::vector<std::string>{"a"});
  EXPECT_EQ(plan.sections[2].outlook, SectionOutlook::kUnreached);
  EXPECT_EQ(plan.contested_count, 1);
  EXPECT_EQ(plan.unreached_count, 1);
  std::string text = RenderPlan(config, plan);
  EXPECT_NE(text.find("coverage pressure"), std::string::npos);
}

TEST(RunPlanTest, SaysHowThePageRegionsComeAboutAndWhoTakesThem) {
  config::Config planned = Load(R"(
triads:
  - {id: a, preset: dialectic, scope: {primary: ['page/*', x]}}
  - {id: b, preset: consensus, scope: {reach: ['page/*']}}
sections: [x]
)");
  std::string text = RenderPlan(planned, PlanRun(planned));
  EXPECT_NE(text.find("regions planned from the request"), std::string::npos) << text;
  EXPECT_NE(text.find("dealt to a (page/*), contended by b"), std::string::npos) << text;
  config::Config fixed = Load(R"(
triads:
  - {id: a, preset: dialectic, scope: {primary: [x]}}
sections: [x]
page: {regions: [hero, faq]}
)");
  text = RenderPlan(fixed, PlanRun(fixed));
  EXPECT_NE(text.find("regions fixed by the config: hero, faq"), std::string::npos) << text;
  EXPECT_NE(text.find("coverage assigns them at freeze"), std::string::npos) << text;
}

TEST(RunPlanTest, BudgetsAreCappedByPerTriadMax) {
  config::Config config = Load(R"(
triads:
  - {id: a, preset: dialectic, budget: {tokens: 90000, tool_calls: 5, time_ms: 1000}}
sections: [x]
pressure: {per_triad_max: {tokens: 20000, tool_calls: 50, time_ms: 15000}}
)");
  RunPlan plan = PlanRun(config);
  EXPECT_EQ(plan.triads[0].budget.tokens, 20000);
  EXPECT_EQ(plan.triads[0].budget.tool_calls, 5);
  EXPECT_EQ(plan.triads[0].budget.time_ms, 1000);
}

TEST(RunPlanTest, StandardExampleNegotiates) {
  Result<config::Config> config = config::LoadConfig("config/examples/standard.yaml");
  ASSERT_TRUE(config.has_value());
  RunPlan plan = PlanRun(*config);
  EXPECT_GE(plan.contested_count, 6);
  EXPECT_EQ(plan.unreached_count, 0);
}

}  // namespace
}  // namespace hfs::app
