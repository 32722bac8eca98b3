#include "hfs/pipeline/arbiter.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "hfs/base/check.h"
#include "hfs/pipeline/arbiter_prompt.h"
#include "hfs/testing/fake_clock.h"
#include "hfs/testing/function_model.h"
#include "hfs/testing/scripted_model.h"

namespace hfs::pipeline {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::TextReply;

// Aborts the test binary on an unexpected error in setup.
void MustSucceed(const Result<void>& result) {
  HFS_CHECK(result.has_value(), result.error().ToString());
}

// layout claimed by t1; hero contested by t1 (registered first) and t2, whose primary
// scope holds it.
spec::Spec ContestedSpec() {
  spec::Spec spec = HFS_VALUE_OR_DIE(spec::Spec::Create({"layout", "hero", "faq"}));
  MustSucceed(spec.RegisterClaim("t1", "layout", "a 12-column grid"));
  MustSucceed(spec.RegisterClaim("t1", "hero", "a quiet hero"));
  MustSucceed(spec.RegisterClaim("t2", "hero", "a bold banner"));
  return spec;
}

std::vector<triad::TriadOptions> Triads() {
  return {{.id = "t1", .scope = {.primary = {"layout"}}, .objectives = {"clean grid", "calm"}},
          {.id = "t2", .scope = {.primary = {"hero"}}, .objectives = {"bold hero"}}};
}

class ArbiterTest : public ::testing::Test {
 protected:
  Result<ArbiterOutcome> Resolve(ArbiterSettings settings = {}, agent::Budget* budget = nullptr) {
    settings.run_id = "run1";
    Arbiter arbiter(source_, settings);
    return arbiter.Resolve(
        {.spec = &spec_, .section = "hero", .triads = Triads(), .request = "a pricing page"},
        budget);
  }
  std::string UserPrompt(size_t request, size_t message) const {
    return model_.requests().at(request).messages.at(message).content;
  }

