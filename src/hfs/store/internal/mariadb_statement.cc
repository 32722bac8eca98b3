#include "hfs/store/internal/mariadb_statement.h"

#include <errmsg.h>
#include <fmt/format.h>
#include <mysqld_error.h>

#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <vector>

#include "hfs/base/try.h"

namespace hfs::store::internal {
namespace {

// Error numbers of other servers of the MySQL family, which MariaDB's headers lack.
// MySQL 8.0.24+ (ER_CLIENT_INTERACTION_TIMEOUT): the server closed an idle connection. MariaDB
// uses 4031 for a trigger-order error of CREATE TRIGGER, which HFS never runs.
constexpr unsigned kMysqlDisconnectedForInactivity = 4031;
// TiDB's "retry the whole transaction" errors: 8002 SELECT FOR UPDATE write conflict, 8005
// write conflict (stale start timestamp), 8022 commit failed and rolled back, 8028 the
// schema changed while the transaction ran, 9007 write conflict.
constexpr std::array<unsigned, 5> kTidbRetryTransaction = {8002, 8005, 8022, 8028, 9007};

tl::unexpected<Error> StatementError(MYSQL_STMT* statement) {
  unsigned number = mysql_stmt_errno(statement);
  return Fail(MariaDbErrorCode(number),
              fmt::format("mariadb: {} (error {})", mysql_stmt_error(statement), number));
}

// The storage the MYSQL_BINDs of the parameters point into.
class ParamBinding {
 public:
  explicit ParamBinding(const Params& params)
      : binds_(params.size()),
        integers_(params.size()),
        reals_(params.size()),
        lengths_(params.size()) {
    for (size_t i = 0; i < params.size(); ++i) Bind(i, params[i]);
  }
  MYSQL_BIND* data() { return binds_.data(); }

 private:
  void Bind(size_t i, const Value& value) {
    MYSQL_BIND& bind = binds_[i];
    if (const auto* integer = std::get_if<int64_t>(&value)) {
      integers_[i] = *integer;
      bind.buffer_type = MYSQL_TYPE_LONGLONG;
      bind.buffer = &integers_[i];
    } else if (const auto* real = std::get_if<double>(&value)) {
      reals_[i] = *real;
      bind.buffer_type = MYSQL_TYPE_DOUBLE;
      bind.buffer = &reals_[i];
    } else if (const auto* text = std::get_if<std::string>(&value)) {
      lengths_[i] = text->size();
      bind.buffer_type = MYSQL_TYPE_STRING;
      bind.buffer = const_cast<char*>(text->data());
      bind.buffer_length = text->size();
      bind.length = &lengths_[i];
    } else {
      bind.buffer_type = MYSQL_TYPE_NULL;
    }
  }

  std::vector<MYSQL_BIND> binds_;  // value-initialised: all zero
  std::vector<int64_t> integers_;
  std::vector<double> reals_;
  std::vector<unsigned long> lengths_;
};

enum class ColumnKind { kInteger, kReal, kDecimal, kText };

// One result column: how to read it and where the client writes it.
struct Column {
  ColumnKind kind = ColumnKind::kText;
  unsigned decimals = 0;
  int64_t integer = 0;
  double real = 0;
  unsigned long length = 0;
  my_bool is_null = 0;
  my_bool error = 0;
};

ColumnKind KindOf(enum_field_types type) {
  switch (type) {
    case MYSQL_TYPE_TINY:
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_LONGLONG:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_YEAR:
      return ColumnKind::kInteger;
    case MYSQL_TYPE_FLOAT:
    case MYSQL_TYPE_DOUBLE:
      return ColumnKind::kReal;
    case MYSQL_TYPE_DECIMAL:
    case MYSQL_TYPE_NEWDECIMAL:
      return ColumnKind::kDecimal;
    default:
      return ColumnKind::kText;
  }
}

// Describes the result columns and binds them; text columns are bound without a buffer
// and read with mysql_stmt_fetch_column once their length is known.
Result<void> BindColumns(MYSQL_STMT* statement, std::vector<Column>& columns,
                         std::vector<MYSQL_BIND>& binds) {
  std::unique_ptr<MYSQL_RES, decltype(&mysql_free_result)> metadata(
      mysql_stmt_result_metadata(statement), &mysql_free_result);
  if (metadata == nullptr) return StatementError(statement);
  unsigned count = mysql_num_fields(metadata.get());
  MYSQL_FIELD* fields = mysql_fetch_fields(metadata.get());
  columns.resize(count);
  binds.resize(count);
  for (unsigned i = 0; i < count; ++i) {
    Column& column = columns[i];
    MYSQL_BIND& bind = binds[i];
    column.kind = KindOf(fields[i].type);
    column.decimals = fields[i].decimals;
    bind.is_null = &column.is_null;
    bind.length = &column.length;
    bind.error = &column.error;
    if (column.kind == ColumnKind::kInteger) {
      bind.buffer_type = MYSQL_TYPE_LONGLONG;
      bind.buffer = &column.integer;
      bind.is_unsigned = (fields[i].flags & UNSIGNED_FLAG) != 0;
    } else if (column.kind == ColumnKind::kReal) {
      bind.buffer_type = MYSQL_TYPE_DOUBLE;
      bind.buffer = &column.real;
    } else {
      bind.buffer_type = MYSQL_TYPE_STRING;
    }
  }
  if (mysql_stmt_bind_result(statement, binds.data()) != 0) return StatementError(statement);
  return Ok();
}

Result<Value> ReadColumn(MYSQL_STMT* statement, const Column& column, unsigned index) {
  if (column.is_null != 0) return kNull;
  if (column.kind == ColumnKind::kInteger) return column.integer;
  if (column.kind == ColumnKind::kReal) return column.real;
  std::string text(column.length, '\0');
  if (!text.empty()) {
    unsigned long length = 0;
    MYSQL_BIND bind{};
    bind.buffer_type = MYSQL_TYPE_STRING;
    bind.buffer = text.data();
    bind.buffer_length = text.size();
    bind.length = &length;
    if (mysql_stmt_fetch_column(statement, &bind, index, 0) != 0) {
      return StatementError(statement);
    }
  }
  if (column.kind != ColumnKind::kDecimal) return Value(std::move(text));
  return column.decimals == 0 ? Value(ToInt(text)) : Value(ToDouble(text));
}

// Frees a statement's buffered result set when a fetch is done with it.
class FreeResultOnExit {
 public:
  explicit FreeResultOnExit(MYSQL_STMT* statement) : statement_(statement) {}
  ~FreeResultOnExit() { mysql_stmt_free_result(statement_); }
  FreeResultOnExit(const FreeResultOnExit&) = delete;
  FreeResultOnExit& operator=(const FreeResultOnExit&) = delete;

