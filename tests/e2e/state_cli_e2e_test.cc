// Runs `hfs state` as a user would, on state files written by hand (the format of
// docs/state-format.md), in text and JSON, with the default path and bad arguments.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "hfs/base/file.h"
#include "hfs/testing/temp_dir.h"
#include "tests/e2e/run_hfs.h"

namespace hfs {
namespace {

using nlohmann::json;

constexpr char kState[] =
    "# Shared State\n\n"
    "## Available Work Items\n- [ ] [#w1] Hero section\n\n"
    "## In Progress\n- [ ] [#w2] Pricing table [IP:design_leader]\n\n"
    "## Completed\n- [x] [#w3] Navigation\n- [ ] Footer written by hand\n\n"
    "## Agent Registry\n| Agent ID | Current Task | Started |\n|---|---|---|\n"
    "| design_leader | w2 Pricing table | 2026-01-01T00:00:00Z |\n";

// Runs the test body's `hfs` calls from another directory.
class WorkingDirectory {
 public:
  explicit WorkingDirectory(const std::filesystem::path& dir)
      : previous_(std::filesystem::current_path()) {
    std::filesystem::current_path(dir);
  }
  ~WorkingDirectory() { std::filesystem::current_path(previous_); }

 private:
  std::filesystem::path previous_;
};

class StateCliE2eTest : public ::testing::Test {
 protected:
  HfsRun Hfs(const std::string& args, Streams streams = Streams::kBoth) {
    return RunHfs(home_.path(), args, streams);
  }

  testing::TempDir home_;
  testing::TempDir work_;
  std::filesystem::path file_ = work_.path() / "state.md";
};

TEST_F(StateCliE2eTest, PrintsItemsByStatusAgentsAndProblems) {
  ASSERT_TRUE(WriteFileAtomic(file_, kState));
  HfsRun run = Hfs("state --file " + file_.string());
  EXPECT_EQ(run.code, 0) << run.output;
  for (const char* expected :
       {"Work items: 2 available, 1 in progress, 1 completed", "w1     Hero section",
        "w2     Pricing table  [design_leader]", "design_leader", "(since 2026-01-01T00:00:00Z)",
        "line 11: work item has no id",
        "line 11: item is available but sits under '## Completed'"}) {
    EXPECT_NE(run.output.find(expected), std::string::npos) << expected << "\n" << run.output;
  }
}

TEST_F(StateCliE2eTest, JsonOutput) {
  ASSERT_TRUE(WriteFileAtomic(file_, kState));
  HfsRun run = Hfs("state --json --file " + file_.string(), Streams::kStdoutOnly);
  ASSERT_EQ(run.code, 0) << run.output;
  json out = json::parse(run.output);
  EXPECT_EQ(out["exists"], true);
  EXPECT_EQ(out["counts"], (json{{"available", 2}, {"in_progress", 1}, {"completed", 1}}));
  EXPECT_EQ(out["items"][1], (json{{"id", "w2"},
                                   {"description", "Pricing table"},
                                   {"status", "in_progress"},
                                   {"claimed_by", "design_leader"}}));
  EXPECT_EQ(out["agents"][0]["agent_id"], "design_leader");
  EXPECT_EQ(out["problems"].size(), 2u);
  EXPECT_FALSE(out.contains("triads"));
}

TEST_F(StateCliE2eTest, DefaultPathIsDotHfsInTheCurrentDirectory) {
  auto config = std::filesystem::absolute("config/examples/minimal.yaml").string();
  WorkingDirectory cd(work_.path());
  HfsRun none = Hfs("state");
  EXPECT_EQ(none.code, 0) << none.output;
  EXPECT_NE(none.output.find("No shared state at .hfs/state.md yet"), std::string::npos)
      << none.output;
  json empty = json::parse(Hfs("state --json", Streams::kStdoutOnly).output);
  EXPECT_EQ(empty["exists"], false);
  EXPECT_EQ(empty["items"].size(), 0u);

  ASSERT_TRUE(WriteFileAtomic(work_.path() / ".hfs" / "state.md", kState));
  HfsRun some = Hfs("state --json -c " + config, Streams::kStdoutOnly);
  ASSERT_EQ(some.code, 0) << some.output;
  json out = json::parse(some.output);
  EXPECT_EQ(out["path"], ".hfs/state.md");
  EXPECT_EQ(out["items"].size(), 4u);
  ASSERT_FALSE(out["triads"].empty());
  EXPECT_EQ(out["triads"][0]["id"], "design");
  EXPECT_EQ(out["triads"][0]["agents"], json::array({"design_leader"}));
}

TEST_F(StateCliE2eTest, BadArgumentsExitTwo) {
  HfsRun missing = Hfs("state --file " + (work_.path() / "nope.md").string());
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.output.find("no state file at"), std::string::npos) << missing.output;
  HfsRun both = Hfs("state -c config/examples/minimal.yaml --file " + file_.string());
  EXPECT_EQ(both.code, 2) << both.output;
  HfsRun bad_config = Hfs("state -c " + (work_.path() / "missing.yaml").string());
  EXPECT_EQ(bad_config.code, 2) << bad_config.output;
  HfsRun directory = Hfs("state --file " + work_.path().string());
  EXPECT_EQ(directory.code, 2) << directory.output;
}

}  // namespace
}  // namespace hfs
