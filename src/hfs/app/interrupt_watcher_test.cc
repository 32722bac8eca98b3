#include "hfs/app/interrupt_watcher.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>

namespace hfs::app {
namespace {

TEST(InterruptWatcherDeathTest, SigintRunsCallbacksInOrderThenExits130) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        InterruptWatcher watcher;
        watcher.Start();
        InterruptRegistration flush =
            watcher.OnInterrupt([] { std::fputs("flushed usage\n", stderr); });
        InterruptRegistration removed =
            watcher.OnInterrupt([] { std::fputs("removed callback ran\n", stderr); });
        InterruptRegistration report =
            watcher.OnInterrupt([] { std::fputs("wrote partial report\n", stderr); });
        removed = InterruptRegistration();
        kill(getpid(), SIGINT);
        std::this_thread::sleep_for(std::chrono::seconds(10));
        std::exit(0);  // not reached: the watcher exits first
      },
      ::testing::ExitedWithCode(130), "flushed usage\nwrote partial report");
}

TEST(InterruptWatcherDeathTest, SigtermAlsoStops) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        InterruptWatcher watcher;
        watcher.Start();
        InterruptRegistration stopping =
            watcher.OnInterrupt([] { std::fputs("stopping\n", stderr); });
        kill(getpid(), SIGTERM);
        std::this_thread::sleep_for(std::chrono::seconds(10));
        std::exit(0);
      },
      ::testing::ExitedWithCode(130), "stopping");
}

TEST(InterruptWatcherTest, DestructionWithoutASignalReturnsNormally) {
  bool called = false;
  {
    InterruptWatcher watcher;
    watcher.Start();
    InterruptRegistration registration = watcher.OnInterrupt([&] { called = true; });
  }
  EXPECT_FALSE(called);
  // Restore the mask for the rest of the test binary.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGUSR2);
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

}  // namespace
}  // namespace hfs::app
