#include "hfs/base/subprocess.h"

#include <gtest/gtest.h>

namespace hfs {
namespace {

using std::chrono::milliseconds;

TEST(SubprocessTest, CapturesStdoutStderrAndExitCode) {
  Result<SubprocessResult> ran =
      RunSubprocess({.argv = {"sh", "-c", "echo out; echo err >&2; exit 3"}});
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  EXPECT_EQ(ran->exit_code, 3);
  EXPECT_FALSE(ran->timed_out);
  EXPECT_EQ(ran->stdout_text, "out\n");
  EXPECT_EQ(ran->stderr_text, "err\n");
}

TEST(SubprocessTest, PassesEnvironmentAndWorkingDirectory) {
  Result<SubprocessResult> ran = RunSubprocess({.argv = {"sh", "-c", "echo $HFS_TEST_VALUE; pwd"},
                                                .working_dir = "/",
                                                .env = {{"HFS_TEST_VALUE", "hello"}}});
  ASSERT_TRUE(ran.has_value());
  EXPECT_EQ(ran->stdout_text, "hello\n/\n");
}

TEST(SubprocessTest, KillsTheProcessGroupAtTheTimeout) {
  // The grandchild keeps the pipe open; the group kill ends it too.
  Result<SubprocessResult> ran =
      RunSubprocess({.argv = {"sh", "-c", "sleep 30 & sleep 30"}, .timeout = milliseconds(300)});
  ASSERT_TRUE(ran.has_value());
  EXPECT_TRUE(ran->timed_out);
  EXPECT_EQ(ran->exit_code, -1);
  EXPECT_LT(ran->elapsed, milliseconds(5000));
}

TEST(SubprocessTest, LargeOutputIsReadWhileTheProgramRuns) {
  Result<SubprocessResult> ran =
      RunSubprocess({.argv = {"sh", "-c", "head -c 1000000 /dev/zero | tr '\\0' x"}});
  ASSERT_TRUE(ran.has_value());
  EXPECT_EQ(ran->stdout_text.size(), 1000000u);
  EXPECT_FALSE(ran->truncated);
}

TEST(SubprocessTest, OutputBeyondTheLimitIsTruncated) {
  Result<SubprocessResult> ran =
      RunSubprocess({.argv = {"sh", "-c", "head -c 10000 /dev/zero"}, .max_output_bytes = 100});
  ASSERT_TRUE(ran.has_value());
  EXPECT_EQ(ran->stdout_text.size(), 100u);
  EXPECT_TRUE(ran->truncated);
}

TEST(SubprocessTest, AMissingProgramIsNotFound) {
  Result<SubprocessResult> ran = RunSubprocess({.argv = {"hfs-no-such-program-xyz"}});
  ASSERT_FALSE(ran.has_value());
  EXPECT_EQ(ran.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(RunSubprocess({}).error().code, ErrorCode::kInvalidArgument);
}

TEST(SubprocessTest, FindExecutableSearchesThePath) {
  EXPECT_EQ(FindExecutable("sh", "/nonexistent:/bin"), std::filesystem::path("/bin/sh"));
  EXPECT_TRUE(FindExecutable("sh", "/nonexistent").empty());
  EXPECT_EQ(FindExecutable("/bin/sh", ""), std::filesystem::path("/bin/sh"));
}

}  // namespace
}  // namespace hfs
