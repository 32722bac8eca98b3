#include "hfs/store/migrations.h"

#include <fmt/format.h>

#include <array>
#include <span>

#include "hfs/base/check.h"
#include "hfs/base/try.h"

namespace hfs::store {
namespace {

constexpr std::string_view kCreateSchemaVersion =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    "version INTEGER NOT NULL PRIMARY KEY, name VARCHAR(191) NOT NULL)";

struct Column {
  std::string_view name;
  std::string_view sqlite_type;
  std::string_view mysql_type;
};

// MySQL indexes at most 767 bytes of a column: 191 utf8mb4 characters. TEXT columns
// cannot have defaults in MySQL/TiDB, so short text is VARCHAR there.
constexpr std::array<Column, 16> kUsageColumns = {{
    {"request_id", "TEXT NOT NULL PRIMARY KEY", "VARCHAR(191) NOT NULL PRIMARY KEY"},
    {"`time`", "INTEGER NOT NULL", "BIGINT NOT NULL"},
    {"provider", "TEXT NOT NULL DEFAULT ''", "VARCHAR(191) NOT NULL DEFAULT ''"},
    {"model_requested", "TEXT NOT NULL DEFAULT ''", "VARCHAR(255) NOT NULL DEFAULT ''"},
    {"model_answered", "TEXT NOT NULL DEFAULT ''", "VARCHAR(255) NOT NULL DEFAULT ''"},
    {"key_id", "TEXT NOT NULL DEFAULT ''", "VARCHAR(191) NOT NULL DEFAULT ''"},
    {"scope", "TEXT NOT NULL DEFAULT ''", "VARCHAR(191) NOT NULL DEFAULT ''"},
    {"status", "TEXT NOT NULL DEFAULT ''", "VARCHAR(64) NOT NULL DEFAULT ''"},
    {"http_status", "INTEGER NOT NULL DEFAULT 0", "INT NOT NULL DEFAULT 0"},
    {"prompt_tokens", "INTEGER NOT NULL DEFAULT 0", "BIGINT NOT NULL DEFAULT 0"},
    {"completion_tokens", "INTEGER NOT NULL DEFAULT 0", "BIGINT NOT NULL DEFAULT 0"},
    {"latency_ms", "REAL NOT NULL DEFAULT 0", "DOUBLE NOT NULL DEFAULT 0"},
    {"run_id", "TEXT NOT NULL DEFAULT ''", "VARCHAR(191) NOT NULL DEFAULT ''"},
    {"triad", "TEXT NOT NULL DEFAULT ''", "VARCHAR(191) NOT NULL DEFAULT ''"},
    {"role", "TEXT NOT NULL DEFAULT ''", "VARCHAR(191) NOT NULL DEFAULT ''"},
    {"phase", "TEXT NOT NULL DEFAULT ''", "VARCHAR(191) NOT NULL DEFAULT ''"},
}};

std::vector<std::string> ColumnDefinitions(std::span<const Column> columns, Dialect dialect) {
  std::vector<std::string> definitions;
  for (const Column& column : columns) {
    definitions.push_back(
        fmt::format("{} {}", column.name,
                    dialect == Dialect::kSqlite ? column.sqlite_type : column.mysql_type));
  }
  return definitions;
}

std::vector<std::string> CreateUsage(Dialect dialect) {
  std::vector<std::string> definitions = ColumnDefinitions(kUsageColumns, dialect);
  if (dialect == Dialect::kMysql) {
    // MySQL has no CREATE INDEX IF NOT EXISTS; indexes come with the table.
    definitions.push_back("INDEX usage_time (`time`)");
    definitions.push_back("INDEX usage_provider_time (provider, `time`)");
    return {fmt::format("CREATE TABLE IF NOT EXISTS `usage` ({}) DEFAULT CHARSET=utf8mb4",
                        fmt::join(definitions, ", "))};
  }
  return {fmt::format("CREATE TABLE IF NOT EXISTS `usage` ({})", fmt::join(definitions, ", ")),
          "CREATE INDEX IF NOT EXISTS usage_time ON `usage` (`time`)",
          "CREATE INDEX IF NOT EXISTS usage_provider_time ON `usage` (provider, `time`)"};
}

// One row per finished span (docs/trace-format.md); span_json is the OTLP/JSON Span.
constexpr std::array<Column, 14> kSpanColumns = {{
    {"trace_id", "TEXT NOT NULL", "VARCHAR(32) NOT NULL"},
    {"span_id", "TEXT NOT NULL", "VARCHAR(16) NOT NULL"},
    {"parent_span_id", "TEXT NOT NULL DEFAULT ''", "VARCHAR(16) NOT NULL DEFAULT ''"},
    {"run_id", "TEXT NOT NULL DEFAULT ''", "VARCHAR(191) NOT NULL DEFAULT ''"},
    {"name", "TEXT NOT NULL DEFAULT ''", "VARCHAR(255) NOT NULL DEFAULT ''"},
    {"kind", "INTEGER NOT NULL DEFAULT 1", "INT NOT NULL DEFAULT 1"},
    {"start_unix_nano", "INTEGER NOT NULL", "BIGINT NOT NULL"},
    {"end_unix_nano", "INTEGER NOT NULL", "BIGINT NOT NULL"},
    {"status_code", "INTEGER NOT NULL DEFAULT 0", "INT NOT NULL DEFAULT 0"},
    {"error_type", "TEXT NOT NULL DEFAULT ''", "VARCHAR(191) NOT NULL DEFAULT ''"},
    {"input_tokens", "INTEGER NOT NULL DEFAULT 0", "BIGINT NOT NULL DEFAULT 0"},
    {"output_tokens", "INTEGER NOT NULL DEFAULT 0", "BIGINT NOT NULL DEFAULT 0"},
    {"model", "TEXT NOT NULL DEFAULT ''", "VARCHAR(255) NOT NULL DEFAULT ''"},
    {"span_json", "TEXT NOT NULL", "LONGTEXT NOT NULL"},
}};

std::vector<std::string> CreateSpans(Dialect dialect) {
  std::vector<std::string> definitions = ColumnDefinitions(kSpanColumns, dialect);
  definitions.push_back("PRIMARY KEY (trace_id, span_id)");
  if (dialect == Dialect::kMysql) {
    definitions.push_back("INDEX spans_run (run_id)");
    definitions.push_back("INDEX spans_start (start_unix_nano)");
    return {fmt::format("CREATE TABLE IF NOT EXISTS spans ({}) DEFAULT CHARSET=utf8mb4",
                        fmt::join(definitions, ", "))};
  }
  return {fmt::format("CREATE TABLE IF NOT EXISTS spans ({})", fmt::join(definitions, ", ")),
          "CREATE INDEX IF NOT EXISTS spans_run ON spans (run_id)",
          "CREATE INDEX IF NOT EXISTS spans_start ON spans (start_unix_nano)"};
}

constexpr std::array<Migration, 2> kStoreMigrations = {{
    {.version = 1, .name = "create usage", .statements = &CreateUsage},
    {.version = 2, .name = "create spans", .statements = &CreateSpans},
}};

std::string_view InsertIgnore(Dialect dialect) {
  return dialect == Dialect::kSqlite ? "INSERT OR IGNORE" : "INSERT IGNORE";
}

Result<int> ReadVersion(Executor& db) {
  Rows rows = HFS_TRY(db.Query("SELECT MAX(version) FROM schema_version"));
  return rows.empty() ? 0 : static_cast<int>(ToInt(rows[0][0]));
}

Result<void> Apply(Database& db, const Migration& migration) {
  return db.RunInTransaction([&](Executor& tx) -> Result<void> {
    // Another process may have applied it since we looked.
    if (HFS_TRY(ReadVersion(tx)) >= migration.version) return Ok();
    for (const std::string& statement : migration.statements(db.dialect())) {
      HFS_TRY(tx.Execute(statement));
    }
    HFS_TRY(tx.Execute(fmt::format("{} INTO schema_version (version, name) VALUES (?, ?)",
                                   InsertIgnore(db.dialect())),
                       {int64_t{migration.version}, std::string(migration.name)}));
    return Ok();
  });
}

}  // namespace

std::span<const Migration> StoreMigrations() { return kStoreMigrations; }

Result<int> SchemaVersion(Database& db) {
  HFS_TRY(db.Execute(kCreateSchemaVersion));
  return ReadVersion(db);
}

Result<int> ApplyMigrations(Database& db, std::span<const Migration> migrations) {
  int version = HFS_TRY(SchemaVersion(db));
  int newest = migrations.empty() ? 0 : migrations.back().version;
  if (version > newest) {
    return Fail(ErrorCode::kFailedPrecondition,
                fmt::format("database schema version {} is newer than this HFS knows ({}); "
                            "upgrade HFS or use another database",
                            version, newest));
  }
  for (const Migration& migration : migrations) {
    HFS_CHECK(migration.statements != nullptr, "a migration needs statements");
    if (migration.version <= version) continue;
    if (auto applied = Apply(db, migration); !applied) {
      return Fail(applied.error().WithContext(
          fmt::format("migration {} ({})", migration.version, migration.name)));
    }
    version = migration.version;
  }
  return version;
}

}  // namespace hfs::store
