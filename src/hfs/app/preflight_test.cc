#include "hfs/app/preflight.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "hfs/config/load.h"

namespace hfs::app {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

config::Config Load(const std::string& yaml) {
  Result<config::Config> config = config::LoadConfigFromString(yaml, "preflight.yaml");
  EXPECT_TRUE(config.has_value()) << config.error().message;
  return config.value_or(config::Config{});
}

config::Config Standard() {
  Result<config::Config> config = config::LoadConfig("config/examples/standard.yaml");
  EXPECT_TRUE(config.has_value());
  return config.value_or(config::Config{});
}

Preflight Check(const config::Config& config, Env::Variables keys,
                const tiers::EscalationMap& escalations = {}) {
  return CheckPreflight(config, CheckProviders(config.providers, Env(std::move(keys))),
                        escalations);
}

const RoleResolution* Row(const Preflight& preflight, const std::string& role) {
  for (const RoleResolution& row : preflight.roles) {
    if (row.role == role) return &row;
  }
  return nullptr;
}

// Two triads; the tiers are served by Gemini except reasoning (Cerebras only), which the
// planner and the arbiter use; code generation falls back to Gemini.
constexpr char kReasoningAtCerebras[] = R"(
triads:
  - {id: a, preset: dialectic, scope: {primary: [x]}}
  - {id: b, preset: hierarchical, scope: {primary: [y]}}
sections: [x, y]
model_tiers:
  tiers:
    fast: {providers: {gemini: gemma-3-27b-it}}
    general: {providers: {gemini: gemini-2.5-flash-lite}}
    reasoning: {providers: {cerebras: qwen-3-235b-a22b-instruct-2507}}
  role_defaults: {planner: reasoning, arbiter: reasoning}
  code_models: [{provider: gemini, model: gemini-2.5-flash}]
)";

TEST(PreflightTest, EveryRoleResolvesWithKeysForTheDefaultProvider) {
  Preflight preflight = Check(Standard(), {{"CEREBRAS_API_KEY", "csk-x"}});
  EXPECT_TRUE(preflight.ok()) << RenderPreflight(preflight);
  EXPECT_TRUE(preflight.notices.empty());
  EXPECT_EQ(preflight.usable_providers, std::vector<std::string>{"cerebras"});
  // In the order the run calls them: the planner first, the arbiter last.
  ASSERT_FALSE(preflight.roles.empty());
  EXPECT_EQ(preflight.roles.front().role, "planner");
  EXPECT_EQ(preflight.roles.back().role, "arbiter");
  const RoleResolution* code = Row(preflight, "code_execution");
  ASSERT_NE(code, nullptr);
  EXPECT_FALSE(code->tier.has_value());
  EXPECT_EQ(code->candidates, (std::vector<tiers::ModelRef>{{"cerebras", "zai-glm-4.7"},
                                                            {"cerebras", "gpt-oss-120b"}}));
  const RoleResolution* orchestrator = Row(preflight, "orchestrator");
  ASSERT_NE(orchestrator, nullptr);
  EXPECT_EQ(orchestrator->tier->tier, tiers::Tier::kReasoning);
  EXPECT_EQ(orchestrator->candidates.front().model, "qwen-3-235b-a22b-instruct-2507");
  // Every preset role of the standard example is there.
  for (const char* role : {"worker_a", "proposer", "critic", "synthesizer", "peer_3"}) {
    EXPECT_NE(Row(preflight, role), nullptr) << role;
  }
  std::string text = RenderPreflight(preflight);
  EXPECT_THAT(text, HasSubstr("every role has a model")) << text;
  EXPECT_THAT(text, HasSubstr("cerebras zai-glm-4.7, cerebras gpt-oss-120b")) << text;
}

