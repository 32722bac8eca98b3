#include "hfs/tiers/model_selector.h"

#include <gtest/gtest.h>

namespace hfs::tiers {
namespace {

ModelTiersOptions Options() {
  ModelTiersOptions options;
  options.tiers[Tier::kFast] = {"fast", {{"cerebras", "fast-c"}, {"groq", "fast-g"}}};
  options.tiers[Tier::kGeneral] = {"general", {{"cerebras", "gen-c"}, {"groq", "gen-g"}}};
  options.tiers[Tier::kReasoning] = {"reasoning", {{"groq", "reason-g"}}};
  options.role_defaults = {{"orchestrator", Tier::kReasoning},
                           {"worker_a", Tier::kGeneral},
                           {"critic", Tier::kFast},
                           {"code_execution", Tier::kFast}};
  options.phase_overrides = {{"execution", {{"worker_a", Tier::kFast}, {"peer_1", Tier::kFast}}}};
  options.escalation_state = {{"seeded:worker_a", Tier::kReasoning}, {"arbiter", Tier::kGeneral}};
  options.code_models = {{"cerebras", "zai-glm-4.7"}, {"cerebras", "gpt-oss-120b"}};
  return options;
}

struct Row {
  SelectorQuery query;
  TierChoice expected;
};

TEST(ModelSelectorTest, ResolutionTable) {
  ModelSelector selector(Options(), {"cerebras", "groq"});
  const Row rows[] = {
      // Role default; absent role -> general.
      {{"t", "orchestrator", "deliberation"}, {Tier::kReasoning, TierSource::kRoleDefault}},
      {{"t", "critic", "negotiation"}, {Tier::kFast, TierSource::kRoleDefault}},
      {{"t", "peer_2", "negotiation"}, {Tier::kGeneral, TierSource::kGeneral}},
      {{"t", "arbiter", ""}, {Tier::kGeneral, TierSource::kGeneral}},
      // The phase override applies in its phase only, and beats the role default.
      {{"t", "worker_a", "execution"}, {Tier::kFast, TierSource::kPhaseOverride}},
      {{"t", "worker_a", "deliberation"}, {Tier::kGeneral, TierSource::kRoleDefault}},
      {{"t", "peer_1", "execution"}, {Tier::kFast, TierSource::kPhaseOverride}},
      // Escalation beats the phase override and the role default...
      {{"t", "worker_a", "execution", Tier::kGeneral}, {Tier::kGeneral, TierSource::kEscalation}},
      {{"t", "critic", "negotiation", Tier::kReasoning},
       {Tier::kReasoning, TierSource::kEscalation}},
      // ...but never lowers a role.
      {{"t", "orchestrator", "deliberation", Tier::kGeneral},
       {Tier::kReasoning, TierSource::kRoleDefault}},
      // The config's escalation_state, per triad; a bare role outside triads.
      {{"seeded", "worker_a", "execution"}, {Tier::kReasoning, TierSource::kEscalation}},
      {{"other", "worker_a", "execution"}, {Tier::kFast, TierSource::kPhaseOverride}},
      {{"", "arbiter", "negotiation"}, {Tier::kGeneral, TierSource::kGeneral}},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(selector.TierFor(row.query), row.expected)
        << row.query.triad << ":" << row.query.role << " in " << row.query.phase << " got "
        << TierName(selector.TierFor(row.query).tier) << " by "
        << TierSourceName(selector.TierFor(row.query).source);
  }
}

TEST(ModelSelectorTest, CandidatesFollowUsableProvidersInOrder) {
  ModelSelector both(Options(), {"groq", "cerebras"});
  Result<Selection> general = both.Select({.triad = "t", .role = "worker_a", .phase = "claims"});
  ASSERT_TRUE(general) << general.error().ToString();
  EXPECT_EQ(general->candidates, (std::vector<ModelRef>{{"groq", "gen-g"}, {"cerebras", "gen-c"}}));
  ASSERT_TRUE(general->tier);
  EXPECT_EQ(general->tier->tier, Tier::kGeneral);

  ModelSelector cerebras_only(Options(), {"cerebras"});
  EXPECT_EQ(cerebras_only.Candidates(Tier::kFast), (std::vector<ModelRef>{{"cerebras", "fast-c"}}));
  Result<Selection> reasoning = cerebras_only.Select({.triad = "t", .role = "orchestrator"});
  ASSERT_FALSE(reasoning);
  EXPECT_EQ(reasoning.error().code, ErrorCode::kNotFound);
  EXPECT_NE(reasoning.error().message.find("'reasoning' tier for role 'orchestrator' of triad 't'"),
            std::string::npos)
      << reasoning.error().message;
  EXPECT_NE(reasoning.error().message.find("model_tiers.tiers.reasoning.providers"),
            std::string::npos);
}

TEST(ModelSelectorTest, AnEscalationNoUsableProviderServesKeepsTheRolesOwnTier) {
  ModelSelector cerebras_only(Options(), {"cerebras"});  // no reasoning model at cerebras
  Result<Selection> selection = cerebras_only.Select(
      {.triad = "t", .role = "critic", .phase = "negotiation", .escalated = Tier::kReasoning});
  ASSERT_TRUE(selection) << selection.error().ToString();
  EXPECT_EQ(selection->tier, (TierChoice{Tier::kFast, TierSource::kRoleDefault}));
  EXPECT_EQ(selection->candidates, (std::vector<ModelRef>{{"cerebras", "fast-c"}}));
}

TEST(ModelSelectorTest, CodeExecutionAlwaysGetsThePinnedModels) {
  ModelSelector selector(Options(), {"groq", "cerebras"});
  const std::vector<ModelRef> pinned = {{"cerebras", "zai-glm-4.7"}, {"cerebras", "gpt-oss-120b"}};
  for (std::string_view phase : {"execution", "deliberation", ""}) {
    for (std::optional<Tier> escalated :
         {std::optional<Tier>(), std::optional<Tier>(Tier::kGeneral),
          std::optional<Tier>(Tier::kReasoning)}) {
      Result<Selection> selection = selector.Select(
          {.triad = "t", .role = "code_execution", .phase = phase, .escalated = escalated});
      ASSERT_TRUE(selection) << selection.error().ToString();
      EXPECT_EQ(selection->candidates, pinned);
      EXPECT_FALSE(selection->tier.has_value());
    }
  }
  // Even with tiers that name other models, and an escalation in the config.
  ModelTiersOptions options = Options();
  options.phase_overrides["execution"]["code_execution"] = Tier::kReasoning;
  options.escalation_state["t:code_execution"] = Tier::kReasoning;
  ModelSelector overridden(options, {"groq", "cerebras"});
  Result<Selection> selection =
      overridden.Select({.triad = "t", .role = "code_execution", .phase = "execution"});
  ASSERT_TRUE(selection);
  EXPECT_EQ(selection->candidates, pinned);
  // The user's own list is used as given.
  options.code_models = {{"groq", "my-coder"}, {"cerebras", "zai-glm-4.7"}};
  ModelSelector custom(options, {"cerebras", "groq"});
  EXPECT_EQ(custom.Select({.role = "code_execution"})->candidates, options.code_models);
  // Only the reachable ones.
  ModelSelector groq_only(options, {"groq"});
  EXPECT_EQ(groq_only.Select({.role = "code_execution"})->candidates,
            (std::vector<ModelRef>{{"groq", "my-coder"}}));
}

TEST(ModelSelectorTest, UnreachableCodeModelsGiveAClearError) {
  ModelSelector selector(Options(), {"groq", "gemini"});
  Result<Selection> selection = selector.Select({.triad = "t", .role = "code_execution"});
  ASSERT_FALSE(selection);
  EXPECT_EQ(selection.error().code, ErrorCode::kNotFound);
  const std::string& message = selection.error().message;
  EXPECT_NE(message.find("cerebras/zai-glm-4.7, cerebras/gpt-oss-120b"), std::string::npos)
      << message;
  EXPECT_NE(message.find("no usable key for cerebras"), std::string::npos) << message;
  EXPECT_NE(message.find("providers with keys: groq, gemini"), std::string::npos) << message;
  EXPECT_NE(message.find("CEREBRAS_API_KEY"), std::string::npos) << message;
  EXPECT_NE(message.find("model_tiers.code_models"), std::string::npos) << message;
  // The fast tier has a groq model, but code never falls back to a tier.
  EXPECT_FALSE(selector.Candidates(Tier::kFast).empty());
}

}  // namespace
}  // namespace hfs::tiers
