#include "hfs/keys/usage_ledger.h"

#include <gtest/gtest.h>

namespace hfs::keys {
namespace {

using std::chrono::seconds;

Timestamp At(int s) { return Timestamp(seconds(1767225600 + s)); }

TEST(UsageLedgerTest, WindowBoundariesAreExact) {
  UsageLedger ledger;
  ledger.Add(At(0), 100);
  ledger.Add(At(10), 200);
  // (now - 60 s, now]: the entry at 0 is inside until 60, gone at 60.
  EXPECT_EQ(ledger.Used(At(59), LimitKind::kRequests, seconds(60)), 2);
  EXPECT_EQ(ledger.Used(At(60), LimitKind::kRequests, seconds(60)), 1);
  EXPECT_EQ(ledger.Used(At(60), LimitKind::kTokens, seconds(60)), 200);
  EXPECT_EQ(ledger.Used(At(70), LimitKind::kTokens, seconds(60)), 0);
}

TEST(UsageLedgerTest, TimeUntilFreeNamesTheExactMoment) {
  UsageLedger ledger;
  LimitRule two_per_minute{LimitKind::kRequests, 2, seconds(60)};
  ledger.Add(At(0), 0);
  EXPECT_EQ(ledger.TimeUntilFree(At(5), two_per_minute, 0), seconds(0));
  ledger.Add(At(5), 0);
  EXPECT_EQ(ledger.TimeUntilFree(At(5), two_per_minute, 0), seconds(55));
  EXPECT_EQ(ledger.TimeUntilFree(At(59), two_per_minute, 0), seconds(1));
  EXPECT_EQ(ledger.TimeUntilFree(At(60), two_per_minute, 0), seconds(0));
}

TEST(UsageLedgerTest, TokenRulesWaitForEnoughToExpire) {
  UsageLedger ledger;
  LimitRule tokens{LimitKind::kTokens, 1000, seconds(60)};
  ledger.Add(At(0), 400);
  ledger.Add(At(10), 400);
  ledger.Add(At(20), 100);
  // 900 used; 600 more must wait until 500 of it has left: the entry at 10 expires at 70.
  EXPECT_EQ(ledger.TimeUntilFree(At(30), tokens, 600), seconds(40));
  // 500 more fit once the entry at 0 has left, at 60.
  EXPECT_EQ(ledger.TimeUntilFree(At(30), tokens, 500), seconds(30));
  EXPECT_EQ(ledger.TimeUntilFree(At(30), tokens, 100), seconds(0));
  // A request larger than the whole limit waits for an empty window, then fits.
  EXPECT_EQ(ledger.TimeUntilFree(At(30), tokens, 5000), seconds(50));
  EXPECT_EQ(ledger.TimeUntilFree(At(80), tokens, 5000), seconds(0));
}

TEST(UsageLedgerTest, PendingRequestsCountButNeverExpire) {
  UsageLedger ledger;
  LimitRule three_per_minute{LimitKind::kRequests, 3, seconds(60)};
  ledger.Add(At(0), 0);
  EXPECT_EQ(ledger.TimeUntilFree(At(10), three_per_minute, 0, /*pending=*/1), seconds(0));
  EXPECT_EQ(ledger.TimeUntilFree(At(10), three_per_minute, 0, /*pending=*/2), seconds(50));
  // Three in flight fill the limit whatever leaves the log.
  EXPECT_EQ(ledger.TimeUntilFree(At(90), three_per_minute, 0, /*pending=*/3), Duration::max());
}

TEST(UsageLedgerTest, SetTokensAndVoidAdjustTheSums) {
  UsageLedger ledger;
  uint64_t first = ledger.Add(At(0), 1000);
  uint64_t second = ledger.Add(At(1), 1000);
  EXPECT_EQ(ledger.Used(At(2), LimitKind::kTokens, seconds(60)), 2000);
  ledger.SetTokens(first, 250);
  ledger.Void(second);
  EXPECT_EQ(ledger.Used(At(2), LimitKind::kTokens, seconds(60)), 250);
  EXPECT_EQ(ledger.Used(At(2), LimitKind::kRequests, seconds(60)), 1);
  // A window first queried after the changes sees the same.
  EXPECT_EQ(ledger.Used(At(2), LimitKind::kRequests, seconds(3600)), 1);
}

TEST(UsageLedgerTest, PruneKeepsSumsRight) {
  UsageLedger ledger;
  for (int i = 0; i < 100; ++i) ledger.Add(At(i), 1);
  EXPECT_EQ(ledger.Used(At(99), LimitKind::kRequests, seconds(10)), 10);
  ledger.Prune(At(99), seconds(50));
  EXPECT_EQ(ledger.size(), 50u);
  EXPECT_EQ(ledger.Used(At(99), LimitKind::kRequests, seconds(10)), 10);
  EXPECT_EQ(ledger.Used(At(99), LimitKind::kRequests, seconds(50)), 50);
  uint64_t late = ledger.Add(At(100), 5);
  ledger.SetTokens(late, 7);
  EXPECT_EQ(ledger.Used(At(100), LimitKind::kTokens, seconds(10)), 16);
}

TEST(UsageLedgerTest, ClockGoingBackKeepsTheLogOrdered) {
  UsageLedger ledger;
  ledger.Add(At(10), 1);
  ledger.Add(At(5), 1);  // recorded as 10
  EXPECT_EQ(ledger.Used(At(69), LimitKind::kRequests, seconds(60)), 2);
  EXPECT_EQ(ledger.Used(At(70), LimitKind::kRequests, seconds(60)), 0);
}

}  // namespace
}  // namespace hfs::keys
