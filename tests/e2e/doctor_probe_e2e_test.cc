// `hfs doctor --provider local` end to end: a custom provider `local` pointed at
// hfs-emulator's plain (llama-server-like) endpoint. Against the kind emulator a named
// tool_choice is honoured; with the emulator's `ignores_named_tool_choice` server flag the
// verdict flips, and the printed `capabilities:` block loads back into a config with
// `named_tool_choice: false`. Unknown providers, missing and refused keys end with their
// exit codes and never print the key.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hfs/base/file.h"
#include "hfs/config/load.h"
#include "hfs/testing/temp_dir.h"
#include "tests/e2e/emulator_process.h"
#include "tests/e2e/run_hfs.h"

namespace hfs {
namespace {

using nlohmann::json;

constexpr char kKey[] = "emu-plain-1";

// The emulator's plain provider as a llama-server that reads a named tool_choice as
// "auto", with every other realism behaviour off.
constexpr char kIgnoresNamedChoice[] = R"(
providers:
  - name: plain
    realism: {prose_instead_of_tool: 0, fenced_json: 0, malformed_json: 0, wrong_tool: 0,
              schema_violation: 0, truncated: 0, empty_content: 0, duplicate_tool_call: 0,
              long_reply: 0, foreign_section: 0, reasoning: 0,
              ignores_named_tool_choice: true}
)";

// A config whose custom provider `local` serves every tier with a reasoning model (so the
// reasoning_effort probe runs); `capabilities` (indented under providers.local) is added.
std::string ConfigText(const std::string& capabilities = "") {
  return "triads: [{id: solo, preset: hierarchical, scope: {primary: [layout]}}]\n"
         "sections: [layout]\n"
         "providers:\n"
         "  local:\n"
         "    base_url: http://127.0.0.1:9/v1\n" +
         capabilities +
         "model_tiers:\n"
         "  tiers:\n"
         "    fast: {providers: {local: gpt-oss-20b}}\n"
         "    general: {providers: {local: gpt-oss-20b}}\n"
         "    reasoning: {providers: {local: gpt-oss-20b}}\n";
}

// The line of one capability in the text output.
std::string LineOf(const std::string& output, const std::string& name) {
  size_t at = output.find("  " + name + " ");
  if (at == std::string::npos) return "";
  return output.substr(at, output.find('\n', at) - at);
}

// The printed block from "capabilities:" to the end, indented to sit under
// providers.local.
std::string PastedBlock(const std::string& output) {
  size_t at = output.find("\ncapabilities:\n");
  if (at == std::string::npos) return "";
  std::string block;
  for (++at; at < output.size();) {
    size_t end = output.find('\n', at);
    if (end == std::string::npos) end = output.size() - 1;
    block += "    " + output.substr(at, end - at + 1);
    at = end + 1;
  }
  return block;
}

class DoctorProbeE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = (home_.path() / "local.yaml").string();
    ASSERT_TRUE(WriteFileAtomic(config_, ConfigText()).has_value());
  }

  HfsRun Doctor(const EmulatorProcess& emulator, const std::string& args,
                const std::string& key = kKey, Streams streams = Streams::kBoth) {
    std::vector<std::string> env = {"HFS_LOCAL_BASE_URL=" + emulator.url() + "/v1"};
    if (!key.empty()) env.push_back("LOCAL_API_KEY=" + key);
    return RunHfs(home_.path(), "doctor " + args, streams, env);
  }

  testing::TempDir home_;
  std::string config_;
};

