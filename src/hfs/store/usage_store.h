// hfs/store/usage_store.h
//
// UsageStore persists one UsageRecord per provider request. Record() queues the row:
// a background writer thread inserts queued rows in batches, one transaction per batch,
// so the request path never waits on the database. A record whose request id is already
// stored is ignored (INSERT OR IGNORE / INSERT IGNORE). Recent() hydrates rate-limit
// windows at start-up; Summarize() feeds reports.
//
//   auto db = HFS_TRY(OpenDatabase(UsageDatabaseUrl(env)));
//   auto usage = HFS_TRY(UsageStore::Open(std::move(db), {.spill_path = spill}));
//   auto last_day = HFS_TRY(usage->Recent(clock.Now() - std::chrono::hours(24)));
//   usage->Record(record);                          // never waits for the database
//   UsageCloseReport saved = usage->Close();        // at the end of a run
//
// Thread-safe.
//
// Spill file (hfs/store/usage_spill.h): rows that cannot be written go to a local file
// instead of being lost, and Open writes that file's rows to the database and removes
// it. Without a spill_path (an in-memory database, tests) rows only ever stay in memory.
//
// Record never waits: while fewer than queue_capacity rows are queued it queues the row;
// when the queue is full it appends the row to the spill file (a local append; no
// database I/O). When the spill file is locked by another process or cannot be written,
// or there is none, the row is queued anyway, past the capacity.
//
// Write failures: a failed batch is tried write_attempts times, retry_pause apart. If
// every try fails the rows stay in memory (rows_pending() counts them), last_error() and
// failed_writes() report it, a warning is logged, and the writer tries again after
// retry_later, or at once when Flush() is called. Pauses are measured by the condition
// variable's steady clock (they are retry intervals, not timestamps; record times come
// from the caller's Clock).
//
// Shutdown: Close() flushes for at most close_timeout, then appends every row not yet
// written (queued, or in a batch the writer is still trying) to the spill file, and
// reports the counts. A spilled row may also reach the database if a write still in
// flight succeeds; replaying it later is then a no-op. Rows recorded after Close go to the
// spill file. The destructor closes (when Close was not called), then joins the writer;
// rows neither written nor spilled are lost only then, and that is logged as an error.
//
// Failures: Open returns the migration error (see hfs/store/migrations.h); a spill file
// that cannot be replayed is not an error (it is kept, and replay_error() says why).
// Flush returns the writer's last error when a write round fails while it waits (the rows
// stay queued), kDeadlineExceeded when `timeout` passes first, or kFailedPrecondition
// when the store was closed meanwhile (the rows were spilled). Recent and Summarize
// return the database's error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <filesystem>
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
  // Rows held in memory for the writer; Record spills rows beyond this many.
  size_t queue_capacity = 10000;
  // Rows per transaction.
  size_t max_batch_rows = 500;
  // Tries of one batch before its rows are kept for a later round.
  int write_attempts = 3;
  Duration retry_pause = std::chrono::milliseconds(200);
  Duration retry_later = std::chrono::seconds(5);
  // The spill file (see above); empty: none.
  std::filesystem::path spill_path;
  // How long Close waits for the writer before spilling what is left.
  Duration close_timeout = std::chrono::seconds(10);
  // How long an append at Close, or the replay at Open, waits for the spill file's lock.
  std::chrono::milliseconds spill_lock_timeout = std::chrono::seconds(30);
};

// What became of the rows recorded during a store's life, as Close reports it.
struct UsageCloseReport {
  uint64_t recorded = 0;
  uint64_t written = 0;  // committed to the database
  uint64_t spilled = 0;  // appended to spill_path (while the queue was full, or at Close)
  uint64_t unsaved = 0;  // neither: lost when the process exits
  std::filesystem::path spill_path;
  // Why rows were spilled or unsaved (the database's error, or the spill file's);
  // nullopt when every row was written.
  std::optional<Error> error;
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
  // Applies the store's migrations to `database`, writes the rows of the spill file (when
  // there is one) to it, and starts the writer thread.
  static Result<std::unique_ptr<UsageStore>> Open(std::unique_ptr<Database> database,
                                                  UsageStoreOptions options = {});
  // Closes (unless Close was called), stops the writer and joins it.
  ~UsageStore();
  UsageStore(const UsageStore&) = delete;
  UsageStore& operator=(const UsageStore&) = delete;

