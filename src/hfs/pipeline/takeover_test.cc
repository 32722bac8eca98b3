#include "hfs/pipeline/takeover.h"

#include <gtest/gtest.h>

namespace hfs::pipeline {
namespace {

std::vector<triad::TriadOptions> Triads() {
  return {{.id = "layout", .scope = {.primary = {"page/hero"}, .reach = {"page/faq"}}},
          {.id = "visual", .scope = {.primary = {"colors"}, .reach = {"page/hero"}}},
          {.id = "motion", .scope = {.primary = {"animation"}, .reach = {}}}};
}

TEST(TakeoverTest, PrimaryScopeThenReachThenTheLightestLiveTriad) {
  // layout failed: visual reaches page/hero.
  EXPECT_EQ(SuccessorFor("page/hero", "layout", Triads(), {"layout"}, {}), "visual");
  // visual left colors without code: nobody else has it in scope; motion carries less.
  EXPECT_EQ(SuccessorFor("colors", "visual", Triads(), {}, {{"layout", 3}, {"motion", 1}}),
            "motion");
  // A primary-scope owner wins over reach.
  EXPECT_EQ(SuccessorFor("page/hero", "motion", Triads(), {}, {}), "layout");
}

TEST(TakeoverTest, RetiredTriadsNeverTakeOver) {
  EXPECT_EQ(SuccessorFor("page/hero", "layout", Triads(), {"layout", "visual"}, {}), "motion");
  EXPECT_EQ(SuccessorFor("page/hero", "layout", Triads(), {"layout", "visual", "motion"}, {}),
            std::nullopt);
}

TEST(TakeoverTest, ALoneLiveOwnerGetsOneMoreAttempt) {
  std::vector<triad::TriadOptions> one = {{.id = "solo"}};
  EXPECT_EQ(SuccessorFor("hero", "solo", one, {}, {}), "solo");
  EXPECT_EQ(SuccessorFor("hero", "solo", one, {"solo"}, {}), std::nullopt);
}

}  // namespace
}  // namespace hfs::pipeline
