#include "hfs/state/write_queue.h"

#include <gtest/gtest.h>

#include <optional>
#include <thread>
#include <vector>

namespace hfs::state {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

TEST(WriteQueueTest, TurnsAreGivenInArrivalOrder) {
  WriteQueue queue;
  std::vector<int> order;
  std::optional<WriteQueue::Turn> first(*queue.Wait(steady_clock::now() + milliseconds(100)));
  std::vector<std::thread> threads;
  for (int i = 0; i < 5; ++i) {
    threads.emplace_back([&, i] {
      Result<WriteQueue::Turn> turn = queue.Wait(steady_clock::now() + milliseconds(5000));
      ASSERT_TRUE(turn);
      order.push_back(i);
    });
    // The next thread starts only once this one is queued.
    while (queue.waiting() < static_cast<size_t>(i) + 2) std::this_thread::yield();
  }
  first.reset();
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(WriteQueueTest, TimeoutLeavesTheQueueAndLetsTheNextIn) {
  WriteQueue queue;
  std::optional<WriteQueue::Turn> holder(*queue.Wait(steady_clock::now() + milliseconds(100)));
  Result<WriteQueue::Turn> late = queue.Wait(steady_clock::now() + milliseconds(20));
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::kDeadlineExceeded);
  EXPECT_NE(late.error().message.find("1 earlier write"), std::string::npos);
  holder.reset();
  EXPECT_TRUE(queue.Wait(steady_clock::now() + milliseconds(20)));
}

}  // namespace
}  // namespace hfs::state
