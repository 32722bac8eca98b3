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
// ends the credentials). TLS parameters (`-` or `_` in names): ssl-mode
// (DISABLED|PREFERRED|REQUIRED|VERIFY_CA|VERIFY_IDENTITY), ssl-ca, ssl-cert, ssl-key,
// ssl-verify-server-cert (true|false); also `socket` (a Unix socket path).
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
  kPreferred,       // use TLS when the server offers it
  kRequired,        // TLS or fail, without verifying the server certificate
  kVerifyCa,        // TLS, certificate signed by the CA
  kVerifyIdentity,  // TLS, certificate signed by the CA and naming the host
};

struct TlsOptions {
  // Unset: kDisabled, or kVerifyIdentity when a CA is given.
  std::optional<TlsMode> mode;
  std::string ca;    // CA bundle file
  std::string cert;  // client certificate file
  std::string key;   // client key file
  // Overrides the verification the mode implies.
  std::optional<bool> verify_server_cert;

  TlsMode EffectiveMode() const;
  // Whether the server certificate is verified (mode and override combined).
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
  std::string database;  // may be empty
  std::string socket;    // Unix socket path; empty for TCP
  TlsOptions tls;

  // The URL with the password replaced by "***": mysql://user:***@host:4000/db?...
  std::string Redacted() const;
};

Result<DatabaseUrl> ParseDatabaseUrl(std::string_view url);

// Decodes %XX escapes; nullopt for a malformed escape. `+` stays `+`.
std::optional<std::string> PercentDecode(std::string_view text);

}  // namespace hfs::store
