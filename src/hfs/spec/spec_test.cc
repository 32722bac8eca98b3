// Spec behaviours the original tests asserted (hfs-original §13), with the fixes of §15:
// claims on unknown or frozen sections are rejected, and freezing needs an owner per section.
#include "hfs/spec/spec.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "hfs/base/check.h"

namespace hfs::spec {
namespace {

Spec MakeSpec() { return HFS_VALUE_OR_DIE(Spec::Create({"layout", "hero", "faq"})); }

std::vector<std::string> Names(std::initializer_list<const char*> names) {
  return {names.begin(), names.end()};
}

TEST(SpecTest, EnumNames) {
  EXPECT_EQ(SectionStatusName(SectionStatus::kUnclaimed), "unclaimed");
  EXPECT_EQ(SectionStatusName(SectionStatus::kClaimed), "claimed");
  EXPECT_EQ(SectionStatusName(SectionStatus::kContested), "contested");
  EXPECT_EQ(SectionStatusName(SectionStatus::kFrozen), "frozen");
  EXPECT_EQ(SpecStatusName(SpecStatus::kInitializing), "initializing");
  EXPECT_EQ(SpecStatusName(SpecStatus::kNegotiating), "negotiating");
  EXPECT_EQ(SpecStatusName(SpecStatus::kCooling), "cooling");
  EXPECT_EQ(SpecStatusName(SpecStatus::kFrozen), "frozen");
  EXPECT_EQ(SpecStatusName(SpecStatus::kExecuting), "executing");
}

TEST(SpecTest, Defaults) {
  Spec spec = MakeSpec();
  EXPECT_EQ(spec.Round(), 0);
  EXPECT_EQ(spec.Temperature(), 1.0);
  EXPECT_EQ(spec.Status(), SpecStatus::kInitializing);
  EXPECT_FALSE(spec.IsFrozen());
  EXPECT_EQ(spec.SectionNames(), Names({"layout", "hero", "faq"}));
  EXPECT_EQ(spec.Unclaimed(), Names({"layout", "hero", "faq"}));
  for (const Section& section : spec.Sections()) {
    EXPECT_EQ(section.status, SectionStatus::kUnclaimed);
    EXPECT_FALSE(section.owner.has_value());
    EXPECT_FALSE(section.content.has_value());
    EXPECT_TRUE(section.claims.empty());
    EXPECT_TRUE(section.history.empty());
  }
}

TEST(SpecTest, CreateRejectsBadSectionLists) {
  EXPECT_EQ(Spec::Create({}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(Spec::Create({"a", ""}).error().code, ErrorCode::kInvalidArgument);
  Result<Spec> twice = Spec::Create({"a", "b", "a"});
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().message, "section 'a' is listed twice");
}

TEST(SpecTest, ClaimOnUnknownSectionIsRejected) {
  Spec spec = MakeSpec();
  Result<void> claim = spec.RegisterClaim("t1", "pricing", "three tiers");
  ASSERT_FALSE(claim.has_value());
  EXPECT_EQ(claim.error().code, ErrorCode::kNotFound);
  EXPECT_NE(claim.error().message.find("'pricing'"), std::string::npos);
  EXPECT_EQ(spec.Get("pricing"), nullptr);
  EXPECT_EQ(spec.SectionNames().size(), 3u);
  EXPECT_TRUE(spec.FullHistory().empty());
}

TEST(SpecTest, ClaimNeedsATriadId) {
  Spec spec = MakeSpec();
  EXPECT_EQ(spec.RegisterClaim("", "layout", "grid").error().code, ErrorCode::kInvalidArgument);
}

TEST(SpecTest, ClaimRecordsItsJustification) {
  Spec spec = MakeSpec();
  ASSERT_TRUE(spec.RegisterClaim("t1", "layout", "grid", "primary scope").has_value());
  EXPECT_EQ(spec.Get("layout")->history.back().details.at("justification"), "primary scope");
}

TEST(SpecTest, ConcedeErrors) {
  Spec spec = MakeSpec();
  ASSERT_TRUE(spec.RegisterClaim("t1", "layout", "grid").has_value());
  EXPECT_EQ(spec.Concede("t1", "pricing").error().code, ErrorCode::kNotFound);
  Result<void> stranger = spec.Concede("t2", "layout");
  ASSERT_FALSE(stranger.has_value());
  EXPECT_EQ(stranger.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(stranger.error().message, "triad 't2' does not claim section 'layout'");
  EXPECT_EQ(spec.Owner("layout"), "t1");
}

TEST(SpecTest, UpdateProposal) {
  Spec spec = MakeSpec();
  ASSERT_TRUE(spec.RegisterClaim("t1", "layout", "grid").has_value());
  ASSERT_TRUE(spec.UpdateProposal("t1", "layout", "grid, 12 columns").has_value());
  EXPECT_EQ(spec.Proposals("layout").at("t1"), "grid, 12 columns");
  EXPECT_EQ(spec.Get("layout")->history.back().action, "revise");
  EXPECT_EQ(spec.Get("layout")->history.back().details.at("changed"), "true");
  EXPECT_EQ(spec.UpdateProposal("t2", "layout", "flex").error().code,
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(spec.UpdateProposal("t1", "pricing", "x").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(spec.Proposals("layout").at("t1"), "grid, 12 columns");
}

TEST(SpecTest, HoldOnlyRecordsHistory) {
  Spec spec = MakeSpec();
  ASSERT_TRUE(spec.RegisterClaim("t1", "layout", "grid").has_value());
  ASSERT_TRUE(spec.RegisterClaim("t2", "layout", "flex").has_value());
  ASSERT_TRUE(spec.Hold("t1", "layout").has_value());
  EXPECT_EQ(spec.Get("layout")->status, SectionStatus::kContested);
  EXPECT_EQ(spec.Get("layout")->history.back().action, "hold");
  EXPECT_EQ(spec.Hold("t3", "layout").error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(spec.Hold("t1", "pricing").error().code, ErrorCode::kNotFound);
}

TEST(SpecTest, AssignErrors) {
  Spec spec = MakeSpec();
  ASSERT_TRUE(spec.RegisterClaim("t1", "layout", "grid").has_value());
  ASSERT_TRUE(spec.RegisterClaim("t2", "layout", "flex").has_value());
  EXPECT_EQ(spec.Assign("pricing", "t1", "coverage").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(spec.Assign("layout", "", "coverage").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(spec.Assign("layout", "t1", "").error().code, ErrorCode::kInvalidArgument);
  Result<void> stranger = spec.Assign("layout", "t3", "coverage");
  ASSERT_FALSE(stranger.has_value());
  EXPECT_EQ(stranger.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(stranger.error().message,
            "section 'layout' is claimed by t1, t2; triad 't3' is not a claimant");
  EXPECT_EQ(spec.Get("layout")->status, SectionStatus::kContested);
}

TEST(SpecTest, AssignWithProposalReplacesIt) {
  Spec spec = MakeSpec();
  ASSERT_TRUE(spec.Assign("faq", "t2", "coverage", "accordion of questions").has_value());
  EXPECT_EQ(spec.Proposals("faq").at("t2"), "accordion of questions");
  const HistoryEntry& last = spec.Get("faq")->history.back();
  EXPECT_EQ(last.by, "system");
  EXPECT_EQ(last.details.at("triad"), "t2");
  EXPECT_EQ(last.details.at("reason"), "coverage");
}

TEST(SpecTest, StatusListsAndGetters) {
  Spec spec = MakeSpec();
  ASSERT_TRUE(spec.RegisterClaim("t1", "layout", "grid").has_value());
  ASSERT_TRUE(spec.RegisterClaim("t1", "faq", "list").has_value());
  ASSERT_TRUE(spec.RegisterClaim("t2", "faq", "accordion").has_value());
  EXPECT_EQ(spec.Claimed(), Names({"layout"}));
  EXPECT_EQ(spec.Contested(), Names({"faq"}));
  EXPECT_EQ(spec.Unclaimed(), Names({"hero"}));
  EXPECT_TRUE(spec.Frozen().empty());
  EXPECT_EQ(spec.Owner("layout"), "t1");
  EXPECT_EQ(spec.Owner("faq"), std::nullopt);
  EXPECT_EQ(spec.Owner("pricing"), std::nullopt);
  EXPECT_EQ(spec.Claimants("faq"), Names({"t1", "t2"}));
  EXPECT_TRUE(spec.Claimants("pricing").empty());
  EXPECT_EQ(spec.Proposals("faq"),
            (std::map<std::string, std::string>{{"t1", "list"}, {"t2", "accordion"}}));
  EXPECT_TRUE(spec.Proposals("pricing").empty());
}

TEST(SpecTest, CoverageReport) {
  Spec spec = MakeSpec();
  ASSERT_TRUE(spec.RegisterClaim("t1", "layout", "grid").has_value());
  ASSERT_TRUE(spec.RegisterClaim("t1", "faq", "list").has_value());
  ASSERT_TRUE(spec.RegisterClaim("t2", "faq", "accordion").has_value());
  CoverageReport report = spec.Coverage();
  EXPECT_EQ(report.total, 3);
  EXPECT_EQ(report.unclaimed, Names({"hero"}));
  EXPECT_EQ(report.contested, Names({"faq"}));
  EXPECT_EQ(report.claimed, Names({"layout"}));
  EXPECT_TRUE(report.frozen.empty());
  EXPECT_EQ(report.ownership, (std::map<std::string, std::string>{{"layout", "t1"}}));
  EXPECT_EQ(report.coverage_gaps, 1);
  EXPECT_EQ(report.unresolved_conflicts, 1);
  EXPECT_FALSE(report.Complete());

  ASSERT_TRUE(spec.Assign("hero", "t2", "coverage").has_value());
  ASSERT_TRUE(spec.Assign("faq", "t2", "fallback").has_value());
  ASSERT_TRUE(spec.Freeze().has_value());
  report = spec.Coverage();
  EXPECT_TRUE(report.Complete());
  EXPECT_EQ(report.frozen, Names({"layout", "hero", "faq"}));
  EXPECT_EQ(report.ownership,
            (std::map<std::string, std::string>{{"layout", "t1"}, {"hero", "t2"}, {"faq", "t2"}}));
}

TEST(SpecTest, HistoryIsOrderedByRoundThenSequence) {
  Spec spec = MakeSpec();
  ASSERT_TRUE(spec.RegisterClaim("t1", "faq", "list").has_value());
  ASSERT_TRUE(spec.RegisterClaim("t2", "layout", "grid").has_value());
  ASSERT_TRUE(spec.RegisterClaim("t2", "faq", "accordion").has_value());
  ASSERT_TRUE(spec.AdvanceRound().has_value());
  ASSERT_TRUE(spec.Hold("t2", "faq").has_value());
  ASSERT_TRUE(spec.AdvanceRound().has_value());
  ASSERT_TRUE(spec.Concede("t1", "faq").has_value());

  std::vector<SectionHistoryEntry> history = spec.FullHistory();
  ASSERT_EQ(history.size(), 5u);
  std::vector<std::tuple<std::string, int, int64_t, std::string>> seen;
  for (const SectionHistoryEntry& e : history) {
    seen.emplace_back(e.section, e.entry.round, e.entry.sequence, e.entry.action);
  }
  using Row = std::tuple<std::string, int, int64_t, std::string>;
  EXPECT_EQ(seen, (std::vector<Row>{{"faq", 0, 1, "claim"},
                                    {"layout", 0, 2, "claim"},
                                    {"faq", 0, 3, "claim"},
                                    {"faq", 1, 4, "hold"},
                                    {"faq", 2, 5, "concede"}}));
}

TEST(SpecTest, SameCallsGiveTheSameSpec) {
  auto run = [] {
    Spec spec = MakeSpec();
    EXPECT_TRUE(spec.RegisterClaim("t1", "faq", "list").has_value());
    EXPECT_TRUE(spec.RegisterClaim("t2", "faq", "accordion").has_value());
    EXPECT_TRUE(spec.AdvanceRound().has_value());
    EXPECT_TRUE(spec.Concede("t2", "faq").has_value());
    return spec;
  };
  EXPECT_EQ(run(), run());
}

TEST(SpecTest, FreezeAndExecutionStatus) {
  Spec spec = MakeSpec();
  for (const char* section : {"layout", "hero", "faq"}) {
    ASSERT_TRUE(spec.RegisterClaim("t1", section, "p").has_value());
  }
  EXPECT_EQ(spec.BeginExecution().error().code, ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(spec.AdvanceRound().has_value());
  ASSERT_TRUE(spec.Freeze().has_value());
  EXPECT_TRUE(spec.IsFrozen());
  EXPECT_EQ(spec.Status(), SpecStatus::kFrozen);
  EXPECT_EQ(spec.Temperature(), 0.0);
  EXPECT_EQ(spec.Round(), 1);
  EXPECT_EQ(spec.Freeze().error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(spec.AdvanceRound().error().code, ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(spec.BeginExecution().has_value());
  EXPECT_EQ(spec.Status(), SpecStatus::kExecuting);
  EXPECT_TRUE(spec.IsFrozen());
  EXPECT_EQ(spec.RegisterClaim("t2", "faq", "x").error().code, ErrorCode::kFailedPrecondition);
}

TEST(SpecTest, AFrozenSectionCanBeTakenOverWithItsContent) {
  Spec spec = MakeSpec();
  for (const char* section : {"layout", "hero", "faq"}) {
    ASSERT_TRUE(spec.RegisterClaim("t1", section, std::string("plan for ") + section).has_value());
  }
  EXPECT_EQ(spec.TakeOver("hero", "t2", "owner failed").error().code,
            ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(spec.Freeze().has_value());
  ASSERT_TRUE(spec.TakeOver("hero", "t2", "owner failed").has_value());
  EXPECT_EQ(spec.Owner("hero"), "t2");
  EXPECT_EQ(spec.Get("hero")->content, "plan for hero");
  EXPECT_EQ(spec.Get("hero")->status, SectionStatus::kFrozen);
  EXPECT_EQ(spec.Get("hero")->history.back().action, "taken_over");
  EXPECT_EQ(spec.Get("hero")->history.back().details.at("from"), "t1");
  EXPECT_EQ(spec.TakeOver("nope", "t2", "x").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(spec.TakeOver("hero", "", "x").error().code, ErrorCode::kInvalidArgument);
}

TEST(SpecTest, ClaimContestConcedeFreezeScenario) {
  Spec spec = MakeSpec();
  ASSERT_TRUE(spec.RegisterClaim("visual", "layout", "grid").has_value());
  ASSERT_TRUE(spec.RegisterClaim("motion", "layout", "flex").has_value());
  ASSERT_TRUE(spec.RegisterClaim("visual", "hero", "big image").has_value());
  ASSERT_TRUE(spec.RegisterClaim("content", "faq", "accordion").has_value());
  EXPECT_EQ(spec.Contested(), Names({"layout"}));

  ASSERT_TRUE(spec.AdvanceRound().has_value());
  EXPECT_EQ(spec.Status(), SpecStatus::kNegotiating);
  ASSERT_TRUE(spec.Concede("motion", "layout").has_value());
  EXPECT_TRUE(spec.Contested().empty());

  ASSERT_TRUE(spec.Freeze().has_value());
  EXPECT_EQ(spec.Frozen(), Names({"layout", "hero", "faq"}));
  EXPECT_EQ(spec.Get("layout")->content, "grid");
  EXPECT_EQ(spec.Owner("layout"), "visual");
  EXPECT_EQ(spec.Get("faq")->content, "accordion");
  EXPECT_EQ(spec.FullHistory().back().entry.action, "freeze");
}

}  // namespace
}  // namespace hfs::spec
