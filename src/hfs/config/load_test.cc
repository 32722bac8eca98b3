#include "hfs/config/load.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "hfs/base/file.h"
#include "hfs/testing/temp_dir.h"

namespace hfs::config {
using ::testing::HasSubstr;

namespace {

constexpr char kValid[] = R"(triads:
  - id: a
    preset: dialectic
    scope: {primary: [layout], reach: [visual]}
  - id: b
    preset: consensus
    scope: {primary: [visual]}
sections: [layout, visual]
)";

// Loads `yaml` and returns the error message, or "" when it loaded.
std::string ErrorOf(const std::string& yaml) {
  Result<Config> config = LoadConfigFromString(yaml, "test.yaml");
  if (config) return "";
  EXPECT_EQ(config.error().code, ErrorCode::kInvalidArgument);
  return config.error().message;
}

TEST(LoadConfigTest, StandardExampleLoads) {
  Result<Config> config = LoadConfig("config/examples/standard.yaml");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->triads.size(), 6u);
  EXPECT_EQ(config->sections.size(), 23u);
  EXPECT_EQ(config->triads[5].preset, triad::Preset::kConsensus);
  EXPECT_EQ(config->pressure.max_negotiation_rounds, 7);
  EXPECT_EQ(config->source_path, "config/examples/standard.yaml");
}

