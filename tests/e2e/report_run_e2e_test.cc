// report.html end to end: `hfs run` against hfs-emulator leaves report.html in the run
// directory, and `hfs report RUN_ID -o DIR` writes it again from the stored run.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "hfs/base/file.h"
#include "hfs/testing/temp_dir.h"
#include "tests/e2e/emulator_process.h"
#include "tests/e2e/run_hfs.h"

namespace hfs {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;

class ReportRunE2eTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(emulator_.started()) << "hfs-emulator did not start"; }

  EmulatorProcess emulator_;
  testing::TempDir home_;
  testing::TempDir out_;
};

TEST_F(ReportRunE2eTest, ARunLeavesReportHtmlAndHfsReportWritesItAgain) {
  HfsRun run = RunHfs(home_.path(),
                      "run -c config/examples/standard.yaml -r 'a pricing page with three tiers "
                      "and an FAQ' -o " +
                          out_.path().string() + " --json",
                      Streams::kStdoutOnly, emulator_.Env());
  ASSERT_EQ(run.code, 0) << run.output;
  const json out = json::parse(run.output);
  const std::string run_id = out["run_id"].get<std::string>();
  const fs::path page = fs::path(out["run_dir"].get<std::string>()) / "report.html";
  Result<std::string> html = ReadFile(page);
  ASSERT_TRUE(html.has_value()) << "no " << page;
  for (const char* id :
       {"ownership", "negotiation", "temperature", "usage", "keys", "waterfall", "validation"}) {
    EXPECT_THAT(*html, HasSubstr(std::string("<section id=\"") + id + "\">")) << id;
  }
  EXPECT_THAT(*html, HasSubstr(run_id));
  EXPECT_THAT(*html, HasSubstr("hfs.phase.negotiation"));  // the waterfall has the trace
  for (const char* provider : {"cerebras", "groq", "gemini", "openrouter"}) {
    EXPECT_EQ(html->find(std::string("emu-") + provider + "-"), std::string::npos)
        << "key text of " << provider << " in the report";
  }

  fs::remove(page);
  HfsRun again = RunHfs(home_.path(), "report " + run_id + " -o " + out_.path().string(),
                        Streams::kStdoutOnly);
  ASSERT_EQ(again.code, 0) << again.output;
  EXPECT_THAT(again.output, HasSubstr("report.html"));
  Result<std::string> rewritten = ReadFile(page);
  ASSERT_TRUE(rewritten.has_value()) << "hfs report did not write " << page;
  EXPECT_THAT(*rewritten, HasSubstr("<section id=\"waterfall\">"));
  EXPECT_THAT(*rewritten, HasSubstr("hfs.phase.negotiation"));
}

TEST_F(ReportRunE2eTest, AnUnknownRunIsAUsageErrorThatSaysWhereItLooked) {
  HfsRun run = RunHfs(home_.path(), "report no-such-run -o " + out_.path().string());
  EXPECT_EQ(run.code, 2) << run.output;
  EXPECT_THAT(run.output, HasSubstr((out_.path() / "no-such-run" / "hfs-report.json").string()));
}

}  // namespace
}  // namespace hfs
