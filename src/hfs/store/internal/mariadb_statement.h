// hfs/store/internal/mariadb_statement.h
//
// The MariaDB Connector/C details of the MariaDB backend: error-number classification,
// and running one prepared statement with bound Values, collecting its rows.
//
//   MYSQL_STMT* statement = ...;                      // prepared
//   auto outcome = HFS_TRY(RunPreparedStatement(statement, {int64_t{7}}));
//   if (!outcome.rows.empty()) ...;
//
// Thread-compatible: a statement belongs to one connection, used by one thread at a time.
// RunPreparedStatement fails with MariaDbErrorCode(mysql_stmt_errno(statement)) and the
// client's message, or kInvalidArgument for a wrong number of parameters. Messages may
// quote server text; the caller removes secrets from them.
#pragma once

#include <mysql.h>

#include <cstdint>

#include "hfs/base/error.h"
#include "hfs/store/database.h"

namespace hfs::store::internal {

// The ErrorCode of a client or server error number (see hfs/store/database.h).
ErrorCode MariaDbErrorCode(unsigned error_number);
// Whether the error means the connection is gone, so a new one may succeed (client errors,
// a killed connection, MySQL 8's 4031 "disconnected for inactivity"). kUnavailable.
bool IsConnectionLost(unsigned error_number);
// Whether the server aborted the transaction and running it again may succeed (deadlock;
// TiDB's 8028 "information schema changed", 9007 "write conflict" and the other errors its
// manual says to answer by running the transaction again: 8002, 8005, 8022). kAborted.
bool IsTransactionAborted(unsigned error_number);

struct StatementOutcome {
  Rows rows;                  // empty for statements without a result set
  int64_t affected_rows = 0;  // for statements without a result set
};

Result<StatementOutcome> RunPreparedStatement(MYSQL_STMT* statement, const Params& params);

}  // namespace hfs::store::internal