TEST(PreflightTest, MissingCodeModelsAreNamedWithWhatToSet) {
  // Eight Gemini keys and no Cerebras key: every tier has a Gemini model, the pinned code
  // models are Cerebras only.
  Env::Variables keys = {{"NUM_GEMINI", "8"}};
  for (int i = 1; i <= 8; ++i)
    keys["GEMINI_API_KEY_" + std::to_string(i)] = "g" + std::to_string(i);
  Preflight preflight = Check(Standard(), keys);
  ASSERT_FALSE(preflight.ok());
  ASSERT_EQ(preflight.problems.size(), 1u) << PreflightFailure(preflight);
  const PreflightProblem& problem = preflight.problems[0];
  EXPECT_FALSE(problem.tier.has_value());
  EXPECT_EQ(problem.roles, std::vector<std::string>{"generate_code (role code_execution)"});
  EXPECT_EQ(problem.message,
            "generate_code (role code_execution) needs one of: cerebras zai-glm-4.7, cerebras "
            "gpt-oss-120b; no cerebras key is set. Set CEREBRAS_API_KEY (or NUM_CEREBRAS + "
            "CEREBRAS_API_KEY_1..N) in the environment or in $HFS_HOME/.env (default "
            "~/.hfs/.env), or list a model of a provider you have keys for (gemini) in "
            "model_tiers.code_models.");
  // The other roles resolve at Gemini.
  const RoleResolution* orchestrator = Row(preflight, "orchestrator");
  ASSERT_NE(orchestrator, nullptr);
  EXPECT_EQ(orchestrator->candidates,
            std::vector<tiers::ModelRef>({{"gemini", "gemini-2.5-flash"}}));
  const std::string failure = PreflightFailure(preflight);
  EXPECT_THAT(failure, HasSubstr("Error: pre-flight: a role of this run has no model at the "
                                 "providers with keys (gemini); nothing was sent"));
  EXPECT_THAT(failure, HasSubstr(problem.message));
  const std::string text = RenderPreflight(preflight);
  EXPECT_THAT(text, HasSubstr("a run stops here (exit code 2)")) << text;
  EXPECT_THAT(text, HasSubstr("code_execution  pinned")) << text;
  EXPECT_THAT(text, HasSubstr("none reachable")) << text;
  nlohmann::json json = PreflightToJson(preflight);
  EXPECT_FALSE(json["ok"].get<bool>());
  EXPECT_EQ(json["problems"][0]["wanted"][0]["model"], "zai-glm-4.7");
}

TEST(PreflightTest, AReachableCodeModelFallbackIsANotice) {
  config::Config config = Standard();
  config.model_tiers.code_models.push_back({"gemini", "gemini-2.5-flash"});
  Preflight preflight = Check(config, {{"GEMINI_API_KEY", "g"}});
  EXPECT_TRUE(preflight.ok()) << PreflightFailure(preflight);
  ASSERT_EQ(preflight.notices.size(), 1u);
  EXPECT_EQ(preflight.notices[0],
            "generate_code (role code_execution) will use gemini gemini-2.5-flash, a fallback "
            "listed in model_tiers.code_models, instead of cerebras zai-glm-4.7 and cerebras "
            "gpt-oss-120b: no cerebras key is set.");
  const RoleResolution* code = Row(preflight, "code_execution");
  ASSERT_NE(code, nullptr);
  EXPECT_EQ(code->candidates, std::vector<tiers::ModelRef>({{"gemini", "gemini-2.5-flash"}}));
  EXPECT_THAT(RenderPreflight(preflight), HasSubstr("notice: generate_code"));
  // With the first code model reachable there is nothing to say.
  EXPECT_TRUE(Check(config, {{"CEREBRAS_API_KEY", "c"}, {"GEMINI_API_KEY", "g"}}).notices.empty());
}

TEST(PreflightTest, ATierModelAtALaterProviderIsEnough) {
  // Groq serves every default tier; only the code models need Cerebras.
  config::Config config = Standard();
  config.model_tiers.code_models = {{"groq", "openai/gpt-oss-120b"}};
  Preflight preflight = Check(config, {{"GROQ_API_KEY", "g"}});
  EXPECT_TRUE(preflight.ok()) << PreflightFailure(preflight);
  EXPECT_TRUE(preflight.notices.empty());
}

TEST(PreflightTest, PlannerAndArbiterWithoutTheirTierAreNamed) {
  Preflight preflight = Check(Load(kReasoningAtCerebras), {{"GEMINI_API_KEY", "g"}});
  ASSERT_EQ(preflight.problems.size(), 1u) << PreflightFailure(preflight);
  const PreflightProblem& problem = preflight.problems[0];
  EXPECT_EQ(problem.tier, tiers::Tier::kReasoning);
  EXPECT_EQ(problem.roles, (std::vector<std::string>{"planner", "arbiter"}));
  EXPECT_EQ(problem.message,
            "planner and arbiter need the 'reasoning' tier, one of: cerebras "
            "qwen-3-235b-a22b-instruct-2507; no cerebras key is set. Set CEREBRAS_API_KEY (or "
            "NUM_CEREBRAS + CEREBRAS_API_KEY_1..N) in the environment or in $HFS_HOME/.env "
            "(default ~/.hfs/.env), or add a model of a provider you have keys for (gemini) under "
            "model_tiers.tiers.reasoning.providers.");
  // The triads' roles use the general and fast tiers, at Gemini.
  for (const RoleResolution& row : preflight.roles) {
    if (row.role != "planner" && row.role != "arbiter") {
      EXPECT_TRUE(row.resolved()) << row.role;
    }
  }
}

