// hfs/store/database.h
//
// Database: the small SQL interface of HFS persistence. Statements run with `?`
// placeholders bound to Values (null, int64, double, text); queries return rows of
// Values. RunInTransaction runs a body atomically. Backends: SQLite and MariaDB/MySQL/TiDB
// (open one with OpenDatabase in hfs/store/open_database.h).
//
//   auto db = HFS_TRY(OpenDatabase("sqlite:///var/lib/hfs/usage.db"));
//   HFS_TRY(db->Execute("INSERT INTO t (id, name) VALUES (?, ?)", {int64_t{1}, "a"}));
//   Rows rows = HFS_TRY(db->Query("SELECT name FROM t WHERE id = ?", {int64_t{1}}));
//   HFS_RETURN_IF_ERROR(db->RunInTransaction([](Executor& tx) -> Result<void> {
//     return tx.Execute("DELETE FROM t").map([](int64_t) {});
//   }));
//
// Thread-safe: the backends serialise calls with an internal mutex, so one instance may be
// shared by a writer thread and readers. A transaction holds that mutex for its body.
//
// Failures (every backend): kInvalidArgument for bad SQL, a wrong number of parameters or
// a value the column rejects; kUnavailable when the database cannot be opened, the server
// cannot be reached or the connection is lost (or a MySQL lock wait times out);
// kDeadlineExceeded when another SQLite connection holds a lock past the busy timeout;
// kAlreadyExists for a unique-key violation; kUnauthenticated / kPermissionDenied when
// the server refuses the credentials / the access; kNotFound for an unknown MySQL
// database; kDataLoss for a SQLite file that is not a database; kAborted for a MySQL
// deadlock; kInternal otherwise. Messages quote the SQL (never the bound values) and
// never contain a password.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "hfs/base/error.h"

namespace hfs::store {

enum class Dialect { kSqlite, kMysql };

// "sqlite" or "mysql".
std::string_view DialectName(Dialect dialect);

// One SQL value. std::monostate is NULL.
using Value = std::variant<std::monostate, int64_t, double, std::string>;
using Row = std::vector<Value>;
using Rows = std::vector<Row>;
using Params = std::vector<Value>;

inline constexpr std::monostate kNull{};

// Lenient readers for a column whose SQL type differs between backends (MySQL returns
// SUM() as DECIMAL, for example). NULL reads as 0 / 0.0 / "".
bool IsNull(const Value& value);
// Integers as they are, doubles truncated, text parsed (0 when it is not a number).
int64_t ToInt(const Value& value);
double ToDouble(const Value& value);
// Text as it is, numbers formatted.
std::string ToText(const Value& value);

// Runs statements; the statements of a transaction body run through one.
class Executor {
 public:
  virtual ~Executor() = default;
  // Runs a statement that returns no rows. Returns the number of rows it changed.
  virtual Result<int64_t> Execute(std::string_view sql, const Params& params = {}) = 0;
  // Runs a query and returns all its rows.
  virtual Result<Rows> Query(std::string_view sql, const Params& params = {}) = 0;
};

// Outside a transaction each statement commits on its own.
class Database : public Executor {
 public:
  using TransactionBody = std::function<Result<void>(Executor&)>;

  virtual Dialect dialect() const = 0;
  // Begins a transaction, runs `body` and commits. When `body` fails the transaction is
  // rolled back and its error returned; a failed begin or commit is returned as well.
  // `body` must use the Executor it is given, never this Database (that would deadlock).
  virtual Result<void> RunInTransaction(const TransactionBody& body) = 0;
};

}  // namespace hfs::store
