// Temperature arithmetic: exact integer millionths, no float drift.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "hfs/base/check.h"
#include "hfs/spec/spec.h"

namespace hfs::spec {
namespace {

Spec MakeSpec(TemperatureOptions options) {
  return HFS_VALUE_OR_DIE(Spec::Create({"layout"}, options));
}

// Rounds until the temperature is 0.
int RoundsToCold(Spec& spec) {
  while (spec.TemperatureMicros() > 0) HFS_CHECK(spec.AdvanceRound().has_value(), "advance");
  return spec.Round();
}

struct DecayCase {
  double decay;
  int rounds_to_zero;
};

class TemperatureDecayTest : public testing::TestWithParam<DecayCase> {};

TEST_P(TemperatureDecayTest, ReachesZeroAfterCeilOfOneOverDecayRounds) {
  Spec spec = MakeSpec({.initial = 1.0, .decay = GetParam().decay});
  EXPECT_EQ(RoundsToCold(spec), GetParam().rounds_to_zero);
  EXPECT_EQ(spec.Temperature(), 0.0);
}

TEST_P(TemperatureDecayTest, EachRoundIsExact) {
  Spec spec = MakeSpec({.initial = 1.0, .decay = GetParam().decay});
  const int64_t decay = std::llround(GetParam().decay * kTemperatureScale);
  for (int round = 1; round <= 12; ++round) {
    ASSERT_TRUE(spec.AdvanceRound().has_value());
    EXPECT_EQ(spec.TemperatureMicros(), std::max<int64_t>(0, kTemperatureScale - decay * round))
        << "round " << round;
  }
}

INSTANTIATE_TEST_SUITE_P(Decays, TemperatureDecayTest,
                         testing::Values(DecayCase{0.15, 7}, DecayCase{0.2, 5}, DecayCase{0.3, 4},
                                         DecayCase{0.1, 10}));

TEST(TemperatureTest, TenRoundsOfPointOneEndExactlyAtZero) {
  Spec spec = MakeSpec({.initial = 1.0, .decay = 0.1});
  for (int round = 0; round < 9; ++round) ASSERT_TRUE(spec.AdvanceRound().has_value());
  EXPECT_EQ(spec.TemperatureMicros(), 100'000);
  EXPECT_EQ(spec.Temperature(), 0.1);
  ASSERT_TRUE(spec.AdvanceRound().has_value());
  EXPECT_EQ(spec.TemperatureMicros(), 0);
  EXPECT_EQ(spec.Temperature(), 0.0);
}

TEST(TemperatureTest, KnownValues) {
  Spec spec = MakeSpec({.initial = 1.0, .decay = 0.15});
  std::vector<double> seen;
  for (int round = 0; round < 8; ++round) {
    ASSERT_TRUE(spec.AdvanceRound().has_value());
    seen.push_back(spec.Temperature());
  }
  EXPECT_EQ(seen, (std::vector<double>{0.85, 0.7, 0.55, 0.4, 0.25, 0.1, 0.0, 0.0}));
}

TEST(TemperatureTest, FloorsAtZeroAndKeepsCounting) {
  Spec spec = MakeSpec({.initial = 0.5, .decay = 0.3});
  for (int round = 0; round < 5; ++round) ASSERT_TRUE(spec.AdvanceRound().has_value());
  EXPECT_EQ(spec.Round(), 5);
  EXPECT_EQ(spec.TemperatureMicros(), 0);
}

TEST(TemperatureTest, ZeroDecayNeverCools) {
  Spec spec = MakeSpec({.initial = 1.0, .decay = 0.0});
  for (int round = 0; round < 20; ++round) ASSERT_TRUE(spec.AdvanceRound().has_value());
  EXPECT_EQ(spec.Temperature(), 1.0);
  EXPECT_EQ(spec.Status(), SpecStatus::kNegotiating);
}

TEST(TemperatureTest, StatusMovesToNegotiatingThenCoolingAtTheThreshold) {
  Spec spec = MakeSpec({.initial = 1.0, .decay = 0.15, .freeze_threshold = 0.1});
  EXPECT_EQ(spec.Status(), SpecStatus::kInitializing);
  EXPECT_FALSE(spec.BelowFreezeThreshold());
  for (int round = 1; round <= 5; ++round) {
    ASSERT_TRUE(spec.AdvanceRound().has_value());
    EXPECT_EQ(spec.Status(), SpecStatus::kNegotiating) << "round " << round;
  }
  ASSERT_TRUE(spec.AdvanceRound().has_value());  // exactly 0.1: at the threshold
  EXPECT_TRUE(spec.BelowFreezeThreshold());
  EXPECT_EQ(spec.Status(), SpecStatus::kCooling);
  ASSERT_TRUE(spec.AdvanceRound().has_value());
  EXPECT_EQ(spec.Status(), SpecStatus::kCooling);
}

TEST(TemperatureTest, ThresholdZeroCoolsOnlyAtZero) {
  Spec spec = MakeSpec({.initial = 1.0, .decay = 0.3, .freeze_threshold = 0.0});
  for (int round = 0; round < 3; ++round) ASSERT_TRUE(spec.AdvanceRound().has_value());
  EXPECT_EQ(spec.Status(), SpecStatus::kNegotiating);  // 0.1 left
  ASSERT_TRUE(spec.AdvanceRound().has_value());
  EXPECT_EQ(spec.Status(), SpecStatus::kCooling);
}

TEST(TemperatureTest, OptionsOutsideZeroToOneAreRejected) {
  for (TemperatureOptions options :
       {TemperatureOptions{.initial = 1.5}, TemperatureOptions{.decay = -0.1},
        TemperatureOptions{.freeze_threshold = 2.0},
        TemperatureOptions{.decay = std::numeric_limits<double>::quiet_NaN()}}) {
    Result<Spec> spec = Spec::Create({"layout"}, options);
    ASSERT_FALSE(spec.has_value());
    EXPECT_EQ(spec.error().code, ErrorCode::kInvalidArgument);
  }
  EXPECT_EQ(Spec::Create({"layout"}, {.decay = 1.5}).error().message,
            "the temperature decay must be in [0, 1], got 1.5");
}

}  // namespace
}  // namespace hfs::spec
