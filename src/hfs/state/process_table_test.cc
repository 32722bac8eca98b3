#include "hfs/state/process_table.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace hfs::state {
namespace {

TEST(SystemProcessTableTest, ThisProcessRuns) {
  SystemProcessTable processes;
  ProcessRef self = processes.Self();
  EXPECT_EQ(self.pid, ::getpid());
  EXPECT_FALSE(self.host.empty());
  EXPECT_NE(self.start, 0u);
  EXPECT_EQ(processes.State(self), ProcessState::kRunning);
}

TEST(SystemProcessTableTest, AnExitedChildIsGoneAndAZombieToo) {
  SystemProcessTable processes;
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // A forked child is itself, not its parent.
    SystemProcessTable mine;
    ::_exit(mine.Self().pid == ::getpid() ? 0 : 1);
  }
  ProcessRef ref{.pid = child, .host = processes.Self().host};
  // Not reaped yet: a zombie no longer works on anything.
  for (int i = 0; i < 500 && processes.State(ref) == ProcessState::kRunning; ++i) ::usleep(2000);
  EXPECT_EQ(processes.State(ref), ProcessState::kGone);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(processes.State(ref), ProcessState::kGone);
}

TEST(SystemProcessTableTest, AReusedPidIsGoneAndAnotherHostUnknown) {
  SystemProcessTable processes;
  ProcessRef self = processes.Self();
  ProcessRef earlier = self;
  earlier.start = self.start - 1;  // the pid once belonged to a process started earlier
  EXPECT_EQ(processes.State(earlier), ProcessState::kGone);
  ProcessRef remote = self;
  remote.host = "some-other-host";
  EXPECT_EQ(processes.State(remote), ProcessState::kUnknown);
  EXPECT_EQ(processes.State({.pid = 999999999, .host = self.host}), ProcessState::kGone);
}

TEST(CleanHostNameTest, KeepsSafeCharacters) {
  EXPECT_EQ(CleanHostName("build-01.example_net"), "build-01.example_net");
  EXPECT_EQ(CleanHostName("we ird/host]"), "weirdhost");
  EXPECT_EQ(CleanHostName(std::string(100, 'h')).size(), 64u);
}

}  // namespace
}  // namespace hfs::state