TEST_F(DoctorProbeE2eTest, TheNamedToolChoiceVerdictFlipsWhenTheServerIgnoresIt) {
  EmulatorProcess kind;
  ASSERT_TRUE(kind.started());
  HfsRun honoured = Doctor(kind, "--provider local -c " + config_);
  ASSERT_EQ(honoured.code, 0) << honoured.output;
  EXPECT_NE(honoured.output.find("model gpt-oss-20b"), std::string::npos) << honoured.output;
  const std::string named = LineOf(honoured.output, "named_tool_choice");
  EXPECT_NE(named.find("honoured"), std::string::npos) << honoured.output;
  EXPECT_EQ(named.find("not honoured"), std::string::npos) << honoured.output;
  EXPECT_NE(honoured.output.find("  named_tool_choice: true\n"), std::string::npos);
  EXPECT_NE(LineOf(honoured.output, "reasoning_effort").find("honoured"), std::string::npos);
  EXPECT_EQ(honoured.output.find(kKey), std::string::npos) << "the key was printed";

  const std::filesystem::path emulator_config = home_.path() / "emulator.yaml";
  ASSERT_TRUE(WriteFileAtomic(emulator_config, kIgnoresNamedChoice).has_value());
  EmulatorProcess ignoring({"--config", emulator_config.string(), "--realism", "realistic"});
  ASSERT_TRUE(ignoring.started());
  HfsRun ignored = Doctor(ignoring, "--provider local -c " + config_);
  ASSERT_EQ(ignored.code, 0) << ignored.output;
  EXPECT_NE(LineOf(ignored.output, "named_tool_choice").find("not honoured"), std::string::npos)
      << ignored.output;
  EXPECT_NE(LineOf(ignored.output, "named_tool_choice").find("asked for pick_blue, got"),
            std::string::npos)
      << ignored.output;
  // "required" is not affected.
  EXPECT_EQ(LineOf(ignored.output, "required_tool_choice").find("not honoured"), std::string::npos)
      << ignored.output;
  EXPECT_NE(ignored.output.find("  named_tool_choice: false\n"), std::string::npos);

  // The block, pasted under providers.local, loads back with what was probed.
  const std::string block = PastedBlock(ignored.output);
  ASSERT_FALSE(block.empty()) << ignored.output;
  Result<config::Config> pasted = config::LoadConfigFromString(ConfigText(block), "pasted.yaml");
  ASSERT_TRUE(pasted.has_value()) << pasted.error().message << "\n" << block;
  const llm::ProviderOptions& local = pasted->providers.back();
  ASSERT_EQ(local.name, "local");
  EXPECT_FALSE(local.capabilities.named_tool_choice);
  EXPECT_TRUE(local.capabilities.required_tool_choice);
  EXPECT_TRUE(local.capabilities.strict_json_schema);

  // --json says the same.
  HfsRun as_json =
      Doctor(ignoring, "--provider local -c " + config_ + " --json", kKey, Streams::kStdoutOnly);
  ASSERT_EQ(as_json.code, 0) << as_json.output;
  const json parsed = json::parse(as_json.output, nullptr, false);
  ASSERT_FALSE(parsed.is_discarded()) << as_json.output;
  EXPECT_EQ(parsed["verdicts"][0]["name"], "named_tool_choice");
  EXPECT_EQ(parsed["verdicts"][0]["verdict"], "not honoured");
  EXPECT_EQ(parsed["capabilities"]["named_tool_choice"], false);
}

TEST_F(DoctorProbeE2eTest, UnknownProvidersAndMissingOrRefusedKeysEndWithTheirExitCodes) {
  EmulatorProcess emulator;
  ASSERT_TRUE(emulator.started());
  HfsRun unknown = Doctor(emulator, "--provider nosuch -c " + config_);
  EXPECT_EQ(unknown.code, 2) << unknown.output;
  EXPECT_NE(unknown.output.find("unknown provider 'nosuch'"), std::string::npos);

  HfsRun no_key = Doctor(emulator, "--provider local -c " + config_, "");
  EXPECT_EQ(no_key.code, 2) << no_key.output;
  EXPECT_NE(no_key.output.find("LOCAL_API_KEY"), std::string::npos) << no_key.output;

  HfsRun refused = Doctor(emulator, "--provider local -c " + config_, "not-an-emulator-key");
  EXPECT_EQ(refused.code, 1) << refused.output;
  EXPECT_NE(refused.output.find("was refused"), std::string::npos) << refused.output;
  EXPECT_EQ(refused.output.find("not-an-emulator-key"), std::string::npos) << refused.output;

  // The probe sends the key, so it goes only where a run's may: not to plain http
  // elsewhere than this machine.
  HfsRun remote = RunHfs(
      home_.path(), "doctor --provider local -c " + config_, Streams::kBoth,
      {"HFS_LOCAL_BASE_URL=http://models.example.com/v1", std::string("LOCAL_API_KEY=") + kKey});
  EXPECT_EQ(remote.code, 2) << remote.output;
  EXPECT_NE(remote.output.find("HFS_LOCAL_ALLOW_HTTP"), std::string::npos) << remote.output;

  // No tier maps a model to `local`: --model is needed.
  std::string text = ConfigText();
  text = text.substr(0, text.find("model_tiers:"));
  const std::string untiered = (home_.path() / "untiered.yaml").string();
  ASSERT_TRUE(WriteFileAtomic(untiered, text).has_value());
  HfsRun no_model = Doctor(emulator, "--provider local -c " + untiered);
  EXPECT_EQ(no_model.code, 2) << no_model.output;
  EXPECT_NE(no_model.output.find("--model"), std::string::npos) << no_model.output;
}

}  // namespace
}  // namespace hfs
