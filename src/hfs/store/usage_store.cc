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
#include "hfs/store/usage_spill.h"

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
    : database_(std::move(database)), options_(std::move(options)) {
  ReplaySpill();
  writer_ = std::jthread([this] { Run(); });
}

UsageStore::~UsageStore() {
  const UsageCloseReport report = Close();
  std::vector<UsageRecord> unsaved;
  {
    MutexLock lock(mu_);
    stopping_ = true;
    work_ready_.NotifyAll();
    unsaved.swap(unsaved_);
  }
  writer_.join();
  if (!unsaved.empty() && !Spill(unsaved, options_.spill_lock_timeout)) {
    spdlog::error(
        "usage store: {} usage rows are lost: they could not be written to the "
        "database ({}) nor to a spill file",
        unsaved.size(), report.error ? report.error->ToString() : "no error recorded");
  }
}

void UsageStore::Record(UsageRecord record) {
  {
    MutexLock lock(mu_);
    ++recorded_;
    const bool full = queue_.size() >= options_.queue_capacity && !options_.spill_path.empty();
    if (!closed_ && !full) {
      queue_.push_back(std::move(record));
      work_ready_.NotifyOne();
      return;
    }
  }
  // A full queue, or a closed store: to the spill file, without waiting for its lock.
  std::vector<UsageRecord> rows;
  rows.push_back(std::move(record));
  if (Spill(rows, std::chrono::milliseconds(0))) return;
  MutexLock lock(mu_);
  if (closed_) {
    unsaved_.push_back(std::move(rows.front()));
    return;
  }
  if (!overflow_warned_) {
    spdlog::warn(
        "usage store: the queue holds {} rows and the spill file cannot take more; "
        "keeping rows in memory",
        queue_.size());
    overflow_warned_ = true;
  }
  queue_.push_back(std::move(rows.front()));
  work_ready_.NotifyOne();
}

Result<void> UsageStore::Flush(std::optional<Duration> timeout) {
  MutexLock lock(mu_);
  const uint64_t target = recorded_;
  const uint64_t failures_before = failed_writes_;
  ++flush_requests_;
  work_ready_.NotifyAll();
  auto done = [&]() HFS_REQUIRES(mu_) {
    return written_ + spilled_ >= target || failed_writes_ != failures_before || closed_;
  };
  if (timeout) {
    progress_.WaitUntil(mu_, std::chrono::steady_clock::now() + *timeout, done);
  } else {
    progress_.Wait(mu_, done);
  }
  if (written_ + spilled_ >= target) return Ok();
  const uint64_t pending = recorded_ - written_ - spilled_;
  if (failed_writes_ != failures_before) {
    return Fail(
        last_error_->WithContext(fmt::format("usage store: {} rows not written yet", pending)));
  }
  if (closed_) {
    return Fail(ErrorCode::kFailedPrecondition,
                fmt::format("usage store: closed with {} rows not written", pending));
  }
  return Fail(ErrorCode::kDeadlineExceeded,
              fmt::format("usage store: {} rows not written after {:g} s", pending,
                          Seconds(timeout.value_or(Duration{0}))));
}

UsageCloseReport UsageStore::Close() {
  {
    MutexLock lock(mu_);
    if (closed_) return Report();
  }
  Result<void> flushed = Flush(options_.close_timeout);
  std::vector<UsageRecord> rest;
  {
    MutexLock lock(mu_);
    if (closed_) return Report();  // closed by another thread meanwhile
    closed_ = true;
    if (!flushed) close_error_ = flushed.error();
    rest = std::move(in_flight_);
    in_flight_.clear();
    rest.insert(rest.end(), std::make_move_iterator(queue_.begin()),
                std::make_move_iterator(queue_.end()));
    queue_.clear();
    work_ready_.NotifyAll();
    progress_.NotifyAll();
  }
  if (!rest.empty() && !Spill(rest, options_.spill_lock_timeout)) {
    MutexLock lock(mu_);
    unsaved_.insert(unsaved_.end(), std::make_move_iterator(rest.begin()),
                    std::make_move_iterator(rest.end()));
  }
  MutexLock lock(mu_);
  UsageCloseReport report = Report();
  if (report.spilled > 0) {
    spdlog::warn(
        "usage store: {} of {} usage rows could not be written to the database and "
        "were saved to {}; they are written at the next start",
        report.spilled, report.recorded, report.spill_path.string());
  }
  return report;
}

UsageCloseReport UsageStore::Report() const {
  UsageCloseReport report{.recorded = recorded_,
                          .written = written_,
                          .spilled = spilled_,
                          .unsaved = unsaved_.size(),
                          .spill_path = options_.spill_path};
  if (!unsaved_.empty()) {
    report.error = spill_error_;
  } else if (spilled_ > 0) {
    report.error = close_error_ ? close_error_ : last_error_;
  }
  return report;
}

