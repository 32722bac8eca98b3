#include "hfs/base/file_lock.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "hfs/base/file.h"
#include "hfs/testing/temp_dir.h"

namespace hfs {
namespace {

using std::chrono::milliseconds;

TEST(FileLockTest, SecondAcquireTimesOutWhileHeldAndSucceedsAfterRelease) {
  testing::TempDir dir;
  auto path = dir.path() / "state.md";
  {
    auto first = FileLock::Acquire(path, milliseconds(100));
    ASSERT_TRUE(first.has_value()) << first.error().message;
    auto second = FileLock::Acquire(path, milliseconds(30));
    ASSERT_FALSE(second.has_value());
    EXPECT_EQ(second.error().code, ErrorCode::kDeadlineExceeded);
    EXPECT_NE(second.error().message.find("state.md.lock"), std::string::npos);
  }
  EXPECT_TRUE(FileLock::Acquire(path, milliseconds(30)).has_value());
}

TEST(FileLockTest, ThreadsDoReadModifyWriteWithoutLosingAnIncrement) {
  testing::TempDir dir;
  auto path = dir.path() / "counter";
  ASSERT_TRUE(WriteFileAtomic(path, "0"));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        auto lock = FileLock::Acquire(path, milliseconds(5000));
        ASSERT_TRUE(lock.has_value());
        int value = std::stoi(ReadFile(path).value());
        ASSERT_TRUE(WriteFileAtomic(path, std::to_string(value + 1)));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ReadFile(path).value(), "200");
}

TEST(FileLockTest, LockDiesWithItsProcess) {
  testing::TempDir dir;
  auto path = dir.path() / "state.md";
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto lock = FileLock::Acquire(path, milliseconds(1000));
    char byte = lock.has_value() ? 1 : 0;
    (void)!::write(ready[1], &byte, 1);
    ::pause();
    ::_exit(0);
  }
  char byte = 0;
  ASSERT_EQ(::read(ready[0], &byte, 1), 1);
  ASSERT_EQ(byte, 1);
  EXPECT_FALSE(FileLock::Acquire(path, milliseconds(20)).has_value());
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  EXPECT_TRUE(FileLock::Acquire(path, milliseconds(1000)).has_value());
  ::close(ready[0]);
  ::close(ready[1]);
}

}  // namespace
}  // namespace hfs
