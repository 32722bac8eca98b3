#include "hfs/store/usage_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "hfs/base/file.h"
#include "hfs/store/sqlite_database.h"
#include "hfs/store/usage_spill.h"
#include "hfs/store/usage_store_contract_test.h"
#include "hfs/testing/temp_dir.h"

namespace hfs::store {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;
using contract::BaseTime;
using contract::Ids;
using contract::MakeUsage;

// Every wait of these tests ends by this deadline; none should come near it.
constexpr auto kDeadline = 30s;

// Polls `done` until it holds or kDeadline passes; returns whether it held.
template <class Predicate>
bool Eventually(Predicate done) {
  auto deadline = std::chrono::steady_clock::now() + kDeadline;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

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
  // While closed, transactions wait (the writer thread blocks in them), at most kDeadline.
  void SetGateOpen(bool open) {
    MutexLock lock(mu_);
    gate_open_ = open;
    changed_.NotifyAll();
  }
  // Whether a transaction came to the closed gate before kDeadline.
  bool WaitForWaitingTransaction() {
    MutexLock lock(mu_);
    return changed_.WaitUntil(mu_, std::chrono::steady_clock::now() + kDeadline,
                              [&]() HFS_REQUIRES(mu_) { return waiting_ > 0; });
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
      // Bounded, so that a test that stops early (a failed ASSERT) cannot hang here.
      bool opened = changed_.WaitUntil(mu_, std::chrono::steady_clock::now() + kDeadline,
                                       [&]() HFS_REQUIRES(mu_) { return gate_open_; });
      --waiting_;
      if (!opened) return Fail(ErrorCode::kDeadlineExceeded, "the test's gate stayed closed");
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
  // A store over the same file, with the spill file, as the next run opens it.
  std::unique_ptr<UsageStore> Reopen() {
    auto store = UsageStore::Open(OpenSqliteDatabase(dir_.path() / "usage.db").value(),
                                  {.spill_path = spill_path()});
    EXPECT_TRUE(store.has_value()) << store.error().ToString();
    return std::move(*store);
  }
  size_t StoredRows() {
    auto db = OpenSqliteDatabase(dir_.path() / "usage.db").value();
    return static_cast<size_t>(ToInt(db->Query("SELECT COUNT(*) FROM `usage`")->at(0).at(0)));
  }
  std::filesystem::path spill_path() const { return dir_.path() / "usage.db.spill.jsonl"; }
  std::vector<std::string> SpilledIds() {
    return Ids(ParseUsageSpill(ReadFile(spill_path()).value_or("")).rows);
  }

  testing::TempDir dir_;
  FlakyDatabase* flaky_ = nullptr;
};

const UsageStoreOptions kFastRetries = {
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
  ASSERT_TRUE(Eventually([&] { return store->failed_writes() > 0; }));
  flaky_->SetDown(false);
  ASSERT_TRUE(Eventually([&] { return store->rows_written() > 0; }));  // no Flush needed
  EXPECT_EQ(store->rows_pending(), 0u);
}

TEST_F(UsageStoreTest, RecordSpillsInsteadOfWaitingWhenTheQueueIsFull) {
  auto store =
      OpenFlakyStore({.queue_capacity = 4, .max_batch_rows = 2, .spill_path = spill_path()});
  flaky_->SetGateOpen(false);
  store->Record(MakeUsage("r0", 0));
  ASSERT_TRUE(flaky_->WaitForWaitingTransaction());  // the writer holds r0 at the gate
  std::promise<void> recorded;
  std::future<void> returned = recorded.get_future();
  std::jthread producer([&] {
    for (int i = 1; i <= 9; ++i) store->Record(MakeUsage(fmt::format("r{}", i), i));
    recorded.set_value();
  });
  const bool finished = returned.wait_for(kDeadline) == std::future_status::ready;
  flaky_->SetGateOpen(true);  // lets a waiting Record go on, so the test ends either way
  producer.join();
  ASSERT_TRUE(finished) << "Record waited for room in the queue";
  EXPECT_EQ(store->rows_spilled(), 5u);  // r1-r4 fill the queue; r5-r9 go to the file
  EXPECT_THAT(SpilledIds(), ::testing::ElementsAre("r5", "r6", "r7", "r8", "r9"));
  UsageCloseReport report = store->Close();
  EXPECT_EQ(report.recorded, 10u);
  EXPECT_EQ(report.written, 5u);
  EXPECT_EQ(report.spilled, 5u);
  EXPECT_EQ(report.unsaved, 0u);
  store.reset();

  auto next = Reopen();
  EXPECT_EQ(next->rows_replayed(), 5u);
  EXPECT_THAT(Ids(next->Recent(BaseTime()).value()),
              ::testing::ElementsAre("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9"));
  EXPECT_FALSE(std::filesystem::exists(spill_path()));
}

TEST_F(UsageStoreTest, FlushGivesUpAtItsTimeoutWhileTheWriterIsStuck) {
  auto store = OpenFlakyStore({});
  flaky_->SetGateOpen(false);
  store->Record(MakeUsage("r0", 0));
  ASSERT_TRUE(flaky_->WaitForWaitingTransaction());
  auto flushed = store->Flush(10ms);
  ASSERT_FALSE(flushed.has_value());
  EXPECT_EQ(flushed.error().code, ErrorCode::kDeadlineExceeded);
  EXPECT_THAT(flushed.error().message, HasSubstr("1 rows not written"));
  flaky_->SetGateOpen(true);
  EXPECT_TRUE(store->Flush().has_value());
}

TEST_F(UsageStoreTest, CloseSpillsWhatTheWriterStillHoldsAndLaterRowsToo) {
  auto store = OpenFlakyStore({.spill_path = spill_path(), .close_timeout = 10ms});
  flaky_->SetGateOpen(false);
  store->Record(MakeUsage("r0", 0));
  ASSERT_TRUE(flaky_->WaitForWaitingTransaction());  // stuck in a write, as on a hung server
  store->Record(MakeUsage("r1", 1));
  UsageCloseReport report = store->Close();
  EXPECT_EQ(report.spilled, 2u);
  EXPECT_EQ(report.written, 0u);
  ASSERT_TRUE(report.error.has_value());
  EXPECT_EQ(report.error->code, ErrorCode::kDeadlineExceeded);
  store->Record(MakeUsage("late", 2));  // after Close: straight to the file
  EXPECT_EQ(store->rows_spilled(), 3u);
  EXPECT_EQ(store->rows_pending(), 0u);
  flaky_->SetGateOpen(true);  // the stuck write now succeeds: r0 is stored and spilled
  store.reset();
  EXPECT_THAT(SpilledIds(), ::testing::ElementsAre("r0", "r1", "late"));
  auto next = Reopen();
  EXPECT_EQ(next->rows_replayed(), 3u);
  EXPECT_THAT(Ids(next->Recent(BaseTime()).value()), ::testing::ElementsAre("r0", "r1", "late"));
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

TEST_F(UsageStoreTest, DestructorSpillsWhatItCannotWrite) {
  UsageStoreOptions options = kFastRetries;
  options.spill_path = spill_path();
  auto store = OpenFlakyStore(options);
  flaky_->SetDown(true);
  for (int i = 0; i < 3; ++i) store->Record(MakeUsage(fmt::format("r{}", i), i));
  store.reset();  // no Close: the destructor spills
  EXPECT_EQ(StoredRows(), 0u);
  EXPECT_THAT(SpilledIds(), ::testing::ElementsAre("r0", "r1", "r2"));
}

TEST_F(UsageStoreTest, WithoutASpillFileCloseCountsTheRowsItCannotSave) {
  auto store = OpenFlakyStore(kFastRetries);
  flaky_->SetDown(true);
  for (int i = 0; i < 3; ++i) store->Record(MakeUsage(fmt::format("r{}", i), i));
  UsageCloseReport report = store->Close();
  EXPECT_EQ(report.unsaved, 3u);
  EXPECT_EQ(report.spilled, 0u);
  ASSERT_TRUE(report.error.has_value());
  EXPECT_THAT(report.error->message, HasSubstr("no spill file"));
  EXPECT_EQ(store->rows_pending(), 0u);
}

// Issue #17 item 9 on SQLite: the database cannot be written at the end of a run
// (another process keeps a write transaction open past the busy timeout).
TEST_F(UsageStoreTest, RowsUnwritableAtTheEndOfARunAreSpilledAndReplayedExactlyOnce) {
  const auto db_path = dir_.path() / "usage.db";
  auto store = UsageStore::Open(OpenSqliteDatabase(db_path, {.busy_timeout = 50ms}).value(),
                                {.write_attempts = 2,
                                 .retry_pause = 1ms,
                                 .spill_path = spill_path(),
                                 .close_timeout = 5s})
                   .value();
  for (int i = 0; i < 28; ++i) store->Record(MakeUsage(fmt::format("a{:03}", i), i));
  ASSERT_TRUE(store->Flush().has_value());
  auto other_process = OpenSqliteDatabase(db_path).value();
  ASSERT_TRUE(other_process->Execute("BEGIN IMMEDIATE").has_value());  // holds the write lock
  for (int i = 0; i < 104; ++i) store->Record(MakeUsage(fmt::format("b{:03}", i), 100 + i));
  UsageCloseReport report = store->Close();
  EXPECT_EQ(report.recorded, 132u);
  EXPECT_EQ(report.written, 28u);
  EXPECT_EQ(report.spilled, 104u);
  EXPECT_EQ(report.unsaved, 0u);
  EXPECT_EQ(report.spill_path, spill_path());
  ASSERT_TRUE(report.error.has_value());
  EXPECT_EQ(report.error->code, ErrorCode::kDeadlineExceeded) << report.error->ToString();
  store.reset();
  ASSERT_TRUE(other_process->Execute("COMMIT").has_value());
  EXPECT_EQ(StoredRows(), 28u);
  EXPECT_EQ(SpilledIds().size(), 104u);

  auto next = Reopen();
  EXPECT_EQ(next->rows_replayed(), 104u);
  EXPECT_EQ(next->replay_error(), std::nullopt);
  EXPECT_EQ(next->Recent(BaseTime()).value().size(), 132u);
  EXPECT_FALSE(std::filesystem::exists(spill_path()));
  next.reset();
  auto after = Reopen();
  EXPECT_EQ(after->rows_replayed(), 0u);
  EXPECT_EQ(StoredRows(), 132u);
}

TEST_F(UsageStoreTest, ASpillFileThatCannotBeReplayedIsKept) {
  ASSERT_TRUE(AppendUsageSpill(spill_path(), std::vector{MakeUsage("saved", 0)}, 1s));
  auto store = OpenFlakyStore({.write_attempts = 1, .spill_path = spill_path()});
  // FlakyDatabase starts up: the replay succeeded. Now make the next start fail to write.
  EXPECT_EQ(store->rows_replayed(), 1u);
  store.reset();
  ASSERT_TRUE(AppendUsageSpill(spill_path(), std::vector{MakeUsage("again", 1)}, 1s));
  auto blocker = OpenSqliteDatabase(dir_.path() / "usage.db").value();
  ASSERT_TRUE(blocker->Execute("BEGIN IMMEDIATE").has_value());
  auto blocked =
      UsageStore::Open(OpenSqliteDatabase(dir_.path() / "usage.db", {.busy_timeout = 20ms}).value(),
                       {.write_attempts = 1, .spill_path = spill_path()});
  ASSERT_TRUE(blocked.has_value()) << blocked.error().ToString();
  EXPECT_EQ((*blocked)->rows_replayed(), 0u);
  ASSERT_TRUE((*blocked)->replay_error().has_value());
  EXPECT_EQ((*blocked)->replay_error()->code, ErrorCode::kDeadlineExceeded);
  EXPECT_THAT(SpilledIds(), ::testing::ElementsAre("again"));
  blocked->reset();
  ASSERT_TRUE(blocker->Execute("COMMIT").has_value());
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
