#include "hfs/pipeline/run_budgets.h"

#include <gtest/gtest.h>

#include "hfs/testing/fake_clock.h"

namespace hfs::pipeline {
namespace {

TEST(RunBudgetsTest, TriadBudgetsAreCappedAndChargeTheRun) {
  PressureOptions pressure;
  pressure.global_budget = {.tokens = 1000, .tool_calls = 10, .time_ms = 60000};
  pressure.per_triad_max = {.tokens = 600, .tool_calls = 8, .time_ms = 30000};
  std::vector<triad::TriadOptions> triads = {
      {.id = "layout", .budget = {.tokens = 900, .tool_calls = 5, .time_ms = 60000}},
      {.id = "visual", .budget = {.tokens = 500, .tool_calls = 20, .time_ms = 10000}}};
  testing::FakeClock clock;
  RunBudgets budgets(pressure, triads, clock);

  EXPECT_EQ(CapBudget(triads[0].budget, pressure.per_triad_max),
            (agent::BudgetLimits{.tokens = 600, .tool_calls = 5, .time_ms = 30000}));
  budgets.For("layout").ChargeTokens(550);
  EXPECT_FALSE(budgets.For("layout").Check().has_value());
  budgets.For("layout").ChargeTokens(60);  // 610 > the capped 600
  ASSERT_TRUE(budgets.For("layout").Check().has_value());
  EXPECT_EQ(budgets.For("layout").Check()->resource, agent::BudgetResource::kTokens);

  // Both triads' spending reaches the run budget: 610 + 400 > 1000.
  budgets.For("visual").ChargeTokens(400);
  std::optional<agent::BudgetOverrun> run = budgets.global().Check();
  ASSERT_TRUE(run.has_value());
  EXPECT_EQ(run->budget, "run");
  // visual is under its own limit, but the run's overrun stops it too (hard enforcement).
  ASSERT_TRUE(budgets.For("visual").Check().has_value());
  EXPECT_EQ(budgets.For("visual").Check()->budget, "run");
}

}  // namespace
}  // namespace hfs::pipeline
