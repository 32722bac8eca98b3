#include "hfs/base/subprocess.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <optional>
#include <thread>

#include "hfs/testing/temp_dir.h"

namespace hfs {
namespace {

using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

// The number written in `path`, once it is there (within 10 s).
std::optional<pid_t> WaitForPidFile(const std::filesystem::path& path) {
  const auto deadline = SteadyClock::now() + std::chrono::seconds(10);
  while (SteadyClock::now() < deadline) {
    std::ifstream in(path);
    pid_t pid = 0;
    if (in >> pid && pid > 0) return pid;
    std::this_thread::sleep_for(milliseconds(20));
  }
  return std::nullopt;
}

// Reaps `pid` (a child, or an orphan adopted as this process is a subreaper) within
// `bound`; its wait status, or nullopt when it still runs.
std::optional<int> WaitForExit(pid_t pid, milliseconds bound) {
  const auto deadline = SteadyClock::now() + bound;
  while (SteadyClock::now() < deadline) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return status;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return std::nullopt;
}

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

TEST(SubprocessTest, AtTheTimeoutTheGroupGetsTheStopSignalFirst) {
  Result<SubprocessResult> ran =
      RunSubprocess({.argv = {"sh", "-c", "trap 'echo stopping; exit 7' TERM; sleep 30 & wait"},
                     .timeout = milliseconds(300),
                     .stop_signal = SIGTERM});
  ASSERT_TRUE(ran.has_value());
  EXPECT_TRUE(ran->timed_out);
  EXPECT_EQ(ran->stdout_text, "stopping\n");
}

TEST(SubprocessTest, AProgramIgnoringItsStopSignalGetsSigkill) {
  Result<SubprocessResult> ran = RunSubprocess({.argv = {"sh", "-c", "trap '' TERM; sleep 30"},
                                                .timeout = milliseconds(300),
                                                .stop_signal = SIGTERM});
  ASSERT_TRUE(ran.has_value());
  EXPECT_TRUE(ran->timed_out);
  EXPECT_LT(ran->elapsed, milliseconds(20000));
}

TEST(SubprocessTest, TheChildEndsWhenThisProcessIsKilled) {
  // This test process adopts the orphans, so it can see the program end.
  ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
  testing::TempDir dir;
  const std::filesystem::path pid_file = dir.path() / "pid";
  const pid_t runner = fork();
  ASSERT_GE(runner, 0);
  if (runner == 0) {
    // A process running a program, killed while it runs.
    (void)RunSubprocess({.argv = {"sh", "-c", "echo $$ > \"$0\"; exec sleep 60", pid_file},
                         .stop_signal = SIGTERM});
    _exit(0);
  }
  std::optional<pid_t> program = WaitForPidFile(pid_file);
  kill(runner, SIGKILL);
  EXPECT_TRUE(WaitForExit(runner, milliseconds(10000)).has_value());
  ASSERT_TRUE(program.has_value());
  std::optional<int> status = WaitForExit(*program, milliseconds(5000));
  if (!status) kill(*program, SIGKILL), WaitForExit(*program, milliseconds(5000));
  prctl(PR_SET_CHILD_SUBREAPER, 0);
  ASSERT_TRUE(status.has_value()) << "the program outlived the process that ran it";
  // It got its stop signal as its parent-death signal.
  EXPECT_TRUE(WIFSIGNALED(*status) && WTERMSIG(*status) == SIGTERM) << *status;
}

TEST(SubprocessTest, StopSubprocessesStopsTheRunningPrograms) {
  testing::TempDir dir;
  const std::filesystem::path pid_file = dir.path() / "pid";
  Result<SubprocessResult> ran = Fail(ErrorCode::kInternal, "not run");
  std::thread runner([&] {
    ran = RunSubprocess({.argv = {"sh", "-c", "echo $$ > \"$0\"; exec sleep 60", pid_file},
                         .stop_signal = SIGTERM});
  });
  const bool started = WaitForPidFile(pid_file).has_value();
  EXPECT_TRUE(StopSubprocesses());
  runner.join();
  ASSERT_TRUE(started);
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  EXPECT_FALSE(ran->timed_out);
  EXPECT_EQ(ran->exit_code, 128 + SIGTERM);
  // Nothing runs any more: nothing to stop.
  EXPECT_TRUE(StopSubprocesses());
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

TEST(SubprocessTest, ChildrenGetAnEnvironmentWithoutSecrets) {
  const char* secrets[][2] = {{"HFS_CHILDENV_API_KEY_1", "csk-CANARY-api-key"},
                              {"HFS_CHILDENV_GITHUB_TOKEN", "CANARY-token"},
                              {"HFS_CHILDENV_CLIENT_SECRET", "CANARY-secret"},
                              {"HFS_CHILDENV_DB_PASSWORD", "CANARY-password"},
                              {"HFS_CHILDENV_KEY", "CANARY-hfs-key"},
                              {"NUM_HFS_CHILDENV", "1"},
                              {"HFS_CHILDENV_DB_URL", "mysql://hfs:CANARY-url-pw@db:4000/hfs"},
                              {"HFS_CHILDENV_PLAIN", "kept"}};
  for (const auto& [name, value] : secrets) ASSERT_EQ(setenv(name, value, 1), 0);
  Result<SubprocessResult> ran =
      RunSubprocess({.argv = {"env"},
                     .timeout = milliseconds(10000),
                     .env = {{"HFS_CHILDENV_GIVEN_TOKEN", "given-by-the-caller"}}});
  for (const auto& [name, value] : secrets) unsetenv(name);
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  // Not printed on failure: the output is this process's environment.
  EXPECT_EQ(ran->stdout_text.find("CANARY"), std::string::npos);
  EXPECT_EQ(ran->stdout_text.find("NUM_HFS_CHILDENV"), std::string::npos);
  EXPECT_NE(ran->stdout_text.find("HFS_CHILDENV_PLAIN=kept\n"), std::string::npos);
  EXPECT_NE(ran->stdout_text.find("PATH="), std::string::npos);
  // What the caller passes on purpose is passed.
  EXPECT_NE(ran->stdout_text.find("HFS_CHILDENV_GIVEN_TOKEN=given-by-the-caller"),
            std::string::npos);
}

TEST(SubprocessTest, SecretVariableNames) {
  EXPECT_TRUE(IsSecretVariable("GROQ_API_KEY_2", "gsk"));
  EXPECT_TRUE(IsSecretVariable("gh_token", "x"));
  EXPECT_TRUE(IsSecretVariable("HFS_SIGNING_KEY", "x"));
  EXPECT_TRUE(IsSecretVariable("NUM_CEREBRAS", "2"));
  EXPECT_TRUE(IsSecretVariable("OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer%20x"));
  EXPECT_TRUE(IsSecretVariable("TIDB_DB_URL", "mysql://u:pw@host:4000/db"));
  EXPECT_FALSE(IsSecretVariable("HFS_DB_URL", "sqlite:///home/u/.hfs/usage.db"));
  EXPECT_FALSE(IsSecretVariable("TIDB_DB_URL", "mysql://u@host:4000/db"));
  EXPECT_FALSE(IsSecretVariable("PATH", "/usr/bin:/bin"));
  EXPECT_FALSE(IsSecretVariable("KEYBOARD_LAYOUT", "us"));
  EXPECT_FALSE(IsSecretVariable("NUMBER_OF_THINGS", "2"));
}

}  // namespace
}  // namespace hfs
