// tools/emulator/rate_window_test.cc
#include "tools/emulator/rate_window.h"

#include <gtest/gtest.h>

#include "hfs/testing/fake_clock.h"

namespace hfs::emulator {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::seconds;

const LimitRule kThreePerMinute{.kind = LimitKind::kRequests, .limit = 3, .window_seconds = 60};
const LimitRule kHundredTokensPerMinute{
    .kind = LimitKind::kTokens, .limit = 100, .window_seconds = 60};

TEST(EmulatorRateWindowTest, SlidingWindowIsExactAtTheBoundary) {
  testing::FakeClock clock;
  RateWindows windows(clock, 1.0);
  const std::vector<LimitRule> rules = {kThreePerMinute};
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(windows.Admit("b", rules, 1).admitted) << i;
    clock.Advance(seconds(1));
  }
  // The first request was at t=0; at t=59.999999999 it still counts.
  clock.Set(testing::FakeClock().Now() + seconds(60) - nanoseconds(1));
  Admission refused = windows.Admit("b", rules, 1);
  EXPECT_FALSE(refused.admitted);
  EXPECT_EQ(refused.violated, 0);
  EXPECT_EQ(refused.retry_after, nanoseconds(1));
  EXPECT_EQ(refused.windows[0].remaining, 0);
  // At exactly t=60 it has expired.
  clock.Advance(nanoseconds(1));
  Admission admitted = windows.Admit("b", rules, 1);
  EXPECT_TRUE(admitted.admitted);
  EXPECT_EQ(admitted.windows[0].used, 3);
  EXPECT_EQ(admitted.windows[0].remaining, 0);
  EXPECT_EQ(admitted.windows[0].reset, seconds(1));  // the t=1 request expires at t=61
}

TEST(EmulatorRateWindowTest, TokensRefuseWithoutRecordingAndRetryAfterFitsTheRequest) {
  testing::FakeClock clock;
  RateWindows windows(clock, 1.0);
  const std::vector<LimitRule> rules = {kThreePerMinute, kHundredTokensPerMinute};
  EXPECT_TRUE(windows.Admit("b", rules, 40).admitted);
  clock.Advance(seconds(10));
  EXPECT_TRUE(windows.Admit("b", rules, 50).admitted);
  clock.Advance(seconds(10));
  Admission refused = windows.Admit("b", rules, 30);  // 90 + 30 > 100
  EXPECT_FALSE(refused.admitted);
  EXPECT_EQ(refused.violated, 1);
  EXPECT_EQ(refused.retry_after, seconds(40));  // when the 40 at t=0 expires
  EXPECT_EQ(refused.windows[0].used, 2);        // the refused request was not recorded
  EXPECT_EQ(refused.windows[1].used, 90);
  EXPECT_EQ(refused.windows[1].remaining, 10);
  EXPECT_TRUE(windows.Admit("b", rules, 10).admitted);  // exactly the limit fits
  EXPECT_FALSE(windows.Admit("b", rules, 1).admitted);
}

TEST(EmulatorRateWindowTest, BucketsAreIndependent) {
  testing::FakeClock clock;
  RateWindows windows(clock, 1.0);
  const std::vector<LimitRule> rules = {
      {.kind = LimitKind::kRequests, .limit = 1, .window_seconds = 60}};
  EXPECT_TRUE(windows.Admit("scope-a|m", rules, 1).admitted);
  EXPECT_FALSE(windows.Admit("scope-a|m", rules, 1).admitted);
  EXPECT_TRUE(windows.Admit("scope-b|m", rules, 1).admitted);
  windows.Reset();
  EXPECT_TRUE(windows.Admit("scope-a|m", rules, 1).admitted);
}

TEST(EmulatorRateWindowTest, WindowScaleShrinksWindows) {
  testing::FakeClock clock;
  RateWindows windows(clock, 1.0 / 60);  // a minute lasts a second
  const std::vector<LimitRule> rules = {
      {.kind = LimitKind::kRequests, .limit = 1, .window_seconds = 60}};
  EXPECT_TRUE(windows.Admit("b", rules, 1).admitted);
  clock.Advance(milliseconds(999));
  Admission refused = windows.Admit("b", rules, 1);
  EXPECT_FALSE(refused.admitted);
  EXPECT_EQ(refused.retry_after, milliseconds(1));
  clock.Advance(milliseconds(1));
  EXPECT_TRUE(windows.Admit("b", rules, 1).admitted);
}

TEST(EmulatorRateWindowTest, FixedWindowResetsAtAlignedBoundary) {
  testing::FakeClock clock;  // 2026-01-01T00:00:00Z, a multiple of a day
  clock.Advance(seconds(86400 - 10));
  RateWindows windows(clock, 1.0);
  const std::vector<LimitRule> rules = {{.kind = LimitKind::kRequests,
                                         .limit = 2,
                                         .window_seconds = 86400,
                                         .mode = WindowMode::kFixed}};
  EXPECT_TRUE(windows.Admit("b", rules, 1).admitted);
  EXPECT_TRUE(windows.Admit("b", rules, 1).admitted);
  Admission refused = windows.Admit("b", rules, 1);
  EXPECT_FALSE(refused.admitted);
  EXPECT_EQ(refused.retry_after, seconds(10));
  EXPECT_EQ(refused.windows[0].reset, seconds(10));
  clock.Advance(seconds(10) - nanoseconds(1));
  EXPECT_FALSE(windows.Admit("b", rules, 1).admitted);
  clock.Advance(nanoseconds(1));
  EXPECT_TRUE(windows.Admit("b", rules, 1).admitted);
}

TEST(EmulatorRateWindowTest, RequestLargerThanTheLimitWaitsAWholeWindow) {
  testing::FakeClock clock;
  RateWindows windows(clock, 1.0);
  Admission refused = windows.Admit("b", {kHundredTokensPerMinute}, 101);
  EXPECT_FALSE(refused.admitted);
  EXPECT_EQ(refused.retry_after, seconds(60));
}

}  // namespace
}  // namespace hfs::emulator
