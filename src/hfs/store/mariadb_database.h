// hfs/store/mariadb_database.h
//
// OpenMariaDbDatabase connects to a MariaDB, MySQL or TiDB server (MariaDB Connector/C,
// server-side prepared statements, utf8mb4). TLS follows the URL's ssl-* parameters:
// DISABLED (the default without ssl-ca) uses no TLS; PREFERRED uses TLS when the server
// offers it and ssl-ca/ssl-cert/ssl-key is given; REQUIRED insists on TLS; VERIFY_CA and
// VERIFY_IDENTITY (the default with ssl-ca) also verify the server certificate, host name
// included (Connector/C checks both together). ssl-verify-server-cert overrides the check.
//
//   DatabaseUrl url = HFS_TRY(ParseDatabaseUrl(
//       "tidb://u:p@gateway01.eu-central-1.prod.aws.tidbcloud.com/hfs"
//       "?ssl-ca=/etc/ssl/certs/ca-certificates.crt"));
//   std::unique_ptr<Database> db = HFS_TRY(OpenMariaDbDatabase(url));
//
// Thread-safe: one connection behind a mutex (see hfs/store/database.h). When the
// connection is lost (server restart, idle timeout), a statement outside a transaction is
// retried once on a new connection, so such statements should be idempotent (the usage
// store's INSERT IGNORE is); inside a transaction the error is returned (kUnavailable) and
// the next statement or transaction reconnects.
// OpenMariaDbDatabase returns kInvalidArgument for a URL that is not mysql://,
// kUnavailable when the server cannot be reached, kUnauthenticated for wrong credentials,
// kNotFound for an unknown database, kPermissionDenied when the user may not use it.
// Messages show the URL redacted and never the password.
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
