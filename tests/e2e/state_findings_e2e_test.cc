// `hfs state` on the files of issue #21, as the tester ran it: a file with invalid UTF-8
// and markers that name no agent prints (in text and JSON) with the problems and their
// line numbers, and a claim whose process is gone is shown as stale.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "hfs/base/file.h"
#include "hfs/state/process_table.h"
#include "hfs/testing/temp_dir.h"
#include "tests/e2e/run_hfs.h"

namespace hfs {
namespace {

using nlohmann::json;

class StateFindingsE2eTest : public ::testing::Test {
 protected:
  HfsRun Hfs(const std::string& args, Streams streams = Streams::kBoth) {
    return RunHfs(home_.path(), args, streams);
  }

  testing::TempDir home_;
  testing::TempDir work_;
  std::filesystem::path file_ = work_.path() / "state.md";
};

TEST_F(StateFindingsE2eTest, UnreadableLinesArePrintedWithTheirLineNumbers) {
  ASSERT_TRUE(WriteFileAtomic(file_,
                              "## Available Work Items\n- [ ] [#w1] Hero\n"
                              "- [ ] [#w2] invalid utf8 \xff\xfe\xc3\n\n## In Progress\n"
                              "- [ ] [#w3] Pricing table [IP:Agent ID]\n"
                              "- [ ] [#w4] Footer [IP:layo"));
  HfsRun json_run = Hfs("state --json --file " + file_.string(), Streams::kStdoutOnly);
  ASSERT_EQ(json_run.code, 0) << json_run.output;
  json out = json::parse(json_run.output);
  EXPECT_EQ(out["items"].size(), 1u);
  std::string problems = out["problems"].dump();
  for (const char* expected : {"line 3: cannot read this work item: its description is not "
                               "valid UTF-8",
                               "line 6: cannot read this work item: cannot read its claim "
                               "marker: 'Agent ID' is not an agent id",
                               "line 7: cannot read this work item: its claim marker '[IP:layo' "
                               "is cut off"}) {
    EXPECT_NE(problems.find(expected), std::string::npos) << expected << "\n" << problems;
  }
  HfsRun text_run = Hfs("state --file " + file_.string());
  EXPECT_EQ(text_run.code, 0) << text_run.output;
  EXPECT_NE(text_run.output.find("kept as it is"), std::string::npos) << text_run.output;
}

TEST_F(StateFindingsE2eTest, ClaimsOfAGoneProcessAreShownAsStale) {
  // A pid no process has, on this host.
  std::string host = state::SystemProcessTable().Self().host;
  ASSERT_TRUE(WriteFileAtomic(file_,
                              "## Available Work Items\n\n## In Progress\n"
                              "- [ ] [#w1] Hero [IP:worker-1 until=2099-01-01T00:00:00Z "
                              "pid=999999999 host=" +
                                  host + "]\n"));
  HfsRun run = Hfs("state --file " + file_.string());
  EXPECT_EQ(run.code, 0) << run.output;
  EXPECT_NE(run.output.find("line 4: the claim of w1 by worker-1 is stale: process 999999999 on " +
                            host + " is gone"),
            std::string::npos)
      << run.output;
}

}  // namespace
}  // namespace hfs
