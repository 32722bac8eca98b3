#include "hfs/agent/budget.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <sstream>
#include <thread>
#include <vector>

#include "hfs/testing/fake_clock.h"

namespace hfs::agent {
namespace {

using std::chrono::milliseconds;

TEST(BudgetTest, HardLimitIsReachedAtTheLimit) {
  testing::FakeClock clock;
  Budget budget("triad layout", {.tokens = 100, .tool_calls = 2, .time_ms = 1000},
                Enforcement::kHard, clock);
  budget.ChargeTokens(99);
  EXPECT_FALSE(budget.Check().has_value());
  budget.ChargeTokens(1);
  std::optional<BudgetOverrun> overrun = budget.Check();
  ASSERT_TRUE(overrun.has_value());
  EXPECT_EQ(overrun->resource, BudgetResource::kTokens);
  EXPECT_EQ(overrun->spent, 100);
  EXPECT_EQ(overrun->ToString(), "budget 'triad layout' spent 100 of 100 tokens");
}

TEST(BudgetTest, ToolCallsAndTimeHaveLimitsToo) {
  testing::FakeClock clock;
  Budget calls("calls", {.tokens = 100, .tool_calls = 2, .time_ms = 1000}, Enforcement::kHard,
               clock);
  calls.ChargeToolCall();
  EXPECT_FALSE(calls.Check().has_value());
  calls.ChargeToolCall();
  ASSERT_TRUE(calls.Check().has_value());
  EXPECT_EQ(calls.Check()->resource, BudgetResource::kToolCalls);

  Budget time("time", {.tokens = 100, .tool_calls = 2, .time_ms = 1000}, Enforcement::kHard, clock);
  clock.Advance(milliseconds(999));
  EXPECT_FALSE(time.Check().has_value());
  clock.Advance(milliseconds(1));
  ASSERT_TRUE(time.Check().has_value());
  EXPECT_EQ(time.Check()->resource, BudgetResource::kTime);
  EXPECT_EQ(time.spent().time_ms, 1000);
}

TEST(BudgetTest, ZeroAllowsNothing) {
  testing::FakeClock clock;
  Budget budget("none", {.tokens = 0, .tool_calls = 5, .time_ms = 1000}, Enforcement::kHard, clock);
  ASSERT_TRUE(budget.Check().has_value());
  EXPECT_EQ(budget.Check()->limit, 0);
}

TEST(BudgetTest, SoftLimitWarnsOncePerLimitAndContinues) {
  std::ostringstream log;
  std::shared_ptr<spdlog::logger> previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(
      "budget_test", std::make_shared<spdlog::sinks::ostream_sink_st>(log)));
  testing::FakeClock clock;
  Budget budget("soft", {.tokens = 10, .tool_calls = 1, .time_ms = 1000}, Enforcement::kSoft,
                clock);
  budget.ChargeTokens(50);
  budget.ChargeToolCall();
  EXPECT_FALSE(budget.Check().has_value());
  EXPECT_FALSE(budget.Check().has_value());
  EXPECT_EQ(budget.spent().tokens, 50);
  EXPECT_EQ(budget.Deadline(), Timestamp::max());
  spdlog::set_default_logger(previous);
  std::string text = log.str();
  EXPECT_NE(text.find("budget 'soft' spent 50 of 10 tokens; continuing"), std::string::npos);
  EXPECT_NE(text.find("budget 'soft' spent 1 of 1 tool_calls"), std::string::npos);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2);
}

TEST(BudgetTest, ChargesReachTheParentAndItsLimitStopsTheChild) {
  testing::FakeClock clock;
  Budget run("run", {.tokens = 150, .tool_calls = 10, .time_ms = 5000}, Enforcement::kHard, clock);
  Budget layout("layout", {.tokens = 100, .tool_calls = 10, .time_ms = 1000}, Enforcement::kHard,
                clock, &run);
  Budget visual("visual", {.tokens = 100, .tool_calls = 10, .time_ms = 1000}, Enforcement::kSoft,
                clock, &run);
  layout.ChargeTokens(80);
  layout.ChargeToolCall();
  visual.ChargeTokens(80);
  EXPECT_EQ(run.spent().tokens, 160);
  EXPECT_EQ(run.spent().tool_calls, 1);
  std::optional<BudgetOverrun> overrun = layout.Check();
  ASSERT_TRUE(overrun.has_value());
  EXPECT_EQ(overrun->budget, "run");
  ASSERT_TRUE(visual.Check().has_value());
  EXPECT_EQ(visual.Check()->budget, "run");
  EXPECT_EQ(layout.Deadline(), clock.Now() + milliseconds(1000));
  EXPECT_EQ(visual.Deadline(), clock.Now() + milliseconds(5000));
}

TEST(BudgetTest, ConcurrentChargesAreAllCounted) {
  testing::FakeClock clock;
  Budget run("run", {.tokens = 1'000'000, .tool_calls = 1'000'000, .time_ms = 1000},
             Enforcement::kHard, clock);
  Budget triad("triad", {.tokens = 1'000'000, .tool_calls = 1'000'000, .time_ms = 1000},
               Enforcement::kHard, clock, &run);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        triad.ChargeTokens(2);
        triad.ChargeToolCall();
        (void)triad.Check();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(triad.spent().tokens, 8000);
  EXPECT_EQ(run.spent().tool_calls, 4000);
}

}  // namespace
}  // namespace hfs::agent
