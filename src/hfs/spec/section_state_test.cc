// The section state machine (hfs-original §2.3, with unowned freezes rejected).
#include <gtest/gtest.h>

#include "hfs/base/check.h"
#include "hfs/spec/spec.h"

namespace hfs::spec {
namespace {

Spec MakeSpec() { return HFS_VALUE_OR_DIE(Spec::Create({"layout", "hero"})); }

const Section& Layout(const Spec& spec) { return *spec.Get("layout"); }

TEST(SectionStateTest, UnclaimedToClaimedOnFirstClaim) {
  Spec spec = MakeSpec();
  EXPECT_EQ(Layout(spec).status, SectionStatus::kUnclaimed);
  ASSERT_TRUE(spec.RegisterClaim("t1", "layout", "grid").has_value());
  EXPECT_EQ(Layout(spec).status, SectionStatus::kClaimed);
  EXPECT_EQ(Layout(spec).owner, "t1");
  EXPECT_EQ(Layout(spec).claims, std::vector<std::string>{"t1"});
  EXPECT_EQ(Layout(spec).proposals.at("t1"), "grid");
}

TEST(SectionStateTest, ClaimedToContestedOnClaimByAnotherTriad) {
  Spec spec = MakeSpec();
  ASSERT_TRUE(spec.RegisterClaim("t1", "layout", "grid").has_value());
  ASSERT_TRUE(spec.RegisterClaim("t2", "layout", "flex").has_value());
  EXPECT_EQ(Layout(spec).status, SectionStatus::kContested);
  EXPECT_FALSE(Layout(spec).owner.has_value());
  EXPECT_EQ(Layout(spec).claims, (std::vector<std::string>{"t1", "t2"}));
  const HistoryEntry& last = Layout(spec).history.back();
  EXPECT_EQ(last.action, "claim");
  EXPECT_EQ(last.details.at("num_claimants"), "2");
  EXPECT_EQ(last.details.at("status"), "contested");
}

TEST(SectionStateTest, ClaimedStaysClaimedWhenTheSameTriadClaimsAgain) {
  Spec spec = MakeSpec();
  ASSERT_TRUE(spec.RegisterClaim("t1", "layout", "grid").has_value());
  ASSERT_TRUE(spec.RegisterClaim("t1", "layout", "grid v2").has_value());
  EXPECT_EQ(Layout(spec).status, SectionStatus::kClaimed);
  EXPECT_EQ(Layout(spec).claims.size(), 1u);
  EXPECT_EQ(Layout(spec).proposals.at("t1"), "grid v2");
  EXPECT_EQ(Layout(spec).history.back().details.at("replaced_proposal"), "true");
}

TEST(SectionStateTest, ContestedToClaimedWhenOneOfTwoConcedes) {
  Spec spec = MakeSpec();
  ASSERT_TRUE(spec.RegisterClaim("t1", "layout", "grid").has_value());
  ASSERT_TRUE(spec.RegisterClaim("t2", "layout", "flex").has_value());
  ASSERT_TRUE(spec.Concede("t1", "layout").has_value());
  EXPECT_EQ(Layout(spec).status, SectionStatus::kClaimed);
  EXPECT_EQ(Layout(spec).owner, "t2");
  EXPECT_FALSE(Layout(spec).proposals.contains("t1"));
  const HistoryEntry& last = Layout(spec).history.back();
  EXPECT_EQ(last.action, "concede");
  EXPECT_EQ(last.by, "t1");
  EXPECT_EQ(last.details.at("remaining_claimants"), "1");
  EXPECT_EQ(last.details.at("new_owner"), "t2");
}

TEST(SectionStateTest, ContestedStaysContestedWhileTwoClaimantsRemain) {
  Spec spec = MakeSpec();
  for (const char* triad : {"t1", "t2", "t3"}) {
    ASSERT_TRUE(spec.RegisterClaim(triad, "layout", "p").has_value());
  }
  ASSERT_TRUE(spec.Concede("t2", "layout").has_value());
  EXPECT_EQ(Layout(spec).status, SectionStatus::kContested);
  EXPECT_EQ(Layout(spec).claims, (std::vector<std::string>{"t1", "t3"}));
}

TEST(SectionStateTest, ClaimedToUnclaimedOnConcede) {
  Spec spec = MakeSpec();
  ASSERT_TRUE(spec.RegisterClaim("t1", "layout", "grid").has_value());
  ASSERT_TRUE(spec.Concede("t1", "layout").has_value());
  EXPECT_EQ(Layout(spec).status, SectionStatus::kUnclaimed);
  EXPECT_FALSE(Layout(spec).owner.has_value());
  EXPECT_TRUE(Layout(spec).proposals.empty());
}

TEST(SectionStateTest, UnclaimedAndContestedToClaimedByAssign) {
  Spec spec = MakeSpec();
  ASSERT_TRUE(spec.Assign("hero", "t3", "coverage").has_value());
  EXPECT_EQ(spec.Get("hero")->status, SectionStatus::kClaimed);
  EXPECT_EQ(spec.Owner("hero"), "t3");
  EXPECT_EQ(spec.Proposals("hero").at("t3"), "");

  ASSERT_TRUE(spec.RegisterClaim("t1", "layout", "grid").has_value());
  ASSERT_TRUE(spec.RegisterClaim("t2", "layout", "flex").has_value());
  ASSERT_TRUE(spec.Assign("layout", "t2", "fallback").has_value());
  EXPECT_EQ(Layout(spec).status, SectionStatus::kClaimed);
  EXPECT_EQ(Layout(spec).claims, std::vector<std::string>{"t2"});
  EXPECT_EQ(Layout(spec).proposals.at("t2"), "flex");
  const HistoryEntry& last = Layout(spec).history.back();
  EXPECT_EQ(last.action, "assigned");
  EXPECT_EQ(last.details.at("reason"), "fallback");
  EXPECT_EQ(last.details.at("conceded"), "t1");
}

TEST(SectionStateTest, ClaimedToFrozenOnFreeze) {
  Spec spec = MakeSpec();
  ASSERT_TRUE(spec.RegisterClaim("t1", "layout", "grid").has_value());
  ASSERT_TRUE(spec.RegisterClaim("t2", "hero", "big").has_value());
  ASSERT_TRUE(spec.Freeze().has_value());
  EXPECT_EQ(Layout(spec).status, SectionStatus::kFrozen);
  EXPECT_EQ(Layout(spec).owner, "t1");
  EXPECT_EQ(Layout(spec).content, "grid");
  EXPECT_EQ(spec.Get("hero")->content, "big");
  EXPECT_EQ(Layout(spec).history.back().action, "freeze");
  EXPECT_EQ(Layout(spec).history.back().details.at("final_owner"), "t1");
}

TEST(SectionStateTest, UnclaimedOrContestedSectionsBlockFreeze) {
  Spec spec = MakeSpec();
  ASSERT_TRUE(spec.RegisterClaim("t1", "layout", "grid").has_value());
  ASSERT_TRUE(spec.RegisterClaim("t2", "layout", "flex").has_value());
  Spec before = spec;
  Result<void> frozen = spec.Freeze();
  ASSERT_FALSE(frozen.has_value());
  EXPECT_EQ(frozen.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(frozen.error().message.find("'layout' (contested by t1, t2)"), std::string::npos);
  EXPECT_NE(frozen.error().message.find("'hero' (unclaimed)"), std::string::npos);
  EXPECT_EQ(spec, before);
}

TEST(SectionStateTest, FrozenRejectsEveryChange) {
  Spec spec = MakeSpec();
  ASSERT_TRUE(spec.RegisterClaim("t1", "layout", "grid").has_value());
  ASSERT_TRUE(spec.RegisterClaim("t2", "hero", "big").has_value());
  ASSERT_TRUE(spec.Freeze().has_value());

  Result<void> claim = spec.RegisterClaim("t2", "layout", "flex");
  ASSERT_FALSE(claim.has_value());
  EXPECT_EQ(claim.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(Layout(spec).history.back().action, "claim_rejected");
  EXPECT_EQ(Layout(spec).history.back().details.at("reason"), "section_frozen");
  EXPECT_EQ(Layout(spec).claims, std::vector<std::string>{"t1"});

  Result<void> concede = spec.Concede("t1", "layout");
  ASSERT_FALSE(concede.has_value());
  EXPECT_EQ(concede.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(Layout(spec).history.back().action, "concede_rejected");

  EXPECT_EQ(spec.UpdateProposal("t1", "layout", "x").error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(spec.Hold("t1", "layout").error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(spec.Assign("layout", "t1", "coverage").error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(spec.Apply({.winner = "t1"}, "layout").error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(Layout(spec).content, "grid");
  EXPECT_EQ(Layout(spec).status, SectionStatus::kFrozen);
}

}  // namespace
}  // namespace hfs::spec
