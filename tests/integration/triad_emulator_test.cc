// tests/integration/triad_emulator_test.cc
//
// Integration: each triad preset runs deliberation, negotiation and execution against an
// in-process hfs-emulator through the real LLM stack (ProviderSet over CurlTransport),
// with the spec moved between phases by the staged claims and decisions, and produces
// claims, decisions and real files.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <memory>
#include <mutex>

#include "hfs/llm/provider_set.h"
#include "hfs/net/curl_transport.h"
#include "hfs/triad/output_paths.h"
#include "hfs/triad/preset.h"
#include "hfs/triad/triad_factory.h"
#include "tools/emulator/config.h"
#include "tools/emulator/emulator.h"
#include "tools/emulator/server.h"

namespace hfs::triad {
namespace {

const std::vector<std::string> kSections = {"layout", "visual", "faq"};

class TriadEmulatorTest : public ::testing::TestWithParam<Preset> {
 protected:
  static void SetUpTestSuite() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }

  void SetUp() override {
    emulator_ = std::make_unique<emulator::Emulator>(emulator::DefaultOptions(), clock_);
    server_ = std::make_unique<emulator::Server>(*emulator_, 8);
    Result<int> port = server_->Start("127.0.0.1", 0);
    ASSERT_TRUE(port.has_value()) << port.error().ToString();
    Env env(Env::Variables{
        {"NUM_GROQ", "2"},
        {"GROQ_API_KEY_1", "emu-groq-1"},
        {"GROQ_API_KEY_2", "emu-groq-2"},
        {"HFS_GROQ_BASE_URL", "http://127.0.0.1:" + std::to_string(*port) + "/groq/openai/v1"}});
    transport_ = std::make_unique<net::CurlTransport>();
    providers_ =
        std::make_unique<llm::ProviderSet>(llm::BuiltinProviders(), env, *transport_, clock_);
    ASSERT_NE(providers_->Find("groq"), nullptr);
    // Every decision and vote of this triad is steered to "concede".
    models_ = std::make_unique<agent::FixedModel>(*providers_->Find("groq"),
                                                  "llama-3.3-70b-versatile:concede");
    code_ =
        std::make_unique<CodeGenerator>(*models_, CodeGeneratorOptions{.output_format = "html"});
  }

  void TearDown() override {
    providers_.reset();
    transport_.reset();
    if (server_) server_->Stop();
  }

  SystemClock clock_;
  std::unique_ptr<emulator::Emulator> emulator_;
  std::unique_ptr<emulator::Server> server_;
  std::unique_ptr<net::CurlTransport> transport_;
  std::unique_ptr<llm::ProviderSet> providers_;
  std::unique_ptr<agent::FixedModel> models_;
  std::unique_ptr<CodeGenerator> code_;
  PromptLibrary prompts_;
};

TEST_P(TriadEmulatorTest, ThreePhasesProduceClaimsDecisionsAndFiles) {
  agent::Budget budget("t1", {.tokens = 1000000, .tool_calls = 500, .time_ms = 120000},
                       agent::Enforcement::kHard, clock_);
  std::unique_ptr<Triad> triad =
      MakeTriad({.id = "t1",
                 .preset = GetParam(),
                 .scope = {.primary = {"layout", "visual"}, .reach = {"faq"}},
                 .objectives = {"clarity"}},
                {.models = models_.get(),
                 .budget = &budget,
                 .code = code_.get(),
                 .prompts = &prompts_,
                 .run_id = "run-emulator"});
  const std::string request = "a pricing page with three tiers and an FAQ";

  // Deliberation: whatever the triad claims is applied; t2 claims everything, so every
  // section the triad claimed is contested.
  spec::Spec spec = *spec::Spec::Create(kSections);
  PhaseReport deliberation = triad->Deliberate({.spec = &spec, .request = request});
  ASSERT_FALSE(deliberation.error) << deliberation.error->ToString();
  EXPECT_TRUE(deliberation.summary.submitted);
  std::vector<spec::StagedClaim> claims = triad->outbox().claims();
  ASSERT_FALSE(claims.empty()) << "the triad claimed nothing";
  for (const std::string& section : kSections) {
    claims.push_back({.triad = "t2", .section = section, .proposal = "t2's " + section});
  }
  for (const spec::ClaimOutcome& outcome : spec::ApplyClaims(spec, claims, {"t1", "t2"})) {
    EXPECT_TRUE(outcome.Accepted()) << outcome.rejection->ToString();
  }
  std::vector<std::string> contested = spec.Contested();
  ASSERT_FALSE(contested.empty());

  // Negotiation: one decision per contested section, steered to concede.
  PhaseReport negotiation =
      triad->Negotiate({.spec = &spec, .request = request, .sections = contested});
  ASSERT_FALSE(negotiation.error) << negotiation.error->ToString();
  std::vector<spec::StagedDecision> decisions = triad->outbox().decisions();
  ASSERT_EQ(decisions.size(), contested.size());
  for (const spec::StagedDecision& decision : decisions) {
    EXPECT_EQ(decision.decision, spec::Decision::kConcede) << decision.section;
  }
  spec::RoundResult round = spec::ApplyDecisions(spec, decisions, {"t1", "t2"});
  EXPECT_TRUE(round.rejected.empty());

  // Execution, on a frozen spec in which the triad owns layout and visual: it writes real
  // files for them.
  spec::Spec frozen = *spec::Spec::Create(kSections);
  ASSERT_TRUE(frozen.RegisterClaim("t1", "layout", "a responsive grid"));
  ASSERT_TRUE(frozen.RegisterClaim("t1", "visual", "three pricing cards"));
  ASSERT_TRUE(frozen.RegisterClaim("t2", "faq", "five questions"));
  ASSERT_TRUE(frozen.Freeze());
  PhaseReport execution =
      triad->Execute({.spec = &frozen, .request = request, .sections = {"layout", "visual"}});
  ASSERT_FALSE(execution.error) << execution.error->ToString();
  std::vector<StagedFile> files = triad->outbox().files();
  std::set<std::string> sections_with_files;
  for (const StagedFile& file : files) {
    EXPECT_TRUE(CheckOutputPath(file.path, "html").has_value()) << file.path;
    EXPECT_FALSE(file.content.empty()) << file.path;
    sections_with_files.insert(file.section);
  }
  EXPECT_EQ(sections_with_files, (std::set<std::string>{"layout", "visual"}));
  EXPECT_EQ(triad->summaries().size(), 3u);
}

INSTANTIATE_TEST_SUITE_P(Presets, TriadEmulatorTest,
                         ::testing::Values(Preset::kHierarchical, Preset::kDialectic,
                                           Preset::kConsensus),
                         [](const auto& info) { return std::string(PresetName(info.param)); });

}  // namespace
}  // namespace hfs::triad
