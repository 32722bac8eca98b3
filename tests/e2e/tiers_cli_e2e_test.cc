// Runs `hfs tiers` and `hfs tiers reset` against a config in a temporary directory, with
// keys given in the environment, and checks the resolved models, the escalation state
// file beside the config, and that the config itself is never written.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "hfs/base/file.h"
#include "hfs/testing/temp_dir.h"
#include "tests/e2e/run_hfs.h"

namespace hfs {
namespace {

using nlohmann::json;

constexpr char kConfig[] = R"(# my config; hfs must never rewrite it
triads:
  - {id: design, preset: dialectic, scope: {primary: [visual]}}
  - {id: engineering, preset: hierarchical, scope: {primary: [layout]}}
sections: [layout, visual]
model_tiers:
  escalation_state: {arbiter: reasoning}
)";

constexpr char kCerebrasKey[] = "CEREBRAS_API_KEY=csk-CANARY-one";
constexpr char kGroqKey[] = "GROQ_API_KEY=gsk-CANARY-two";

class TiersCliE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = dir_.path() / "hfs.yaml";
    state_ = dir_.path() / ".hfs" / "escalations.json";
    ASSERT_TRUE(WriteFileAtomic(config_, kConfig).has_value());
  }

  HfsRun Hfs(const std::string& args,
             const std::vector<std::string>& env = {kCerebrasKey, kGroqKey}) {
    return RunHfs(home_.path(), args, Streams::kStdoutOnly, env);
  }

  json TiersJson(const std::vector<std::string>& env = {kCerebrasKey, kGroqKey}) {
    HfsRun run = Hfs("tiers -c " + config_.string() + " --json", env);
    EXPECT_EQ(run.code, 0) << run.output;
    json out = json::parse(run.output, nullptr, false);
    EXPECT_FALSE(out.is_discarded()) << run.output;
    return out;
  }

  static const json& Row(const json& out, const std::string& triad, const std::string& role,
                         const std::string& phase) {
    for (const json& row : out["resolutions"]) {
      if (row["triad"] == triad && row["role"] == role && row["phase"] == phase) return row;
    }
    static const json kMissing;
    ADD_FAILURE() << "no row for " << triad << ":" << role << " in " << phase;
    return kMissing;
  }

  testing::TempDir home_;
  testing::TempDir dir_;
  std::filesystem::path config_;
  std::filesystem::path state_;
};

TEST_F(TiersCliE2eTest, ShowsTheResolvedModelOfEachTriadRoleAndPhase) {
  json out = TiersJson();
  EXPECT_EQ(out["state_file"], state_.string());
  EXPECT_EQ(out["usable_providers"], (json{"cerebras", "groq"}));
  const json& worker = Row(out, "engineering", "worker_a", "execution");
  EXPECT_EQ(worker["tier"], "fast");
  EXPECT_EQ(worker["source"], "phase override");
  EXPECT_EQ(worker["candidates"][0], (json{{"provider", "cerebras"}, {"model", "zai-glm-4.7"}}));
  EXPECT_EQ(worker["candidates"][1],
            (json{{"provider", "groq"}, {"model", "openai/gpt-oss-120b"}}));
  const json& deliberating = Row(out, "engineering", "worker_a", "deliberation");
  EXPECT_EQ(deliberating["tier"], "general");
  EXPECT_EQ(deliberating["source"], "role default");
  EXPECT_EQ(Row(out, "design", "synthesizer", "negotiation")["tier"], "reasoning");
  // The arbiter works on the reasoning tier by default; the config's escalation to the
  // same tier does not change that.
  const json& arbiter = Row(out, "", "arbiter", "negotiation");
  EXPECT_EQ(arbiter["tier"], "reasoning");
  EXPECT_EQ(arbiter["source"], "role default");
  // Code generation: the pinned code models only.
  const json& code = Row(out, "design", "code_execution", "execution");
  EXPECT_TRUE(code["tier"].is_null());
  EXPECT_EQ(code["candidates"], (json{{{"provider", "cerebras"}, {"model", "zai-glm-4.7"}},
                                      {{"provider", "cerebras"}, {"model", "gpt-oss-120b"}}}));
  ASSERT_EQ(out["escalations"].size(), 1u);
  EXPECT_EQ(out["escalations"][0]["source"], "config");

  HfsRun text = Hfs("tiers -c " + config_.string());
  EXPECT_EQ(text.code, 0);
  EXPECT_NE(text.output.find("engineering      worker_a        execution     fast       "
                             "phase override  cerebras/zai-glm-4.7, groq/openai/gpt-oss-120b"),
            std::string::npos)
      << text.output;
  EXPECT_EQ(text.output.find("CANARY"), std::string::npos);
}

