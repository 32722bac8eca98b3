#include "hfs/store/usage_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "hfs/store/sqlite_database.h"
#include "hfs/store/usage_store_contract_test.h"
#include "hfs/testing/temp_dir.h"

namespace hfs::store {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;
using contract::BaseTime;
using contract::MakeUsage;

struct SqliteBackend {
  static std::string SkipReason() { return ""; }
  static std::string SetUpError() { return ""; }
  Result<std::unique_ptr<Database>> Open() { return OpenSqliteDatabase(dir.path() / "usage.db"); }
  testing::TempDir dir;
};

}  // namespace

namespace contract {
INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, UsageStoreContract, SqliteBackend);
}  // namespace contract

namespace {

// Wraps a SQLite database and fails or holds transactions on demand.
class FlakyDatabase final : public Database {
 public:
  explicit FlakyDatabase(std::unique_ptr<Database> inner) : inner_(std::move(inner)) {}

  // The next `count` transactions fail with kUnavailable before touching the database.
  void FailNext(int count) {
    MutexLock lock(mu_);
    failures_left_ = count;
  }
  // While down, every transaction fails.
  void SetDown(bool down) {
    MutexLock lock(mu_);
    down_ = down;
  }
  // While closed, transactions wait (the writer thread blocks in them).
  void SetGateOpen(bool open) {
    MutexLock lock(mu_);
    gate_open_ = open;
    changed_.NotifyAll();
  }
  void WaitForWaitingTransaction() {
    MutexLock lock(mu_);
    changed_.Wait(mu_, [&]() HFS_REQUIRES(mu_) { return waiting_ > 0; });
  }
  int transactions() {
    MutexLock lock(mu_);
    return transactions_;
  }

  Dialect dialect() const override { return inner_->dialect(); }
  Result<int64_t> Execute(std::string_view sql, const Params& params) override {
    return inner_->Execute(sql, params);
  }
  Result<Rows> Query(std::string_view sql, const Params& params) override {
    return inner_->Query(sql, params);
  }
  Result<void> RunInTransaction(const TransactionBody& body) override {
    {
      MutexLock lock(mu_);
      ++transactions_;
      ++waiting_;
      changed_.NotifyAll();
      changed_.Wait(mu_, [&]() HFS_REQUIRES(mu_) { return gate_open_; });
      --waiting_;
      if (down_ || failures_left_ > 0) {
        if (failures_left_ > 0) --failures_left_;
        return Fail(ErrorCode::kUnavailable, "injected write failure");
      }
    }
    return inner_->RunInTransaction(body);
  }

 private:
  const std::unique_ptr<Database> inner_;
  Mutex mu_;
  CondVar changed_;
  int failures_left_ HFS_GUARDED_BY(mu_) = 0;
  bool down_ HFS_GUARDED_BY(mu_) = false;
  bool gate_open_ HFS_GUARDED_BY(mu_) = true;
  int waiting_ HFS_GUARDED_BY(mu_) = 0;
  int transactions_ HFS_GUARDED_BY(mu_) = 0;
};

class UsageStoreTest : public ::testing::Test {
 protected:
  // A store over a FlakyDatabase; `flaky_` stays valid while the store lives.
  std::unique_ptr<UsageStore> OpenFlakyStore(UsageStoreOptions options) {
    auto inner = OpenSqliteDatabase(dir_.path() / "usage.db");
    EXPECT_TRUE(inner.has_value());
    auto flaky = std::make_unique<FlakyDatabase>(std::move(*inner));
    flaky_ = flaky.get();
    auto store = UsageStore::Open(std::move(flaky), options);
    EXPECT_TRUE(store.has_value()) << store.error().ToString();
    return std::move(*store);
  }
  size_t StoredRows() {
    auto db = OpenSqliteDatabase(dir_.path() / "usage.db").value();
    return static_cast<size_t>(ToInt(db->Query("SELECT COUNT(*) FROM `usage`")->at(0).at(0)));
  }

