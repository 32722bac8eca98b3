#include "hfs/tiers/escalation_tracker.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "hfs/base/file.h"
#include "hfs/testing/temp_dir.h"

namespace hfs::tiers {
namespace {

TEST(EscalationTrackerTest, ThreeConsecutiveFailuresMoveTheRoleUpOneTier) {
  std::vector<Escalation> seen;
  EscalationTracker tracker({.on_escalation = [&](const Escalation& e) { seen.push_back(e); }});
  EXPECT_FALSE(tracker.RecordFailure("layout", "critic", "negotiation", Tier::kFast));
  EXPECT_FALSE(tracker.RecordFailure("layout", "critic", "negotiation", Tier::kFast));
  EXPECT_FALSE(tracker.EscalatedTier("layout", "critic").has_value());
  EXPECT_EQ(tracker.ConsecutiveFailures("layout", "critic"), 2);
  std::optional<Escalation> up =
      tracker.RecordFailure("layout", "critic", "negotiation", Tier::kFast);
  ASSERT_TRUE(up);
  EXPECT_EQ(up->from, Tier::kFast);
  EXPECT_EQ(up->to, Tier::kGeneral);
  EXPECT_EQ(up->failures, 3);
  EXPECT_EQ(up->phase, "negotiation");
  EXPECT_EQ(DescribeEscalation(*up),
            "layout:critic: fast -> general after 3 failures in a row (negotiation)");
  EXPECT_EQ(tracker.EscalatedTier("layout", "critic"), Tier::kGeneral);
  EXPECT_EQ(tracker.ConsecutiveFailures("layout", "critic"), 0);
  // Other triads and roles are untouched.
  EXPECT_FALSE(tracker.EscalatedTier("visual", "critic").has_value());
  EXPECT_FALSE(tracker.EscalatedTier("layout", "proposer").has_value());
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].triad, "layout");
  ASSERT_EQ(tracker.Escalations().size(), 1u);
  EXPECT_EQ(tracker.Escalations()[0].to, Tier::kGeneral);
  EXPECT_EQ((tracker.State()), (EscalationMap{{{"layout", "critic"}, Tier::kGeneral}}));
}

TEST(EscalationTrackerTest, ASuccessResetsTheCount) {
  EscalationTracker tracker;
  tracker.RecordFailure("t", "peer_1", "deliberation", Tier::kGeneral);
  tracker.RecordFailure("t", "peer_1", "deliberation", Tier::kGeneral);
  tracker.RecordSuccess("t", "peer_1");
  EXPECT_EQ(tracker.ConsecutiveFailures("t", "peer_1"), 0);
  EXPECT_FALSE(tracker.RecordFailure("t", "peer_1", "deliberation", Tier::kGeneral));
  EXPECT_FALSE(tracker.RecordFailure("t", "peer_1", "deliberation", Tier::kGeneral));
  EXPECT_FALSE(tracker.EscalatedTier("t", "peer_1").has_value());
  EXPECT_TRUE(tracker.RecordFailure("t", "peer_1", "deliberation", Tier::kGeneral));
  EXPECT_EQ(tracker.EscalatedTier("t", "peer_1"), Tier::kReasoning);
}

TEST(EscalationTrackerTest, ReasoningIsTheCap) {
  EscalationTracker tracker;
  for (int i = 0; i < 6; ++i) tracker.RecordFailure("t", "orchestrator", "claims", Tier::kFast);
  EXPECT_EQ(tracker.EscalatedTier("t", "orchestrator"), Tier::kReasoning);
  for (int i = 0; i < 9; ++i) {
    EXPECT_FALSE(tracker.RecordFailure("t", "orchestrator", "claims", Tier::kReasoning));
  }
  EXPECT_EQ(tracker.EscalatedTier("t", "orchestrator"), Tier::kReasoning);
  EXPECT_EQ(tracker.Escalations().size(), 2u);
}

TEST(EscalationTrackerTest, EscalatesFromTheStrongerOfTheUsedAndTheKnownTier) {
  EscalationTracker tracker({}, {{{"t", "worker_a"}, Tier::kGeneral}});
  for (int i = 0; i < 3; ++i) tracker.RecordFailure("t", "worker_a", "execution", Tier::kFast);
  EXPECT_EQ(tracker.EscalatedTier("t", "worker_a"), Tier::kReasoning);
}

