// Runs the built `hfs` binary as a user would, with an empty environment (no keys, a
// fresh HOME), and checks exit codes and messages for good and bad configs.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>
#include <vector>

#include "hfs/base/file.h"
#include "hfs/testing/temp_dir.h"
#include "tests/e2e/run_hfs.h"

namespace hfs {
namespace {

using Outcome = HfsRun;

class CliE2eTest : public ::testing::Test {
 protected:
  // Runs `hfs ARGS` in the repository with only PATH and HOME set.
  Outcome Hfs(const std::string& args) { return RunHfs(home_.path(), args); }

  std::string WriteConfig(const std::string& name, const std::string& text) {
    auto path = configs_.path() / name;
    EXPECT_TRUE(WriteFileAtomic(path, text).has_value());
    return path.string();
  }

  testing::TempDir home_;
  testing::TempDir configs_;
};

TEST_F(CliE2eTest, ValidateStandardExample) {
  Outcome outcome = Hfs("validate-config config/examples/standard.yaml");
  EXPECT_EQ(outcome.code, 0) << outcome.output;
  EXPECT_NE(outcome.output.find("Triads (6)"), std::string::npos);
}

TEST_F(CliE2eTest, DoctorSaysWhetherChromiumRunsInItsSandbox) {
  Outcome outcome = Hfs("doctor --json");
  ASSERT_EQ(outcome.code, 0) << outcome.output;
  const std::string& out = outcome.output;
  const size_t at = out.find("\"chromium_sandbox\"");
  ASSERT_NE(at, std::string::npos) << out;
  // Either way with its reason: "hfs runs as root", "unprivileged user namespaces work", ...
  EXPECT_NE(out.find("\"enabled\"", at), std::string::npos) << out;
  EXPECT_NE(out.find("\"reason\"", at), std::string::npos) << out;
}

TEST_F(CliE2eTest, RunWithoutKeysExitsTwoWithGuidance) {
  Outcome outcome = Hfs("run -c config/examples/standard.yaml -r 'a pricing page'");
  EXPECT_EQ(outcome.code, 2);
  EXPECT_NE(outcome.output.find("MISSING"), std::string::npos) << outcome.output;
  EXPECT_NE(outcome.output.find("NUM_CEREBRAS"), std::string::npos);
}

TEST_F(CliE2eTest, DotEnvInHfsHomeIsRead) {
  ASSERT_TRUE(
      WriteFileAtomic(home_.path() / ".hfs" / ".env", "NUM_GROQ=1\nGROQ_API_KEY_1=gsk-CANARY\n"));
  Outcome outcome = Hfs("keys");
  EXPECT_EQ(outcome.code, 0) << outcome.output;
  EXPECT_NE(outcome.output.find("groq#1:"), std::string::npos) << outcome.output;
  EXPECT_EQ(outcome.output.find("CANARY"), std::string::npos);
}

// A cloned repository's ./.env cannot send the keys of $HFS_HOME/.env elsewhere: the
// provider is refused, with the reason, and the key text is printed nowhere.
TEST_F(CliE2eTest, TheWorkingDirectorysDotEnvCannotRedirectKeysFromHfsHome) {
  ASSERT_TRUE(WriteFileAtomic(home_.path() / ".hfs" / ".env",
                              "NUM_GROQ=1\nGROQ_API_KEY_1=gsk-CANARY-home\n"));
  testing::TempDir work;
  ASSERT_TRUE(
      WriteFileAtomic(work.path() / ".env", "HFS_GROQ_BASE_URL=https://evil.example.com/v1\n"));
  const std::string command = "cd " + work.path().string() +
                              " && env -i PATH=/usr/bin:/bin HOME=" + home_.path().string() + " " +
                              HFS_BINARY + " keys 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  std::array<char, 4096> buffer;
  while (size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe))
    output.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << output;
  EXPECT_NE(output.find("keys not sent: HFS_GROQ_BASE_URL=https://evil.example.com/v1 comes from "
                        "the .env file of the working directory"),
            std::string::npos)
      << output;
  EXPECT_EQ(output.find("CANARY"), std::string::npos) << output;
}

TEST_F(CliE2eTest, DryRunWorksWithoutKeys) {
  Outcome outcome = Hfs("run -c config/examples/minimal.yaml -r 'a landing page' --dry-run");
  EXPECT_EQ(outcome.code, 0) << outcome.output;
  EXPECT_NE(outcome.output.find("layout"), std::string::npos);
}

struct BadConfig {
  const char* name;
  const char* yaml;
  const char* expected;  // part of the message, with its location
};

TEST_F(CliE2eTest, EachBadConfigExitsTwoWithALocatedMessage) {
  const BadConfig cases[] = {
      {"malformed", "triads: [\n", ":2:1: malformed YAML"},
      {"wrong-type", "triads: 3\nsections: [a]\n", ":1:9: triads: expected a list"},
      {"range",
       "triads: [{id: a, preset: dialectic}]\nsections: [a]\npressure: "
       "{temperature_decay: 7}\n",
       ":3:31: pressure.temperature_decay: 7 is out of range"},
      {"empty-triads", "triads: []\nsections: [a]\n", "at least one triad is required"},
      {"empty-sections", "triads: [{id: a, preset: dialectic}]\nsections: []\n",
       "at least one section is required"},
      {"duplicate-id",
       "triads: [{id: a, preset: dialectic}, {id: a, preset: consensus}]\n"
       "sections: [a]\n",
       "triads[1].id: triad id 'a' is used twice"},
      {"preset", "triads: [{id: a, preset: democratic}]\nsections: [a]\n",
       ":1:26: triads[0].preset: 'democratic' is not one of"},
      {"unknown-key", "triads: [{id: a, preset: dialectic, objectivs: []}]\nsections: [a]\n",
       "triads[0].objectivs: unknown key 'objectivs' (did you mean 'objectives'?)"},
      {"scope", "triads: [{id: a, preset: dialectic, scope: {primary: [b]}}]\nsections: [a]\n",
       ":1:55: triads[0].scope.primary[0]: unknown section 'b'"},
  };
  for (const BadConfig& bad : cases) {
    std::string path = WriteConfig(std::string(bad.name) + ".yaml", bad.yaml);
    Outcome validate = Hfs("validate-config " + path);
    EXPECT_EQ(validate.code, 2) << bad.name;
    EXPECT_NE(validate.output.find(bad.expected), std::string::npos) << bad.name << ":\n"
                                                                     << validate.output;
    Outcome run = Hfs("run -c " + path + " -r x");
    EXPECT_EQ(run.code, 2) << bad.name;
  }
  Outcome missing = Hfs("validate-config /nonexistent/config.yaml");
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.output.find("/nonexistent/config.yaml"), std::string::npos);
  Outcome directory = Hfs("validate-config " + configs_.path().string());
  EXPECT_EQ(directory.code, 2);
  EXPECT_NE(directory.output.find("is a directory"), std::string::npos);
}