TEST(PreflightTest, PlannerIsNotNeededWhenTheConfigFixesTheRegions) {
  config::Config config =
      Load(std::string(kReasoningAtCerebras) + "page: {regions: [hero, faq]}\n");
  Preflight preflight = Check(config, {{"GEMINI_API_KEY", "g"}});
  EXPECT_EQ(Row(preflight, "planner"), nullptr);
  ASSERT_EQ(preflight.problems.size(), 1u);
  EXPECT_EQ(preflight.problems[0].roles, std::vector<std::string>{"arbiter"});
  EXPECT_THAT(preflight.problems[0].message, HasSubstr("arbiter needs the 'reasoning' tier"));
}

TEST(PreflightTest, TriadRolesNameTheirTriads) {
  config::Config config = Load(kReasoningAtCerebras);
  config.model_tiers.role_defaults = {{"orchestrator", tiers::Tier::kReasoning},
                                      {"synthesizer", tiers::Tier::kReasoning}};
  Preflight preflight = Check(config, {{"GEMINI_API_KEY", "g"}});
  ASSERT_EQ(preflight.problems.size(), 1u);
  EXPECT_EQ(preflight.problems[0].roles,
            (std::vector<std::string>{"synthesizer (triad a)", "orchestrator (triad b)"}));
}

TEST(PreflightTest, DisabledProvidersAreNamedAsSuch) {
  config::Config config = Standard();
  config.providers[0].enabled = false;  // cerebras
  Preflight preflight = Check(config, {{"CEREBRAS_API_KEY", "c"}, {"GROQ_API_KEY", "g"}});
  ASSERT_EQ(preflight.problems.size(), 1u);
  EXPECT_THAT(preflight.problems[0].message,
              HasSubstr("cerebras is disabled in the config. Enable cerebras under providers, "
                        "or list a model of a provider you have keys for (groq)"));
  EXPECT_THAT(preflight.problems[0].message, Not(HasSubstr("CEREBRAS_API_KEY")));
}

TEST(PreflightTest, EscalationsCountAsInTheRun) {
  config::Config config = Load(kReasoningAtCerebras);
  // Escalated to reasoning, which only Cerebras serves: with a Cerebras key the critic uses
  // it; without one it keeps its own tier, as the run does.
  const tiers::EscalationMap escalated = {
      {{.triad = "a", .role = "critic"}, tiers::Tier::kReasoning}};
  Preflight with = Check(config, {{"GEMINI_API_KEY", "g"}, {"CEREBRAS_API_KEY", "c"}}, escalated);
  EXPECT_TRUE(with.ok()) << PreflightFailure(with);
  const RoleResolution* critic = Row(with, "critic");
  ASSERT_NE(critic, nullptr);
  EXPECT_EQ(critic->tier->source, tiers::TierSource::kEscalation);
  EXPECT_THAT(RenderPreflight(with), HasSubstr("reasoning (escalated)"));
  Preflight without = Check(config, {{"GEMINI_API_KEY", "g"}}, escalated);
  critic = Row(without, "critic");
  ASSERT_NE(critic, nullptr);
  EXPECT_TRUE(critic->resolved());
  EXPECT_EQ(critic->tier->tier, tiers::Tier::kGeneral);
}

TEST(PreflightTest, WithoutAnyKeyItSaysWhatARunNeeds) {
  Preflight preflight = Check(Standard(), {});
  EXPECT_FALSE(preflight.ok());
  EXPECT_TRUE(preflight.usable_providers.empty());
  const std::string text = RenderPreflight(preflight);
  EXPECT_THAT(text, HasSubstr("no provider has keys yet")) << text;
  EXPECT_THAT(text, HasSubstr("With keys, a run needs:")) << text;
  EXPECT_THAT(text, HasSubstr("  - generate_code (role code_execution) needs one of: cerebras "
                              "zai-glm-4.7, cerebras gpt-oss-120b\n"))
      << text;
}

}  // namespace
}  // namespace hfs::app
