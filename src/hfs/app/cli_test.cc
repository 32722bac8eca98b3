#include "hfs/app/cli.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "hfs/testing/temp_dir.h"

namespace hfs::app {
namespace {

struct CliResult {
  int code;
  std::string out;
  std::string err;
};

CliResult Hfs(std::vector<const char*> args, const Env& env = Env()) {
  args.insert(args.begin(), "hfs");
  std::ostringstream out;
  std::ostringstream err;
  CommandIo io{out, err, env};
  int code = RunCli(static_cast<int>(args.size()), args.data(), io);
  return {code, out.str(), err.str()};
}

constexpr char kStandard[] = "config/examples/standard.yaml";

TEST(CliTest, VersionAndHelp) {
  CliResult version = Hfs({"--version"});
  EXPECT_EQ(version.code, 0);
  EXPECT_EQ(version.out, "hfs 0.1.0\n");
  CliResult help = Hfs({"--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("validate-config"), std::string::npos);
  EXPECT_NE(help.out.find("Exit codes"), std::string::npos);
}

TEST(CliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Hfs({}).code, 2);
  EXPECT_EQ(Hfs({"frobnicate"}).code, 2);
  CliResult missing = Hfs({"run", "-c", kStandard});
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("--request is required"), std::string::npos) << missing.err;
  EXPECT_EQ(Hfs({"list-presets", "--preset", "anarchic"}).code, 2);
}

TEST(CliTest, ValidateConfigPrintsSummary) {
  CliResult result = Hfs({"validate-config", kStandard});
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_NE(result.out.find("valid"), std::string::npos);
  EXPECT_NE(result.out.find("Triads (6)"), std::string::npos);
  EXPECT_NE(result.out.find("Sections (23)"), std::string::npos);
}

TEST(CliTest, ValidateConfigJson) {
  CliResult result = Hfs({"validate-config", kStandard, "--json"});
  ASSERT_EQ(result.code, 0);
  nlohmann::json json = nlohmann::json::parse(result.out);
  EXPECT_TRUE(json["valid"].get<bool>());
  EXPECT_EQ(json["summary"]["triads"], 6);
  EXPECT_EQ(json["summary"]["triad_presets"]["accessibility"], "consensus");
  EXPECT_EQ(json["summary"]["pressure"]["max_negotiation_rounds"], 7);
}

TEST(CliTest, InvalidConfigExitsTwoWithLocation) {
  CliResult text = Hfs({"validate-config", "no/such.yaml"});
  EXPECT_EQ(text.code, 2);
  EXPECT_NE(text.err.find("no/such.yaml"), std::string::npos);
  CliResult json = Hfs({"validate-config", "no/such.yaml", "--json"});
  EXPECT_EQ(json.code, 2);
  nlohmann::json parsed = nlohmann::json::parse(json.out);
  EXPECT_FALSE(parsed["valid"].get<bool>());
  EXPECT_EQ(parsed["errors"].size(), 1u);
}

TEST(CliTest, ListPresets) {
  CliResult all = Hfs({"list-presets"});
  EXPECT_EQ(all.code, 0);
  EXPECT_NE(all.out.find("synthesizer"), std::string::npos);
  CliResult one = Hfs({"list-presets", "--preset", "consensus", "--json"});
  nlohmann::json json = nlohmann::json::parse(one.out);
  ASSERT_EQ(json["presets"].size(), 1u);
  EXPECT_EQ(json["presets"][0]["roles"][2], "peer_3");
}

TEST(CliTest, RunWithoutKeysExplainsWhatToSet) {
  CliResult result = Hfs({"run", "-c", kStandard, "-r", "a pricing page"});
  EXPECT_EQ(result.code, 2);
  EXPECT_TRUE(result.out.empty());
  for (const char* expected :
       {"no API keys configured", "cerebras", "MISSING", "NUM_CEREBRAS=N", "CEREBRAS_API_KEY_1",
        "OPENROUTER_API_KEY_1", ".env", "hfs validate-config", "--dry-run"}) {
    EXPECT_NE(result.err.find(expected), std::string::npos) << expected << "\n" << result.err;
  }
}

TEST(CliTest, RunWithoutKeysJson) {
  CliResult result = Hfs({"run", "-c", kStandard, "-r", "a pricing page", "--json"});
  EXPECT_EQ(result.code, 2);
  nlohmann::json json = nlohmann::json::parse(result.out);
  EXPECT_FALSE(json["success"].get<bool>());
  ASSERT_EQ(json["providers"].size(), 4u);
  EXPECT_EQ(json["providers"][0]["status"], "missing");
}

TEST(CliTest, RunWithKeysListsProvidersButNeverSecrets) {
  // The provider refuses connections: the run starts, fails fast, and says so.
  testing::TempDir home;
  Env env(Env::Variables{{"NUM_CEREBRAS", "1"},
                         {"CEREBRAS_API_KEY_1", "csk-CANARY-123456"},
                         {"HFS_CEREBRAS_BASE_URL", "http://127.0.0.1:1/v1"},
                         {"HFS_HOME", home.path().string()}});
  const std::string out_dir = (home.path() / "out").string();
  CliResult result =
      Hfs({"run", "-c", kStandard, "-r", "a pricing page", "-o", out_dir.c_str()}, env);
  EXPECT_EQ(result.code, 1);
  EXPECT_NE(result.out.find("did not succeed"), std::string::npos) << result.out;
  EXPECT_NE(result.err.find("cerebras     OK"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("CANARY"), std::string::npos);
  EXPECT_EQ(result.out.find("CANARY"), std::string::npos);
}

TEST(CliTest, PreflightStopsARunWhoseCodeModelsHaveNoKeys) {
  // Groq serves every tier of the standard example, but the pinned code models are
  // Cerebras's: nothing is called, and the message says what to set.
  testing::TempDir home;
  Env env(Env::Variables{{"GROQ_API_KEY", "gsk-CANARY-123456"},
                         {"HFS_GROQ_BASE_URL", "http://127.0.0.1:1/v1"},
                         {"HFS_HOME", home.path().string()}});
  const std::string out_dir = (home.path() / "out").string();
  CliResult result =
      Hfs({"run", "-c", kStandard, "-r", "a pricing page", "-o", out_dir.c_str()}, env);
  EXPECT_EQ(result.code, 2);
  EXPECT_TRUE(result.out.empty()) << result.out;
  for (const char* expected :
       {"Error: pre-flight", "generate_code", "cerebras zai-glm-4.7, cerebras gpt-oss-120b",
        "no cerebras key is set", "CEREBRAS_API_KEY", "model_tiers.code_models"}) {
    EXPECT_NE(result.err.find(expected), std::string::npos) << expected << "\n" << result.err;
  }
  EXPECT_EQ(result.err.find("CANARY"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(out_dir)) << "the run started";
  CliResult json = Hfs({"run", "-c", kStandard, "-r", "x", "-o", out_dir.c_str(), "--json"}, env);
  EXPECT_EQ(json.code, 2);
  nlohmann::json parsed = nlohmann::json::parse(json.out);
  EXPECT_FALSE(parsed["success"].get<bool>());
  EXPECT_NE(parsed["error"].get<std::string>().find("generate_code"), std::string::npos);
  EXPECT_FALSE(parsed["preflight"]["ok"].get<bool>());
  // --dry-run shows the same and exits 2 too.
  CliResult dry = Hfs({"run", "-c", kStandard, "-r", "x", "--dry-run"}, env);
  EXPECT_EQ(dry.code, 2);
  EXPECT_NE(dry.out.find("Pre-flight (providers with keys: groq)"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("no cerebras key is set"), std::string::npos) << dry.out;
}

TEST(CliTest, RunRefusesToSendKeysOverPlainHttp) {
  testing::TempDir home;
  Env env(Env::Variables{{"CEREBRAS_API_KEY", "csk-CANARY-123456"},
                         {"HFS_CEREBRAS_BASE_URL", "http://api.example.invalid/v1"},
                         {"HFS_HOME", home.path().string()}});
  const std::string out_dir = (home.path() / "out").string();
  CliResult result =
      Hfs({"run", "-c", kStandard, "-r", "a pricing page", "-o", out_dir.c_str()}, env);
  EXPECT_EQ(result.code, 2);
  for (const char* expected :
       {"REFUSED", "cerebras", "http://api.example.invalid/v1", "HFS_CEREBRAS_ALLOW_HTTP=1"}) {
    EXPECT_NE(result.err.find(expected), std::string::npos) << expected << "\n" << result.err;
  }
  EXPECT_EQ(result.err.find("CANARY"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(out_dir)) << "the run started";
}

TEST(CliTest, KeysShowsTheWarningsOfKeyDiscovery) {
  testing::TempDir home;
  Env env(Env::Variables{
      {"NUM_GROQ", "abc"}, {"GEMINI_API_KEY", "g-CANARY-1\r"}, {"HFS_HOME", home.path().string()}});
  CliResult text = Hfs({"keys"}, env);
  EXPECT_EQ(text.code, 0) << text.err;
  EXPECT_NE(text.out.find("warning: NUM_GROQ must be a whole number"), std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("warning: GEMINI_API_KEY has spaces or a carriage return"),
            std::string::npos)
      << text.out;
  EXPECT_EQ(text.out.find("CANARY"), std::string::npos);
  CliResult json = Hfs({"keys", "--json"}, env);
  ASSERT_EQ(json.code, 0) << json.err;
  nlohmann::json parsed = nlohmann::json::parse(json.out);
  bool groq_warned = false;
  for (const nlohmann::json& provider : parsed["providers"]) {
    if (provider["name"] != "groq") continue;
    const nlohmann::json warnings = provider.value("warnings", nlohmann::json::array());
    ASSERT_EQ(warnings.size(), 1u) << provider.dump();
    groq_warned = warnings[0].get<std::string>().starts_with("NUM_GROQ must be");
  }
  EXPECT_TRUE(groq_warned) << json.out;
}

TEST(CliTest, DryRunNeedsNoKeys) {
  CliResult result = Hfs({"run", "-c", kStandard, "-r", "a pricing page", "--dry-run"});
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_NE(result.out.find("Dry run"), std::string::npos);
  EXPECT_NE(result.out.find("contested"), std::string::npos);
  // Without keys the pre-flight says what a run will need.
  EXPECT_NE(result.out.find("no provider has keys yet"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("generate_code"), std::string::npos) << result.out;
  CliResult json = Hfs({"run", "-c", kStandard, "-r", "x", "--dry-run", "--json"});
  nlohmann::json plan = nlohmann::json::parse(json.out);
  EXPECT_TRUE(plan["dry_run"].get<bool>());
  EXPECT_GT(plan["contested_count"].get<int>(), 0);
}

TEST(CliTest, EmptyRequestIsRejected) {
  EXPECT_EQ(Hfs({"run", "-c", kStandard, "-r", "   "}).code, 2);
}

}  // namespace
}  // namespace hfs::app
