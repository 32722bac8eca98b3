// hfs/store/usage_store_contract_test.h
//
// Test-only: the behaviour every UsageStore backend must show, as a type-parameterized
// GoogleTest suite. A backend type has a default constructor that prepares an empty
// database, `Result<std::unique_ptr<Database>> Open()` that connects to it (again),
// `static std::string SkipReason()` (non-empty: the backend is not available here, skip)
// and `static std::string SetUpError()` (non-empty: it is available but broken, fail).
//
//   struct SqliteBackend { ... };
//   INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, UsageStoreContract, SqliteBackend);
//
// Included by usage_store_test.cc (SQLite) and mariadb_usage_store_test.cc (MariaDB).
#pragma once

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "hfs/store/usage_store.h"

namespace hfs::store::contract {

// 2026-01-01T00:00:00Z.
inline Timestamp BaseTime() { return Timestamp(std::chrono::seconds(1767225600)); }

inline UsageRecord MakeUsage(std::string id, int64_t offset_ms, std::string provider = "groq",
                             std::string model = "llama-3.3-70b", std::string key = "groq#1",
                             std::string run = "run-1", std::string status = "ok",
                             int64_t prompt_tokens = 10, int64_t completion_tokens = 5,
                             int64_t latency_ms = 100) {
  return UsageRecord{
      .request_id = std::move(id),
      .time = BaseTime() + std::chrono::milliseconds(offset_ms),
      .provider = std::move(provider),
      .model_requested = model,
      .model_answered = model + "-answered",
      .key_id = std::move(key),
      .scope = "free",
      .status = std::move(status),
      .http_status = 200,
      .prompt_tokens = prompt_tokens,
      .completion_tokens = completion_tokens,
      .latency = std::chrono::milliseconds(latency_ms) + std::chrono::microseconds(500),
      .run_id = std::move(run),
      .triad = "triad-\xce\xb1 \xf0\x9f\x8e\x89",  // UTF-8, 4-byte too
      .role = "orchestrator",
      .phase = "deliberation"};
}

inline std::vector<std::string> Ids(const std::vector<UsageRecord>& records) {
  std::vector<std::string> ids;
  for (const UsageRecord& record : records) ids.push_back(record.request_id);
  return ids;
}

// Compares the counts exactly and the average latency as doubles.
inline void ExpectSummary(const std::vector<UsageSummaryRow>& actual,
                          const std::vector<UsageSummaryRow>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    SCOPED_TRACE(expected[i].group);
    EXPECT_EQ(actual[i].group, expected[i].group);
    EXPECT_EQ(actual[i].requests, expected[i].requests);
    EXPECT_EQ(actual[i].ok, expected[i].ok);
    EXPECT_EQ(actual[i].rate_limited, expected[i].rate_limited);
    EXPECT_EQ(actual[i].errors, expected[i].errors);
    EXPECT_EQ(actual[i].prompt_tokens, expected[i].prompt_tokens);
    EXPECT_EQ(actual[i].completion_tokens, expected[i].completion_tokens);
    EXPECT_DOUBLE_EQ(actual[i].average_latency_ms, expected[i].average_latency_ms);
  }
}

template <class Backend>
class UsageStoreContract : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string reason = Backend::SkipReason(); !reason.empty()) GTEST_SKIP() << reason;
    if (std::string error = Backend::SetUpError(); !error.empty()) FAIL() << error;
    backend_.emplace();
  }

  std::unique_ptr<UsageStore> OpenStore(UsageStoreOptions options = {}) {
    auto database = backend_->Open();
    EXPECT_TRUE(database.has_value()) << database.error().ToString();
    if (!database) return nullptr;
    auto store = UsageStore::Open(std::move(*database), options);
    EXPECT_TRUE(store.has_value()) << store.error().ToString();
    return store ? std::move(*store) : nullptr;
  }

  std::optional<Backend> backend_;
};

TYPED_TEST_SUITE_P(UsageStoreContract);

TYPED_TEST_P(UsageStoreContract, HydratesRowsInTimeOrderWhateverTheRecordOrder) {
  auto store = this->OpenStore({.max_batch_rows = 3});
  ASSERT_NE(store, nullptr);
  std::vector<UsageRecord> records;
  for (int i = 0; i < 20; ++i) records.push_back(MakeUsage(fmt::format("req-{:02}", i), i * 1000));
  std::vector<UsageRecord> shuffled = records;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(7));
  for (const UsageRecord& record : shuffled) store->Record(record);
  ASSERT_TRUE(store->Flush().has_value());

  auto all = store->Recent(BaseTime());
  ASSERT_TRUE(all.has_value()) << all.error().ToString();
  EXPECT_EQ(*all, records);  // every field round-trips, ordered by time

  auto later = store->Recent(BaseTime() + std::chrono::seconds(15));
  ASSERT_TRUE(later.has_value());
  EXPECT_THAT(Ids(*later),
              ::testing::ElementsAre("req-15", "req-16", "req-17", "req-18", "req-19"));
}

TYPED_TEST_P(UsageStoreContract, DuplicateRequestIdsAreIgnored) {
  auto store = this->OpenStore();
  ASSERT_NE(store, nullptr);
  store->Record(MakeUsage("dup", 0, "groq"));
  store->Record(MakeUsage("dup", 1, "cerebras"));  // same batch, most likely
  ASSERT_TRUE(store->Flush().has_value());
  store->Record(MakeUsage("dup", 2, "gemini"));  // a later batch
  store->Record(MakeUsage("other", 3));
  auto flushed = store->Flush();
  ASSERT_TRUE(flushed.has_value()) << flushed.error().ToString();

  auto rows = store->Recent(BaseTime()).value();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], MakeUsage("dup", 0, "groq"));  // the first one wins
  EXPECT_EQ(rows[1].request_id, "other");
  EXPECT_EQ(store->rows_written(), 4u);
  EXPECT_EQ(store->rows_pending(), 0u);
  EXPECT_EQ(store->failed_writes(), 0u);
}