  spec::Spec spec_ = ContestedSpec();
  testing::ScriptedModel model_;
  agent::FixedModel source_{model_, "judge-model"};
};

TEST_F(ArbiterTest, ValidAssignIsTheModelsDecision) {
  model_.Push(TextReply(R"({"type": "assign", "winner": "t2", "rationale": "home scope"})"));
  Result<ArbiterOutcome> outcome = Resolve({.max_tokens = 900, .temperature = 0.2});
  ASSERT_TRUE(outcome) << outcome.error().ToString();
  EXPECT_FALSE(outcome->fallback);
  EXPECT_EQ(outcome->attempts, 1);
  EXPECT_EQ(outcome->usage.total(), 15);
  EXPECT_EQ(outcome->decision, (spec::ArbiterDecision{.winner = "t2", .rationale = "home scope"}));
  llm::ChatRequest request = model_.requests().at(0);
  EXPECT_EQ(request.model, "judge-model");
  // The claimant fields name the section's claimants.
  nlohmann::json schema = nlohmann::json::parse(*request.response_schema_json);
  EXPECT_EQ(schema["properties"]["winner"]["enum"].size(), 3u);
  EXPECT_EQ(schema["properties"]["winner"]["enum"][2], nullptr);
  EXPECT_EQ(request.max_tokens, 900);
  EXPECT_EQ(request.temperature, 0.2);
  llm::CallContext context = model_.contexts().at(0);
  EXPECT_EQ(context.role, "arbiter");
  EXPECT_EQ(context.phase, "negotiation");
  EXPECT_EQ(context.run_id, "run1");
}

TEST_F(ArbiterTest, ValidationIsADryRunThatLeavesTheSpecAlone) {
  const spec::Spec before = spec_;
  model_.Push(TextReply(R"({"type": "split", "division": [)"
                        R"({"sub_section": "hero/copy", "triad": "t1"},)"
                        R"({"sub_section": "hero/image", "triad": "t2"}]})"));
  Result<ArbiterOutcome> outcome = Resolve();
  ASSERT_TRUE(outcome);
  EXPECT_EQ(spec_, before);
  EXPECT_EQ(outcome->decision.type, spec::ArbiterDecision::Type::kSplit);
  EXPECT_EQ(outcome->decision.division,
            (std::vector<spec::SplitEntry>{{"hero/copy", "t1"}, {"hero/image", "t2"}}));
  EXPECT_EQ(outcome->decision.rationale, "No rationale provided");
}

TEST_F(ArbiterTest, MergeAndFencedReplyAreAccepted) {
  model_.Push(
      TextReply("```json\n{\"type\": \"merge\", \"merged_proposal\": \"a bold, calm "
                "hero\", \"assigned_to\": \"t1\", \"rationale\": \"both\"}\n```"));
  Result<ArbiterOutcome> outcome = Resolve();
  ASSERT_TRUE(outcome);
  EXPECT_FALSE(outcome->fallback);
  EXPECT_EQ(outcome->decision.type, spec::ArbiterDecision::Type::kMerge);
  EXPECT_EQ(outcome->decision.assigned_to, "t1");
  EXPECT_EQ(outcome->decision.merged_proposal, "a bold, calm hero");
}

TEST_F(ArbiterTest, PromptHoldsRequestClaimantsHistorySummaryAndShapes) {
  model_.Push(TextReply(R"({"type": "assign", "winner": "t1"})"));
  ASSERT_TRUE(Resolve());
  std::string prompt = UserPrompt(0, 1);
  for (const char* part : {"User request: a pricing page",
                           "Section: hero",
                           "Temperature: 1.00",
                           "Round: 0",
                           "Triad: t1",
                           "Objectives: clean grid, calm",
                           "Primary scope: layout",
                           "a quiet hero",
                           "Triad: t2",
                           "Objectives: bold hero",
                           "a bold banner",
                           "Round 0: t1 -> claim",
                           "Round 0: t2 -> claim",
                           "Contested sections: hero",
                           "Claimed sections: layout",
                           "Unclaimed sections: faq",
                           "User intent",
                           "Global coherence",
                           "Merging or splitting",
                           "Future conflicts",
                           R"("type": "assign")",
                           R"("type": "split")",
                           R"("type": "merge")",
                           R"("sub_section")",
                           R"("merged_proposal")",
                           "JSON object"}) {
    EXPECT_THAT(prompt, HasSubstr(part));
  }
}

TEST_F(ArbiterTest, PromptShowsOnlyTheLastTenHistoryEntries) {
  for (int i = 0; i < 12; ++i) {
    ASSERT_TRUE(spec_.UpdateProposal("t1", "hero", "proposal " + std::to_string(i)));
  }
  std::string prompt = ArbiterUserPrompt({.spec = &spec_, .section = "hero"});
  EXPECT_THAT(prompt, HasSubstr("User request: Not specified"));
  EXPECT_THAT(prompt, Not(HasSubstr("-> claim")));
  size_t count = 0;
  for (size_t at = prompt.find("t1 -> revise"); at != std::string::npos;
       at = prompt.find("t1 -> revise", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 10u);
}

TEST_F(ArbiterTest, InvalidRepliesAreRetriedWithTheProblem) {
  model_.Push(TextReply("I think t2 should win."));
  model_.Push(TextReply(R"({"type": "dictate", "winner": "t2"})"));
  model_.Push(TextReply(R"({"type": "assign", "winner": "t9"})"));
  model_.Push(TextReply(R"({"type": "assign", "winner": "t2"})"));
  Result<ArbiterOutcome> outcome = Resolve({.max_retries = 3});
  ASSERT_TRUE(outcome);
  EXPECT_FALSE(outcome->fallback);
  EXPECT_EQ(outcome->attempts, 4);
  EXPECT_EQ(outcome->usage.total(), 60);
  EXPECT_EQ(outcome->decision.winner, "t2");
  ASSERT_EQ(model_.requests().size(), 4u);
  EXPECT_THAT(model_.requests()[1].messages.back().content, HasSubstr("must be one JSON object"));
  EXPECT_THAT(model_.requests()[2].messages.back().content,
              HasSubstr("type: must be one of assign, split, merge"));
  EXPECT_THAT(model_.requests()[3].messages.back().content,
              HasSubstr("winner: must be one of t1, t2"));
  EXPECT_EQ(model_.requests()[3].messages.size(), 8u);
}

TEST_F(ArbiterTest, SplitToANonClaimantIsRejected) {
  model_.Push(TextReply(R"({"type": "split", "division": [)"
                        R"({"sub_section": "hero/a", "triad": "t1"},)"
                        R"({"sub_section": "hero/b", "triad": "t3"}]})"));
  model_.Push(TextReply(R"({"type": "split", "division": [)"
                        R"({"sub_section": "layout", "triad": "t1"},)"
                        R"({"sub_section": "hero/b", "triad": "t2"}]})"));
  model_.Push(TextReply(R"({"type": "merge", "assigned_to": "t1"})"));
  Result<ArbiterOutcome> outcome = Resolve();
  ASSERT_TRUE(outcome);
  EXPECT_TRUE(outcome->fallback);
  EXPECT_EQ(outcome->attempts, 3);
  EXPECT_THAT(model_.requests()[1].messages.back().content,
              HasSubstr("division[1].triad: must be one of t1, t2"));
  EXPECT_THAT(model_.requests()[2].messages.back().content,
              HasSubstr("sub-section 'layout' already exists"));
  EXPECT_THAT(outcome->fallback_reason, HasSubstr("merged_proposal: required for type 'merge'"));
  EXPECT_THAT(outcome->fallback_reason, HasSubstr("3 replies"));
  // Every reply invalid: the claimant whose primary scope holds the section.
  EXPECT_EQ(outcome->decision.winner, "t2");
}

TEST_F(ArbiterTest, NoRetriesWhenMaxRetriesIsZero) {
  model_.Push(TextReply("{}"));
  Result<ArbiterOutcome> outcome = Resolve({.max_retries = 0});
  ASSERT_TRUE(outcome);
  EXPECT_TRUE(outcome->fallback);
  EXPECT_EQ(outcome->attempts, 1);
  EXPECT_THAT(outcome->fallback_reason, HasSubstr("type: required"));
}

TEST_F(ArbiterTest, ModelDownFallsBackToThePrimaryScopeClaimant) {
  model_.Push(Error{ErrorCode::kUnavailable, "provider down"});
  Result<ArbiterOutcome> outcome = Resolve();
  ASSERT_TRUE(outcome);
  EXPECT_TRUE(outcome->fallback);
  EXPECT_EQ(outcome->attempts, 0);
  EXPECT_THAT(outcome->fallback_reason, HasSubstr("provider down"));
  EXPECT_EQ(outcome->decision.type, spec::ArbiterDecision::Type::kAssign);
  EXPECT_EQ(outcome->decision.winner, "t2");
  EXPECT_THAT(outcome->decision.rationale, HasSubstr("primary scope of t2"));
}

TEST(ArbiterFallbackTest, WithoutAPrimaryScopeTheFirstRegistrantWins) {
  spec::Spec spec = HFS_VALUE_OR_DIE(spec::Spec::Create({"hero"}));
  MustSucceed(spec.RegisterClaim("t2", "hero", "bold"));
  MustSucceed(spec.RegisterClaim("t1", "hero", "quiet"));
  testing::FunctionModel model([](const llm::ChatRequest&) -> Result<llm::ChatResponse> {
    return Fail(ErrorCode::kDeadlineExceeded, "too slow");
  });
  agent::FixedModel source(model, "m");
  Arbiter arbiter(source, {});
  Result<ArbiterOutcome> outcome =
      arbiter.Resolve({.spec = &spec, .section = "hero", .triads = {{.id = "t1"}, {.id = "t2"}}});
  ASSERT_TRUE(outcome);
  EXPECT_TRUE(outcome->fallback);
  EXPECT_EQ(outcome->decision.winner, "t2");
  EXPECT_THAT(outcome->decision.rationale, HasSubstr("t2 registered first"));
  EXPECT_TRUE(spec.Apply(outcome->decision, "hero"));
}

class NoModel final : public agent::ModelSource {
 public:
  Result<agent::ModelChoice> Resolve(const agent::ModelQuery& query) override {
    return Fail(ErrorCode::kNotFound,
                fmt::format("no model for {} in {}", query.role, query.phase));
  }
};

TEST(ArbiterFallbackTest, UnresolvableModelFallsBack) {
  spec::Spec spec = ContestedSpec();
  NoModel source;
  Arbiter arbiter(source, {});
  Result<ArbiterOutcome> outcome =
      arbiter.Resolve({.spec = &spec, .section = "hero", .triads = Triads()});
  ASSERT_TRUE(outcome);
  EXPECT_TRUE(outcome->fallback);
  EXPECT_THAT(outcome->fallback_reason, HasSubstr("no model for arbiter in negotiation"));
}

TEST_F(ArbiterTest, BudgetIsChargedAndASpentBudgetMeansFallback) {
  testing::FakeClock clock;
  agent::Budget budget("run", {.tokens = 20, .tool_calls = 5, .time_ms = 60000},
                       agent::Enforcement::kHard, clock);
  model_.Push(TextReply(R"({"type": "assign", "winner": "t1"})"));
  ASSERT_TRUE(Resolve({}, &budget));
  EXPECT_EQ(budget.spent().tokens, 15);
  budget.ChargeTokens(10);
  Result<ArbiterOutcome> outcome = Resolve({}, &budget);
  ASSERT_TRUE(outcome);
  EXPECT_TRUE(outcome->fallback);
  EXPECT_EQ(outcome->attempts, 0);
  EXPECT_THAT(outcome->fallback_reason, HasSubstr("RESOURCE_EXHAUSTED"));
  EXPECT_EQ(model_.requests().size(), 1u);
}

TEST_F(ArbiterTest, MissingOrUnclaimedSectionIsAnError) {
  Arbiter arbiter(source_, {});
  Result<ArbiterOutcome> missing = arbiter.Resolve({.spec = &spec_, .section = "pricing"});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  Result<ArbiterOutcome> unclaimed = arbiter.Resolve({.spec = &spec_, .section = "faq"});
  ASSERT_FALSE(unclaimed);
  EXPECT_EQ(unclaimed.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(model_.requests().empty());
}

TEST(ArbiterReplySchemaTest, DescribesTheThreeShapes) {
  nlohmann::json schema = nlohmann::json::parse(ArbiterReplySchema().ToJsonText());
  EXPECT_EQ(schema["properties"]["type"]["enum"], nlohmann::json({"assign", "split", "merge"}));
  // Strict structured output: every property required, unused ones null.
  EXPECT_EQ(schema["required"], nlohmann::json({"type", "winner", "division", "merged_proposal",
                                                "assigned_to", "rationale"}));
  EXPECT_EQ(schema["properties"]["division"]["type"], nlohmann::json({"array", "null"}));
  EXPECT_EQ(schema["additionalProperties"], false);
  nlohmann::json named = nlohmann::json::parse(ArbiterReplySchema({"t1", "t2"}).ToJsonText());
  EXPECT_EQ(named["properties"]["assigned_to"]["enum"], nlohmann::json({"t1", "t2", nullptr}));
}

}  // namespace
}  // namespace hfs::pipeline