TEST(EscalationTrackerTest, StatePersistsAcrossRunsWithoutTouchingTheConfig) {
  testing::TempDir dir;
  const std::filesystem::path config = dir.path() / "hfs.yaml";
  ASSERT_TRUE(WriteFileAtomic(config, "triads: []  # mine\n"));
  const std::filesystem::path state = EscalationStatePath(config);
  EXPECT_EQ(state, dir.path() / ".hfs" / "escalations.json");
  {
    auto first = EscalationTracker::Open({.state_path = state});
    ASSERT_TRUE(first) << first.error().ToString();
    for (int i = 0; i < 3; ++i)
      (*first)->RecordFailure("layout", "critic", "negotiation", Tier::kGeneral);
    for (int i = 0; i < 3; ++i) (*first)->RecordFailure("", "arbiter", "negotiation", Tier::kFast);
    EXPECT_TRUE((*first)->Escalations()[0].persist_error.empty());
  }
  auto second = EscalationTracker::Open({.state_path = state});
  ASSERT_TRUE(second) << second.error().ToString();
  EXPECT_EQ((*second)->EscalatedTier("layout", "critic"), Tier::kReasoning);
  EXPECT_EQ((*second)->EscalatedTier("", "arbiter"), Tier::kGeneral);
  EXPECT_TRUE((*second)->Escalations().empty());  // none in this run yet
  EXPECT_EQ(ReadFile(config).value(), "triads: []  # mine\n");
}

TEST(EscalationTrackerTest, ACorruptStateFileIsAClearError) {
  testing::TempDir dir;
  const std::filesystem::path state = dir.path() / ".hfs" / "escalations.json";
  ASSERT_TRUE(WriteFileAtomic(state, "{not json"));
  auto tracker = EscalationTracker::Open({.state_path = state});
  ASSERT_FALSE(tracker);
  EXPECT_EQ(tracker.error().code, ErrorCode::kDataLoss);
  EXPECT_NE(tracker.error().message.find(state.string()), std::string::npos);
  EXPECT_NE(tracker.error().message.find("hfs tiers reset"), std::string::npos);
}

TEST(EscalationTrackerTest, AnUnwritableStateFileKeepsTheEscalationInTheRun) {
  testing::TempDir dir;
  // The state path is a directory: it cannot be replaced by a file.
  const std::filesystem::path state = dir.path() / "taken";
  std::filesystem::create_directories(state / "inside");
  EscalationTracker tracker({.state_path = state});
  std::optional<Escalation> up;
  for (int i = 0; i < 3; ++i) up = tracker.RecordFailure("t", "critic", "claims", Tier::kFast);
  ASSERT_TRUE(up);
  EXPECT_FALSE(up->persist_error.empty());
  EXPECT_EQ(tracker.EscalatedTier("t", "critic"), Tier::kGeneral);
}

// Two processes escalate different roles at the same time: the file ends with every one.
TEST(EscalationTrackerTest, TwoProcessesEscalatingAtOnceLoseNoEntry) {
  testing::TempDir dir;
  const std::filesystem::path state = dir.path() / ".hfs" / "escalations.json";
  constexpr int kRolesEach = 25;
  int start[2];
  ASSERT_EQ(::pipe(start), 0);
  std::vector<pid_t> children;
  for (int process = 0; process < 2; ++process) {
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(start[1]);
      char go = 0;
      if (::read(start[0], &go, 1) != 0) ::_exit(3);  // wait for the parent to close
      auto tracker = EscalationTracker::Open({.state_path = state});
      if (!tracker) ::_exit(2);
      for (int i = 0; i < kRolesEach; ++i) {
        const std::string triad = "p" + std::to_string(process) + "-" + std::to_string(i);
        for (int f = 0; f < 3; ++f)
          (*tracker)->RecordFailure(triad, "critic", "claims", Tier::kFast);
      }
      for (const Escalation& e : (*tracker)->Escalations()) {
        if (!e.persist_error.empty()) ::_exit(1);
      }
      ::_exit((*tracker)->Escalations().size() == kRolesEach ? 0 : 1);
    }
    children.push_back(child);
  }
  ::close(start[0]);
  ::close(start[1]);  // both children start now
  for (pid_t child : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
  }
  Result<EscalationMap> merged = ReadEscalationState(state);
  ASSERT_TRUE(merged) << merged.error().ToString();
  EXPECT_EQ(merged->size(), 2u * kRolesEach);
  for (int process = 0; process < 2; ++process) {
    for (int i = 0; i < kRolesEach; ++i) {
      const RoleKey key{"p" + std::to_string(process) + "-" + std::to_string(i), "critic"};
      EXPECT_EQ(merged->count(key), 1u) << RoleKeyName(key);
    }
  }
}

}  // namespace
}  // namespace hfs::tiers
