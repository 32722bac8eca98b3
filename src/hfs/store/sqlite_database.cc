#include "hfs/store/sqlite_database.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>

#include "hfs/base/try.h"
#include "hfs/store/internal/serialized_database.h"

namespace hfs::store {
namespace {

// Prepared statements are kept for reuse up to this many distinct SQL texts.
constexpr size_t kStatementCacheSize = 64;

ErrorCode CodeOf(int result_code) {
  switch (result_code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return ErrorCode::kDeadlineExceeded;  // another connection kept its lock
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
      return ErrorCode::kUnavailable;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return ErrorCode::kPermissionDenied;
    case SQLITE_CONSTRAINT:
      return result_code == SQLITE_CONSTRAINT_PRIMARYKEY || result_code == SQLITE_CONSTRAINT_UNIQUE
                 ? ErrorCode::kAlreadyExists
                 : ErrorCode::kInvalidArgument;
    case SQLITE_RANGE:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
      return ErrorCode::kInvalidArgument;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return ErrorCode::kDataLoss;
    default:
      return ErrorCode::kInternal;
  }
}

std::string Excerpt(std::string_view sql) {
  constexpr size_t kMax = 80;
  return sql.size() <= kMax ? std::string(sql) : fmt::format("{}...", sql.substr(0, kMax));
}

tl::unexpected<Error> SqliteError(sqlite3* db, ErrorCode code, std::string_view sql) {
  return Fail(code, fmt::format("sqlite: {} (in: {})", sqlite3_errmsg(db), Excerpt(sql)));
}
tl::unexpected<Error> SqliteError(sqlite3* db, int result_code, std::string_view sql) {
  return SqliteError(db, CodeOf(result_code), sql);
}

// Resets a statement when a call is done with it, which ends its implicit transaction
// and releases the bound values.
class ResetOnExit {
 public:
  explicit ResetOnExit(sqlite3_stmt* statement) : statement_(statement) {}
  ~ResetOnExit() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  sqlite3_stmt* statement_;
};

bool OnlySpaceOrSemicolons(const char* text) {
  for (; *text != '\0'; ++text) {
    if (*text != ';' && *text != ' ' && *text != '\n' && *text != '\t' && *text != '\r') {
      return false;
    }
  }
  return true;
}

Value ColumnValue(sqlite3_stmt* statement, int column) {
  switch (sqlite3_column_type(statement, column)) {
    case SQLITE_INTEGER:
      return int64_t{sqlite3_column_int64(statement, column)};
    case SQLITE_FLOAT:
      return sqlite3_column_double(statement, column);
    case SQLITE_NULL:
      return kNull;
    default: {  // TEXT or BLOB, as bytes
      const auto* data = static_cast<const char*>(sqlite3_column_blob(statement, column));
      int size = sqlite3_column_bytes(statement, column);
      return data == nullptr ? std::string() : std::string(data, static_cast<size_t>(size));
    }
  }
}

bool IsBusy(int result_code) {
  return (result_code & 0xff) == SQLITE_BUSY || (result_code & 0xff) == SQLITE_LOCKED;
}

// Steps `statement` to its end, appending the rows to `rows` when given; returns the last
// result code (SQLITE_DONE on success).
int StepAll(sqlite3_stmt* statement, Rows* rows) {
  int columns = sqlite3_column_count(statement);
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
    if (rows == nullptr) continue;
    Row& row = rows->emplace_back();
    row.reserve(static_cast<size_t>(columns));
    for (int column = 0; column < columns; ++column) {
      row.push_back(ColumnValue(statement, column));
    }
  }
  return rc;
}

class SqliteConnection final : public internal::Connection {
 public:
  SqliteConnection(sqlite3* db, Duration busy_timeout) : db_(db), busy_timeout_(busy_timeout) {}
  ~SqliteConnection() override {
    ClearCache();
    sqlite3_close_v2(db_);
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Dialect dialect() const override { return Dialect::kSqlite; }

  Result<int64_t> Execute(std::string_view sql, const Params& params) override {
    sqlite3_stmt* statement = HFS_TRY(Prepare(sql, params));
    ResetOnExit reset(statement);
    int rc = StepRetryingWhileBusy(statement, nullptr);
    if (rc != SQLITE_DONE) return SqliteError(db_, rc, sql);
    return static_cast<int64_t>(sqlite3_changes64(db_));
  }

  Result<Rows> Query(std::string_view sql, const Params& params) override {
    sqlite3_stmt* statement = HFS_TRY(Prepare(sql, params));
    ResetOnExit reset(statement);
    Rows rows;
    int rc = StepRetryingWhileBusy(statement, &rows);
    if (rc != SQLITE_DONE) return SqliteError(db_, rc, sql);
    return rows;
  }

  Result<void> Begin() override {
    return Execute("BEGIN IMMEDIATE", {}).map([](int64_t) {});
  }
  Result<void> Commit() override {
    return Execute("COMMIT", {}).map([](int64_t) {});
  }
  Result<void> Rollback() override {
    if (sqlite3_get_autocommit(db_) != 0) return Ok();  // nothing open (SQLite rolled back)
    return Execute("ROLLBACK", {}).map([](int64_t) {});
  }

 private:
  // SQLite returns SQLITE_BUSY without calling its busy handler where waiting could
  // deadlock: a connection that reads and then wants to write while another holds the
  // write lock (as `PRAGMA journal_mode=WAL` on a new file does), a stale WAL snapshot, a
  // WAL file being recovered. Outside a transaction the statement has done nothing then,
  // so it is run again, after a growing pause (1 ms up to 50 ms), until the busy timeout
  // has passed since the first try. Inside a transaction the error is returned.
  int StepRetryingWhileBusy(sqlite3_stmt* statement, Rows* rows) {
    const auto deadline = std::chrono::steady_clock::now() + busy_timeout_;
    auto pause = std::chrono::milliseconds(1);
    while (true) {
      if (rows != nullptr) rows->clear();
      int rc = StepAll(statement, rows);
      if (!IsBusy(rc) || sqlite3_get_autocommit(db_) == 0) return rc;
      auto now = std::chrono::steady_clock::now();
      if (now >= deadline) return rc;
      sqlite3_reset(statement);
      std::this_thread::sleep_for(std::min<Duration>(pause, deadline - now));
      pause = std::min(pause * 2, std::chrono::milliseconds(50));
    }
  }

  // A statement with `params` bound; owned by the cache.
  Result<sqlite3_stmt*> Prepare(std::string_view sql, const Params& params) {
    sqlite3_stmt* statement = HFS_TRY(Cached(sql));
    int expected = sqlite3_bind_parameter_count(statement);
    if (static_cast<size_t>(expected) != params.size()) {
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("sqlite: statement takes {} parameters, got {} (in: {})", expected,
                              params.size(), Excerpt(sql)));
    }
    for (int i = 0; i < expected; ++i) {
      int rc = Bind(statement, i + 1, params[static_cast<size_t>(i)]);
      if (rc != SQLITE_OK) {
        sqlite3_clear_bindings(statement);
        return SqliteError(db_, rc, sql);
      }
    }
    return statement;
  }