TEST_F(TiersCliE2eTest, EscalationStateIsShownAndResetWithoutTouchingTheConfig) {
  ASSERT_TRUE(WriteFileAtomic(state_, R"({"version": 1, "escalations": [
      {"triad": "engineering", "role": "worker_a", "tier": "reasoning"},
      {"triad": "design", "role": "critic", "tier": "general"}]})"));
  json out = TiersJson();
  const json& worker = Row(out, "engineering", "worker_a", "execution");
  EXPECT_EQ(worker["tier"], "reasoning");
  EXPECT_EQ(worker["source"], "escalation");
  EXPECT_EQ(worker["candidates"][0]["model"], "qwen-3-235b-a22b-instruct-2507");
  EXPECT_EQ(Row(out, "design", "critic", "negotiation")["source"], "role default");  // not lower
  EXPECT_EQ(Row(out, "design", "code_execution", "execution")["candidates"][0]["model"],
            "zai-glm-4.7");
  EXPECT_EQ(out["escalations"].size(), 3u);

  HfsRun text = Hfs("tiers -c " + config_.string());
  EXPECT_NE(text.output.find("engineering:worker_a"), std::string::npos) << text.output;

  HfsRun reset = Hfs("tiers reset -c " + config_.string());
  EXPECT_EQ(reset.code, 0) << reset.output;
  EXPECT_NE(reset.output.find("Cleared 2 escalations from " + state_.string()), std::string::npos)
      << reset.output;
  EXPECT_NE(reset.output.find("escalation_state still starts 1 role escalated"), std::string::npos)
      << reset.output;
  out = TiersJson();
  EXPECT_EQ(Row(out, "engineering", "worker_a", "execution")["tier"], "fast");
  EXPECT_EQ(out["escalations"].size(), 1u);
  EXPECT_EQ(ReadFile(config_).value(), kConfig);
}

TEST_F(TiersCliE2eTest, UnreachableCodeModelsAreNamed) {
  json out = TiersJson({kGroqKey});
  const json& code = Row(out, "engineering", "code_execution", "execution");
  EXPECT_TRUE(code["candidates"].empty());
  const std::string error = code["error"].get<std::string>();
  EXPECT_NE(error.find("cerebras/zai-glm-4.7, cerebras/gpt-oss-120b"), std::string::npos) << error;
  EXPECT_NE(error.find("CEREBRAS_API_KEY"), std::string::npos) << error;
  // Other roles fall back to groq.
  EXPECT_EQ(Row(out, "engineering", "worker_a", "execution")["candidates"][0]["provider"], "groq");

  HfsRun text = Hfs("tiers -c " + config_.string(), {kGroqKey});
  EXPECT_NE(text.output.find("unreachable: code generation"), std::string::npos) << text.output;
}

TEST_F(TiersCliE2eTest, BadConfigOrStateFileExitsTwo) {
  ASSERT_TRUE(WriteFileAtomic(state_, "{broken"));
  HfsRun broken = RunHfs(home_.path(), "tiers -c " + config_.string());
  EXPECT_EQ(broken.code, 2);
  EXPECT_NE(broken.output.find("hfs tiers reset"), std::string::npos) << broken.output;
  EXPECT_EQ(Hfs("tiers reset -c " + config_.string()).code, 0);
  EXPECT_EQ(Hfs("tiers -c " + config_.string()).code, 0);

  const std::filesystem::path bad = dir_.path() / "bad.yaml";
  ASSERT_TRUE(WriteFileAtomic(
      bad, std::string(kConfig) + "  code_models: [{provider: cerebra, model: x}]\n"));
  HfsRun invalid = RunHfs(home_.path(), "tiers -c " + bad.string());
  EXPECT_EQ(invalid.code, 2);
  EXPECT_NE(invalid.output.find("did you mean 'cerebras'"), std::string::npos) << invalid.output;
}

}  // namespace
}  // namespace hfs
