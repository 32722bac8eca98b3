#include "hfs/store/span_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hfs/store/span_store_contract_test.h"
#include "hfs/store/sqlite_database.h"
#include "hfs/testing/fake_clock.h"
#include "hfs/testing/temp_dir.h"
#include "hfs/trace/batch_processor.h"
#include "hfs/trace/tracer.h"

namespace hfs::store {
namespace {

using ::testing::HasSubstr;

struct SqliteBackend {
  static std::string SkipReason() { return ""; }
  static std::string SetUpError() { return ""; }
  Result<std::unique_ptr<Database>> Open() { return OpenSqliteDatabase(dir.path() / "usage.db"); }
  testing::TempDir dir;
};

}  // namespace

namespace span_contract {
INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, SpanStoreContract, SqliteBackend);
}  // namespace span_contract

namespace {

// A database that is unavailable (as while a server restarts) while `down` is set, and
// counts the transactions tried.
class FlakyDatabase final : public Database {
 public:
  explicit FlakyDatabase(std::shared_ptr<Database> real) : real_(std::move(real)) {}
  Dialect dialect() const override { return real_->dialect(); }
  Result<int64_t> Execute(std::string_view sql, const Params& params) override {
    return real_->Execute(sql, params);
  }
  Result<Rows> Query(std::string_view sql, const Params& params) override {
    return real_->Query(sql, params);
  }
  Result<void> RunInTransaction(const TransactionBody& body) override {
    ++transactions;
    if (down_for > 0) {
      --down_for;
      return Fail(ErrorCode::kUnavailable, "Lost connection to server during query");
    }
    return real_->RunInTransaction(body);
  }
  int down_for = 0;  // transactions still to fail
  int transactions = 0;

