#include "hfs/spec/staged.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "hfs/base/check.h"

namespace hfs::spec {
namespace {

const std::vector<std::string> kTriads = {"t1", "t2", "t3"};

std::vector<std::string> Names(std::initializer_list<const char*> names) {
  return {names.begin(), names.end()};
}

Spec MakeSpec() { return HFS_VALUE_OR_DIE(Spec::Create({"layout", "hero", "faq"})); }

std::vector<StagedClaim> SampleClaims() {
  return {{"t3", "faq", "faq by t3", std::nullopt},
          {"t1", "layout", "layout by t1", "primary"},
          {"t2", "layout", "layout by t2", std::nullopt},
          {"t2", "hero", "hero by t2", std::nullopt},
          {"t1", "faq", "faq by t1", std::nullopt},
          {"t3", "layout", "layout by t3", std::nullopt}};
}

TEST(ApplyClaimsTest, OrderIsSpecOrderThenTriadOrder) {
  Spec spec = MakeSpec();
  std::vector<ClaimOutcome> outcomes = ApplyClaims(spec, SampleClaims(), kTriads);
  std::vector<std::string> applied;
  for (const ClaimOutcome& outcome : outcomes) {
    EXPECT_TRUE(outcome.Accepted());
    applied.push_back(outcome.claim.section + ":" + outcome.claim.triad);
  }
  EXPECT_EQ(applied, Names({"layout:t1", "layout:t2", "layout:t3", "hero:t2", "faq:t1", "faq:t3"}));
  EXPECT_EQ(spec.Claimants("layout"), Names({"t1", "t2", "t3"}));
  EXPECT_EQ(spec.Claimants("faq"), Names({"t1", "t3"}));
  EXPECT_EQ(spec.Contested(), Names({"layout", "faq"}));
  EXPECT_EQ(spec.Owner("hero"), "t2");
  EXPECT_EQ(spec.Get("layout")->history.front().details.at("justification"), "primary");
}

TEST(ApplyClaimsTest, ShuffledInputGivesTheIdenticalSpec) {
  Spec expected = MakeSpec();
  ApplyClaims(expected, SampleClaims(), kTriads);
  std::mt19937 random(7);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<StagedClaim> claims = SampleClaims();
    std::shuffle(claims.begin(), claims.end(), random);
    Spec spec = MakeSpec();
    ApplyClaims(spec, claims, kTriads);
    EXPECT_EQ(spec, expected) << "trial " << trial;
  }
}

TEST(ApplyClaimsTest, RejectedClaimsComeBackWithTheirReason) {
  Spec spec = MakeSpec();
  std::vector<ClaimOutcome> outcomes = ApplyClaims(spec,
                                                   {{"t1", "pricing", "tiers", std::nullopt},
                                                    {"t9", "layout", "grid", std::nullopt},
                                                    {"t1", "layout", "grid", std::nullopt},
                                                    {"t2", "about", "team", std::nullopt}},
                                                   kTriads);
  ASSERT_EQ(outcomes.size(), 4u);
  EXPECT_EQ(outcomes[0].claim.triad, "t1");  // layout, a known section, first
  EXPECT_TRUE(outcomes[0].Accepted());
  EXPECT_EQ(outcomes[1].claim.triad, "t9");
  EXPECT_EQ(outcomes[1].rejection->code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(outcomes[1].rejection->message, "triad 't9' is not one of the configured triads");
  EXPECT_EQ(outcomes[2].claim.section, "about");  // unknown sections last, by name
  EXPECT_EQ(outcomes[2].rejection->code, ErrorCode::kNotFound);
  EXPECT_EQ(outcomes[3].claim.section, "pricing");
  EXPECT_EQ(outcomes[3].rejection->code, ErrorCode::kNotFound);
  EXPECT_EQ(spec.Claimants("layout"), Names({"t1"}));
}

TEST(ApplyClaimsTest, ClaimsOnFrozenSectionsAreRejected) {
  Spec spec = MakeSpec();
  for (const char* section : {"layout", "hero", "faq"}) {
    ASSERT_TRUE(spec.RegisterClaim("t1", section, "p").has_value());
  }
  ASSERT_TRUE(spec.Freeze().has_value());
  std::vector<ClaimOutcome> outcomes =
      ApplyClaims(spec, {{"t2", "hero", "mine", std::nullopt}}, kTriads);
  EXPECT_EQ(outcomes[0].rejection->code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(spec.Get("hero")->history.back().action, "claim_rejected");
}

TEST(ApplyClaimsTest, RepeatedClaimsOfOneTriadKeepTheirStagingOrder) {
  Spec spec = MakeSpec();
  ApplyClaims(spec,
              {{"t1", "hero", "first", std::nullopt},
               {"t2", "layout", "x", std::nullopt},
               {"t1", "hero", "second", std::nullopt}},
              kTriads);
  EXPECT_EQ(spec.Proposals("hero").at("t1"), "second");
}

// "layout" contested by t1, t2, t3; "hero" claimed by t2; "faq" contested by t1, t3.
Spec NegotiatingSpec() {
  Spec spec = MakeSpec();
  ApplyClaims(spec, SampleClaims(), kTriads);
  HFS_CHECK(spec.AdvanceRound().has_value(), "round");
  return spec;
}

const SectionRoundResult& ResultFor(const RoundResult& round, std::string_view section) {
  auto it = std::find_if(round.sections.begin(), round.sections.end(),
                         [&](const SectionRoundResult& s) { return s.section == section; });
  HFS_CHECK(it != round.sections.end(), "no result for the section");
  return *it;
}

TEST(ApplyDecisionsTest, BothClaimantsConcedingLeavesTheSectionUnclaimed) {
  Spec spec = NegotiatingSpec();
  RoundResult round = ApplyDecisions(
      spec, {{"t3", "faq", Decision::kConcede, ""}, {"t1", "faq", Decision::kConcede, ""}},
      kTriads);
  EXPECT_TRUE(round.rejected.empty());
  const SectionRoundResult& faq = ResultFor(round, "faq");
  EXPECT_EQ(faq.status, SectionStatus::kUnclaimed);
  EXPECT_TRUE(faq.resolved);
  EXPECT_FALSE(faq.winner.has_value());
  EXPECT_TRUE(faq.progress);
  EXPECT_EQ(spec.Unclaimed(), Names({"faq"}));
}

TEST(ApplyDecisionsTest, OneConcedesTheOtherOwns) {
  Spec spec = NegotiatingSpec();
  RoundResult round = ApplyDecisions(
      spec, {{"t1", "faq", Decision::kConcede, ""}, {"t3", "faq", Decision::kHold, ""}}, kTriads);
  const SectionRoundResult& faq = ResultFor(round, "faq");
  EXPECT_TRUE(faq.resolved);
  EXPECT_EQ(faq.winner, "t3");
  EXPECT_EQ(spec.Owner("faq"), "t3");
}

TEST(ApplyDecisionsTest, ReviseReplacesTheProposal) {
  Spec spec = NegotiatingSpec();
  RoundResult round =
      ApplyDecisions(spec, {{"t1", "faq", Decision::kRevise, "faq with search"}}, kTriads);
  EXPECT_EQ(spec.Proposals("faq").at("t1"), "faq with search");
  const SectionRoundResult& faq = ResultFor(round, "faq");
  EXPECT_FALSE(faq.resolved);
  EXPECT_TRUE(faq.progress);
}

TEST(ApplyDecisionsTest, HoldChangesNothing) {
  Spec spec = NegotiatingSpec();
  RoundResult round = ApplyDecisions(spec,
                                     {{"t1", "faq", Decision::kHold, ""},
                                      {"t3", "faq", Decision::kHold, ""},
                                      {"t1", "layout", Decision::kRevise, "layout by t1"}},
                                     kTriads);
  EXPECT_EQ(spec.Claimants("faq"), Names({"t1", "t3"}));
  EXPECT_EQ(spec.Proposals("faq").at("t1"), "faq by t1");
  // Contested sections are all reported; an unchanged revise is no progress.
  ASSERT_EQ(round.sections.size(), 2u);
  EXPECT_EQ(round.sections[0],
            (SectionRoundResult{.section = "layout", .status = SectionStatus::kContested}));
  EXPECT_EQ(round.sections[1],
            (SectionRoundResult{.section = "faq", .status = SectionStatus::kContested}));
}

TEST(ApplyDecisionsTest, NonClaimantAndMalformedDecisionsAreRejected) {
  Spec spec = NegotiatingSpec();
  Spec before = spec;
  RoundResult round = ApplyDecisions(spec,
                                     {{"t2", "faq", Decision::kConcede, ""},
                                      {"t1", "faq", Decision::kRevise, ""},
                                      {"t1", "pricing", Decision::kHold, ""},
                                      {"t9", "faq", Decision::kHold, ""}},
                                     kTriads);
  ASSERT_EQ(round.rejected.size(), 4u);
  EXPECT_EQ(round.rejected[0].decision.triad, "t1");
  EXPECT_EQ(round.rejected[0].error.code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(round.rejected[0].error.message, "triad 't1' revised section 'faq' without a proposal");
  EXPECT_EQ(round.rejected[1].decision.triad, "t2");
  EXPECT_EQ(round.rejected[1].error.code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(round.rejected[1].error.message,
            "triad 't2' does not claim section 'faq'; its concede is ignored");
  EXPECT_EQ(round.rejected[2].decision.triad, "t9");
  EXPECT_EQ(round.rejected[3].error.code, ErrorCode::kNotFound);
  EXPECT_EQ(spec, before);
}

TEST(ApplyDecisionsTest, OneDecisionPerTriadSectionAndRound) {
  Spec spec = NegotiatingSpec();
  RoundResult round = ApplyDecisions(
      spec, {{"t1", "faq", Decision::kHold, ""}, {"t1", "faq", Decision::kConcede, ""}}, kTriads);
  ASSERT_EQ(round.rejected.size(), 1u);
  EXPECT_EQ(round.rejected[0].decision.decision, Decision::kConcede);
  EXPECT_EQ(spec.Claimants("faq"), Names({"t1", "t3"}));
}

TEST(ApplyDecisionsTest, AppliedPerSectionInClaimOrder) {
  Spec spec = NegotiatingSpec();
  RoundResult round = ApplyDecisions(spec,
                                     {{"t3", "layout", Decision::kConcede, ""},
                                      {"t2", "hero", Decision::kConcede, ""},
                                      {"t2", "layout", Decision::kRevise, "layout v2"},
                                      {"t1", "layout", Decision::kConcede, ""}},
                                     kTriads);
  EXPECT_TRUE(round.rejected.empty());
  EXPECT_EQ(spec.Owner("layout"), "t2");
  EXPECT_EQ(spec.Proposals("layout").at("t2"), "layout v2");
  EXPECT_EQ(spec.Get("hero")->status, SectionStatus::kUnclaimed);

  std::vector<std::string> applied;
  for (const SectionHistoryEntry& e : spec.FullHistory()) {
    if (e.entry.round == 1) applied.push_back(e.section + ":" + e.entry.by + ":" + e.entry.action);
  }
  EXPECT_EQ(applied, Names({"layout:t1:concede", "layout:t2:revise", "layout:t3:concede",
                            "hero:t2:concede"}));

  std::vector<std::string> reported;
  for (const SectionRoundResult& s : round.sections) reported.push_back(s.section);
  EXPECT_EQ(reported, Names({"layout", "hero", "faq"}));
  EXPECT_EQ(ResultFor(round, "layout").winner, "t2");
  EXPECT_TRUE(ResultFor(round, "hero").resolved);
  EXPECT_FALSE(ResultFor(round, "faq").progress);
}

TEST(ApplyDecisionsTest, ShuffledDecisionsGiveTheIdenticalSpec) {
  const std::vector<StagedDecision> decisions = {
      {"t3", "layout", Decision::kRevise, "layout by t3, v2"},
      {"t1", "layout", Decision::kConcede, ""},
      {"t2", "layout", Decision::kHold, ""},
      {"t1", "faq", Decision::kRevise, "faq v2"},
      {"t3", "faq", Decision::kConcede, ""},
      {"t2", "faq", Decision::kHold, ""}};
  Spec expected = NegotiatingSpec();
  RoundResult expected_round = ApplyDecisions(expected, decisions, kTriads);
  std::mt19937 random(11);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<StagedDecision> shuffled = decisions;
    std::shuffle(shuffled.begin(), shuffled.end(), random);
    Spec spec = NegotiatingSpec();
    RoundResult round = ApplyDecisions(spec, shuffled, kTriads);
    EXPECT_EQ(spec, expected) << "trial " << trial;
    EXPECT_EQ(round.sections, expected_round.sections);
    ASSERT_EQ(round.rejected.size(), 1u);
    EXPECT_EQ(round.rejected[0].decision, expected_round.rejected[0].decision);
  }
  EXPECT_EQ(expected.Claimants("layout"), Names({"t2", "t3"}));
  EXPECT_EQ(expected.Owner("faq"), "t1");
}

TEST(ApplyDecisionsTest, DecisionNames) {
  EXPECT_EQ(DecisionName(Decision::kConcede), "concede");
  EXPECT_EQ(DecisionName(Decision::kRevise), "revise");
  EXPECT_EQ(DecisionName(Decision::kHold), "hold");
}

}  // namespace
}  // namespace hfs::spec
