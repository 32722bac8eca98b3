// hfs/store/mariadb_database.h
//
// OpenMariaDbDatabase connects to a MariaDB, MySQL or TiDB server (MariaDB Connector/C,
// server-side prepared statements, utf8mb4). TLS follows the URL's resolved TlsMode, with
// the meanings of MySQL's --ssl-mode: DISABLED uses no TLS; PREFERRED (the default when the
// URL has no TLS parameter) uses TLS when the server offers it, unverified; REQUIRED fails
// when the server offers no TLS and does not verify the certificate; VERIFY_CA also checks
// the chain against ssl-ca; VERIFY_IDENTITY also checks the host name (against the system
// CA store when there is no ssl-ca). A server on another machine reached without any TLS
// parameter gets one warning per opened database. "localhost" with a port in the URL is a
// TCP connection to that port (without one, the default Unix socket, as MySQL clients do).
//
//   DatabaseUrl url = HFS_TRY(ParseDatabaseUrl(
//       "tidb://u:p@gateway01.eu-central-1.prod.aws.tidbcloud.com/hfs"
//       "?ssl-mode=VERIFY_IDENTITY"));
//   std::unique_ptr<Database> db = HFS_TRY(OpenMariaDbDatabase(url));
//
// Thread-safe: one connection behind a mutex (see hfs/store/database.h). Outside a
// transaction, a statement is run once more when the connection was lost (server restart,
// idle timeout, MySQL's 4031), on a new connection, or when the server aborted it (deadlock,
// TiDB's 8028 and 9007), so such statements should be idempotent (the usage store's INSERT
// IGNORE is). Inside a transaction the error is returned (kUnavailable for a lost
// connection, kAborted for an aborted transaction: run the transaction again) and the next
// statement or transaction reconnects when needed.
// OpenMariaDbDatabase returns kInvalidArgument for a URL that is not mysql://,
// kUnavailable when the server cannot be reached, refuses TLS verification, or offers no
// TLS under REQUIRED or stricter, kUnauthenticated for wrong credentials, kNotFound for an
// unknown database, kPermissionDenied when the user may not use it. Messages and warnings
// show the URL redacted and never the password.
#pragma once

#include <memory>

#include "hfs/base/clock.h"
#include "hfs/base/error.h"
#include "hfs/store/database.h"
#include "hfs/store/database_url.h"

namespace hfs::store {

struct MariaDbOptions {
  Duration connect_timeout = std::chrono::seconds(10);
  // Per network read or write of a statement.
  Duration read_timeout = std::chrono::seconds(30);
  Duration write_timeout = std::chrono::seconds(30);
};

Result<std::unique_ptr<Database>> OpenMariaDbDatabase(const DatabaseUrl& url,
                                                      MariaDbOptions options = {});

}  // namespace hfs::store
