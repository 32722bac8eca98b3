// hfs/store/usage_store.h
//
// UsageStore persists one UsageRecord per provider request. Record() only queues the row:
// a background writer thread inserts queued rows in batches, one transaction per batch,
// so the request path never waits on the database. A record whose request id is already
// stored is ignored (INSERT OR IGNORE / INSERT IGNORE). Recent() hydrates rate-limit
// windows at start-up; Summarize() feeds reports.
//
//   auto db = HFS_TRY(OpenDatabase(UsageDatabaseUrl(env)));
//   auto usage = HFS_TRY(UsageStore::Open(std::move(db)));           // runs migrations
//   auto last_day = HFS_TRY(usage->Recent(clock.Now() - std::chrono::hours(24)));
//   usage->Record(record);                                            // never blocks on I/O
//   HFS_RETURN_IF_ERROR(usage->Flush());                              // at the end of a run
//
// Thread-safe.
//
// Back-pressure: the queue holds at most queue_capacity rows. When it is full, Record
// blocks until the writer has taken rows out; rows are never dropped. While the database
// stays unwritable the writer keeps its failed batch and the queue fills, so Record then
// blocks until the database can be written again.
//
// Write failures: a failed batch is tried write_attempts times, retry_pause apart. If
// every try fails the rows stay in memory (rows_pending() counts them), last_error() and
// failed_writes() report it, a warning is logged, and the writer tries again after
// retry_later, or at once when Flush() is called. The destructor flushes; rows that still
// cannot be written then are the only ones ever lost, and that is logged as an error.
// Pauses are measured by the condition variable's steady clock (they are retry
// intervals, not timestamps; record times come from the caller's Clock).
//
// Failures: Open returns the migration error (see hfs/store/migrations.h). Flush returns
// the writer's last error when a write round fails while it waits (the rows stay queued).
// Recent and Summarize return the database's error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "hfs/base/clock.h"
#include "hfs/base/error.h"
#include "hfs/base/mutex.h"
#include "hfs/store/database.h"
#include "hfs/store/usage_record.h"

namespace hfs::store {

struct UsageStoreOptions {
  // Rows waiting for the writer; Record blocks while this many are queued.
  size_t queue_capacity = 10000;
  // Rows per transaction.
  size_t max_batch_rows = 500;
  // Tries of one batch before its rows are kept for a later round.
  int write_attempts = 3;
  Duration retry_pause = std::chrono::milliseconds(200);
  Duration retry_later = std::chrono::seconds(5);
};

enum class GroupBy { kProvider, kModel, kKey, kRun };

// Requests since a time, for one value of the grouping column.
struct UsageSummaryRow {
  // The provider, model_requested, key_id or run_id.
  std::string group;
  int64_t requests = 0;
  int64_t ok = 0;            // status kUsageStatusOk
  int64_t rate_limited = 0;  // status kUsageStatusRateLimited
  int64_t errors = 0;        // any other status
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  double average_latency_ms = 0;

  bool operator==(const UsageSummaryRow&) const = default;
};

class UsageStore {
 public:
  // Applies the store's migrations to `database` and starts the writer thread.
  static Result<std::unique_ptr<UsageStore>> Open(std::unique_ptr<Database> database,
                                                  UsageStoreOptions options = {});
  // Flushes, stops the writer and joins it.
  ~UsageStore();
  UsageStore(const UsageStore&) = delete;
  UsageStore& operator=(const UsageStore&) = delete;

  // Queues `record` for the writer; blocks only while the queue is full.
  void Record(UsageRecord record);
  // Blocks until every row recorded before the call is written. Fails (rows kept) when a
  // write round fails meanwhile.
  Result<void> Flush();

  // Stored rows with time >= since, ordered by time (then request id). Rows still queued
  // are not included: Flush first to see them.
  Result<std::vector<UsageRecord>> Recent(Timestamp since) const;
  // Stored rows with time >= since, grouped; ordered by group.
  Result<std::vector<UsageSummaryRow>> Summarize(Timestamp since, GroupBy group_by) const;

  Dialect dialect() const { return database_->dialect(); }
  // Rows committed by the writer (a duplicate request id counts, though it was ignored).
  uint64_t rows_written() const;
  // Rows recorded but not yet committed: queued, being written, or kept after failures.
  uint64_t rows_pending() const;
  // Write rounds in which every try of a batch failed.
  uint64_t failed_writes() const;
  // The error of the latest failed write round, kept after later successes; nullopt when
  // no round has failed.
  std::optional<Error> last_error() const;

 private:
  UsageStore(std::unique_ptr<Database> database, UsageStoreOptions options);

  void Run();
  // Waits for rows and takes up to max_batch_rows of them; empty when stopping.
  std::vector<UsageRecord> TakeBatch();
  Result<void> WriteWithRetries(const std::vector<UsageRecord>& batch);
  Result<void> WriteBatch(const std::vector<UsageRecord>& batch);
  void MarkWritten(size_t rows);
  // Records a failed round; returns whether the store is stopping.
  bool MarkFailed(const Error& error, size_t rows);
  // Waits retry_later, or less when Flush is called or the store stops.
  void WaitBeforeRetry(uint64_t& seen_flush_requests);

  const std::unique_ptr<Database> database_;
  const UsageStoreOptions options_;
  mutable Mutex mu_;
  CondVar work_ready_;  // the writer waits here for rows, flushes and stop
  CondVar room_;        // Record waits here for space in the queue
  CondVar progress_;    // Flush waits here for written or failed rows
  std::deque<UsageRecord> queue_ HFS_GUARDED_BY(mu_);
  uint64_t recorded_ HFS_GUARDED_BY(mu_) = 0;
  uint64_t written_ HFS_GUARDED_BY(mu_) = 0;
  uint64_t failed_writes_ HFS_GUARDED_BY(mu_) = 0;
  uint64_t flush_requests_ HFS_GUARDED_BY(mu_) = 0;
  bool failing_ HFS_GUARDED_BY(mu_) = false;  // the latest round failed
  bool stopping_ HFS_GUARDED_BY(mu_) = false;
  std::optional<Error> last_error_ HFS_GUARDED_BY(mu_);
  std::jthread writer_;  // last: starts after everything above exists
};

}  // namespace hfs::store
