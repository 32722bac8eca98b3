#include "hfs/store/span_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <thread>

#include "hfs/base/try.h"
#include "hfs/store/migrations.h"
#include "hfs/trace/otlp_json.h"

namespace hfs::store {
namespace {

using trace::SpanData;

constexpr std::string_view kColumns =
    "trace_id, span_id, parent_span_id, run_id, name, kind, start_unix_nano, end_unix_nano, "
    "status_code, error_type, input_tokens, output_tokens, model, span_json";
constexpr size_t kColumnCount = 14;
// SQLite allows 999 bound parameters per statement in older builds.
constexpr size_t kRowsPerStatement = 64;
// Spans per transaction when writing the backlog.
constexpr size_t kSpansPerTransaction = 512;
// Index-friendly widths of the VARCHAR columns on MySQL (the full text is in span_json).
constexpr size_t kShortText = 191;
constexpr size_t kNameText = 255;

// At most `limit` bytes, never cutting a UTF-8 sequence.
std::string Clip(std::string_view text, size_t limit) {
  if (text.size() <= limit) return std::string(text);
  size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end));
}

std::string Text(const SpanData& span, std::string_view key) {
  const trace::AttributeValue* value = trace::FindAttribute(span.attributes, key);
  const std::string* text = value == nullptr ? nullptr : std::get_if<std::string>(value);
  return text == nullptr ? "" : *text;
}

int64_t Int(const SpanData& span, std::string_view key) {
  const trace::AttributeValue* value = trace::FindAttribute(span.attributes, key);
  const int64_t* number = value == nullptr ? nullptr : std::get_if<int64_t>(value);
  return number == nullptr ? 0 : *number;
}

std::string InsertSql(Dialect dialect, size_t rows) {
  std::string row =
      fmt::format("({})", fmt::join(std::vector<std::string>(kColumnCount, "?"), ", "));
  return fmt::format("{} INTO spans ({}) VALUES {}",
                     dialect == Dialect::kSqlite ? "INSERT OR IGNORE" : "INSERT IGNORE", kColumns,
                     fmt::join(std::vector<std::string>(rows, row), ", "));
}

void AppendParams(const SpanData& span, Params& params) {
  std::string model = Text(span, "gen_ai.response.model");
  if (model.empty()) model = Text(span, "gen_ai.request.model");
  params.insert(
      params.end(),
      {ToHex(span.trace_id), ToHex(span.span_id),
       span.IsRoot() ? std::string() : ToHex(span.parent_span_id),
       Clip(Text(span, "hfs.run.id"), kShortText), Clip(span.name, kNameText),
       int64_t{static_cast<int>(span.kind)}, UnixNanos(span.start_time), UnixNanos(span.end_time),
       int64_t{static_cast<int>(span.status.code)}, Clip(Text(span, "error.type"), kShortText),
       Int(span, "gen_ai.usage.input_tokens"), Int(span, "gen_ai.usage.output_tokens"),
       Clip(model, kNameText), trace::EncodeSpanJson(span)});
}

Result<void> WriteBatch(Executor& tx, Dialect dialect, std::span<const SpanData> spans) {
  for (size_t from = 0; from < spans.size(); from += kRowsPerStatement) {
    size_t count = std::min(kRowsPerStatement, spans.size() - from);
    Params params;
    params.reserve(count * kColumnCount);
    for (const SpanData& span : spans.subspan(from, count)) AppendParams(span, params);
    HFS_TRY(tx.Execute(InsertSql(dialect, count), params));
  }
  // The root names the run; spans of its trace stored before it learn the run id now.
  for (const SpanData& span : spans) {
    std::string run_id = Clip(Text(span, "hfs.run.id"), kShortText);
    if (run_id.empty()) continue;
    HFS_TRY(tx.Execute("UPDATE spans SET run_id = ? WHERE trace_id = ? AND run_id = ''",
                       {run_id, ToHex(span.trace_id)}));
  }
  return Ok();
}

// A failure that may pass: the spans are kept and written later.
bool Passing(ErrorCode code) {
  return code == ErrorCode::kUnavailable || code == ErrorCode::kAborted ||
         code == ErrorCode::kDeadlineExceeded || code == ErrorCode::kResourceExhausted;
}

Result<std::vector<SpanData>> DecodeRows(const Rows& rows) {
  std::vector<SpanData> spans;
  spans.reserve(rows.size());
  for (const Row& row : rows) {
    Result<SpanData> span = trace::DecodeSpanJson(ToText(row[1]));
    if (!span) {
      return Fail(ErrorCode::kDataLoss,
                  fmt::format("spans row {}: {}", ToText(row[0]), span.error().message));
    }
    spans.push_back(std::move(*span));
  }
  return spans;
}

}  // namespace

