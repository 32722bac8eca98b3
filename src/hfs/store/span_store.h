// hfs/store/span_store.h
//
// SpanStore: a trace::SpanExporter that writes each batch of finished spans into the
// `spans` table of the usage database (SQLite or MariaDB/MySQL/TiDB), one transaction
// per batch; and the readers behind `hfs trace RUN_ID --usage-db URL`, which load every
// span of a run or of a trace back. docs/trace-format.md describes the table.
//
//   std::shared_ptr<Database> db = HFS_TRY(OpenDatabase(url));
//   auto spans = HFS_TRY(SpanStore::Open(db));            // runs the store's migrations
//   tracer.AddProcessor(std::make_shared<trace::BatchProcessor>(std::move(spans)));
//   ...
//   std::vector<trace::SpanData> run = HFS_TRY(LoadRunSpans(*db, "20260101-101500-ab12"));
//
// Thread-safety: Export may be called from any thread, one call at a time (as processors
// do); the Database is thread-safe, so it may be shared with a UsageStore. Writing a span
// that is already stored (same trace id and span id) is a no-op. A span carrying the
// attribute hfs.run.id (the run's root) gives its run id to every span of its trace
// stored so far (the root ends last, so normally to the whole trace).
//
// Failures: Open returns the migration error (hfs/store/migrations.h); Export returns the
// database's error prefixed "span store" (the batch is rolled back), kFailedPrecondition
// after Shutdown. The readers return the database's error, or kDataLoss naming the span
// id when a stored row does not decode.
#pragma once

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

class SpanStore final : public trace::SpanExporter {
 public:
  static Result<std::unique_ptr<SpanStore>> Open(std::shared_ptr<Database> database);

  Result<void> Export(std::span<const trace::SpanData> spans) override;
  // Releases the database (other owners keep it open).
  void Shutdown() override;

  // Spans written since Open (duplicates included).
  uint64_t spans_written() const;

 private:
  explicit SpanStore(std::shared_ptr<Database> database) : database_(std::move(database)) {}

  mutable Mutex mu_;
  std::shared_ptr<Database> database_ HFS_GUARDED_BY(mu_);
  uint64_t written_ HFS_GUARDED_BY(mu_) = 0;
};

// Every span of the traces whose root carries hfs.run.id = run_id, ordered by start time
// (then span id). Empty when there is none.
Result<std::vector<trace::SpanData>> LoadRunSpans(Executor& db, std::string_view run_id);
// Every span of one trace, ordered by start time (then span id).
Result<std::vector<trace::SpanData>> LoadTraceSpans(Executor& db, const TraceId& trace_id);

}  // namespace hfs::store
