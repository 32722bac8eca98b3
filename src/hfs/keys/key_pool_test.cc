#include "hfs/keys/key_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <stdexcept>
#include <thread>

#include "hfs/testing/fake_clock.h"

namespace hfs::keys {
namespace {

using std::chrono::seconds;

constexpr char kModel[] = "llama-3.3-70b";

std::vector<ApiKey> MakeKeys(int count, const std::string& account = "") {
  std::vector<ApiKey> keys;
  for (int i = 1; i <= count; ++i) {
    std::string secret = "secret-" + std::to_string(i);
    ApiKey key{.provider = "groq",
               .index = i,
               .fingerprint = Fingerprint(secret),
               .secret = Secret(secret)};
    key.scope = account.empty() ? key.id() : "groq/" + account;
    keys.push_back(std::move(key));
  }
  return keys;
}

// The lease an Acquire the test expects to succeed; a refusal fails the test (gtest
// reports the exception) instead of dereferencing an error.
KeyLease Granted(Result<KeyLease> lease) {
  if (!lease) throw std::runtime_error("Acquire was refused: " + lease.error().ToString());
  return std::move(*lease);
}

ProviderLimits PerMinute(int64_t requests) {
  return {.models = {{kAnyModel, {{LimitKind::kRequests, requests, seconds(60)}}}}};
}

class KeyPoolTest : public ::testing::Test {
 protected:
  KeyPool MakePool(int keys, ProviderLimits limits, const std::string& account = "") {
    return KeyPool({.provider = "groq", .keys = MakeKeys(keys, account), .limits = limits}, clock_);
  }
  AcquireRequest Now(std::string model = kModel) {
    return {.model = std::move(model), .estimated_tokens = 100, .deadline = clock_.Now()};
  }
  AcquireRequest Within(Duration wait) {
    return {.model = kModel, .estimated_tokens = 100, .deadline = clock_.Now() + wait};
  }

