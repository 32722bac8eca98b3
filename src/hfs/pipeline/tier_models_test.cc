#include "hfs/pipeline/tier_models.h"

#include <gtest/gtest.h>

#include "hfs/testing/scripted_model.h"
#include "hfs/testing/temp_dir.h"

namespace hfs::pipeline {
namespace {

using agent::CallOutcome;
using agent::ModelQuery;

tiers::ModelTiersOptions Options() {
  tiers::ModelTiersOptions options;
  options.tiers[tiers::Tier::kFast] = {"fast", {{"groq", "fast-g"}}};
  options.tiers[tiers::Tier::kGeneral] = {"general", {{"cerebras", "gen-c"}, {"groq", "gen-g"}}};
  options.tiers[tiers::Tier::kReasoning] = {"reasoning", {{"groq", "reason-g"}}};
  options.role_defaults = {{"code_execution", tiers::Tier::kFast},
                           {"critic", tiers::Tier::kGeneral}};
  options.phase_overrides = {{"execution", {{"worker_a", tiers::Tier::kFast}}}};
  options.code_models = {{"cerebras", "zai-glm-4.7"}, {"cerebras", "gpt-oss-120b"}};
  return options;
}

std::string ModelFor(TierModels& models, const ModelQuery& query) {
  Result<agent::ModelChoice> choice = models.Resolve(query);
  return choice ? choice->model_id : "error: " + choice.error().message;
}

TEST(TierModelsTest, RoleAndPhaseChooseTheTierAndProvidersFallBackInOrder) {
  testing::ScriptedModel cerebras;
  testing::ScriptedModel groq;
  TierModels models(Options(), {{"cerebras", &cerebras}, {"groq", &groq}});

  EXPECT_EQ(models.TierFor({.role = "worker_a", .phase = "execution"}).tier, tiers::Tier::kFast);
  EXPECT_EQ(models.TierFor({.role = "worker_a", .phase = "deliberation"}).tier,
            tiers::Tier::kGeneral);
  EXPECT_EQ(ModelFor(models, {.triad = "t", .role = "worker_a", .phase = "execution"}), "fast-g");

  Result<agent::ModelChoice> general = models.Resolve({.role = "critic", .phase = "negotiation"});
  ASSERT_TRUE(general) << general.error().ToString();
  EXPECT_EQ(general->model_id, "gen-c");
  // Cerebras is down: the general tier falls back to groq's model.
  cerebras.Push(Error{ErrorCode::kUnavailable, "down"});
  groq.Push(llm::ChatResponse{.content = "from groq"});
  Result<llm::ChatResponse> reply = general->model->Complete({.model = "gen-c"}, {});
  ASSERT_TRUE(reply) << reply.error().ToString();
  EXPECT_EQ(reply->provider, "groq");
  EXPECT_EQ(groq.requests().back().model, "gen-g");
}

TEST(TierModelsTest, NoUsableProviderForTheTierIsNotFound) {
  testing::ScriptedModel cerebras;
  TierModels models(Options(), {{"cerebras", &cerebras}, {"groq", nullptr}});
  Result<agent::ModelChoice> critic = models.Resolve({.role = "peer_1", .phase = "negotiation"});
  ASSERT_TRUE(critic);
  EXPECT_EQ(critic->model_id, "gen-c");
  Result<agent::ModelChoice> fast = models.Resolve({.role = "worker_a", .phase = "execution"});
  ASSERT_FALSE(fast);
  EXPECT_EQ(fast.error().code, ErrorCode::kNotFound);
  EXPECT_NE(fast.error().message.find("'fast'"), std::string::npos);
}

TEST(TierModelsTest, ThreeFailuresEscalateTheNextResolveAndASuccessResets) {
  testing::ScriptedModel cerebras;
  testing::ScriptedModel groq;
  TierModels models(Options(), {{"cerebras", &cerebras}, {"groq", &groq}});
  const ModelQuery worker{.triad = "layout", .role = "worker_a", .phase = "execution"};
  EXPECT_EQ(ModelFor(models, worker), "fast-g");
  models.Record(worker, CallOutcome::kFailed);
  models.Record(worker, CallOutcome::kFailed);
  models.Record(worker, CallOutcome::kSucceeded);  // resets
  models.Record(worker, CallOutcome::kFailed);
  models.Record(worker, CallOutcome::kFailed);
  EXPECT_EQ(ModelFor(models, worker), "fast-g");
  EXPECT_TRUE(models.Escalations().empty());
  models.Record(worker, CallOutcome::kFailed);  // the third in a row
  EXPECT_EQ(ModelFor(models, worker), "gen-c");
  EXPECT_EQ(models.TierFor(worker).source, tiers::TierSource::kEscalation);
  // Only that triad's role.
  EXPECT_EQ(ModelFor(models, {.triad = "visual", .role = "worker_a", .phase = "execution"}),
            "fast-g");
  for (int i = 0; i < 3; ++i) models.Record(worker, CallOutcome::kFailed);
  EXPECT_EQ(ModelFor(models, worker), "reason-g");
  for (int i = 0; i < 3; ++i) models.Record(worker, CallOutcome::kFailed);  // the cap
  EXPECT_EQ(ModelFor(models, worker), "reason-g");

  std::vector<tiers::Escalation> escalations = models.Escalations();
  ASSERT_EQ(escalations.size(), 2u);
  EXPECT_EQ(escalations[0].triad, "layout");
  EXPECT_EQ(escalations[0].role, "worker_a");
  EXPECT_EQ(escalations[0].phase, "execution");
  EXPECT_EQ(escalations[0].from, tiers::Tier::kFast);
  EXPECT_EQ(escalations[0].to, tiers::Tier::kGeneral);
  EXPECT_EQ(escalations[0].failures, 3);
  EXPECT_EQ(escalations[1].to, tiers::Tier::kReasoning);
}

TEST(TierModelsTest, CodeExecutionAlwaysUsesThePinnedCodeModels) {
  testing::ScriptedModel cerebras;
  testing::ScriptedModel groq;
  TierModels models(Options(), {{"cerebras", &cerebras}, {"groq", &groq}});
  const ModelQuery code{.triad = "layout", .role = "code_execution", .phase = "execution"};
  for (int round = 0; round < 3; ++round) {
    Result<agent::ModelChoice> choice = models.Resolve(code);
    ASSERT_TRUE(choice) << choice.error().ToString();
    EXPECT_EQ(choice->model_id, "zai-glm-4.7");
    for (int i = 0; i < 3; ++i) models.Record(code, CallOutcome::kFailed);
  }
  EXPECT_TRUE(models.Escalations().empty());
  // The first pinned model is out of quota: the second one answers, never a tier model.
  Result<agent::ModelChoice> choice = models.Resolve(code);
  ASSERT_TRUE(choice);
  cerebras.Push(Error{ErrorCode::kResourceExhausted, "no key free"});
  cerebras.Push(llm::ChatResponse{.content = "{}"});
  Result<llm::ChatResponse> reply = choice->model->Complete({.model = choice->model_id}, {});
  ASSERT_TRUE(reply) << reply.error().ToString();
  ASSERT_EQ(cerebras.requests().size(), 2u);
  EXPECT_EQ(cerebras.requests()[0].model, "zai-glm-4.7");
  EXPECT_EQ(cerebras.requests()[1].model, "gpt-oss-120b");
  EXPECT_TRUE(groq.requests().empty());
}

TEST(TierModelsTest, UnreachableCodeModelsFailClearly) {
  testing::ScriptedModel groq;
  TierModels models(Options(), {{"groq", &groq}});
  Result<agent::ModelChoice> choice =
      models.Resolve({.triad = "layout", .role = "code_execution", .phase = "execution"});
  ASSERT_FALSE(choice);
  EXPECT_EQ(choice.error().code, ErrorCode::kNotFound);
  EXPECT_NE(choice.error().message.find("cerebras/zai-glm-4.7, cerebras/gpt-oss-120b"),
            std::string::npos)
      << choice.error().message;
}

TEST(TierModelsTest, EscalationsPersistAcrossTwoRuns) {
  testing::TempDir dir;
  const std::filesystem::path state = tiers::EscalationStatePath(dir.path() / "hfs.yaml");
  testing::ScriptedModel cerebras;
  testing::ScriptedModel groq;
  const ModelQuery critic{.triad = "layout", .role = "critic", .phase = "negotiation"};
  std::vector<tiers::Escalation> seen;
  {
    auto tracker = tiers::EscalationTracker::Open(
        {.state_path = state,
         .on_escalation = [&](const tiers::Escalation& e) { seen.push_back(e); }});
    ASSERT_TRUE(tracker) << tracker.error().ToString();
    TierModels run(Options(), {{"cerebras", &cerebras}, {"groq", &groq}}, tracker->get());
    EXPECT_EQ(ModelFor(run, critic), "gen-c");
    for (int i = 0; i < 3; ++i) run.Record(critic, CallOutcome::kFailed);
    EXPECT_EQ(ModelFor(run, critic), "reason-g");
  }
  ASSERT_EQ(seen.size(), 1u);
  auto tracker = tiers::EscalationTracker::Open({.state_path = state});
  ASSERT_TRUE(tracker);
  TierModels next_run(Options(), {{"cerebras", &cerebras}, {"groq", &groq}}, tracker->get());
  EXPECT_EQ(ModelFor(next_run, critic), "reason-g");
  EXPECT_TRUE(next_run.Escalations().empty());
}

}  // namespace
}  // namespace hfs::pipeline