 private:
  MYSQL_STMT* statement_;
};

Result<Rows> FetchRows(MYSQL_STMT* statement) {
  std::vector<Column> columns;
  std::vector<MYSQL_BIND> binds;
  HFS_RETURN_IF_ERROR(BindColumns(statement, columns, binds));
  FreeResultOnExit free_result(statement);
  if (mysql_stmt_store_result(statement) != 0) return StatementError(statement);
  Rows rows;
  while (true) {
    int rc = mysql_stmt_fetch(statement);
    if (rc == MYSQL_NO_DATA) break;
    if (rc != 0 && rc != MYSQL_DATA_TRUNCATED) return StatementError(statement);
    Row& row = rows.emplace_back();
    row.reserve(columns.size());
    for (unsigned i = 0; i < columns.size(); ++i) {
      row.push_back(HFS_TRY(ReadColumn(statement, columns[i], i)));
    }
  }
  return rows;
}

}  // namespace

ErrorCode MariaDbErrorCode(unsigned error_number) {
  if (IsConnectionLost(error_number)) return ErrorCode::kUnavailable;
  if (IsTransactionAborted(error_number)) return ErrorCode::kAborted;
  switch (error_number) {
    case CR_CONNECTION_ERROR:
    case CR_CONN_HOST_ERROR:
    case CR_UNKNOWN_HOST:
    case CR_SSL_CONNECTION_ERROR:
    case ER_CON_COUNT_ERROR:
    case ER_SERVER_SHUTDOWN:
    case ER_LOCK_WAIT_TIMEOUT:
      return ErrorCode::kUnavailable;
    case ER_ACCESS_DENIED_ERROR:
    case ER_ACCESS_DENIED_NO_PASSWORD_ERROR:
      return ErrorCode::kUnauthenticated;
    case ER_DBACCESS_DENIED_ERROR:
    case ER_TABLEACCESS_DENIED_ERROR:
    case ER_SPECIFIC_ACCESS_DENIED_ERROR:
      return ErrorCode::kPermissionDenied;
    case ER_BAD_DB_ERROR:
      return ErrorCode::kNotFound;
    case ER_DUP_ENTRY:
      return ErrorCode::kAlreadyExists;
    case ER_PARSE_ERROR:
    case ER_NO_SUCH_TABLE:
    case ER_BAD_FIELD_ERROR:
    case ER_WRONG_ARGUMENTS:
    case ER_BAD_NULL_ERROR:
    case ER_DATA_TOO_LONG:
    case ER_WARN_DATA_OUT_OF_RANGE:
    case ER_TRUNCATED_WRONG_VALUE:
    case ER_TRUNCATED_WRONG_VALUE_FOR_FIELD:
    case CR_PARAMS_NOT_BOUND:
      return ErrorCode::kInvalidArgument;
    default:
      return ErrorCode::kInternal;
  }
}

bool IsConnectionLost(unsigned error_number) {
  return error_number == CR_SERVER_GONE_ERROR || error_number == CR_SERVER_LOST ||
         error_number == CR_SERVER_LOST_EXTENDED || error_number == ER_CONNECTION_KILLED ||
         error_number == kMysqlDisconnectedForInactivity;
}

bool IsTransactionAborted(unsigned error_number) {
  return error_number == ER_LOCK_DEADLOCK ||
         std::find(kTidbRetryTransaction.begin(), kTidbRetryTransaction.end(), error_number) !=
             kTidbRetryTransaction.end();
}

Result<StatementOutcome> RunPreparedStatement(MYSQL_STMT* statement, const Params& params) {
  unsigned long expected = mysql_stmt_param_count(statement);
  if (expected != params.size()) {
    return Fail(
        ErrorCode::kInvalidArgument,
        fmt::format("mariadb: statement takes {} parameters, got {}", expected, params.size()));
  }
  ParamBinding binding(params);
  if (!params.empty() && mysql_stmt_bind_param(statement, binding.data()) != 0) {
    return StatementError(statement);
  }
  if (mysql_stmt_execute(statement) != 0) return StatementError(statement);
  StatementOutcome outcome;
  if (mysql_stmt_field_count(statement) == 0) {
    outcome.affected_rows = static_cast<int64_t>(mysql_stmt_affected_rows(statement));
    return outcome;
  }
  outcome.rows = HFS_TRY(FetchRows(statement));
  return outcome;
}

}  // namespace hfs::store::internal
