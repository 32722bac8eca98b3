#include "hfs/pipeline/tier_models.h"

#include <gtest/gtest.h>

#include "hfs/testing/scripted_model.h"

namespace hfs::pipeline {
namespace {

TEST(TierModelsTest, RoleAndPhaseChooseTheTierAndProvidersFallBackInOrder) {
  tiers::ModelTiersOptions options;
  options.tiers[tiers::Tier::kFast] = {"fast", {{"groq", "fast-groq"}}};
  options.tiers[tiers::Tier::kGeneral] = {"general", {{"cerebras", "gen-c"}, {"groq", "gen-g"}}};
  options.role_defaults = {{"code_execution", tiers::Tier::kFast},
                           {"arbiter", tiers::Tier::kReasoning}};
  options.phase_overrides = {{"execution", {{"worker_a", tiers::Tier::kFast}}}};
  testing::ScriptedModel cerebras;
  testing::ScriptedModel groq;
  TierModels models(options, {{"cerebras", &cerebras}, {"groq", &groq}});

  EXPECT_EQ(models.TierFor("worker_a", "execution"), tiers::Tier::kFast);
  EXPECT_EQ(models.TierFor("worker_a", "deliberation"), tiers::Tier::kGeneral);
  EXPECT_EQ(models.TierFor("code_execution", "execution"), tiers::Tier::kFast);

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

  Result<agent::ModelChoice> arbiter = models.Resolve({.role = "arbiter", .phase = "negotiation"});
  ASSERT_FALSE(arbiter);  // no provider has a reasoning model here
  EXPECT_EQ(arbiter.error().code, ErrorCode::kNotFound);
  EXPECT_NE(arbiter.error().message.find("'reasoning'"), std::string::npos);
}

}  // namespace
}  // namespace hfs::pipeline