 private:
  std::shared_ptr<Database> real_;
};

TEST(SpanStoreTest, SpansOfAnOutageAreKeptAndWrittenWhenTheDatabaseIsBack) {
  std::shared_ptr<Database> real = OpenSqliteDatabase(":memory:").value();
  auto flaky = std::make_shared<FlakyDatabase>(real);
  auto store = SpanStore::Open(flaky).value();
  std::vector<trace::SpanData> run = span_contract::MakeRun(1, "r");
  ASSERT_TRUE(store->Export(std::span(run).first(2)).has_value());
  flaky->down_for = 2;
  ASSERT_TRUE(store->Export(std::span(run).subspan(2, 1)).has_value());  // kept
  ASSERT_TRUE(store->Export(std::span(run).subspan(3, 1)).has_value());  // kept
  EXPECT_EQ(store->stats().pending, 2u);
  EXPECT_THAT(store->stats().last_error, HasSubstr("Lost connection"));
  ASSERT_TRUE(store->Export(std::span(run).last(2)).has_value());  // back: all written
  SpanStoreStats stats = store->stats();
  EXPECT_EQ(stats.received, 6u);
  EXPECT_EQ(stats.stored, 6u);
  EXPECT_EQ(stats.pending, 0u);
  EXPECT_EQ(stats.lost, 0u);
  EXPECT_EQ(LoadRunSpans(*real, "r").value(), span_contract::ByStart(run));
}

TEST(SpanStoreTest, ShutdownRetriesTheBacklogWithinItsWindow) {
  std::shared_ptr<Database> real = OpenSqliteDatabase(":memory:").value();
  auto flaky = std::make_shared<FlakyDatabase>(real);
  auto store = SpanStore::Open(flaky, {.final_retry_window = std::chrono::milliseconds(2000),
                                       .initial_retry_wait = std::chrono::milliseconds(1)})
                   .value();
  flaky->transactions = 0;  // the migrations ran through it too
  flaky->down_for = 3;
  ASSERT_TRUE(store->Export(span_contract::MakeRun(1, "r")).has_value());
  store->Shutdown();
  EXPECT_EQ(flaky->transactions, 4);  // one in Export, three in Shutdown
  EXPECT_EQ(store->stats().stored, 6u);
  EXPECT_EQ(store->stats().lost, 0u);
  EXPECT_EQ(LoadRunSpans(*real, "r").value().size(), 6u);
}

TEST(SpanStoreTest, WhatIsStillFailingAfterTheWindowIsCountedAsLostWithTheReason) {
  auto flaky = std::make_shared<FlakyDatabase>(OpenSqliteDatabase(":memory:").value());
  auto store = SpanStore::Open(flaky, {.final_retry_window = std::chrono::milliseconds(20),
                                       .initial_retry_wait = std::chrono::milliseconds(1)})
                   .value();
  flaky->down_for = 1000000;
  ASSERT_TRUE(store->Export(span_contract::MakeRun(1, "r")).has_value());
  store->Shutdown();
  SpanStoreStats stats = store->stats();
  EXPECT_EQ(stats.stored, 0u);
  EXPECT_EQ(stats.pending, 0u);
  EXPECT_EQ(stats.lost, 6u);
  EXPECT_THAT(stats.loss_reason, HasSubstr("span store: Lost connection to server"));
  EXPECT_THAT(stats.loss_reason, HasSubstr("after the run ended"));
}

TEST(SpanStoreTest, AFullBacklogLosesTheNewestSpansWithTheReason) {
  auto flaky = std::make_shared<FlakyDatabase>(OpenSqliteDatabase(":memory:").value());
  auto store = SpanStore::Open(flaky, {.max_backlog_spans = 4}).value();
  flaky->down_for = 1;
  auto exported = store->Export(span_contract::MakeRun(1, "r"));
  ASSERT_FALSE(exported.has_value());
  EXPECT_EQ(exported.error().code, ErrorCode::kResourceExhausted);
  EXPECT_EQ(store->stats().pending, 4u);
  EXPECT_EQ(store->stats().lost, 2u);
  EXPECT_THAT(store->stats().loss_reason, HasSubstr("Lost connection"));
}

TEST(SpanStoreTest, BehindABatchProcessorARunIsLoadedBackByRunId) {
  testing::TempDir dir;
  std::shared_ptr<Database> db = OpenSqliteDatabase(dir.path() / "usage.db").value();
  testing::FakeClock clock;
  {
    trace::Tracer tracer(clock, trace::Resource{});
    tracer.AddProcessor(std::make_shared<trace::BatchProcessor>(
        SpanStore::Open(db).value(), trace::BatchOptions{.max_batch_size = 2}));
    trace::Span run = tracer.StartSpan("hfs.run", {.attributes = {{"hfs.run.id", "r-1"}}});
    for (int i = 0; i < 5; ++i) {
      clock.Advance(std::chrono::milliseconds(1));
      trace::Span phase = tracer.StartSpan("hfs.phase.input", {.parent = run.context()});
      clock.Advance(std::chrono::milliseconds(10));
    }
    run.End();
    ASSERT_TRUE(tracer.Shutdown().has_value());
  }
  auto spans = LoadRunSpans(*db, "r-1");
  ASSERT_TRUE(spans.has_value()) << spans.error().ToString();
  ASSERT_EQ(spans->size(), 6u);
  EXPECT_EQ(spans->front().name, "hfs.run");
}

TEST(SpanStoreTest, ACorruptRowIsDataLossNamingTheSpan) {
  std::shared_ptr<Database> db = OpenSqliteDatabase(":memory:").value();
  auto store = SpanStore::Open(db).value();
  ASSERT_TRUE(
      db->Execute("INSERT INTO spans (trace_id, span_id, run_id, start_unix_nano, "
                  "end_unix_nano, span_json) VALUES ('t', 's1', 'r', 0, 0, '{oops')"));
  auto spans = LoadRunSpans(*db, "r");
  ASSERT_FALSE(spans.has_value());
  EXPECT_EQ(spans.error().code, ErrorCode::kDataLoss);
  EXPECT_THAT(spans.error().message, HasSubstr("spans row s1"));
}

TEST(SpanStoreTest, AReadOnlyDatabaseFailsTheExportWithContext) {
  std::shared_ptr<Database> db = OpenSqliteDatabase(":memory:").value();
  auto store = SpanStore::Open(db).value();
  ASSERT_TRUE(db->Execute("DROP TABLE spans"));
  auto exported = store->Export(span_contract::MakeRun(1, "r"));
  ASSERT_FALSE(exported.has_value());
  EXPECT_THAT(exported.error().message, HasSubstr("span store"));
  EXPECT_EQ(store->stats().lost, 6u);  // a lasting error: not kept
  EXPECT_EQ(store->stats().pending, 0u);
}

}  // namespace
}  // namespace hfs::store