  testing::FakeClock clock_;
};

TEST_F(KeyPoolTest, InFlightRequestsCountAgainstLimits) {
  KeyPool pool = MakePool(1, PerMinute(2));
  Result<KeyLease> first = pool.Acquire(Now());
  Result<KeyLease> second = pool.Acquire(Now());
  ASSERT_TRUE(first && second);
  Result<KeyLease> third = pool.Acquire(Now());
  ASSERT_FALSE(third.has_value());
  EXPECT_EQ(third.error().code, ErrorCode::kResourceExhausted);
  EXPECT_NE(third.error().message.find("groq"), std::string::npos);
}

TEST_F(KeyPoolTest, DroppedLeasesReleaseTheirReservation) {
  KeyPool pool = MakePool(1, PerMinute(2));
  { Result<KeyLease> a = pool.Acquire(Now()), b = pool.Acquire(Now()); }
  {
    Result<KeyLease> moved = pool.Acquire(Now());
    KeyLease target = std::move(*moved);
  }
  Result<KeyLease> c = pool.Acquire(Now());
  Result<KeyLease> d = pool.Acquire(Now());
  EXPECT_TRUE(c && d);
  c->Fail(Outcome::kNotSent);
  EXPECT_TRUE(pool.Acquire(Now()).has_value());
}

TEST_F(KeyPoolTest, CommittedAndFailedRequestsStayCounted) {
  KeyPool pool = MakePool(1, PerMinute(2));
  Granted(pool.Acquire(Now())).Commit(500);
  Granted(pool.Acquire(Now())).Fail(Outcome::kFailed);
  EXPECT_FALSE(pool.Acquire(Now()).has_value());
}

// The provider counts a request when it arrives, some time between the lease and the
// reply; reusing the slot one window after the lease could reach it while that request
// is still in its window. The pool counts the request until one window after the reply.
TEST_F(KeyPoolTest, SentRequestsCountUntilAWindowAfterTheirReply) {
  KeyPool pool = MakePool(1, PerMinute(1));
  const Timestamp start = clock_.Now();
  KeyLease lease = Granted(pool.Acquire(Now()));
  clock_.Advance(seconds(3));  // on the wire
  lease.Commit(10);
  clock_.Advance(seconds(58));  // a window after the lease, not yet after the reply
  EXPECT_FALSE(pool.Acquire(Now()).has_value());
  ASSERT_TRUE(pool.Acquire(Within(seconds(10))).has_value());
  EXPECT_EQ(clock_.Now(), start + seconds(63));
}

TEST_F(KeyPoolTest, RequestsInFlightLongerThanAWindowStillCount) {
  KeyPool pool = MakePool(1, PerMinute(1));
  KeyLease slow = Granted(pool.Acquire(Now()));
  clock_.Advance(seconds(90));
  EXPECT_FALSE(pool.Acquire(Now()).has_value());
  slow.Fail(Outcome::kFailed);  // a timeout: the provider may have counted it
  EXPECT_FALSE(pool.Acquire(Now()).has_value());
  clock_.Advance(seconds(60));
  EXPECT_TRUE(pool.Acquire(Now()).has_value());
}

TEST_F(KeyPoolTest, AbandonedRequestsCountUntilAWindowAfterTheirLatestArrival) {
  using std::chrono::milliseconds;
  KeyPool pool = MakePool(1, PerMinute(1));
  KeyLease lease = Granted(pool.Acquire(Now()));
  const Timestamp start = clock_.Now();
  clock_.Advance(milliseconds(300));
  lease.Fail(Outcome::kAbandoned);  // the provider may read it up to 300 ms from now
  clock_.Advance(seconds(60));
  EXPECT_FALSE(pool.Acquire(Now()).has_value());
  ASSERT_TRUE(pool.Acquire(Within(seconds(1))).has_value());
  EXPECT_EQ(clock_.Now(), start + milliseconds(60600));
}

TEST_F(KeyPoolTest, AbandonLagIsCapped) {
  KeyPool pool = MakePool(1, PerMinute(1));
  KeyLease slow = Granted(pool.Acquire(Now()));
  clock_.Advance(seconds(90));
  const Timestamp abandoned = clock_.Now();
  slow.Fail(Outcome::kAbandoned);
  ASSERT_TRUE(pool.Acquire(Within(seconds(120))).has_value());
  EXPECT_EQ(clock_.Now(), abandoned + seconds(60) + kMaxAbandonLag);
}

TEST_F(KeyPoolTest, SelectionSpreadsLoadEvenly) {
  KeyPool pool = MakePool(4, PerMinute(1000));
  std::map<std::string, int> uses;
  for (int i = 0; i < 100; ++i) {
    KeyLease lease = Granted(pool.Acquire(Now()));
    ++uses[lease.key_id()];
    lease.Commit(100);
  }
  ASSERT_EQ(uses.size(), 4u);
  for (const auto& [key, count] : uses) EXPECT_EQ(count, 25) << key;
}

TEST_F(KeyPoolTest, PicksTheKeyWithMostHeadroom) {
  KeyPool pool = MakePool(2, PerMinute(10));
  // Key 1 has used three requests of its window, key 2 none.
  const std::string first_key = pool.Keys()[0].key_id;
  std::vector<PastUsage> past(
      3, PastUsage{.time = clock_.Now(), .key_id = first_key, .model = kModel, .tokens = 10});
  pool.Hydrate(past);
  std::vector<KeyLease> held;
  for (int i = 0; i < 3; ++i) {
    KeyLease lease = Granted(pool.Acquire(Now()));
    EXPECT_TRUE(lease.key_id().starts_with("groq#2")) << lease.key_id();
    held.push_back(std::move(lease));
  }
  // Now both have seven requests left: ties go round-robin, so key 1 is next.
  KeyLease next = Granted(pool.Acquire(Now()));
  EXPECT_TRUE(next.key_id().starts_with("groq#1")) << next.key_id();
}

TEST_F(KeyPoolTest, WaitEndsAtTheExactFreeMoment) {
  KeyPool pool = MakePool(1, PerMinute(2));
  Timestamp start = clock_.Now();
  Granted(pool.Acquire(Now())).Commit(1);
  clock_.Advance(seconds(5));
  Granted(pool.Acquire(Now())).Commit(1);
  Result<KeyLease> lease = pool.Acquire(Within(seconds(120)));
  ASSERT_TRUE(lease.has_value()) << lease.error().ToString();
  EXPECT_EQ(clock_.Now(), start + seconds(60));
}

TEST_F(KeyPoolTest, WaitEndsAtTheDeadline) {
  KeyPool pool = MakePool(1, PerMinute(1));
  Timestamp start = clock_.Now();
  Granted(pool.Acquire(Now())).Commit(1);
  Result<KeyLease> lease = pool.Acquire(Within(seconds(30)));
  ASSERT_FALSE(lease.has_value());
  EXPECT_EQ(lease.error().code, ErrorCode::kResourceExhausted);
  EXPECT_EQ(clock_.Now(), start + seconds(30));
}

TEST_F(KeyPoolTest, UnauthorizedKeysAreDisabled) {
  KeyPool pool = MakePool(2, {});
  std::string bad = Granted(pool.Acquire(Now())).key_id();
  {
    KeyLease lease = Granted(pool.Acquire(Now()));
    if (lease.key_id() != bad) {
      lease.Fail(Outcome::kNotSent);
      lease = Granted(pool.Acquire(Now()));
    }
    ASSERT_EQ(lease.key_id(), bad);
    lease.Fail(Outcome::kUnauthorized);
  }
  for (int i = 0; i < 5; ++i) EXPECT_NE(Granted(pool.Acquire(Now())).key_id(), bad);
  Granted(pool.Acquire(Now())).Fail(Outcome::kUnauthorized);
  Result<KeyLease> none = pool.Acquire(Now());
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().code, ErrorCode::kUnauthenticated);
  EXPECT_TRUE(pool.Keys()[0].disabled && pool.Keys()[1].disabled);
}

TEST_F(KeyPoolTest, ForbiddenDisablesOnlyThatModel) {
  KeyPool pool = MakePool(1, {});
  Granted(pool.Acquire(Now())).Fail(Outcome::kForbidden);
  Result<KeyLease> same = pool.Acquire(Now());
  ASSERT_FALSE(same.has_value());
  EXPECT_EQ(same.error().code, ErrorCode::kPermissionDenied);
  EXPECT_TRUE(pool.Acquire(Now("other-model")).has_value());
}

TEST_F(KeyPoolTest, KeysWithoutCreditAreDisabledNotCooled) {
  KeyPool pool = MakePool(2, PerMinute(1));
  Granted(pool.Acquire(Now())).Fail(Outcome::kNoCredit);
  // The other key still takes requests; the one without credit never comes back (a 402
  // is no rate limit: no time makes it pass).
  Granted(pool.Acquire(Now())).Fail(Outcome::kNoCredit);
  Result<KeyLease> none = pool.Acquire(Within(std::chrono::hours(30)));
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(none.error().message.find("out of credit"), std::string::npos) << none.error().message;
  EXPECT_EQ(pool.Keys()[0].disabled_because, "no credit");
  // Refused requests do not count: the per-minute limit of 1 was never used.
  EXPECT_EQ(pool.Buckets()[0].usage[0].second, 0);
}

TEST_F(KeyPoolTest, ARefusedKeyAmongKeysWithoutCreditIsNamed) {
  KeyPool pool = MakePool(2, {});
  Granted(pool.Acquire(Now())).Fail(Outcome::kNoCredit);
  Granted(pool.Acquire(Now())).Fail(Outcome::kUnauthorized);
  Result<KeyLease> none = pool.Acquire(Now());
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().code, ErrorCode::kUnauthenticated);
  EXPECT_NE(none.error().message.find("1 refused"), std::string::npos) << none.error().message;
  EXPECT_NE(none.error().message.find("1 out of credit"), std::string::npos);
  EXPECT_EQ(pool.Keys()[1].disabled_because, "refused");
}

