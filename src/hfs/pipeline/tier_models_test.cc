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
  // Three failed code calls in a row move the list on, never to a tier model; round the
  // list and back.
  const std::vector<std::string> expected = {"zai-glm-4.7", "gpt-oss-120b", "zai-glm-4.7"};
  for (const std::string& model : expected) {
    Result<agent::ModelChoice> choice = models.Resolve(code);
    ASSERT_TRUE(choice) << choice.error().ToString();
    EXPECT_EQ(choice->model_id, model);
    for (int i = 0; i < 3; ++i) models.Record(code, CallOutcome::kFailed);
  }
  EXPECT_TRUE(models.Escalations().empty());
}

TEST(TierModelsTest, ASuccessfulCodeCallKeepsTheListWhereItIs) {
  testing::ScriptedModel cerebras;
  TierModels models(Options(), {{"cerebras", &cerebras}});
  const ModelQuery code{.triad = "layout", .role = "code_execution", .phase = "execution"};
  for (int i = 0; i < 4; ++i) {
    models.Record(code, CallOutcome::kFailed);
    models.Record(code, CallOutcome::kFailed);
    models.Record(code, CallOutcome::kSucceeded);
  }
  EXPECT_EQ(ModelFor(models, code), "zai-glm-4.7");
}

TEST(TierModelsTest, TheFirstPinnedModelOutOfQuotaFallsBackToTheSecond) {
  testing::ScriptedModel cerebras;
  testing::ScriptedModel groq;
  TierModels models(Options(), {{"cerebras", &cerebras}, {"groq", &groq}});
  const ModelQuery code{.triad = "layout", .role = "code_execution", .phase = "execution"};
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

TEST(TierModelsTest, CodeThatFailsValidationMovesTheTriadsCodeModelsOn) {
  testing::ScriptedModel cerebras;
  TierModels models(Options(), {{"cerebras", &cerebras}});
  const ModelQuery layout{.triad = "layout", .role = "code_execution", .phase = "execution"};
  const ModelQuery content{.triad = "content", .role = "code_execution", .phase = "execution"};
  EXPECT_EQ(models.Demote(layout, "cerebras/zai-glm-4.7"), "cerebras/gpt-oss-120b");
  EXPECT_EQ(ModelFor(models, layout), "gpt-oss-120b");
  // The moved list still falls back, in its new order, when its first entry cannot answer.
  Result<agent::ModelChoice> choice = models.Resolve(layout);
  ASSERT_TRUE(choice);
  cerebras.Push(Error{ErrorCode::kUnavailable, "down"});
  cerebras.Push(llm::ChatResponse{.content = "{}"});
  ASSERT_TRUE(choice->model->Complete({.model = choice->model_id}, {}));
  EXPECT_EQ(cerebras.requests()[0].model, "gpt-oss-120b");
  EXPECT_EQ(cerebras.requests()[1].model, "zai-glm-4.7");
  // A second failing section of the same code moves nothing more: the list is already
  // past the model that wrote it.
  EXPECT_EQ(models.Demote(layout, "cerebras/zai-glm-4.7"), "");
  EXPECT_EQ(ModelFor(models, layout), "gpt-oss-120b");
  // Another triad keeps its own list; a name the provider spelled a little differently
  // still counts as its model.
  EXPECT_EQ(ModelFor(models, content), "zai-glm-4.7");
  EXPECT_EQ(models.Demote(content, "cerebras/zai-glm-4.7-2025"), "cerebras/gpt-oss-120b");
  // Tiered roles have no list to move.
  EXPECT_EQ(models.Demote({.triad = "layout", .role = "critic"}, "cerebras/gen-c"), "");
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
