#include "hfs/pipeline/coverage.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hfs/base/check.h"
#include "hfs/testing/function_model.h"
#include "hfs/testing/scripted_model.h"

namespace hfs::pipeline {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::TextReply;

// hero: primary of t1 only; faq: reach of t2 and t3; footer: nobody's; layout claimed.
spec::Spec Spec() {
  spec::Spec spec =
      HFS_VALUE_OR_DIE(spec::Spec::Create({"layout", "hero", "faq", "footer", "tokens"}));
  HFS_CHECK(spec.RegisterClaim("t1", "layout", "grid").has_value(), "claim");
  return spec;
}

std::vector<triad::TriadOptions> Triads() {
  return {{.id = "t1", .scope = {.primary = {"hero", "tokens"}}},
          {.id = "t2", .scope = {.primary = {"tokens"}, .reach = {"faq"}}},
          {.id = "t3", .scope = {.reach = {"faq"}}}};
}

class CoverageTest : public ::testing::Test {
 protected:
  std::vector<CoverageAssignment> Assign(std::vector<triad::TriadOptions> triads = Triads()) {
    Arbiter arbiter(source_, {.max_retries = 0});
    return AssignUnclaimed({.spec = &spec_, .triads = std::move(triads), .request = "a page"},
                           arbiter, nullptr);
  }
  const CoverageAssignment& Find(const std::vector<CoverageAssignment>& all,
                                 const std::string& section) {
    for (const CoverageAssignment& assignment : all) {
      if (assignment.section == section) return assignment;
    }
    static const CoverageAssignment kNone;
    return kNone;
  }

  spec::Spec spec_ = Spec();
  testing::ScriptedModel model_;
  agent::FixedModel source_{model_, "judge"};
};

TEST_F(CoverageTest, OneCandidateTakesItAndSeveralGoToTheArbiter) {
  // Three sections have several candidates: tokens (two primaries), faq (two reaches),
  // footer (every triad). The arbiter picks t2 each time.
  for (int i = 0; i < 3; ++i) {
    model_.Push(TextReply(R"({"type":"assign","winner":"t2","rationale":"t2 has room"})"));
  }
  std::vector<CoverageAssignment> all = Assign();
  ASSERT_EQ(all.size(), 4u);
  const CoverageAssignment& hero = Find(all, "hero");
  EXPECT_EQ(hero.triad, "t1");
  EXPECT_EQ(hero.reason, "primary scope");
  EXPECT_FALSE(hero.arbiter);
  const CoverageAssignment& tokens = Find(all, "tokens");
  EXPECT_THAT(tokens.candidates, ElementsAre("t1", "t2"));
  EXPECT_EQ(tokens.triad, "t2");
  EXPECT_EQ(tokens.reason, "arbiter");
  ASSERT_TRUE(tokens.arbiter);
  EXPECT_EQ(tokens.arbiter->decision.rationale, "t2 has room");
  const CoverageAssignment& faq = Find(all, "faq");
  EXPECT_THAT(faq.candidates, ElementsAre("t2", "t3"));
  EXPECT_EQ(faq.triad, "t2");
  EXPECT_EQ(Find(all, "footer").candidates.size(), 3u);
  EXPECT_EQ(model_.requests().size(), 3u);
  // The arbiter sees the candidates as claimants, and why each could take the section.
  bool told = false;
  for (size_t i = 0; i < model_.requests().size(); ++i) {
    const std::string prompt = model_.requests().at(i).messages.at(1).content;
    if (prompt.find("faq") != std::string::npos &&
        prompt.find("t3 could take it through its reach") != std::string::npos) {
      told = true;
    }
  }
  EXPECT_TRUE(told);
}

TEST_F(CoverageTest, AnArbiterThatFailsFallsBackToACandidate) {
  for (int i = 0; i < 3; ++i) model_.Push(TextReply("I think t2 should have it."));
  std::vector<CoverageAssignment> all = Assign();
  const CoverageAssignment& faq = Find(all, "faq");
  EXPECT_EQ(faq.reason, "arbiter fallback");
  EXPECT_THAT(faq.candidates, ::testing::Contains(faq.triad));
  ASSERT_TRUE(faq.arbiter);
  EXPECT_TRUE(faq.arbiter->fallback);
  EXPECT_THAT(faq.arbiter->fallback_reason, HasSubstr("JSON"));
}

TEST_F(CoverageTest, ASingleActiveTriadTakesEverythingWithoutACall) {
  std::vector<CoverageAssignment> all = Assign({{.id = "t9"}});
  ASSERT_EQ(all.size(), 4u);
  for (const CoverageAssignment& assignment : all) {
    EXPECT_EQ(assignment.triad, "t9");
    EXPECT_EQ(assignment.reason, "only triad");
  }
  EXPECT_TRUE(model_.requests().empty());
  EXPECT_TRUE(Assign({}).empty());
}

}  // namespace
}  // namespace hfs::pipeline
