// hfs/store/database_url.h
//
// DatabaseUrl: a parsed database location.
//   sqlite:///abs/path.db    absolute path (also sqlite:////abs/path.db)
//   sqlite://relative.db     relative to the working directory
//   sqlite://:memory:        in-memory database (also sqlite:///:memory:)
//   mysql://user:pass@host:port/db?ssl-mode=VERIFY_IDENTITY&ssl-ca=/etc/ssl/certs/ca.pem
// `mariadb://`, `tidb://` and SQLAlchemy's `mysql+DRIVER://` are aliases of `mysql://`.
// The default port is 3306 (4000 for tidb://). User, password, database and parameter
// values are percent-decoded; an '@' in the password may be written raw (the last '@'
// ends the credentials). Parameters (`-` or `_` in names): ssl-mode / sslmode
// (DISABLED|PREFERRED|REQUIRED|VERIFY_CA|VERIFY_IDENTITY, as MySQL's --ssl-mode), ssl-ca,
// ssl-cert, ssl-key, ssl-verify-server-cert (MariaDB: chain and host name), PyMySQL's
// ssl_verify_cert (chain) and ssl_verify_identity (host name), each true|false; `socket`
// (a Unix socket path). They resolve to one TlsMode at parse time (see TlsOptions::mode);
// contradicting parameters are an error. Empty ssl-ca/ssl-cert/ssl-key values count as
// absent (TiDB Cloud's samples write `ssl_ca=`).
//
//   DatabaseUrl url = HFS_TRY(ParseDatabaseUrl(env.GetOr("HFS_DB_URL", "")));
//   spdlog::info("usage database: {}", url.Redacted());   // mysql://hfs:***@db:4000/hfs
//
// Thread-compatible value type. ParseDatabaseUrl returns kInvalidArgument for a bad URL;
// the message names the problem and never contains the password.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "hfs/base/error.h"
#include "hfs/store/database.h"

namespace hfs::store {

enum class TlsMode {
  kDisabled,        // never use TLS
  kPreferred,       // use TLS when the server offers it, without verifying it
  kRequired,        // TLS or fail, without verifying the server certificate
  kVerifyCa,        // TLS, certificate signed by the CA (ssl-ca)
  kVerifyIdentity,  // TLS, certificate signed by the CA and naming the host
};

// "DISABLED", "PREFERRED", "REQUIRED", "VERIFY_CA" or "VERIFY_IDENTITY".
std::string_view TlsModeName(TlsMode mode);

struct TlsOptions {
  // The mode the URL's TLS parameters resolve to; unset when the URL has none (then
  // kPreferred, and the MariaDB backend warns about a remote host).
  std::optional<TlsMode> mode;
  std::string ca;    // CA bundle file; always set for kVerifyCa
  std::string cert;  // client certificate file
  std::string key;   // client key file

  TlsMode EffectiveMode() const { return mode.value_or(TlsMode::kPreferred); }
  // kVerifyCa or kVerifyIdentity.
  bool VerifiesServerCert() const;
};

struct DatabaseUrl {
  Dialect dialect = Dialect::kSqlite;
  std::string scheme;  // as written, lower case: "sqlite", "mysql", "tidb", ...
  // SQLite: the file path, or ":memory:".
  std::string path;
  // MySQL family.
  std::string user;
  std::string password;
  std::string host;
  uint16_t port = 0;
  bool port_given = false;  // the URL names the port (then "localhost" means TCP)
  std::string database;     // may be empty
  std::string socket;       // Unix socket path; empty for TCP
  TlsOptions tls;

  // The URL with the password replaced by "***": mysql://user:***@host:4000/db?...
  // TLS parameters are shown resolved: ?ssl-mode=VERIFY_IDENTITY&ssl-ca=...
  std::string Redacted() const;
  // Whether the server is on this machine: a socket, "localhost", 127.0.0.0/8 or ::1.
  bool IsLocal() const;
};

Result<DatabaseUrl> ParseDatabaseUrl(std::string_view url);

// Decodes %XX escapes; nullopt for a malformed escape. `+` stays `+`.
std::optional<std::string> PercentDecode(std::string_view text);

}  // namespace hfs::store
