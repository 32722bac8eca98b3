#include "hfs/spec/arbiter_decision.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "hfs/base/check.h"
#include "hfs/spec/spec.h"

namespace hfs::spec {
namespace {

using Type = ArbiterDecision::Type;

std::vector<std::string> Names(std::initializer_list<const char*> names) {
  return {names.begin(), names.end()};
}

// "layout" contested by t1, t2, t3; "hero" and "faq" owned.
Spec ContestedSpec() {
  Spec spec = HFS_VALUE_OR_DIE(Spec::Create({"hero", "layout", "faq"}));
  HFS_CHECK(spec.RegisterClaim("t1", "hero", "big").has_value(), "claim");
  HFS_CHECK(spec.RegisterClaim("t1", "layout", "grid").has_value(), "claim");
  HFS_CHECK(spec.RegisterClaim("t2", "layout", "flex").has_value(), "claim");
  HFS_CHECK(spec.RegisterClaim("t3", "layout", "columns").has_value(), "claim");
  HFS_CHECK(spec.RegisterClaim("t3", "faq", "list").has_value(), "claim");
  HFS_CHECK(spec.AdvanceRound().has_value(), "round");
  return spec;
}

TEST(ArbiterDecisionTest, TypeNames) {
  EXPECT_EQ(ArbiterDecisionTypeName(Type::kAssign), "assign");
  EXPECT_EQ(ArbiterDecisionTypeName(Type::kSplit), "split");
  EXPECT_EQ(ArbiterDecisionTypeName(Type::kMerge), "merge");
}

TEST(ArbiterDecisionTest, AssignMakesTheOthersConcede) {
  Spec spec = ContestedSpec();
  ASSERT_TRUE(spec.Apply({.type = Type::kAssign, .winner = "t2", .rationale = "closest to intent"},
                         "layout")
                  .has_value());
  const Section& layout = *spec.Get("layout");
  EXPECT_EQ(layout.status, SectionStatus::kClaimed);
  EXPECT_EQ(layout.owner, "t2");
  EXPECT_EQ(layout.claims, Names({"t2"}));
  EXPECT_EQ(layout.proposals, (std::map<std::string, std::string>{{"t2", "flex"}}));

  ASSERT_GE(layout.history.size(), 3u);
  std::vector<HistoryEntry> last(layout.history.end() - 3, layout.history.end());
  EXPECT_EQ(last[0].action, "concede");
  EXPECT_EQ(last[0].by, "arbiter");
  EXPECT_EQ(last[0].details.at("triad"), "t1");
  EXPECT_EQ(last[1].action, "concede");
  EXPECT_EQ(last[1].details.at("triad"), "t3");
  EXPECT_EQ(last[2].action, "assigned");
  EXPECT_EQ(last[2].by, "arbiter");
  EXPECT_EQ(last[2].details.at("decision"), "assign");
  EXPECT_EQ(last[2].details.at("rationale"), "closest to intent");
  EXPECT_EQ(last[2].round, 1);
}

TEST(ArbiterDecisionTest, MergeReplacesTheProposalAndAssigns) {
  Spec spec = ContestedSpec();
  ASSERT_TRUE(
      spec.Apply(
              {.type = Type::kMerge, .merged_proposal = "grid with flex rows", .assigned_to = "t1"},
              "layout")
          .has_value());
  EXPECT_EQ(spec.Owner("layout"), "t1");
  EXPECT_EQ(spec.Proposals("layout"),
            (std::map<std::string, std::string>{{"t1", "grid with flex rows"}}));
  EXPECT_EQ(spec.Get("layout")->history.back().details.at("decision"), "merge");
}

TEST(ArbiterDecisionTest, SplitReplacesTheSectionInPlace) {
  Spec spec = ContestedSpec();
  ASSERT_TRUE(spec.Apply({.type = Type::kSplit,
                          .division = {{"layout/header", "t2"}, {"layout/body", "t1"}},
                          .rationale = "two concerns"},
                         "layout")
                  .has_value());
  EXPECT_EQ(spec.SectionNames(), Names({"hero", "layout/header", "layout/body", "faq"}));
  EXPECT_EQ(spec.Get("layout"), nullptr);

  const Section& header = *spec.Get("layout/header");
  EXPECT_EQ(header.status, SectionStatus::kClaimed);
  EXPECT_EQ(header.owner, "t2");
  EXPECT_EQ(header.claims, Names({"t2"}));
  EXPECT_EQ(header.proposals, (std::map<std::string, std::string>{{"t2", "flex"}}));
  ASSERT_EQ(header.history.size(), 1u);
  EXPECT_EQ(header.history[0].action, "split_from_arbiter");
  EXPECT_EQ(header.history[0].by, "arbiter");
  EXPECT_EQ(header.history[0].details.at("original_section"), "layout");
  EXPECT_EQ(spec.Proposals("layout/body").at("t1"), "grid");

  // The replaced section's history stays in the full history.
  std::vector<SectionHistoryEntry> history = spec.FullHistory();
  auto split = std::find_if(history.begin(), history.end(), [](const SectionHistoryEntry& e) {
    return e.section == "layout" && e.entry.action == "split";
  });
  ASSERT_NE(split, history.end());
  EXPECT_EQ(split->entry.details.at("sub_sections"), "layout/header, layout/body");

  Result<void> old = spec.RegisterClaim("t3", "layout", "columns");
  ASSERT_FALSE(old.has_value());
  EXPECT_EQ(old.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(old.error().message,
            "section 'layout' no longer exists: the arbiter split it into 'layout/header', "
            "'layout/body'");
  EXPECT_TRUE(spec.Freeze().has_value());
}

struct InvalidCase {
  const char* name;
  ArbiterDecision decision;
  const char* message;
};

class ArbiterValidationTest : public testing::TestWithParam<InvalidCase> {};

TEST_P(ArbiterValidationTest, IsRejectedAndChangesNothing) {
  Spec spec = ContestedSpec();
  Spec before = spec;
  Result<void> applied = spec.Apply(GetParam().decision, "layout");
  ASSERT_FALSE(applied.has_value());
  EXPECT_EQ(applied.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(applied.error().message,
            std::string("arbiter decision for section 'layout': ") + GetParam().message);
  EXPECT_EQ(spec, before);
}

INSTANTIATE_TEST_SUITE_P(
    Decisions, ArbiterValidationTest,
    testing::Values(
        InvalidCase{"AssignToNonClaimant",
                    {.type = Type::kAssign, .winner = "t9"},
                    "winner 't9' is not a claimant (claimants: t1, t2, t3)"},
        InvalidCase{"AssignWithoutWinner",
                    {.type = Type::kAssign},
                    "winner '' is not a claimant (claimants: t1, t2, t3)"},
        InvalidCase{"SplitWithOneEntry",
                    {.type = Type::kSplit, .division = {{"layout/a", "t1"}}},
                    "a split needs at least two sub-sections"},
        InvalidCase{"SplitWithEmptyName",
                    {.type = Type::kSplit, .division = {{"layout/a", "t1"}, {"", "t2"}}},
                    "a sub-section name is empty"},
        InvalidCase{"SplitWithRepeatedName",
                    {.type = Type::kSplit, .division = {{"layout/a", "t1"}, {"layout/a", "t2"}}},
                    "sub-section 'layout/a' is listed twice"},
        InvalidCase{"SplitOntoExistingSection",
                    {.type = Type::kSplit, .division = {{"layout/a", "t1"}, {"faq", "t2"}}},
                    "sub-section 'faq' already exists in the spec"},
        InvalidCase{"SplitKeepingTheOriginalName",
                    {.type = Type::kSplit, .division = {{"layout", "t1"}, {"layout/b", "t2"}}},
                    "sub-section 'layout' already exists in the spec"},
        InvalidCase{"SplitToNonClaimant",
                    {.type = Type::kSplit, .division = {{"layout/a", "t1"}, {"layout/b", "t9"}}},
                    "split triad 't9' is not a claimant (claimants: t1, t2, t3)"},
        InvalidCase{"MergeWithoutProposal",
                    {.type = Type::kMerge, .assigned_to = "t1"},
                    "a merge needs a merged proposal"},
        InvalidCase{"MergeToNonClaimant",
                    {.type = Type::kMerge, .merged_proposal = "both", .assigned_to = "t9"},
                    "assigned_to 't9' is not a claimant (claimants: t1, t2, t3)"}),
    [](const testing::TestParamInfo<InvalidCase>& info) { return info.param.name; });

TEST(ArbiterDecisionTest, MissingOrFrozenSection) {
  Spec spec = ContestedSpec();
  EXPECT_EQ(spec.Apply({.winner = "t1"}, "pricing").error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(spec.Apply({.winner = "t1"}, "layout").has_value());
  ASSERT_TRUE(spec.Freeze().has_value());
  EXPECT_EQ(spec.Apply({.winner = "t1"}, "layout").error().code, ErrorCode::kFailedPrecondition);
}

}  // namespace
}  // namespace hfs::spec