// The provider counts the prompt of a request that failed or was abandoned after it was
// sent; the pool must too, or it sends the next request into a 429.
TEST_F(KeyPoolTest, FailedAndAbandonedRequestsCountTheirTokens) {
  ProviderLimits limits{.models = {{kAnyModel, {{LimitKind::kTokens, 1000, seconds(60)}}}}};
  for (Outcome outcome : {Outcome::kFailed, Outcome::kAbandoned, Outcome::kRateLimited}) {
    KeyPool pool = MakePool(1, limits);
    Granted(pool.Acquire(Now())).Fail(outcome, {}, 950);
    Result<KeyLease> next = pool.Acquire(Now());  // 100 more tokens do not fit
    EXPECT_FALSE(next.has_value()) << static_cast<int>(outcome);
  }
  // Voided outcomes count nothing, whatever tokens are given.
  KeyPool pool = MakePool(1, limits);
  Granted(pool.Acquire(Now())).Fail(Outcome::kForbidden, {}, 950);
  EXPECT_TRUE(pool.Acquire(Now("other-model")).has_value());
  EXPECT_EQ(pool.Buckets()[0].usage[0].second, 0);
}

TEST_F(KeyPoolTest, RetryHintCoolsDownExactlyThatLong) {
  KeyPool pool = MakePool(1, {});
  RateLimitSignal signal;
  signal.retry_after = seconds(7);
  Timestamp start = clock_.Now();
  Granted(pool.Acquire(Now())).Fail(Outcome::kRateLimited, signal);
  EXPECT_FALSE(pool.Acquire(Now()).has_value());
  EXPECT_TRUE(pool.Acquire(Now("other-model")).has_value());  // per model
  ASSERT_TRUE(pool.Acquire(Within(seconds(60))).has_value());
  EXPECT_EQ(clock_.Now(), start + seconds(7));
}

