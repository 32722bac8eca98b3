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
}

}  // namespace
}  // namespace hfs::store
