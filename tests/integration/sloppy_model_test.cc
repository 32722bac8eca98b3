// tests/integration/sloppy_model_test.cc
//
// Integration: a step that forces a tool, run by the real agent loop through the real LLM
// stack (ProviderSet over CurlTransport) against an in-process hfs-emulator whose
// realistic profile serves one misbehaviour on every request (docs/emulator.md), on a
// Groq-like provider (which answers some breaches with 400 tool_use_failed) and on a
// custom OpenAI-compatible server (which gets the forced tool as its only tool). Whatever
// the model does, a step completes only when the forced tool really ran with valid
// arguments; otherwise it fails cleanly after its repairs, naming the breach.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hfs/agent/runner.h"
#include "hfs/llm/provider_set.h"
#include "hfs/net/curl_transport.h"
#include "tools/emulator/config.h"
#include "tools/emulator/emulator.h"
#include "tools/emulator/server.h"

namespace hfs::agent {
namespace {

using nlohmann::json;

struct Case {
  std::string provider;  // "groq" or "plain"
  std::string behaviour;
};

std::string Name(const ::testing::TestParamInfo<Case>& info) {
  return info.param.provider + "_" + info.param.behaviour;
}

class SloppyModelTest : public ::testing::TestWithParam<Case> {
 protected:
  static void SetUpTestSuite() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }

  void SetUp() override {
    emulator::EmulatorOptions options = emulator::DefaultOptions();
    options.realism = emulator::RealismProfile::kRealistic;
    for (emulator::ProviderOptions& provider : options.providers) {
      provider.realism.ignores_named_tool_choice = false;
      for (emulator::Misbehaviour misbehaviour : emulator::kAllMisbehaviours) {
        const std::string name(emulator::MisbehaviourName(misbehaviour));
        provider.realism.rates[name] = name == GetParam().behaviour ? 1.0 : 0.0;
      }
      provider.realism.rates["reasoning"] = 0.0;
    }
    emulator_ = std::make_unique<emulator::Emulator>(options, clock_);
    server_ = std::make_unique<emulator::Server>(*emulator_, 8);
    Result<int> port = server_->Start("127.0.0.1", 0);
    ASSERT_TRUE(port.has_value()) << port.error().ToString();
    const std::string base = "http://127.0.0.1:" + std::to_string(*port);
    Env env(Env::Variables{{"GROQ_API_KEY", "emu-groq-1"},
                           {"PLAIN_API_KEY", "emu-plain-1"},
                           {"HFS_GROQ_BASE_URL", base + "/groq/openai/v1"}});
    std::vector<llm::ProviderOptions> providers = llm::BuiltinProviders();
    providers.push_back({.name = "plain", .base_url = base + "/v1"});
    transport_ = std::make_unique<net::CurlTransport>();
    providers_ = std::make_unique<llm::ProviderSet>(providers, env, *transport_, clock_);
    llm::Model* model = providers_->Find(GetParam().provider);
    ASSERT_NE(model, nullptr);
    models_ = std::make_unique<FixedModel>(
        *model, GetParam().provider == "groq" ? "llama-3.3-70b-versatile" : "llama-3.3-70b");
  }

  void TearDown() override {
    providers_.reset();
    transport_.reset();
    if (server_) server_->Stop();
  }

  // The forced step: claim one of two sections, with another tool on offer.
  RunResult RunStep() {
    auto claim = [this](const json& arguments, ToolContext&) -> Result<json> {
      claims_.push_back(arguments.at("section_id").get<std::string>());
      return json{{"ok", true}};
    };
    auto read = [](const json&, ToolContext&) -> Result<json> {
      return json{{"claims", json::array()}};
    };
    Agent agent{
        .name = "t1_orchestrator",
        .role = "orchestrator",
        .instructions = "You lead triad t1. section: layout",
        .tools = {MakeTool(
                      "register_claim", "Claim a section.",
                      Schema::Object()
                          .Property("section_id", Schema::Enum({"layout", "visual"}),
                                    Required::kYes)
                          .Property("proposal", Schema::String().Length(1, 400), Required::kYes),
                      claim),
                  MakeTool("get_current_claims", "Show the claims.", Schema::Object(), read)},
        .models = models_.get()};
    Conversation conversation;
    conversation.StartPhase("Claim the section you own: section: layout. Sections: layout, visual");
    Budget budget("t1", {.tokens = 1000000, .tool_calls = 100, .time_ms = 60000},
                  Enforcement::kHard, clock_);
    return Runner({.forced_tool = "register_claim",
                   .finish = Finish::kAfterToolSuccess,
                   .max_tokens = 400})
        .Run(agent, conversation, budget, {.run_id = "sloppy", .triad = "t1"});
  }

  SystemClock clock_;
  std::unique_ptr<emulator::Emulator> emulator_;
  std::unique_ptr<emulator::Server> server_;
  std::unique_ptr<net::CurlTransport> transport_;
  std::unique_ptr<llm::ProviderSet> providers_;
  std::unique_ptr<FixedModel> models_;
  std::vector<std::string> claims_;
};

TEST_P(SloppyModelTest, AStepCompletesOnlyWhenTheForcedToolRanElseFailsNamingTheBreach) {
  RunResult result = RunStep();
  const std::string& behaviour = GetParam().behaviour;
  if (result.stop_reason == StopReason::kCompleted) {
    // Never a false success: the claim was made, with a valid section.
    ASSERT_EQ(claims_.size(), 1u) << behaviour;
    EXPECT_TRUE(claims_[0] == "layout" || claims_[0] == "visual");
  } else {
    EXPECT_EQ(result.stop_reason, StopReason::kRepairsExhausted)
        << StopReasonName(result.stop_reason) << ": "
        << (result.error ? result.error->ToString() : "");
    EXPECT_TRUE(claims_.empty());
    EXPECT_EQ(result.breaches.size(), static_cast<size_t>(kDefaultMaxRepairs + 1));
    ASSERT_TRUE(result.error.has_value());
  }
  // What each behaviour must come to.
  if (behaviour == "duplicate_tool_call") {
    EXPECT_EQ(result.stop_reason, StopReason::kCompleted);
    EXPECT_EQ(claims_.size(), 1u);  // the second, identical call did not run
  }
  if (behaviour == "truncated" || behaviour == "empty_content") {
    ASSERT_EQ(result.stop_reason, StopReason::kRepairsExhausted);
    const Breach expected = behaviour == "truncated" ? Breach::kTruncated : Breach::kEmpty;
    for (Breach breach : result.breaches) {
      EXPECT_TRUE(breach == expected || breach == Breach::kToolUseFailed) << BreachName(breach);
    }
  }
  if (behaviour == "schema_violation" || behaviour == "wrong_tool") {
    EXPECT_EQ(result.stop_reason, StopReason::kRepairsExhausted);
  }
}

std::vector<Case> Cases() {
  std::vector<Case> cases;
  for (const char* provider : {"groq", "plain"}) {
    for (const char* behaviour :
         {"prose_instead_of_tool", "malformed_json", "wrong_tool", "schema_violation", "truncated",
          "empty_content", "duplicate_tool_call", "foreign_section"}) {
      cases.push_back({provider, behaviour});
    }
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Behaviours, SloppyModelTest, ::testing::ValuesIn(Cases()), Name);

}  // namespace
}  // namespace hfs::agent