TEST(LoadConfigTest, SectionsAreConcernsAndThePageFixesRegions) {
  Result<Config> config = LoadConfigFromString(R"(triads:
  - id: a
    preset: dialectic
    scope: {primary: [page/*, visual], reach: [page/pricing]}
sections:
  - visual
  - {name: data, kind: concern, contributes: data}
page:
  title: Plans
  regions: [hero, {id: pricing, title: Pricing, content: three tiers}]
)",
                                               "test.yaml");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->sections, (std::vector<std::string>{"visual", "data"}));
  EXPECT_EQ(config->section_roles.at("visual").contribution, page::Contribution::kTokens);
  EXPECT_EQ(config->section_roles.at("data").contribution, page::Contribution::kData);
  ASSERT_EQ(config->page.regions.size(), 2u);
  EXPECT_EQ(config->page.regions[1].section, "page/pricing");
  EXPECT_EQ(config->page.regions[1].content, "three tiers");
  EXPECT_EQ(config->section_roles.at("page/pricing").kind, page::SectionKind::kRegion);
  EXPECT_EQ(config->page.title, "Plans");
}

TEST(LoadConfigTest, PageMistakesAreReported) {
  // A region and a concern of the same name.
  EXPECT_THAT(ErrorOf(std::string(kValid) + "page: {regions: [layout]}\n"),
              HasSubstr("region 'layout' has the name of the section 'layout'"));
  // A concern may not take a region's name space, and region ids are checked.
  EXPECT_THAT(ErrorOf(std::string(kValid) + "page: {regions: [Hero Banner]}\n"),
              HasSubstr("region id 'Hero Banner' may hold only lower-case letters"));
  // A style system the toolchain lacks is refused.
  EXPECT_THAT(ErrorOf(std::string(kValid) + "output: {style_system: tailwind}\n"),
              HasSubstr("'tailwind' is not supported by HFS's build toolchain"));
  // A scope may name every region, but not a region that is not fixed.
  EXPECT_EQ(ErrorOf(std::string(kValid) + "page: {regions: [hero]}\n"), "");
}

TEST(LoadConfigTest, MinimalExampleKeepsDefaultsForAbsentKeys) {
  Result<Config> config = LoadConfig("config/examples/minimal.yaml");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_DOUBLE_EQ(config->pressure.temperature_decay, 0.2);
  EXPECT_DOUBLE_EQ(config->pressure.initial_temperature, 1.0);
  EXPECT_EQ(config->triads[1].budget,
            (agent::BudgetLimits{.tokens = 200000, .tool_calls = 80, .time_ms = 120000}));
  EXPECT_EQ(config->pressure.escalation_threshold,
            pipeline::PressureOptions{}.escalation_threshold);
  EXPECT_EQ(config->arbiter.max_tokens, 1500);
  EXPECT_EQ(config->arbiter.model, "claude-sonnet-4-20250514");
  EXPECT_FALSE(config->output.include_emergent_report);
}

TEST(LoadConfigTest, DefaultFileEqualsBuiltInDefaults) {
  Result<Config> config = LoadConfig("config/default.yaml");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  pipeline::PressureOptions pressure;
  EXPECT_DOUBLE_EQ(config->pressure.temperature_decay, pressure.temperature_decay);
  EXPECT_DOUBLE_EQ(config->pressure.freeze_threshold, pressure.freeze_threshold);
  EXPECT_EQ(config->pressure.max_negotiation_rounds, pressure.max_negotiation_rounds);
  EXPECT_EQ(config->pressure.escalation_threshold, pressure.escalation_threshold);
  EXPECT_EQ(config->pressure.global_budget, pressure.global_budget);
  EXPECT_EQ(config->pressure.per_triad_max, pressure.per_triad_max);
  EXPECT_EQ(config->triads[0].budget, agent::BudgetLimits{});
  tiers::ModelTiersOptions tiers = tiers::DefaultModelTiers();
  EXPECT_EQ(config->model_tiers.role_defaults, tiers.role_defaults);
  EXPECT_EQ(config->model_tiers.phase_overrides, tiers.phase_overrides);
  for (tiers::Tier tier : tiers::kAllTiers) {
    EXPECT_EQ(config->model_tiers.tiers[tier].providers, tiers.tiers[tier].providers);
  }
  EXPECT_EQ(config->model_tiers.code_models, tiers.code_models);
  EXPECT_TRUE(config->model_tiers.escalation_state.empty());
  EXPECT_EQ(config->output.format, pipeline::OutputFormat::kReact);
  EXPECT_EQ(config->observability.service_name, "hfs");
}

TEST(LoadConfigTest, ConfigWrapperIsOptional) {
  Result<Config> bare = LoadConfigFromString(kValid, "bare.yaml");
  std::string wrapped_text = "config:\n";
  for (std::string_view rest = kValid; !rest.empty();) {
    size_t end = rest.find('\n');
    wrapped_text += "  " + std::string(rest.substr(0, end + 1));
    rest.remove_prefix(end + 1);
  }
  Result<Config> wrapped = LoadConfigFromString(wrapped_text, "wrapped.yaml");
  ASSERT_TRUE(bare.has_value()) << bare.error().message;
  ASSERT_TRUE(wrapped.has_value()) << wrapped.error().message;
  EXPECT_EQ(bare->triads.size(), wrapped->triads.size());
  EXPECT_EQ(wrapped->triads[0].scope.reach, std::vector<std::string>{"visual"});
}

TEST(LoadConfigTest, MissingFile) {
  Result<Config> config = LoadConfig("no/such/config.yaml");
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().code, ErrorCode::kNotFound);
  EXPECT_NE(config.error().message.find("no/such/config.yaml"), std::string::npos);
}

TEST(LoadConfigTest, UnreadableFile) {
  testing::TempDir dir;
  EXPECT_EQ(LoadConfig(dir.path()).error().code, ErrorCode::kInvalidArgument);
  if (::geteuid() == 0) GTEST_SKIP() << "root reads files whatever their mode";
  auto path = dir.path() / "locked.yaml";
  ASSERT_TRUE(WriteFileAtomic(path, kValid));
  std::filesystem::permissions(path, std::filesystem::perms::none);
  EXPECT_EQ(LoadConfig(path).error().code, ErrorCode::kPermissionDenied);
}

TEST(LoadConfigTest, MalformedYamlIsLocated) {
  EXPECT_EQ(ErrorOf("triads:\n  - id: a\n    preset: [unclosed\nsections: [x]\n"),
            "test.yaml:4:9: malformed YAML: end of sequence flow not found");
}

TEST(LoadConfigTest, EmptyFile) {
  EXPECT_NE(ErrorOf("").find("the file is empty"), std::string::npos);
  EXPECT_NE(ErrorOf("# only a comment\n").find("the file is empty"), std::string::npos);
}

TEST(LoadConfigTest, WrongTypes) {
  std::string message =
      ErrorOf(std::string(kValid) +
              "pressure: {max_negotiation_rounds: many, initial_temperature: hot}\n"
              "output: {include_emergent_report: maybe}\n");
  EXPECT_NE(message.find("test.yaml:9:36: pressure.max_negotiation_rounds: expected a whole "
                         "number, got 'many'"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("pressure.initial_temperature: expected a number, got 'hot'"),
            std::string::npos);
  EXPECT_NE(message.find("output.include_emergent_report: expected true or false"),
            std::string::npos);
  EXPECT_NE(ErrorOf("triads: {id: a}\nsections: [x]\n")
                .find("triads: expected a list, got a "
                      "mapping"),
            std::string::npos);
}

TEST(LoadConfigTest, OutOfRangeNumbers) {
  std::string message = ErrorOf(std::string(kValid) +
                                "pressure: {temperature_decay: 1.5, max_negotiation_rounds: 0}\n"
                                "arbiter: {max_tokens: 99999}\n");
  EXPECT_NE(message.find("pressure.temperature_decay: 1.5 is out of range: expected a number "
                         "from 0 to 1"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("pressure.max_negotiation_rounds: 0 is out of range"), std::string::npos);
  EXPECT_NE(message.find("arbiter.max_tokens: 99999 is out of range: expected a whole number "
                         "from 100 to 16000"),
            std::string::npos);
  EXPECT_NE(ErrorOf(std::string(kValid) + "pressure: {global_budget: {tokens: -1}}\n")
                .find("pressure.global_budget.tokens: -1 is out of range: expected a whole "
                      "number at least 0"),
            std::string::npos);
}

TEST(LoadConfigTest, EmptyTriadsOrSections) {
  EXPECT_NE(ErrorOf("triads: []\nsections: [a]\n")
                .find("test.yaml:1:9: triads: at least one "
                      "triad is required"),
            std::string::npos);
  EXPECT_NE(ErrorOf("triads:\n  - {id: a, preset: consensus}\nsections: []\n")
                .find("test.yaml:3:11: sections: at least one section is required"),
            std::string::npos);
  EXPECT_NE(ErrorOf("sections: [a]\n").find("triads: missing required key"), std::string::npos);
}

TEST(LoadConfigTest, DuplicateIdsKeysAndSections) {
  std::string message = ErrorOf(
      "triads:\n  - {id: a, preset: consensus}\n  - {id: a, preset: dialectic}\n"
      "sections: [x, x]\n");
  EXPECT_NE(message.find("test.yaml:3:10: triads[1].id: triad id 'a' is used twice"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("sections[1]: section 'x' is listed twice"), std::string::npos);
  EXPECT_NE(ErrorOf(std::string(kValid) + "arbiter: {max_tokens: 200, max_tokens: 300}\n")
                .find("arbiter.max_tokens: duplicate key"),
            std::string::npos);
}

TEST(LoadConfigTest, UnknownPreset) {
  std::string message = ErrorOf("triads:\n  - {id: a, preset: hierarchal}\nsections: [x]\n");
  EXPECT_EQ(message,
            "test.yaml:2:21: triads[0].preset: 'hierarchal' is not one of: hierarchical, "
            "dialectic, consensus (did you mean 'hierarchical'?)");
}

TEST(LoadConfigTest, UnknownKeySuggestsTheNearestOne) {
  EXPECT_EQ(ErrorOf(std::string(kValid) + "presure: {}\n"),
            "test.yaml:9:1: presure: unknown key 'presure' (did you mean 'pressure'?)");
  EXPECT_EQ(ErrorOf(std::string(kValid) + "pressure: {temprature_decay: 0.2}\n"),
            "test.yaml:9:12: pressure.temprature_decay: unknown key 'temprature_decay' (did you "
            "mean 'temperature_decay'?)");
  EXPECT_EQ(ErrorOf(std::string(kValid) + "colour: blue\n"),
            "test.yaml:9:1: colour: unknown key 'colour'");
}

TEST(LoadConfigTest, ScopeMustNameConfiguredSections) {
  std::string message = ErrorOf(
      "triads:\n"
      "  - id: a\n"
      "    preset: dialectic\n"
      "    scope:\n"
      "      primary: [layout, vissual]\n"
      "      reach: [visual/spacing, layout]\n"
      "sections: [layout, visual]\n");
  EXPECT_NE(message.find("test.yaml:5:25: triads[0].scope.primary[1]: unknown section 'vissual' "
                         "(did you mean 'visual'?)"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("triads[0].scope.reach[0]: unknown section 'visual/spacing'"),
            std::string::npos);
  EXPECT_NE(message.find("triads[0].scope.reach[1]: section 'layout' is already in this triad's "
                         "primary scope"),
            std::string::npos);
}

TEST(LoadConfigTest, ReportsEveryIssueAtOnce) {
  std::string message = ErrorOf(
      "triads:\n  - {id: 'bad id', preset: x}\nsections: [a]\n"
      "output: {format: angular}\n");
  EXPECT_NE(message.find("triad id 'bad id' may hold only"), std::string::npos) << message;
  EXPECT_NE(message.find("triads[0].preset: 'x' is not one of"), std::string::npos);
  EXPECT_NE(message.find("output.format: 'angular' is not one of: react, vue, svelte, html, "
                         "vanilla"),
            std::string::npos);
}

TEST(LoadConfigTest, ModelTiersAreValidated) {
  std::string message = ErrorOf(std::string(kValid) +
                                "model_tiers:\n"
                                "  tiers:\n"
                                "    fast: {providers: {cerebras: zai-glm-4.7, grok: x}}\n"
                                "    general: {providers: {}}\n"
                                "  role_defaults: {orchestrater: reasoning, critic: premium}\n"
                                "  phase_overrides: {execute: {worker_a: fast}}\n"
                                "  escalation_state: {nocolon: fast}\n");
  EXPECT_NE(message.find("model_tiers.tiers.fast.providers.grok: unknown key 'grok' (did you mean "
                         "'groq'?)"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("model_tiers.tiers.reasoning: missing required key"), std::string::npos);
  EXPECT_NE(message.find("unknown key 'orchestrater' (did you mean 'orchestrator'?)"),
            std::string::npos);
  EXPECT_NE(message.find("model_tiers.role_defaults.critic: 'premium' is not one of: fast, "
                         "general, reasoning"),
            std::string::npos);
  EXPECT_NE(message.find("unknown key 'execute' (did you mean 'execution'?)"), std::string::npos)
      << message;
  EXPECT_NE(message.find("expected a key of the form \"triad_id:role\""), std::string::npos);
}

TEST(LoadConfigTest, ModelTiersOverrideDefaultsPerKey) {
  Result<Config> config = LoadConfigFromString(std::string(kValid) +
                                                   "model_tiers:\n"
                                                   "  role_defaults: {critic: fast}\n"
                                                   "  escalation_state: {'a:critic': reasoning}\n",
                                               "test.yaml");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->model_tiers.role_defaults.size(), 1u);
  EXPECT_EQ(config->model_tiers.escalation_state.at("a:critic"), tiers::Tier::kReasoning);
  EXPECT_EQ(config->model_tiers.tiers.size(), 3u);
}

TEST(LoadConfigTest, EscalationStateKeysNameATriadAndARoleOrARoleOutsideTriads) {
  Result<Config> config = LoadConfigFromString(std::string(kValid) +
                                                   "model_tiers:\n"
                                                   "  escalation_state:\n"
                                                   "    'b:peer_2': general\n"
                                                   "    arbiter: reasoning\n",
                                               "test.yaml");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->model_tiers.escalation_state.at("b:peer_2"), tiers::Tier::kGeneral);
  EXPECT_EQ(config->model_tiers.escalation_state.at("arbiter"), tiers::Tier::kReasoning);

  std::string message = ErrorOf(std::string(kValid) +
                                "model_tiers:\n"
                                "  escalation_state:\n"
                                "    'c:critic': general\n"
                                "    'a:critik': general\n"
                                "    ':critic': general\n"
                                "    'a:proposer': top\n");
  EXPECT_NE(message.find("model_tiers.escalation_state.c:critic: unknown triad 'c'"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("unknown role 'critik' (did you mean 'critic'?)"), std::string::npos)
      << message;
  EXPECT_NE(message.find("model_tiers.escalation_state.:critic: expected a key of the form"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("model_tiers.escalation_state.a:proposer: 'top' is not one of: fast, "
                         "general, reasoning"),
            std::string::npos)
      << message;
}

TEST(LoadConfigTest, CodeModelsAreConfigurableAndValidated) {
  Result<Config> config = LoadConfigFromString(
      std::string(kValid) +
          "providers:\n  ollama: {base_url: 'http://127.0.0.1:11434/v1', requires_key: false}\n"
          "model_tiers:\n"
          "  code_models:\n"
          "    - {provider: ollama, model: qwen2.5-coder}\n"
          "    - {provider: cerebras, model: zai-glm-4.7}\n",
      "test.yaml");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(
      config->model_tiers.code_models,
      (std::vector<tiers::ModelRef>{{"ollama", "qwen2.5-coder"}, {"cerebras", "zai-glm-4.7"}}));
  // Not given: the pinned defaults.
  EXPECT_EQ(LoadConfigFromString(kValid, "test.yaml")->model_tiers.code_models,
            tiers::DefaultModelTiers().code_models);

  std::string message = ErrorOf(std::string(kValid) +
                                "model_tiers:\n"
                                "  code_models:\n"
                                "    - {provider: cerebra, model: zai-glm-4.7}\n"
                                "    - {provider: groq}\n"
                                "    - {provider: groq, model: ''}\n"
                                "    - {provider: groq, model: x, tier: fast}\n"
                                "    - {provider: cerebras, model: gpt-oss-120b}\n"
                                "    - {provider: cerebras, model: gpt-oss-120b}\n");
  EXPECT_NE(message.find("model_tiers.code_models[0].provider: unknown provider 'cerebra' (did "
                         "you mean 'cerebras'?)"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("model_tiers.code_models[1].model: missing required key"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("model_tiers.code_models[2].model: empty model id"), std::string::npos)
      << message;
  EXPECT_NE(message.find("model_tiers.code_models[3].tier: unknown key 'tier'"), std::string::npos)
      << message;
  EXPECT_NE(message.find("model_tiers.code_models[5]: cerebras/gpt-oss-120b is listed twice"),
            std::string::npos)
      << message;
  EXPECT_NE(ErrorOf(std::string(kValid) + "model_tiers: {code_models: []}\n")
                .find("model_tiers.code_models: needs at least one {provider, model}"),
            std::string::npos);
  EXPECT_NE(ErrorOf(std::string(kValid) + "model_tiers: {code_models: cerebras}\n")
                .find("model_tiers.code_models: expected a list"),
            std::string::npos);
}

TEST(LoadConfigTest, ProvidersOverrideAndCustom) {
  Result<Config> config = LoadConfigFromString(
      std::string(kValid) +
          "providers:\n"
          "  groq: {enabled: false}\n"
          "  gemini: {base_url: 'http://127.0.0.1:8080/gemini/v1beta/openai'}\n"
          "  ollama: {base_url: 'http://127.0.0.1:11434/v1', requires_key: false}\n"
          "model_tiers:\n"
          "  tiers:\n"
          "    fast: {providers: {ollama: qwen2.5-coder}}\n"
          "    general: {providers: {ollama: qwen2.5}}\n"
          "    reasoning: {providers: {cerebras: qwen-3-235b-a22b-instruct-2507}}\n",
      "test.yaml");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  ASSERT_EQ(config->providers.size(), 5u);
  EXPECT_FALSE(config->providers[1].enabled);
  EXPECT_EQ(config->providers[2].base_url, "http://127.0.0.1:8080/gemini/v1beta/openai");
  EXPECT_EQ(config->providers[4].name, "ollama");
  EXPECT_FALSE(config->providers[4].requires_key);
  EXPECT_EQ(config->model_tiers.tiers[tiers::Tier::kFast].providers.at("ollama"), "qwen2.5-coder");

  std::string message = ErrorOf(std::string(kValid) +
                                "providers:\n  local: {requires_key: false}\n"
                                "  other: {base_url: 'ftp://x'}\n  Bad: {}\n");
  EXPECT_NE(message.find("providers.local.base_url: a custom provider needs base_url"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("'ftp://x' is not an http:// or https:// URL"), std::string::npos);
  EXPECT_NE(message.find("providers.Bad: provider names may hold only lowercase"),
            std::string::npos);
}

TEST(LoadConfigTest, CapabilitiesAndReasoningEfforts) {
  Result<Config> config = LoadConfigFromString(
      std::string(kValid) +
          "providers:\n"
          "  llama: {base_url: 'http://127.0.0.1:8080/v1', requires_key: false,\n"
          "          capabilities: {named_tool_choice: false, strict_json_schema: true,\n"
          "                         reasoning_effort: top_level}}\n"
          "model_tiers:\n"
          "  code_reasoning_effort: medium\n"
          "  fallback_key_wait_ms: 1500\n"
          "  tiers:\n"
          "    fast: {providers: {llama: gpt-oss-20b}, reasoning_effort: low}\n"
          "    general: {providers: {llama: gpt-oss-20b}}\n"
          "    reasoning: {providers: {llama: gpt-oss-120b}, reasoning_effort: high}\n",
      "test.yaml");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  const llm::ProviderOptions& llama = config->providers.back();
  EXPECT_FALSE(llama.capabilities.named_tool_choice);
  EXPECT_TRUE(llama.capabilities.strict_json_schema);
  EXPECT_EQ(llama.capabilities.reasoning_effort, llm::EffortForm::kTopLevel);
  // Built-in providers keep their table.
  EXPECT_EQ(config->providers[0].capabilities, llm::BuiltinCapabilities("cerebras"));
  EXPECT_EQ(config->model_tiers.code_reasoning_effort, "medium");
  EXPECT_EQ(config->model_tiers.fallback_key_wait_ms, 1500);
  EXPECT_EQ(config->model_tiers.tiers[tiers::Tier::kReasoning].reasoning_effort, "high");
  EXPECT_EQ(config->model_tiers.tiers[tiers::Tier::kGeneral].reasoning_effort, std::nullopt);

  std::string message = ErrorOf(std::string(kValid) +
                                "providers:\n  llama: {base_url: 'http://127.0.0.1:8080/v1',\n"
                                "    capabilities: {named: true, reasoning_effort: deep}}\n"
                                "model_tiers: {code_reasoning_effort: max}\n");
  EXPECT_NE(message.find("providers.llama.capabilities.named: unknown key 'named'"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("'deep' is not one of none, top_level, nested"), std::string::npos);
  EXPECT_NE(message.find("model_tiers.code_reasoning_effort: 'max' is not a reasoning effort"),
            std::string::npos);
}

TEST(LoadConfigTest, ProviderTimeoutsAndStreaming) {
  Result<Config> config = LoadConfigFromString(
      std::string(kValid) +
          "providers:\n"
          "  llama: {base_url: 'http://127.0.0.1:8080/v1', requires_key: false,\n"
          "          capabilities: {streaming: false},\n"
          "          timeouts: {connect_s: 2, first_byte_s: 120, idle_s: 0.5}}\n",
      "test.yaml");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  const llm::ProviderOptions& llama = config->providers.back();
  EXPECT_FALSE(llama.capabilities.streaming);
  EXPECT_EQ(llama.timeouts.connect, std::chrono::seconds(2));
  EXPECT_EQ(llama.timeouts.first_byte, std::chrono::seconds(120));
  EXPECT_EQ(llama.timeouts.idle, std::chrono::milliseconds(500));
  EXPECT_EQ(llama.timeouts.total, llm::CallTimeouts{}.total);  // not given: the default
  EXPECT_TRUE(config->providers[0].capabilities.streaming);

  std::string message =
      ErrorOf(std::string(kValid) + "providers:\n  groq: {timeouts: {idle_s: 0, total: 9}}\n");
  EXPECT_NE(message.find("providers.groq.timeouts.total: unknown key 'total'"), std::string::npos)
      << message;
  EXPECT_NE(message.find("providers.groq.timeouts.idle_s"), std::string::npos) << message;
}

TEST(LoadConfigTest, PressureExtrasAndObservability) {
  Result<Config> config = LoadConfigFromString(
      std::string(kValid) +
          "pressure: {enforcement: soft, per_triad_max: {tokens: 5}, validation: [must_render]}\n"
          "observability: {include_content: true, otlp_endpoint: 'http://127.0.0.1:4318', "
          "console_verbosity: verbose}\n",
      "test.yaml");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->pressure.enforcement, agent::Enforcement::kSoft);
  EXPECT_EQ(config->pressure.per_triad_max.tokens, 5);
  EXPECT_EQ(config->pressure.per_triad_max.time_ms, 900000);
  EXPECT_TRUE(config->observability.include_content);
  EXPECT_EQ(config->observability.console_verbosity, trace::ConsoleVerbosity::kVerbose);
  EXPECT_NE(ErrorOf(std::string(kValid) + "pressure: {validation: [must_compil]}\n")
                .find("unknown validation check 'must_compil' (did you mean 'must_compile'?)"),
            std::string::npos);
}

}  // namespace
}  // namespace hfs::config

namespace hfs::config {
namespace {

TEST(LoadConfigTest, LimitTablesAndOverrides) {
  Result<Config> config =
      LoadConfigFromString(std::string(kValid) +
                               "providers:\n"
                               "  groq:\n"
                               "    limits: {llama-3.3-70b-versatile: {requests_per_minute: 5}}\n"
                               "    key_limits: {2: {'*': {requests_per_day: 7}}}\n",
                           "test.yaml");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  const keys::ProviderLimits& groq = config->providers[1].limits;
  ASSERT_EQ(groq.RulesFor("llama-3.3-70b-versatile").size(), 1u);
  EXPECT_EQ(groq.RulesFor("llama-3.3-70b-versatile")[0].limit, 5);
  EXPECT_EQ(groq.RulesFor("openai/gpt-oss-120b").size(), 6u);  // from the shipped table
  EXPECT_EQ(groq.RulesFor("openai/gpt-oss-120b", 2)[0].limit, 7);
  EXPECT_TRUE(config->providers[3].limits.shared_across_models);

  std::string message = ErrorOf(std::string(kValid) +
                                "providers:\n  groq: {key_limits: {first: {}}, limits: {m: "
                                "{requests_per_minute: 0}}}\n");
  EXPECT_NE(message.find("providers.groq.key_limits.first: expected a key index"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("providers.groq.limits.m.requests_per_minute: 0 is out of range"),
            std::string::npos);
}

}  // namespace
}  // namespace hfs::config

namespace hfs::config {
namespace {

TEST(LoadConfigTest, PromptsDirIsRelativeToTheConfigAndChecked) {
  testing::TempDir dir;
  ASSERT_TRUE(
      WriteFileAtomic(dir.path() / "prompts" / "delegate.md", "Share out {{owned_sections}}."));
  ASSERT_TRUE(
      WriteFileAtomic(dir.path() / "run.yaml", std::string(kValid) + "prompts_dir: prompts\n"));
  Result<Config> config = LoadConfig(dir.path() / "run.yaml");
  ASSERT_TRUE(config) << config.error().ToString();
  EXPECT_EQ(config->prompts_dir, (dir.path() / "prompts").string());

  ASSERT_TRUE(WriteFileAtomic(dir.path() / "prompts" / "delegat.md", "typo"));
  Result<Config> typo = LoadConfig(dir.path() / "run.yaml");
  ASSERT_FALSE(typo);
  EXPECT_EQ(typo.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(typo.error().message.find("prompts_dir: prompt file"), std::string::npos)
      << typo.error().message;
  EXPECT_NE(typo.error().message.find("delegat.md"), std::string::npos);
}

}  // namespace
}  // namespace hfs::config
