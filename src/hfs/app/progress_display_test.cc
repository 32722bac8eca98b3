#include "hfs/app/progress_display.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "hfs/testing/fake_clock.h"

namespace hfs::app {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

pipeline::RoundSummary Round() {
  return {.round = 0,
          .temperature = 1.0,
          .contested = {"hero", "pricing"},
          .sections = {{.section = "hero",
                        .status = spec::SectionStatus::kClaimed,
                        .resolved = true,
                        .winner = "visual"}}};
}

TEST(ProgressDisplayTest, PlainLinesForPhasesAndRounds) {
  std::ostringstream out;
  testing::FakeClock clock;
  ProgressDisplay progress(out, ProgressMode::kLines, clock);
  progress.PhaseStarted("negotiation");
  progress.CountRequest(1200);
  progress.CountRequest(300);
  clock.Advance(std::chrono::milliseconds(2500));
  progress.RoundDone(Round());
  progress.PhaseDone("negotiation");
  progress.Stop();
  const std::string text = out.str();
  EXPECT_THAT(text, HasSubstr("phase negotiation started"));
  EXPECT_THAT(text, HasSubstr("negotiation round 1: temperature 1.00, contested hero, pricing; "
                              "resolved hero -> visual"));
  EXPECT_THAT(text, HasSubstr("phase negotiation done in 2.5s (1500 tokens, 2 requests so far)"));
  // Not a terminal: no control characters.
  EXPECT_THAT(text, Not(HasSubstr("\033[K")));
}

TEST(ProgressDisplayTest, StatusLineShowsRoundTemperatureTokensAndCoolingKeys) {
  std::ostringstream out;
  testing::FakeClock clock;
  int cooling = 2;
  ProgressDisplay progress(out, ProgressMode::kLines, clock, [&] { return cooling; });
  progress.PhaseStarted("negotiation");
  progress.RoundDone(Round());
  progress.CountRequest(640);
  EXPECT_THAT(progress.StatusLine(), HasSubstr("negotiation | round 1 | temperature 1.00 | "
                                               "1 contested | 640 tokens | 1 requests | 2 keys "
                                               "cooling down"));
  cooling = 0;
  EXPECT_THAT(progress.StatusLine(), Not(HasSubstr("cooling")));
}

TEST(ProgressDisplayTest, StatusLineShowsRepliesStreamingIn) {
  std::ostringstream out;
  testing::FakeClock clock;
  ProgressDisplay progress(out, ProgressMode::kLines, clock);
  progress.PhaseStarted("execution");
  EXPECT_THAT(progress.StatusLine(), Not(HasSubstr("receiving")));
  progress.Receiving(7, 120, false);
  EXPECT_THAT(progress.StatusLine(), HasSubstr("| receiving 1 reply, 120 chars"));
  progress.Receiving(8, 30, false);
  progress.Receiving(7, 400, false);
  EXPECT_THAT(progress.StatusLine(), HasSubstr("| receiving 2 replies, 430 chars"));
  progress.Receiving(7, 400, true);
  progress.Receiving(8, 30, true);
  EXPECT_THAT(progress.StatusLine(), Not(HasSubstr("receiving")));
}

TEST(ProgressDisplayTest, TerminalRedrawsAndClearsTheStatusLine) {
  std::ostringstream out;
  testing::FakeClock clock;
  {
    ProgressDisplay progress(out, ProgressMode::kTerminal, clock);
    progress.PhaseStarted("deliberation");
    progress.Stop();
  }
  const std::string text = out.str();
  EXPECT_THAT(text, HasSubstr("\r\033[K"));
  EXPECT_THAT(text, HasSubstr("phase deliberation started"));
  EXPECT_EQ(text.substr(text.size() - 4), "\r\033[K");  // cleared at the end
}

}  // namespace
}  // namespace hfs::app