TYPED_TEST_P(UsageStoreContract, FlushWaitsForEverythingRecordedBefore) {
  auto store = this->OpenStore({.max_batch_rows = 64});
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Flush().has_value());  // nothing recorded: returns at once
  for (int i = 0; i < 300; ++i) store->Record(MakeUsage(fmt::format("r{}", i), i));
  ASSERT_TRUE(store->Flush().has_value());
  EXPECT_EQ(store->rows_written(), 300u);
  EXPECT_EQ(store->rows_pending(), 0u);
  EXPECT_EQ(store->Recent(BaseTime()).value().size(), 300u);
}

TYPED_TEST_P(UsageStoreContract, DestructorFlushesAndRowsSurviveReopening) {
  {
    auto store = this->OpenStore();
    ASSERT_NE(store, nullptr);
    for (int i = 0; i < 50; ++i) store->Record(MakeUsage(fmt::format("r{}", i), i));
  }  // no Flush: the destructor writes them
  auto reopened = this->OpenStore();
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(reopened->Recent(BaseTime()).value().size(), 50u);
}

TYPED_TEST_P(UsageStoreContract, TinyQueueLosesNothing) {
  auto store = this->OpenStore({.queue_capacity = 4, .max_batch_rows = 4});
  ASSERT_NE(store, nullptr);
  std::vector<std::jthread> producers;
  for (int producer = 0; producer < 4; ++producer) {
    producers.emplace_back([&store, producer] {
      for (int i = 0; i < 250; ++i) {
        store->Record(MakeUsage(fmt::format("p{}-{:03}", producer, i), producer * 1000 + i));
      }
    });
  }
  producers.clear();  // joins: every Record returned
  ASSERT_TRUE(store->Flush().has_value());
  EXPECT_EQ(store->rows_written(), 1000u);
  EXPECT_EQ(store->Recent(BaseTime()).value().size(), 1000u);
}

TYPED_TEST_P(UsageStoreContract, SummarizesExactly) {
  auto store = this->OpenStore();
  ASSERT_NE(store, nullptr);
  // id, ms, provider, model, key, run, status, prompt, completion, latency ms
  store->Record(
      MakeUsage("r0", -1, "groq", "m1", "groq#1", "A", "ok", 1000, 1000, 1000));  // before
  store->Record(MakeUsage("r1", 1, "groq", "m1", "groq#1", "A", "ok", 100, 10, 100));
  store->Record(MakeUsage("r2", 2, "groq", "m1", "groq#1", "A", "rate_limited", 0, 0, 50));
  store->Record(MakeUsage("r3", 3, "groq", "m2", "groq#2", "B", "error", 20, 0, 300));
  store->Record(MakeUsage("r4", 4, "cerebras", "m3", "cerebras#1", "A", "ok", 200, 50, 250));
  store->Record(MakeUsage("r5", 5, "cerebras", "m3", "cerebras#1", "B", "ok", 300, 70, 150));
  ASSERT_TRUE(store->Flush().has_value());
  Timestamp since = BaseTime();
  // MakeUsage adds 0.5 ms to every latency.
  auto summary = [&](GroupBy group_by) {
    auto rows = store->Summarize(since, group_by);
    EXPECT_TRUE(rows.has_value()) << rows.error().ToString();
    return rows.value_or(std::vector<UsageSummaryRow>{});
  };
  ExpectSummary(summary(GroupBy::kProvider),
                {{"cerebras", 2, 2, 0, 0, 500, 120, 200.5}, {"groq", 3, 1, 1, 1, 120, 10, 150.5}});
  ExpectSummary(summary(GroupBy::kModel), {{"m1", 2, 1, 1, 0, 100, 10, 75.5},
                                           {"m2", 1, 0, 0, 1, 20, 0, 300.5},
                                           {"m3", 2, 2, 0, 0, 500, 120, 200.5}});
  ExpectSummary(summary(GroupBy::kKey), {{"cerebras#1", 2, 2, 0, 0, 500, 120, 200.5},
                                         {"groq#1", 2, 1, 1, 0, 100, 10, 75.5},
                                         {"groq#2", 1, 0, 0, 1, 20, 0, 300.5}});
  ExpectSummary(summary(GroupBy::kRun),
                {{"A", 3, 2, 1, 0, 300, 60, 400.0 / 3 + 0.5}, {"B", 2, 1, 0, 1, 320, 70, 225.5}});
  auto everything = store->Summarize(since - std::chrono::hours(1), GroupBy::kProvider).value();
  ASSERT_EQ(everything.size(), 2u);
  EXPECT_EQ(everything[1].requests, 4);
  EXPECT_EQ(everything[1].prompt_tokens, 1120);
  EXPECT_TRUE(store->Summarize(since + std::chrono::hours(1), GroupBy::kRun)->empty());
}

REGISTER_TYPED_TEST_SUITE_P(UsageStoreContract, HydratesRowsInTimeOrderWhateverTheRecordOrder,
                            DuplicateRequestIdsAreIgnored, FlushWaitsForEverythingRecordedBefore,
                            DestructorFlushesAndRowsSurviveReopening, TinyQueueLosesNothing,
                            SummarizesExactly);

}  // namespace hfs::store::contract