// A 30,000-character triad id used to crash both commands (regex recursion), and /dev/zero
// was read until memory ran out; both end at once with exit code 2 and a clear message.
TEST_F(CliE2eTest, HostileConfigsEndWithAClearErrorNotACrash) {
  // `timeout` bounds each run: env starts it, and it starts hfs with the arguments.
  const std::vector<std::string> within_ten_seconds = {"timeout", "10"};
  Outcome zero =
      RunHfs(home_.path(), "validate-config /dev/zero", Streams::kBoth, within_ten_seconds);
  EXPECT_EQ(zero.code, 2) << zero.output;
  EXPECT_NE(zero.output.find("/dev/zero: not a regular file; a config is a file of at most 1 MiB"),
            std::string::npos)
      << zero.output;
  std::string long_id = WriteConfig("long-id.yaml", "triads: [{id: " + std::string(30000, 'a') +
                                                        ", preset: dialectic}]\nsections: [a]\n");
  for (const char* command : {"validate-config ", "run --dry-run -r x -c "}) {
    Outcome outcome =
        RunHfs(home_.path(), std::string(command) + long_id, Streams::kBoth, within_ten_seconds);
    EXPECT_EQ(outcome.code, 2) << command;
    EXPECT_NE(outcome.output.find(":1:15: triads[0].id: 30000 characters; at most 128"),
              std::string::npos)
        << command << outcome.output.substr(0, 2000);
  }
}

}  // namespace
}  // namespace hfs