TEST_F(KeyPoolTest, AGeminiDailyQuotaCoolsUntilTheDayResetsNotForItsRetryHint) {
  KeyPool pool({.provider = "gemini", .keys = MakeKeys(1)}, clock_);
  RateLimitSignal spent;
  spent.retry_after = seconds(34);  // Gemini's RetryInfo for a spent daily quota
  spent.quota_scope = QuotaScope::kPerDay;
  const Timestamp start = clock_.Now();  // 2026-01-01T00:00:00Z
  Granted(pool.Acquire(Now())).Fail(Outcome::kRateLimited, spent);
  EXPECT_FALSE(pool.Acquire(Within(std::chrono::hours(1))).has_value());
  ASSERT_TRUE(pool.Acquire(Within(std::chrono::hours(9))).has_value());
  EXPECT_EQ(clock_.Now(), start + std::chrono::hours(8));  // midnight Pacific (PST)
  // A per-minute limit still cools for its hint.
  RateLimitSignal minute;
  minute.retry_after = seconds(34);
  minute.quota_scope = QuotaScope::kPerMinute;
  const Timestamp later = clock_.Now();
  Granted(pool.Acquire(Now())).Fail(Outcome::kRateLimited, minute);
  ASSERT_TRUE(pool.Acquire(Within(seconds(60))).has_value());
  EXPECT_EQ(clock_.Now(), later + seconds(34));
}

TEST_F(KeyPoolTest, AHugeRetryAfterIsCappedAndNeverOverflowsTheClock) {
  KeyPool pool = MakePool(1, {});
  RateLimitSignal signal;
  signal.retry_after = Duration::max();  // a Retry-After of ~292 years
  const Timestamp start = clock_.Now();
  Granted(pool.Acquire(Now())).Fail(Outcome::kRateLimited, signal);
  EXPECT_FALSE(pool.Acquire(Within(std::chrono::hours(24))).has_value());
  ASSERT_TRUE(pool.Acquire(Within(std::chrono::hours(26))).has_value());
  EXPECT_EQ(clock_.Now(), start + std::chrono::hours(25));
}

// An interrupted run must not sit out a key's cool-down: the flag wakes the wait.
TEST(KeyPoolCancelTest, CancellationWakesAWaitingAcquire) {
  SystemClock clock;
  KeyPool pool({.provider = "groq", .keys = MakeKeys(1)}, clock);
  RateLimitSignal cooling;
  cooling.retry_after = seconds(30);
  Granted(pool.Acquire({.model = kModel, .deadline = clock.Now()}))
      .Fail(Outcome::kRateLimited, cooling);
  std::atomic<bool> cancelled{false};
  std::jthread interrupt([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    cancelled = true;
  });
  const auto start = std::chrono::steady_clock::now();
  Result<KeyLease> lease = pool.Acquire(
      {.model = kModel, .deadline = clock.Now() + seconds(30), .cancelled = &cancelled});
  ASSERT_FALSE(lease.has_value());
  EXPECT_EQ(lease.error().code, ErrorCode::kCancelled);
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(5));
}

