// The pre-flight of `hfs run` end to end, as a new user would meet it: Gemini keys only,
// with the default model tiers, whose pinned code models are Cerebras's. The run must stop
// before its first model call, naming the code models and the variables to set; with a
// Gemini model listed as a code-model fallback it goes on and says so.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hfs/base/file.h"
#include "hfs/net/curl_transport.h"
#include "hfs/testing/temp_dir.h"
#include "tests/e2e/emulator_process.h"
#include "tests/e2e/run_hfs.h"

namespace hfs {
namespace {

using nlohmann::json;

constexpr char kRequest[] = "a pricing page with three tiers and an FAQ";

bool StartsWith(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

class PreflightE2eTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(emulator_.started()) << "hfs-emulator did not start"; }

  // Gemini's eight keys only; every provider's base URL points at the emulator, so a
  // call to any of them would be counted.
  std::vector<std::string> GeminiKeysOnly() const {
    std::vector<std::string> env;
    for (const std::string& assignment : emulator_.Env()) {
      if (StartsWith(assignment, "NUM_GEMINI=") || StartsWith(assignment, "GEMINI_API_KEY_") ||
          StartsWith(assignment, "HFS_")) {
        env.push_back(assignment);
      }
    }
    return env;
  }

  HfsRun Hfs(const std::string& args, Streams streams = Streams::kBoth) {
    return RunHfs(home_.path(), args, streams, GeminiKeysOnly());
  }

  // The chat requests the emulator received (GET /_emulator/stats).
  int64_t EmulatorRequests() {
    json stats = Stats();
    return stats.contains("total") ? stats["total"].value("requests", int64_t{0}) : 0;
  }

  json Stats() {
    net::CurlTransport transport;
    Result<net::HttpResponse> response =
        transport.Send({.url = emulator_.url() + "/_emulator/stats"});
    EXPECT_TRUE(response.has_value());
    return json::parse(response ? response->body : "{}", nullptr, false);
  }

  // `base` (a config file of the repository) with `extra` appended, under the test's HOME.
  std::string Config(const std::string& base, const std::string& extra) {
    const std::filesystem::path path = home_.path() / "config" / "preflight.yaml";
    EXPECT_TRUE(WriteFileAtomic(path, ReadFile(base).value() + extra).has_value());
    return path.string();
  }

  EmulatorProcess emulator_;
  testing::TempDir home_;
  testing::TempDir out_;
};

TEST_F(PreflightE2eTest, GeminiKeysOnlyStopBeforeAnyModelCallNamingTheCodeModels) {
  const std::string run_args = "run -c config/examples/standard.yaml -r '" + std::string(kRequest) +
                               "' -o " + out_.path().string();
  HfsRun run = Hfs(run_args);
  EXPECT_EQ(run.code, 2) << run.output;
  for (const char* expected :
       {"Error: pre-flight", "generate_code", "cerebras zai-glm-4.7", "cerebras gpt-oss-120b",
        "no cerebras key is set", "CEREBRAS_API_KEY", "NUM_CEREBRAS", "model_tiers.code_models",
        "nothing was sent to any provider"}) {
    EXPECT_NE(run.output.find(expected), std::string::npos) << expected << "\n" << run.output;
  }
  EXPECT_EQ(EmulatorRequests(), 0) << Stats().dump(2);
  EXPECT_TRUE(std::filesystem::is_empty(out_.path())) << "a run directory was written";
  // The message is on stderr: stdout is empty.
  HfsRun stdout_only = Hfs(run_args, Streams::kStdoutOnly);
  EXPECT_EQ(stdout_only.code, 2);
  EXPECT_EQ(stdout_only.output, "");

  // --dry-run shows the same check, with the same names, and exits 2 as well.
  HfsRun dry =
      Hfs("run -c config/examples/standard.yaml -r '" + std::string(kRequest) + "' --dry-run");
  EXPECT_EQ(dry.code, 2) << dry.output;
  for (const char* expected :
       {"Pre-flight (providers with keys: gemini)", "code_execution", "none reachable",
        "cerebras zai-glm-4.7", "cerebras gpt-oss-120b", "CEREBRAS_API_KEY"}) {
    EXPECT_NE(dry.output.find(expected), std::string::npos) << expected << "\n" << dry.output;
  }
  // The other roles are served by Gemini.
  EXPECT_NE(dry.output.find("gemini gemini-2.5-flash"), std::string::npos) << dry.output;
  EXPECT_EQ(EmulatorRequests(), 0) << Stats().dump(2);
}

TEST_F(PreflightE2eTest, AGeminiCodeModelFallbackLetsTheRunGoOnAndIsNamed) {
  const std::string config = Config("config/examples/minimal.yaml", R"(
page: {regions: [hero, features]}
model_tiers:
  code_models:
    - {provider: cerebras, model: zai-glm-4.7}
    - {provider: gemini, model: gemini-2.5-pro}
)");
  HfsRun dry = Hfs("run -c " + config + " -r 'a landing page' --dry-run");
  EXPECT_EQ(dry.code, 0) << dry.output;
  EXPECT_NE(dry.output.find("every role has a model"), std::string::npos) << dry.output;
  EXPECT_NE(dry.output.find("will use gemini gemini-2.5-pro, a fallback listed in "
                            "model_tiers.code_models, instead of cerebras zai-glm-4.7: no "
                            "cerebras key is set"),
            std::string::npos)
      << dry.output;
  EXPECT_EQ(EmulatorRequests(), 0);

  // The run itself goes past the pre-flight, says which code model it uses, and its code
  // generation calls reach Gemini's fallback model.
  HfsRun run = Hfs("run -c " + config + " -r 'a landing page' -o " + out_.path().string());
  EXPECT_NE(run.code, 2) << run.output;
  EXPECT_NE(run.output.find("Notice: generate_code (role code_execution) will use gemini "
                            "gemini-2.5-pro"),
            std::string::npos)
      << run.output;
  json stats = Stats();
  EXPECT_GT(EmulatorRequests(), 0) << run.output;
  EXPECT_GT(stats["models"]["gemini"]["gemini-2.5-pro"].value("requests", int64_t{0}), 0)
      << stats.dump(2);
  EXPECT_FALSE(stats["providers"].contains("cerebras")) << stats.dump(2);
}

}  // namespace
}  // namespace hfs