  // Queues `record` for the writer, or spills it (see above). Never waits.
  void Record(UsageRecord record);
  // Blocks until every row recorded before the call is written (or spilled), at most
  // `timeout` (nullopt: no limit). Fails (rows kept) when a write round fails meanwhile.
  Result<void> Flush(std::optional<Duration> timeout = std::nullopt);
  // Flushes for at most close_timeout, then spills every row not written. Later calls
  // return the same counts, updated with rows recorded since.
  UsageCloseReport Close();

  // Stored rows with time >= since, ordered by time (then request id). Rows still queued
  // are not included: Flush first to see them.
  Result<std::vector<UsageRecord>> Recent(Timestamp since) const;
  // Stored rows with time >= since, grouped; ordered by group.
  Result<std::vector<UsageSummaryRow>> Summarize(Timestamp since, GroupBy group_by) const;

  Dialect dialect() const { return database_->dialect(); }
  const std::filesystem::path& spill_path() const { return options_.spill_path; }
  // Rows that Open took from the spill file and wrote to the database.
  uint64_t rows_replayed() const { return replayed_; }
  // Why Open could not replay the spill file (it was kept); nullopt when it could.
  const std::optional<Error>& replay_error() const { return replay_error_; }
  // Rows committed by the writer (a duplicate request id counts, though it was ignored).
  uint64_t rows_written() const;
  // Rows appended to the spill file by this store.
  uint64_t rows_spilled() const;
  // Rows recorded but neither committed nor spilled: queued, being written, or kept after
  // failures.
  uint64_t rows_pending() const;
  // Write rounds in which every try of a batch failed.
  uint64_t failed_writes() const;
  // The error of the latest failed write round, kept after later successes; nullopt when
  // no round has failed.
  std::optional<Error> last_error() const;

 private:
  UsageStore(std::unique_ptr<Database> database, UsageStoreOptions options);

  // Writes the spill file's rows, if any, before the writer starts.
  void ReplaySpill();
  void Run();
  // Waits for rows and returns the batch to write: the kept one, or up to max_batch_rows
  // new rows; empty when closed or stopping.
  std::vector<UsageRecord> TakeBatch();
  Result<void> WriteWithRetries(const std::vector<UsageRecord>& batch);
  Result<void> WriteBatch(const std::vector<UsageRecord>& batch);
  void MarkWritten(size_t rows);
  // Records a failed round; returns whether the writer should stop (closed or stopping).
  bool MarkFailed(const Error& error, size_t rows);
  // Waits retry_later, or less when Flush is called or the store closes.
  void WaitBeforeRetry(uint64_t& seen_flush_requests);
  // Appends `rows` to the spill file; false (rows not spilled) when that fails.
  bool Spill(const std::vector<UsageRecord>& rows, std::chrono::milliseconds lock_timeout);
  UsageCloseReport Report() const HFS_REQUIRES(mu_);

  const std::unique_ptr<Database> database_;
  const UsageStoreOptions options_;
  uint64_t replayed_ = 0;              // set by Open
  std::optional<Error> replay_error_;  // set by Open
  mutable Mutex mu_;
  CondVar work_ready_;  // the writer waits here for rows, flushes, close and stop
  CondVar progress_;    // Flush waits here for written, spilled or failed rows
  std::deque<UsageRecord> queue_ HFS_GUARDED_BY(mu_);
  // The batch the writer is writing, kept across failed rounds until written.
  std::vector<UsageRecord> in_flight_ HFS_GUARDED_BY(mu_);
  uint64_t recorded_ HFS_GUARDED_BY(mu_) = 0;
  uint64_t written_ HFS_GUARDED_BY(mu_) = 0;
  uint64_t spilled_ HFS_GUARDED_BY(mu_) = 0;
  // After Close: rows the spill file could not take (the destructor tries once more).
  std::vector<UsageRecord> unsaved_ HFS_GUARDED_BY(mu_);
  uint64_t failed_writes_ HFS_GUARDED_BY(mu_) = 0;
  uint64_t flush_requests_ HFS_GUARDED_BY(mu_) = 0;
  bool failing_ HFS_GUARDED_BY(mu_) = false;  // the latest round failed
  bool overflow_warned_ HFS_GUARDED_BY(mu_) = false;
  bool closed_ HFS_GUARDED_BY(mu_) = false;
  bool stopping_ HFS_GUARDED_BY(mu_) = false;
  std::optional<Error> last_error_ HFS_GUARDED_BY(mu_);
  std::optional<Error> spill_error_ HFS_GUARDED_BY(mu_);
  std::optional<Error> close_error_ HFS_GUARDED_BY(mu_);  // why Close's flush failed
  std::jthread writer_;  // last: starts after everything above exists
};

}  // namespace hfs::store
