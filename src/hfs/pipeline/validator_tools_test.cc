#include "hfs/pipeline/validator_tools.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hfs/base/file.h"
#include "hfs/pipeline/external_validators.h"
#include "hfs/testing/temp_dir.h"

namespace hfs::pipeline {
namespace {

namespace fs = std::filesystem;

// A fake tools/validators under `root` with the given packages, and a bin dir with fake
// node and chromium executables.
void MakeTools(const fs::path& root, const std::vector<std::string>& packages) {
  const fs::path dir = root / "tools" / "validators";
  ASSERT_TRUE(WriteFileAtomic(dir / "build.mjs", "").has_value());
  ASSERT_TRUE(WriteFileAtomic(dir / "render.mjs", "").has_value());
  for (const std::string& package : packages) {
    ASSERT_TRUE(
        WriteFileAtomic(dir / "node_modules" / package / "package.json", "{\"version\": \"1.2.3\"}")
            .has_value());
  }
  for (const char* program : {"node", "chromium"}) {
    ASSERT_TRUE(WriteFileAtomic(root / "bin" / program, "#!/bin/sh\necho v9\n").has_value());
    chmod((root / "bin" / program).c_str(), 0755);
  }
}

TEST(ValidatorToolsTest, FindsTheToolsAboveAStartDirectory) {
  testing::TempDir root;
  MakeTools(root.path(),
            {"esbuild", "playwright-core", "axe-core", "react", "react-dom", "vue", "svelte"});
  fs::create_directories(root.path() / "build" / "src");
  ValidatorTools tools = DetectValidatorTools({.search_from = {root.path() / "build" / "src"},
                                               .path_variable = (root.path() / "bin").string(),
                                               .probe = VersionProbe::kRun});
  EXPECT_EQ(tools.dir, fs::canonical(root.path()) / "tools" / "validators");
  EXPECT_TRUE(tools.CanBundle());
  EXPECT_TRUE(tools.CanRender());
  EXPECT_TRUE(tools.CanAudit());
  EXPECT_TRUE(tools.CanBundleReact());
  EXPECT_TRUE(tools.CanBuildVue());
  EXPECT_TRUE(tools.CanBuildSvelte());
  EXPECT_EQ(tools.esbuild.version, "1.2.3");
  EXPECT_EQ(tools.node.version, "v9");
}

TEST(ValidatorToolsTest, MissingPiecesAreUnavailableWithTheReason) {
  testing::TempDir root;
  MakeTools(root.path(), {"esbuild", "axe-core"});
  ValidatorTools tools = DetectValidatorTools(
      {.search_from = {root.path()}, .path_variable = (root.path() / "bin").string()});
  EXPECT_TRUE(tools.CanBundle());
  EXPECT_FALSE(tools.CanRender());
  EXPECT_NE(tools.chromium.reason.find("playwright-core"), std::string::npos);
  EXPECT_FALSE(tools.CanAudit());
  EXPECT_NE(tools.react.reason.find("not installed"), std::string::npos);
  EXPECT_FALSE(tools.CanBuildVue());
  EXPECT_NE(tools.svelte.reason.find("not installed"), std::string::npos);

  ValidatorTools no_node =
      DetectValidatorTools({.search_from = {root.path()}, .path_variable = "/nonexistent"});
  EXPECT_FALSE(no_node.CanBundle());
  EXPECT_NE(no_node.esbuild.reason.find("needs node"), std::string::npos);
}

TEST(ValidatorToolsTest, TheEnvironmentOverrideWinsAndIsNotSecondGuessed) {
  testing::TempDir root;
  MakeTools(root.path(), {"esbuild"});
  Env env(Env::Variables{{"HFS_VALIDATORS_DIR", (root.path() / "nowhere").string()},
                         {"PATH", (root.path() / "bin").string()}});
  ValidatorTools tools = DetectValidatorTools(ValidatorSearchFrom(env, {root.path()}));
  EXPECT_TRUE(tools.dir.empty());
  EXPECT_NE(tools.dir_reason.find("HFS_VALIDATORS_DIR"), std::string::npos);
  EXPECT_FALSE(tools.CanBundle());
  EXPECT_NE(tools.esbuild.reason.find("HFS_VALIDATORS_DIR"), std::string::npos);
}

TEST(ValidatorToolsTest, WithoutToolsEveryValidatorIsSkippedWithItsReason) {
  ValidatorTools tools = DetectValidatorTools({.path_variable = "/nonexistent"});
  ToolValidators validators(tools, {});
  ExternalValidation found = validators.Validate({}, {"hero"}, OutputFormat::kHtml);
  ASSERT_EQ(found.runs.size(), 3u);
  for (const ValidatorRun& run : found.runs) {
    EXPECT_EQ(run.status, ValidatorRun::Status::kSkipped) << run.name;
    EXPECT_FALSE(run.reason.empty()) << run.name;
  }
  EXPECT_TRUE(found.issues.empty());
}

TEST(ChromiumSandboxTest, OnWhereItCanWorkOffAsRootOrWithoutUserNamespaces) {
  // As root Chromium refuses its sandbox, whatever else holds.
  ChromiumSandbox root =
      DecideChromiumSandbox({.root = true, .user_namespaces = true, .setuid_helper = true});
  EXPECT_FALSE(root.enabled);
  EXPECT_NE(root.reason.find("root"), std::string::npos) << root.reason;
  // A user with unprivileged user namespaces.
  EXPECT_TRUE(DecideChromiumSandbox({.user_namespaces = true}).enabled);
  // Without them (a sysctl, seccomp in a container), or with AppArmor restricting them.
  ChromiumSandbox none = DecideChromiumSandbox({.user_namespaces = false});
  EXPECT_FALSE(none.enabled);
  EXPECT_NE(none.reason.find("user namespaces"), std::string::npos) << none.reason;
  EXPECT_FALSE(
      DecideChromiumSandbox({.user_namespaces = true, .apparmor_restricts_user_namespaces = true})
          .enabled);
  // The setuid helper works without them.
  EXPECT_TRUE(
      DecideChromiumSandbox({.apparmor_restricts_user_namespaces = true, .setuid_helper = true})
          .enabled);
}

TEST(ChromiumSandboxTest, TheToolsCarryThisMachinesDecision) {
  testing::TempDir root;
  MakeTools(root.path(), {"esbuild", "playwright-core", "axe-core"});
  ValidatorTools tools = DetectValidatorTools(
      {.search_from = {root.path()}, .path_variable = (root.path() / "bin").string()});
  ASSERT_TRUE(tools.CanRender()) << tools.chromium.reason;
  const SandboxFacts facts = ReadSandboxFacts(tools.chromium.path);
  EXPECT_EQ(facts.root, geteuid() == 0);
  const ChromiumSandbox expected = DecideChromiumSandbox(facts);
  EXPECT_EQ(tools.sandbox.enabled, expected.enabled);
  EXPECT_EQ(tools.sandbox.reason, expected.reason);
}

}  // namespace
}  // namespace hfs::pipeline