  testing::TempDir dir_;
  FlakyDatabase* flaky_ = nullptr;
};

constexpr UsageStoreOptions kFastRetries = {
    .write_attempts = 2, .retry_pause = 1ms, .retry_later = 10ms};

TEST_F(UsageStoreTest, RetriesWithinARoundWithoutReportingAFailure) {
  auto store = OpenFlakyStore({.write_attempts = 3, .retry_pause = 1ms});
  flaky_->FailNext(2);
  for (int i = 0; i < 10; ++i) store->Record(MakeUsage(fmt::format("r{}", i), i));
  ASSERT_TRUE(store->Flush().has_value());
  EXPECT_EQ(store->rows_written(), 10u);
  EXPECT_EQ(store->failed_writes(), 0u);
  EXPECT_EQ(store->last_error(), std::nullopt);
  EXPECT_EQ(StoredRows(), 10u);
}

TEST_F(UsageStoreTest, FailedRoundsKeepRowsAndReportTheError) {
  auto store = OpenFlakyStore(kFastRetries);
  flaky_->FailNext(5);  // two failed rounds of 2 tries, then success on the 3rd round
  for (int i = 0; i < 10; ++i) store->Record(MakeUsage(fmt::format("r{}", i), i));
  Result<void> flushed = Fail(ErrorCode::kInternal, "not flushed");
  for (int round = 0; round < 20 && !flushed; ++round) flushed = store->Flush();
  ASSERT_TRUE(flushed.has_value()) << flushed.error().ToString();
  EXPECT_EQ(store->rows_written(), 10u);
  EXPECT_EQ(store->rows_pending(), 0u);
  EXPECT_EQ(store->failed_writes(), 2u);
  ASSERT_TRUE(store->last_error().has_value());
  EXPECT_EQ(store->last_error()->code, ErrorCode::kUnavailable);
  EXPECT_THAT(store->last_error()->message, HasSubstr("injected write failure"));
  EXPECT_EQ(store->Recent(BaseTime()).value().size(), 10u);
}

TEST_F(UsageStoreTest, FlushReportsAnUnwritableDatabaseAndRecoversLater) {
  auto store = OpenFlakyStore({.write_attempts = 2, .retry_pause = 1ms, .retry_later = 1h});
  flaky_->SetDown(true);
  for (int i = 0; i < 10; ++i) store->Record(MakeUsage(fmt::format("r{}", i), i));
  auto flushed = store->Flush();
  ASSERT_FALSE(flushed.has_value());
  EXPECT_EQ(flushed.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(flushed.error().message, HasSubstr("rows not written yet"));
  EXPECT_EQ(store->rows_written(), 0u);
  EXPECT_EQ(store->rows_pending(), 10u);
  EXPECT_GE(store->failed_writes(), 1u);

  flaky_->SetDown(false);
  // retry_later is an hour: Flush itself makes the writer try again.
  auto recovered = store->Flush();
  ASSERT_TRUE(recovered.has_value()) << recovered.error().ToString();
  EXPECT_EQ(store->rows_pending(), 0u);
  EXPECT_EQ(StoredRows(), 10u);
}

TEST_F(UsageStoreTest, WriterRetriesOnItsOwnAfterRetryLater) {
  auto store = OpenFlakyStore(kFastRetries);
  flaky_->SetDown(true);
  store->Record(MakeUsage("r1", 1));
  while (store->failed_writes() == 0) std::this_thread::sleep_for(1ms);
  flaky_->SetDown(false);
  while (store->rows_written() == 0) std::this_thread::sleep_for(1ms);  // no Flush needed
  EXPECT_EQ(store->rows_pending(), 0u);
}

TEST_F(UsageStoreTest, RecordBlocksWhileTheQueueIsFullAndLosesNothing) {
  auto store = OpenFlakyStore({.queue_capacity = 4, .max_batch_rows = 2});
  flaky_->SetGateOpen(false);
  store->Record(MakeUsage("r0", 0));
  flaky_->WaitForWaitingTransaction();  // the writer holds r0 and waits at the gate
  for (int i = 1; i <= 4; ++i) store->Record(MakeUsage(fmt::format("r{}", i), i));  // fills
  std::atomic<bool> returned = false;
  std::jthread producer([&] {
    store->Record(MakeUsage("r5", 5));
    returned = true;
  });
  std::this_thread::sleep_for(100ms);
  EXPECT_FALSE(returned) << "Record should wait for room in the queue";
  EXPECT_EQ(store->rows_pending(), 5u);
  flaky_->SetGateOpen(true);
  producer.join();
  EXPECT_TRUE(returned);
  ASSERT_TRUE(store->Flush().has_value());
  EXPECT_THAT(contract::Ids(store->Recent(BaseTime()).value()),
              ::testing::ElementsAre("r0", "r1", "r2", "r3", "r4", "r5"));
}

TEST_F(UsageStoreTest, RecordNeverWaitsForTheDatabase) {
  auto store = OpenFlakyStore({});
  flaky_->SetGateOpen(false);
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 100; ++i) store->Record(MakeUsage(fmt::format("r{}", i), i));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  EXPECT_EQ(store->rows_written(), 0u);
  flaky_->SetGateOpen(true);
  ASSERT_TRUE(store->Flush().has_value());
  EXPECT_EQ(store->rows_written(), 100u);
}

TEST_F(UsageStoreTest, BatchesAreOneTransactionEach) {
  auto store = OpenFlakyStore({.max_batch_rows = 500});
  flaky_->SetGateOpen(false);
  store->Record(MakeUsage("first", 0));
  flaky_->WaitForWaitingTransaction();
  int before = flaky_->transactions();
  for (int i = 0; i < 120; ++i) store->Record(MakeUsage(fmt::format("r{:03}", i), i));
  flaky_->SetGateOpen(true);
  ASSERT_TRUE(store->Flush().has_value());
  // "first" alone, then the 120 queued rows together (3 INSERTs of up to 50 rows).
  EXPECT_EQ(flaky_->transactions() - before, 1);
  EXPECT_EQ(StoredRows(), 121u);
}

TEST_F(UsageStoreTest, DestructorGivesUpOnAnUnwritableDatabaseWithoutHanging) {
  auto store = OpenFlakyStore(kFastRetries);
  flaky_->SetDown(true);
  for (int i = 0; i < 3; ++i) store->Record(MakeUsage(fmt::format("r{}", i), i));
  auto start = std::chrono::steady_clock::now();
  store.reset();  // logs the rows it could not write
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_EQ(StoredRows(), 0u);
}

TEST(UsageStoreOpenTest, FailsWhenMigrationsFail) {
  testing::TempDir dir;
  auto db = OpenSqliteDatabase(dir.path() / "usage.db").value();
  ASSERT_TRUE(db->Execute("CREATE TABLE schema_version (version INTEGER, name TEXT)"));
  ASSERT_TRUE(db->Execute("INSERT INTO schema_version VALUES (99, 'future')"));
  auto store = UsageStore::Open(std::move(db));
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_THAT(store.error().message, HasSubstr("opening the usage store"));
}

TEST(UsageStoreOpenTest, RecordsSharedByManyThreadsWhileReading) {
  testing::TempDir dir;
  auto store = UsageStore::Open(OpenSqliteDatabase(dir.path() / "usage.db").value()).value();
  std::vector<std::jthread> threads;
  for (int thread = 0; thread < 4; ++thread) {
    threads.emplace_back([&store, thread] {
      for (int i = 0; i < 100; ++i) {
        store->Record(MakeUsage(fmt::format("t{}-{}", thread, i), i));
        if (i % 25 == 0) {
          EXPECT_TRUE(store->Recent(BaseTime()).has_value());
        }
      }
    });
  }
  threads.clear();
  ASSERT_TRUE(store->Flush().has_value());
  EXPECT_EQ(store->Recent(BaseTime()).value().size(), 400u);
  EXPECT_EQ(store->dialect(), Dialect::kSqlite);
}

}  // namespace
}  // namespace hfs::store
