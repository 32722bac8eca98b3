// hfs/store/span_store.h
//
// SpanStore: a trace::SpanExporter that writes each batch of finished spans into the
// `spans` table of the usage database (SQLite or MariaDB/MySQL/TiDB), one transaction
// per batch of at most 512 spans. A batch the database cannot take for a passing reason
// (connection lost, server restarting, deadlock: kUnavailable, kAborted,
// kDeadlineExceeded, kResourceExhausted) is kept, in order, and written before the next
// one; Shutdown retries what is still kept, with growing waits, for at most
// final_retry_window. Spans are lost only when the backlog is full, when the database
// refuses them for good (another error), or when the window at Shutdown ends; stats()
// counts them with the reason. And the readers behind `hfs trace RUN_ID --usage-db URL`, which load
// every span of a run or of a trace back. docs/trace-format.md describes the table.
//
//   std::shared_ptr<Database> db = HFS_TRY(OpenDatabase(url));
//   auto spans = HFS_TRY(SpanStore::Open(db));            // runs the store's migrations
//   tracer.AddProcessor(std::make_shared<trace::BatchProcessor>(spans));
//   ...
//   SpanStoreStats stats = spans->stats();                 // stored, lost and why
//   std::vector<trace::SpanData> run = HFS_TRY(LoadRunSpans(*db, "20260101-101500-ab12"));
//
// Thread-safety: Export may be called from any thread, one call at a time (as processors
// do); the Database is thread-safe, so it may be shared with a UsageStore. Writing a span
// that is already stored (same trace id and span id) is a no-op. A span carrying the
// attribute hfs.run.id (the run's root) gives its run id to every span of its trace
// stored so far (the root ends last, so normally to the whole trace).
//
// Retry waits are intervals on the steady clock (as BatchProcessor's schedule delay).
//
// Failures: Open returns the migration error (hfs/store/migrations.h); Export returns Ok
// when the spans are stored or kept for a later try, the database's error prefixed "span
// store" when spans were lost (a lasting error, or the backlog overflowed), and
// kFailedPrecondition after Shutdown. The readers return the database's error, or kDataLoss naming
// the span id when a stored row does not decode.
#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/base/error.h"
#include "hfs/base/ids.h"
#include "hfs/base/mutex.h"
#include "hfs/store/database.h"
#include "hfs/trace/span_exporter.h"

namespace hfs::store {

struct SpanStoreOptions {
  // Spans kept while the database is unavailable; beyond this, new spans are lost.
  size_t max_backlog_spans = 16384;
  // How long Shutdown keeps retrying the backlog, and the first and longest wait between
  // its tries.
  std::chrono::milliseconds final_retry_window{5000};
  std::chrono::milliseconds initial_retry_wait{100};
  std::chrono::milliseconds max_retry_wait{1000};
};

// Every span handed to Export ends up in exactly one of stored, pending or lost.
struct SpanStoreStats {
  uint64_t received = 0;  // spans handed to Export
  uint64_t stored = 0;    // in the table (a span stored before counts once more)
  uint64_t pending = 0;   // kept for a later try
  uint64_t lost = 0;
  // Why the latest spans were lost ("" when none were); names no password.
  std::string loss_reason;
  // The database error of the latest failed write, kept or lost ("" when none failed).
  std::string last_error;
};

class SpanStore final : public trace::SpanExporter {
 public:
  static Result<std::unique_ptr<SpanStore>> Open(std::shared_ptr<Database> database,
                                                 SpanStoreOptions options = {});

  Result<void> Export(std::span<const trace::SpanData> spans) override;
  // Retries the backlog for at most final_retry_window, counts what is left as lost, and
  // releases the database (other owners keep it open).
  void Shutdown() override;

  SpanStoreStats stats() const;

 private:
  SpanStore(std::shared_ptr<Database> database, SpanStoreOptions options)
      : options_(options), database_(std::move(database)) {}
  // Writes the backlog, oldest first, until it is empty or a write fails. Returns the
  // error of a lasting failure (those spans are then lost); a passing one keeps them.
  Result<void> WriteBacklog(Database& database) HFS_REQUIRES(mu_);
  void Lose(uint64_t count, std::string reason) HFS_REQUIRES(mu_);

  const SpanStoreOptions options_;
  mutable Mutex mu_;
  std::shared_ptr<Database> database_ HFS_GUARDED_BY(mu_);
  std::deque<trace::SpanData> backlog_ HFS_GUARDED_BY(mu_);
  SpanStoreStats stats_ HFS_GUARDED_BY(mu_);
};

// Every span of the traces whose root carries hfs.run.id = run_id, ordered by start time
// (then span id). Empty when there is none.
Result<std::vector<trace::SpanData>> LoadRunSpans(Executor& db, std::string_view run_id);
// Every span of one trace, ordered by start time (then span id).
Result<std::vector<trace::SpanData>> LoadTraceSpans(Executor& db, const TraceId& trace_id);

}  // namespace hfs::store
