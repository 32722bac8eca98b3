#include "hfs/store/usage_store.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <iterator>
#include <utility>

#include "hfs/base/check.h"
#include "hfs/base/try.h"
#include "hfs/store/internal/usage_sql.h"
#include "hfs/store/migrations.h"

namespace hfs::store {
namespace {

// Rows per INSERT statement (16 parameters each) within a batch's transaction.
constexpr size_t kRowsPerStatement = 50;

}  // namespace

Result<std::unique_ptr<UsageStore>> UsageStore::Open(std::unique_ptr<Database> database,
                                                     UsageStoreOptions options) {
  HFS_CHECK(database != nullptr, "UsageStore needs a database");
  HFS_CHECK(options.queue_capacity > 0 && options.max_batch_rows > 0 && options.write_attempts > 0,
            "UsageStore sizes and attempts must be positive");
  if (auto migrated = ApplyMigrations(*database, StoreMigrations()); !migrated) {
    return Fail(migrated.error().WithContext("opening the usage store"));
  }
  return std::unique_ptr<UsageStore>(new UsageStore(std::move(database), options));
}

UsageStore::UsageStore(std::unique_ptr<Database> database, UsageStoreOptions options)
    : database_(std::move(database)), options_(options) {
  writer_ = std::jthread([this] { Run(); });
}

UsageStore::~UsageStore() {
  if (auto flushed = Flush(); !flushed) {
    spdlog::warn("usage store: flushing at shutdown failed, trying once more: {}",
                 flushed.error().ToString());
  }
  {
    MutexLock lock(mu_);
    stopping_ = true;
    work_ready_.NotifyAll();
  }
  writer_.join();
}

void UsageStore::Record(UsageRecord record) {
  MutexLock lock(mu_);
  HFS_CHECK(!stopping_, "UsageStore::Record after the store began to shut down");
  room_.Wait(mu_, [&]() HFS_REQUIRES(mu_) { return queue_.size() < options_.queue_capacity; });
  queue_.push_back(std::move(record));
  ++recorded_;
  work_ready_.NotifyOne();
}

Result<void> UsageStore::Flush() {
  MutexLock lock(mu_);
  uint64_t target = recorded_;
  uint64_t failures_before = failed_writes_;
  ++flush_requests_;
  work_ready_.NotifyAll();
  progress_.Wait(mu_, [&]() HFS_REQUIRES(mu_) {
    return written_ >= target || failed_writes_ != failures_before;
  });
  if (written_ >= target) return Ok();
  return Fail(last_error_->WithContext(
      fmt::format("usage store: {} rows not written yet", recorded_ - written_)));
}

Result<std::vector<UsageRecord>> UsageStore::Recent(Timestamp since) const {
  Rows rows = HFS_TRY(database_->Query(internal::RecentUsageSql(), {internal::TimeParam(since)}));
  std::vector<UsageRecord> records;
  records.reserve(rows.size());
  for (const Row& row : rows) records.push_back(HFS_TRY(internal::RecordFromRow(row)));
  return records;
}

Result<std::vector<UsageSummaryRow>> UsageStore::Summarize(Timestamp since,
                                                           GroupBy group_by) const {
  Params params = {std::string(kUsageStatusOk), std::string(kUsageStatusRateLimited),
                   internal::TimeParam(since)};
  Rows rows = HFS_TRY(database_->Query(internal::SummarizeUsageSql(group_by), params));
  std::vector<UsageSummaryRow> summary;
  summary.reserve(rows.size());
  for (const Row& row : rows) summary.push_back(HFS_TRY(internal::SummaryFromRow(row)));
  // Sorted here: the backends' collations order text differently.
  std::sort(summary.begin(), summary.end(),
            [](const auto& a, const auto& b) { return a.group < b.group; });
  return summary;
}

uint64_t UsageStore::rows_written() const {
  MutexLock lock(mu_);
  return written_;
}

uint64_t UsageStore::rows_pending() const {
  MutexLock lock(mu_);
  return recorded_ - written_;
}

uint64_t UsageStore::failed_writes() const {
  MutexLock lock(mu_);
  return failed_writes_;
}

std::optional<Error> UsageStore::last_error() const {
  MutexLock lock(mu_);
  return last_error_;
}

void UsageStore::Run() {
  std::vector<UsageRecord> batch;  // kept across failed rounds until written
  uint64_t seen_flush_requests = 0;
  while (true) {
    if (batch.empty()) batch = TakeBatch();
    if (batch.empty()) return;  // stopping, nothing left
    Result<void> written = WriteWithRetries(batch);
    if (written) {
      MarkWritten(batch.size());
      batch.clear();
      continue;
    }
    // Keep the rows for the next round, unless the store is stopping.
    if (MarkFailed(written.error(), batch.size())) return;
    WaitBeforeRetry(seen_flush_requests);
  }
}

std::vector<UsageRecord> UsageStore::TakeBatch() {
  MutexLock lock(mu_);
  work_ready_.Wait(mu_, [&]() HFS_REQUIRES(mu_) { return stopping_ || !queue_.empty(); });
  size_t count = std::min(queue_.size(), options_.max_batch_rows);
  std::vector<UsageRecord> batch(std::make_move_iterator(queue_.begin()),
                                 std::make_move_iterator(queue_.begin() + count));
  queue_.erase(queue_.begin(), queue_.begin() + count);
  room_.NotifyAll();
  return batch;
}

Result<void> UsageStore::WriteWithRetries(const std::vector<UsageRecord>& batch) {
  Result<void> result = Ok();
  for (int attempt = 1; attempt <= options_.write_attempts; ++attempt) {
    result = WriteBatch(batch);
    if (result) return result;
    if (attempt < options_.write_attempts) std::this_thread::sleep_for(options_.retry_pause);
  }
  return result;
}

Result<void> UsageStore::WriteBatch(const std::vector<UsageRecord>& batch) {
  Dialect dialect = database_->dialect();
  return database_->RunInTransaction([&](Executor& tx) -> Result<void> {
    Params params;
    for (size_t start = 0; start < batch.size(); start += kRowsPerStatement) {
      size_t end = std::min(batch.size(), start + kRowsPerStatement);
      params.clear();
      for (size_t i = start; i < end; ++i) internal::AppendInsertParams(batch[i], params);
      HFS_TRY(tx.Execute(internal::InsertUsageSql(dialect, end - start), params));
    }
    return Ok();
  });
}

void UsageStore::MarkWritten(size_t rows) {
  MutexLock lock(mu_);
  written_ += rows;
  if (failing_) {
    spdlog::warn("usage store: writing works again; {} rows still pending", recorded_ - written_);
    failing_ = false;
  }
  progress_.NotifyAll();
}

bool UsageStore::MarkFailed(const Error& error, size_t rows) {
  MutexLock lock(mu_);
  ++failed_writes_;
  last_error_ = error;
  progress_.NotifyAll();
  uint64_t pending = recorded_ - written_;
  if (stopping_) {
    spdlog::error("usage store: shutting down with {} usage rows that could not be written: {}",
                  pending, error.ToString());
    return true;
  }
  if (!failing_) {
    spdlog::warn(
        "usage store: writing {} rows failed {} times ({}); keeping {} pending rows in memory "
        "and retrying every {:g}s",
        rows, options_.write_attempts, error.ToString(), pending, Seconds(options_.retry_later));
  } else {
    spdlog::debug("usage store: write round failed again: {}", error.ToString());
  }
  failing_ = true;
  return false;
}

void UsageStore::WaitBeforeRetry(uint64_t& seen_flush_requests) {
  MutexLock lock(mu_);
  auto deadline = std::chrono::steady_clock::now() + options_.retry_later;
  work_ready_.WaitUntil(mu_, deadline, [&]() HFS_REQUIRES(mu_) {
    return stopping_ || flush_requests_ != seen_flush_requests;
  });
  seen_flush_requests = flush_requests_;
}

}  // namespace hfs::store