Result<std::unique_ptr<SpanStore>> SpanStore::Open(std::shared_ptr<Database> database,
                                                   SpanStoreOptions options) {
  HFS_TRY(ApplyMigrations(*database, StoreMigrations()));
  return std::unique_ptr<SpanStore>(new SpanStore(std::move(database), options));
}

Result<void> SpanStore::Export(std::span<const SpanData> spans) {
  if (spans.empty()) return Ok();
  MutexLock lock(mu_);
  if (database_ == nullptr) {
    return Fail(ErrorCode::kFailedPrecondition, "span store: already shut down");
  }
  stats_.received += spans.size();
  const size_t room =
      options_.max_backlog_spans - std::min(options_.max_backlog_spans, backlog_.size());
  const size_t kept = std::min(room, spans.size());
  backlog_.insert(backlog_.end(), spans.begin(), spans.begin() + kept);
  Result<void> written = WriteBacklog(*database_);
  if (kept < spans.size()) {
    std::string reason = fmt::format(
        "span store: {} spans waited for the database already ({})", options_.max_backlog_spans,
        stats_.last_error.empty() ? "it was unavailable" : stats_.last_error);
    Lose(spans.size() - kept, reason);
    if (written) return Fail(ErrorCode::kResourceExhausted, reason);
  }
  return written;
}

Result<void> SpanStore::WriteBacklog(Database& database) {
  const Dialect dialect = database.dialect();
  while (!backlog_.empty()) {
    const size_t count = std::min(kSpansPerTransaction, backlog_.size());
    std::vector<SpanData> batch(backlog_.begin(), backlog_.begin() + count);
    Result<void> written = database.RunInTransaction(
        [&](Executor& tx) -> Result<void> { return WriteBatch(tx, dialect, batch); });
    if (written) {
      backlog_.erase(backlog_.begin(), backlog_.begin() + count);
      stats_.stored += count;
      continue;
    }
    Error error = written.error().WithContext("span store");
    stats_.last_error = error.message;
    if (Passing(error.code)) {
      break;  // kept; the next Export or Shutdown tries again
    }
    // The database refuses these spans for good: trying again would block the rest.
    backlog_.erase(backlog_.begin(), backlog_.begin() + count);
    Lose(count, error.message);
    stats_.pending = backlog_.size();
    return Fail(std::move(error));
  }
  stats_.pending = backlog_.size();
  return Ok();
}

void SpanStore::Lose(uint64_t count, std::string reason) {
  stats_.lost += count;
  stats_.loss_reason = std::move(reason);
}

void SpanStore::Shutdown() {
  MutexLock lock(mu_);
  if (database_ == nullptr) return;
  const auto until = std::chrono::steady_clock::now() + options_.final_retry_window;
  std::chrono::milliseconds wait = options_.initial_retry_wait;
  while (!backlog_.empty()) {
    (void)WriteBacklog(*database_);  // a lasting failure is counted as lost
    if (backlog_.empty() || std::chrono::steady_clock::now() + wait > until) break;
    std::this_thread::sleep_for(wait);
    wait = std::min(wait * 2, options_.max_retry_wait);
  }
  if (!backlog_.empty()) {
    Lose(backlog_.size(),
         fmt::format("{} (still failing {:.1f}s after the run ended)", stats_.last_error,
                     std::chrono::duration<double>(options_.final_retry_window).count()));
    backlog_.clear();
    stats_.pending = 0;
  }
  database_.reset();
}

SpanStoreStats SpanStore::stats() const {
  MutexLock lock(mu_);
  return stats_;
}

Result<std::vector<SpanData>> LoadRunSpans(Executor& db, std::string_view run_id) {
  Rows rows = HFS_TRY(
      db.Query("SELECT span_id, span_json FROM spans WHERE trace_id IN "
               "(SELECT trace_id FROM spans WHERE run_id = ?) ORDER BY start_unix_nano, span_id",
               {std::string(run_id)}));
  return DecodeRows(rows);
}

Result<std::vector<SpanData>> LoadTraceSpans(Executor& db, const TraceId& trace_id) {
  Rows rows =
      HFS_TRY(db.Query("SELECT span_id, span_json FROM spans WHERE trace_id = ? "
                       "ORDER BY start_unix_nano, span_id",
                       {ToHex(trace_id)}));
  return DecodeRows(rows);
}

}  // namespace hfs::store
