#include "hfs/store/internal/usage_sql.h"

#include <fmt/format.h>

#include <chrono>

namespace hfs::store::internal {
namespace {

constexpr std::string_view kColumns =
    "request_id, `time`, provider, model_requested, model_answered, key_id, scope, status, "
    "http_status, prompt_tokens, completion_tokens, latency_ms, run_id, triad, role, phase";
constexpr size_t kColumnCount = 16;
constexpr std::string_view kOneRow = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

double Milliseconds(Duration duration) {
  return std::chrono::duration<double, std::milli>(duration).count();
}

Duration FromMilliseconds(double milliseconds) {
  return std::chrono::round<Duration>(std::chrono::duration<double, std::milli>(milliseconds));
}

std::string_view GroupColumn(GroupBy group_by) {
  switch (group_by) {
    case GroupBy::kProvider:
      return "provider";
    case GroupBy::kModel:
      return "model_requested";
    case GroupBy::kKey:
      return "key_id";
    case GroupBy::kRun:
      return "run_id";
  }
  return "provider";
}

}  // namespace

std::string InsertUsageSql(Dialect dialect, size_t rows) {
  std::string sql =
      fmt::format("{} INTO `usage` ({}) VALUES ",
                  dialect == Dialect::kSqlite ? "INSERT OR IGNORE" : "INSERT IGNORE", kColumns);
  sql.reserve(sql.size() + rows * (kOneRow.size() + 2));
  for (size_t i = 0; i < rows; ++i) {
    if (i > 0) sql += ", ";
    sql += kOneRow;
  }
  return sql;
}

void AppendInsertParams(const UsageRecord& record, Params& params) {
  params.push_back(record.request_id);
  params.push_back(TimeParam(record.time));
  params.push_back(record.provider);
  params.push_back(record.model_requested);
  params.push_back(record.model_answered);
  params.push_back(record.key_id);
  params.push_back(record.scope);
  params.push_back(record.status);
  params.push_back(int64_t{record.http_status});
  params.push_back(record.prompt_tokens);
  params.push_back(record.completion_tokens);
  params.push_back(Milliseconds(record.latency));
  params.push_back(record.run_id);
  params.push_back(record.triad);
  params.push_back(record.role);
  params.push_back(record.phase);
}

std::string RecentUsageSql() {
  return fmt::format("SELECT {} FROM `usage` WHERE `time` >= ? ORDER BY `time`, request_id",
                     kColumns);
}

Result<UsageRecord> RecordFromRow(const Row& row) {
  if (row.size() != kColumnCount) {
    return Fail(ErrorCode::kInternal,
                fmt::format("usage row has {} columns, expected {}", row.size(), kColumnCount));
  }
  return UsageRecord{
      .request_id = ToText(row[0]),
      .time = Timestamp(std::chrono::microseconds(ToInt(row[1]))),
      .provider = ToText(row[2]),
      .model_requested = ToText(row[3]),
      .model_answered = ToText(row[4]),
      .key_id = ToText(row[5]),
      .scope = ToText(row[6]),
      .status = ToText(row[7]),
      .http_status = static_cast<int>(ToInt(row[8])),
      .prompt_tokens = ToInt(row[9]),
      .completion_tokens = ToInt(row[10]),
      .latency = FromMilliseconds(ToDouble(row[11])),
      .run_id = ToText(row[12]),
      .triad = ToText(row[13]),
      .role = ToText(row[14]),
      .phase = ToText(row[15]),
  };
}

std::string SummarizeUsageSql(GroupBy group_by) {
  std::string_view column = GroupColumn(group_by);
  return fmt::format(
      "SELECT {0}, COUNT(*), SUM(CASE WHEN status = ? THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN status = ? THEN 1 ELSE 0 END), SUM(prompt_tokens), "
      "SUM(completion_tokens), AVG(latency_ms) FROM `usage` WHERE `time` >= ? "
      "GROUP BY {0}",
      column);
}

Result<UsageSummaryRow> SummaryFromRow(const Row& row) {
  constexpr size_t kSummaryColumns = 7;
  if (row.size() != kSummaryColumns) {
    return Fail(ErrorCode::kInternal, fmt::format("summary row has {} columns, expected {}",
                                                  row.size(), kSummaryColumns));
  }
  UsageSummaryRow summary{
      .group = ToText(row[0]),
      .requests = ToInt(row[1]),
      .ok = ToInt(row[2]),
      .rate_limited = ToInt(row[3]),
      .prompt_tokens = ToInt(row[4]),
      .completion_tokens = ToInt(row[5]),
      .average_latency_ms = ToDouble(row[6]),
  };
  summary.errors = summary.requests - summary.ok - summary.rate_limited;
  return summary;
}

Value TimeParam(Timestamp time) {
  return int64_t{std::chrono::floor<std::chrono::microseconds>(time.time_since_epoch()).count()};
}

}  // namespace hfs::store::internal