bool UsageStore::Spill(const std::vector<UsageRecord>& rows,
                       std::chrono::milliseconds lock_timeout) {
  if (options_.spill_path.empty()) {
    MutexLock lock(mu_);
    if (!spill_error_) {
      spill_error_ = Error{ErrorCode::kFailedPrecondition,
                           "usage store: there is no spill file for this database"};
    }
    return false;
  }
  Result<void> appended = AppendUsageSpill(options_.spill_path, rows, lock_timeout);
  MutexLock lock(mu_);
  if (!appended) {
    if (lock_timeout.count() > 0 || !spill_error_) {
      spdlog::warn("usage store: cannot save {} rows to the spill file: {}", rows.size(),
                   appended.error().ToString());
    }
    spill_error_ = appended.error();
    return false;
  }
  spilled_ += rows.size();
  progress_.NotifyAll();
  return true;
}

void UsageStore::ReplaySpill() {
  if (options_.spill_path.empty()) return;
  auto write = [this](const std::vector<UsageRecord>& rows) -> Result<void> {
    for (size_t start = 0; start < rows.size(); start += options_.max_batch_rows) {
      size_t end = std::min(rows.size(), start + options_.max_batch_rows);
      std::vector<UsageRecord> batch(rows.begin() + static_cast<std::ptrdiff_t>(start),
                                     rows.begin() + static_cast<std::ptrdiff_t>(end));
      HFS_RETURN_IF_ERROR(WriteWithRetries(batch));
    }
    return Ok();
  };
  Result<SpillReplay> replay =
      ReplayUsageSpill(options_.spill_path, write, options_.spill_lock_timeout);
  if (!replay) {
    replay_error_ = replay.error();
    spdlog::warn(
        "usage store: the rows saved in {} are not written yet (kept for the next "
        "start): {}",
        options_.spill_path.string(), replay.error().ToString());
    return;
  }
  replayed_ = replay->rows;
  if (replay->rows > 0) {
    spdlog::debug("usage store: wrote {} rows saved in {} by an earlier run", replay->rows,
                  options_.spill_path.string());
  }
  if (replay->unreadable_lines > 0) {
    spdlog::warn("usage store: {} unreadable lines of {} were moved to {}",
                 replay->unreadable_lines, options_.spill_path.string(),
                 replay->rejected_path.string());
  }
  if (replay->torn_tail) {
    spdlog::warn(
        "usage store: the last line of {} was cut short (a crash while saving) and "
        "was ignored",
        options_.spill_path.string());
  }
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

uint64_t UsageStore::rows_spilled() const {
  MutexLock lock(mu_);
  return spilled_;
}

uint64_t UsageStore::rows_pending() const {
  MutexLock lock(mu_);
  return recorded_ - written_ - spilled_ - unsaved_.size();
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
  uint64_t seen_flush_requests = 0;
  while (true) {
    std::vector<UsageRecord> batch = TakeBatch();
    if (batch.empty()) return;  // closed or stopping
    Result<void> written = WriteWithRetries(batch);
    if (written) {
      MarkWritten(batch.size());
      continue;
    }
    // The rows stay in in_flight_ for the next round, unless the store closes.
    if (MarkFailed(written.error(), batch.size())) return;
    WaitBeforeRetry(seen_flush_requests);
  }
}

std::vector<UsageRecord> UsageStore::TakeBatch() {
  MutexLock lock(mu_);
  work_ready_.Wait(mu_, [&]() HFS_REQUIRES(mu_) {
    return closed_ || stopping_ || !in_flight_.empty() || !queue_.empty();
  });
  if (closed_ || stopping_) return {};
  if (in_flight_.empty()) {
    size_t count = std::min(queue_.size(), options_.max_batch_rows);
    in_flight_.assign(std::make_move_iterator(queue_.begin()),
                      std::make_move_iterator(queue_.begin() + static_cast<std::ptrdiff_t>(count)));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(count));
  }
  return in_flight_;  // a copy: Close may spill in_flight_ while this batch is written
}

Result<void> UsageStore::WriteWithRetries(const std::vector<UsageRecord>& batch) {
  Result<void> result = Ok();
  for (int attempt = 1; attempt <= options_.write_attempts; ++attempt) {
    result = WriteBatch(batch);
    if (result) return result;
    {
      MutexLock lock(mu_);
      if (closed_) break;  // Close has spilled the batch
    }
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
  if (closed_) return;  // Close counted the batch as spilled
  written_ += rows;
  in_flight_.clear();
  if (failing_) {
    spdlog::warn("usage store: writing works again; {} rows still pending",
                 recorded_ - written_ - spilled_);
    failing_ = false;
  }
  progress_.NotifyAll();
}

bool UsageStore::MarkFailed(const Error& error, size_t rows) {
  MutexLock lock(mu_);
  if (closed_) return true;
  ++failed_writes_;
  last_error_ = error;
  progress_.NotifyAll();
  if (!failing_) {
    spdlog::warn(
        "usage store: writing {} rows failed {} times ({}); keeping {} pending rows in memory "
        "and retrying every {:g}s",
        rows, options_.write_attempts, error.ToString(), recorded_ - written_ - spilled_,
        Seconds(options_.retry_later));
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
    return closed_ || stopping_ || flush_requests_ != seen_flush_requests;
  });
  seen_flush_requests = flush_requests_;
}

}  // namespace hfs::store