  static int Bind(sqlite3_stmt* statement, int index, const Value& value) {
    if (const auto* number = std::get_if<int64_t>(&value)) {
      return sqlite3_bind_int64(statement, index, *number);
    }
    if (const auto* number = std::get_if<double>(&value)) {
      return sqlite3_bind_double(statement, index, *number);
    }
    if (const auto* text = std::get_if<std::string>(&value)) {
      return sqlite3_bind_text64(statement, index, text->data(), text->size(), SQLITE_TRANSIENT,
                                 SQLITE_UTF8);
    }
    return sqlite3_bind_null(statement, index);
  }

  Result<sqlite3_stmt*> Cached(std::string_view sql) {
    std::string key(sql);
    if (auto found = cache_.find(key); found != cache_.end()) return found->second;
    sqlite3_stmt* statement = nullptr;
    const char* tail = nullptr;
    int rc =
        sqlite3_prepare_v2(db_, key.c_str(), static_cast<int>(key.size() + 1), &statement, &tail);
    if (rc != SQLITE_OK) {
      // SQLITE_ERROR while preparing means the SQL itself is wrong.
      ErrorCode code = (rc & 0xff) == SQLITE_ERROR ? ErrorCode::kInvalidArgument : CodeOf(rc);
      return SqliteError(db_, code, sql);
    }
    if (statement == nullptr || !OnlySpaceOrSemicolons(tail)) {
      sqlite3_finalize(statement);
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("sqlite: expected exactly one statement (in: {})", Excerpt(sql)));
    }
    if (cache_.size() >= kStatementCacheSize) ClearCache();
    cache_.emplace(std::move(key), statement);
    return statement;
  }

  void ClearCache() {
    for (auto& [sql, statement] : cache_) sqlite3_finalize(statement);
    cache_.clear();
  }

  sqlite3* const db_;
  const Duration busy_timeout_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

Result<void> Configure(SqliteConnection& connection, std::string_view path,
                       const SqliteOptions& options, sqlite3* db) {
  sqlite3_extended_result_codes(db, 1);  // tells a unique-key violation from the others
  auto busy_ms = std::chrono::duration_cast<std::chrono::milliseconds>(options.busy_timeout);
  sqlite3_busy_timeout(db, static_cast<int>(busy_ms.count()));
  if (path != ":memory:") HFS_TRY(connection.Query("PRAGMA journal_mode=WAL", {}));
  HFS_TRY(connection.Execute("PRAGMA synchronous=NORMAL", {}));
  return Ok();
}

}  // namespace

Result<std::unique_ptr<Database>> OpenSqliteDatabase(const std::filesystem::path& path,
                                                     SqliteOptions options) {
  std::string name = path.string();
  if (name != ":memory:" && path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) {
      return Fail(ErrorCode::kUnavailable, fmt::format("sqlite: cannot create directory {}: {}",
                                                       path.parent_path().string(), ec.message()));
    }
  }
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(name.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Fail(ErrorCode::kUnavailable, fmt::format("sqlite: cannot open {}: {}", name, message));
  }
  auto connection = std::make_unique<SqliteConnection>(db, options.busy_timeout);
  if (auto configured = Configure(*connection, name, options, db); !configured) {
    return Fail(configured.error().WithContext(fmt::format("opening {}", name)));
  }
  return std::make_unique<internal::SerializedDatabase>(std::move(connection));
}

}  // namespace hfs::store
