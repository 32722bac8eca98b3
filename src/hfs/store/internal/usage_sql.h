// hfs/store/internal/usage_sql.h
//
// The SQL of UsageStore and the conversions between UsageRecord and rows of `usage`.
//
//   Params params;
//   for (const UsageRecord& record : chunk) AppendInsertParams(record, params);
//   HFS_TRY(tx.Execute(InsertUsageSql(dialect, chunk.size()), params));
//   UsageRecord record = HFS_TRY(RecordFromRow(row));   // a row of RecentUsageSql()
//
// Thread-compatible free functions. RecordFromRow and SummaryFromRow return
// kInternal for a row of the wrong width.
#pragma once

#include <string>

#include "hfs/base/error.h"
#include "hfs/store/database.h"
#include "hfs/store/usage_record.h"
#include "hfs/store/usage_store.h"

namespace hfs::store::internal {

// A multi-row INSERT that skips rows whose request_id is stored already.
std::string InsertUsageSql(Dialect dialect, size_t rows);
// Appends the row's values in the column order of InsertUsageSql.
void AppendInsertParams(const UsageRecord& record, Params& params);

// One parameter: the earliest time (see TimeParam).
std::string RecentUsageSql();
Result<UsageRecord> RecordFromRow(const Row& row);

// Parameters: kUsageStatusOk, kUsageStatusRateLimited, the earliest time.
std::string SummarizeUsageSql(GroupBy group_by);
Result<UsageSummaryRow> SummaryFromRow(const Row& row);

// Microseconds since the Unix epoch, as the `time` column holds them.
Value TimeParam(Timestamp time);

}  // namespace hfs::store::internal