TEST_F(KeyPoolTest, RateLimitsWithoutHintsCoolDownInSteps) {
  KeyPool pool = MakePool(1, {});
  Timestamp start = clock_.Now();
  Granted(pool.Acquire(Now())).Fail(Outcome::kRateLimited);
  ASSERT_TRUE(pool.Acquire(Within(seconds(60))).has_value());
  EXPECT_EQ(clock_.Now(), start + seconds(1));
  Granted(pool.Acquire(Now())).Fail(Outcome::kRateLimited);
  ASSERT_TRUE(pool.Acquire(Within(seconds(60))).has_value());
  EXPECT_EQ(clock_.Now(), start + seconds(6));
  Granted(pool.Acquire(Now())).Commit(10);  // success resets the steps
  Granted(pool.Acquire(Now())).Fail(Outcome::kRateLimited);
  ASSERT_TRUE(pool.Acquire(Within(seconds(60))).has_value());
  EXPECT_EQ(clock_.Now(), start + seconds(7));
}

TEST_F(KeyPoolTest, KeysOfOneAccountShareTheQuota) {
  KeyPool pool = MakePool(3, PerMinute(2), "team");
  EXPECT_TRUE(pool.Acquire(Now()).has_value());
  Granted(pool.Acquire(Now())).Commit(1);
  Granted(pool.Acquire(Now())).Commit(1);
  EXPECT_FALSE(pool.Acquire(Now()).has_value());
}

TEST_F(KeyPoolTest, LearnsFromHeaders) {
  KeyPool pool = MakePool(1, {});
  RateLimitSignal signal;
  signal.observations.push_back({.kind = LimitKind::kRequests,
                                 .window = seconds(60),
                                 .limit = 3,
                                 .remaining = 2,
                                 .reset_after = seconds(59)});
  Granted(pool.Acquire(Now())).Commit(10, signal);
  Granted(pool.Acquire(Now())).Commit(10);
  Granted(pool.Acquire(Now())).Commit(10);
  EXPECT_FALSE(pool.Acquire(Now()).has_value());  // the learned 3/min applies

  KeyPool other = MakePool(1, {});
  RateLimitSignal empty;
  empty.observations.push_back(
      {.kind = LimitKind::kTokens, .remaining = 0, .reset_after = seconds(12)});
  Timestamp start = clock_.Now();
  Granted(other.Acquire(Now())).Commit(10, empty);
  ASSERT_TRUE(other.Acquire(Within(seconds(60))).has_value());
  EXPECT_EQ(clock_.Now(), start + seconds(12));
}

TEST_F(KeyPoolTest, HydratedUsageCounts) {
  KeyPool pool = MakePool(1, PerMinute(2));
  std::string id = pool.Keys()[0].key_id;
  std::vector<PastUsage> past = {{clock_.Now() - seconds(90), id, kModel, 5},
                                 {clock_.Now() - seconds(30), id, kModel, 5},
                                 {clock_.Now() - seconds(10), id, kModel, 5}};
  pool.Hydrate(past);
  EXPECT_FALSE(pool.Acquire(Now()).has_value());
  clock_.Advance(seconds(29));
  EXPECT_FALSE(pool.Acquire(Now()).has_value());
  clock_.Advance(seconds(1));  // the request of 30 s ago leaves the window
  EXPECT_TRUE(pool.Acquire(Now()).has_value());
}

TEST_F(KeyPoolTest, SharedPoolsCountEveryModel) {
  ProviderLimits limits = PerMinute(2);
  limits.shared_across_models = true;
  KeyPool pool = MakePool(1, limits);
  Granted(pool.Acquire(Now("a:free"))).Commit(1);
  Granted(pool.Acquire(Now("b:free"))).Commit(1);
  EXPECT_FALSE(pool.Acquire(Now("c:free")).has_value());
}

TEST_F(KeyPoolTest, EmptyPoolIsAPreconditionFailure) {
  KeyPool pool = MakePool(0, {});
  Result<KeyLease> none = pool.Acquire(Now());
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().code, ErrorCode::kFailedPrecondition);
}

TEST(KeyPoolConcurrencyTest, ThreadsNeverExceedTheLimit) {
  SystemClock clock;
  KeyPool pool({.provider = "groq", .keys = MakeKeys(4), .limits = PerMinute(50)}, clock);
  std::atomic<int> granted{0};
  std::vector<std::jthread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        Result<KeyLease> lease =
            pool.Acquire({.model = kModel, .estimated_tokens = 1, .deadline = clock.Now()});
        if (!lease) continue;
        ++granted;
        lease->Commit(1);
      }
    });
  }
  threads.clear();
  EXPECT_EQ(granted.load(), 200);  // 4 keys x 50 per minute
}

}  // namespace
}  // namespace hfs::keys
