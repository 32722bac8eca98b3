#include "hfs/store/mariadb_database.h"

#include <fmt/format.h>
#include <mysql.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include "hfs/base/try.h"
#include "hfs/store/internal/mariadb_statement.h"
#include "hfs/store/internal/serialized_database.h"

namespace hfs::store {
namespace {

// Prepared statements are kept for reuse up to this many distinct SQL texts.
constexpr size_t kStatementCacheSize = 64;

void InitLibraryOnce() {
  static std::once_flag once;
  std::call_once(once, [] { mysql_library_init(0, nullptr, nullptr); });
}

unsigned WholeSeconds(Duration duration) {
  auto seconds = std::chrono::ceil<std::chrono::seconds>(duration).count();
  return static_cast<unsigned>(std::max<int64_t>(1, seconds));
}

std::string Excerpt(std::string_view sql) {
  constexpr size_t kMax = 80;
  return sql.size() <= kMax ? std::string(sql) : fmt::format("{}...", sql.substr(0, kMax));
}

// Replaces every occurrence of `password` in `text` with "***".
std::string Scrub(std::string text, std::string_view password) {
  if (password.empty()) return text;
  for (size_t at = text.find(password); at != std::string::npos; at = text.find(password, at + 3)) {
    text.replace(at, password.size(), "***");
  }
  return text;
}

// Connector/C 3.3 has no ssl-mode: MYSQL_OPT_SSL_ENFORCE asks for TLS when the server offers
// it, MYSQL_OPT_SSL_VERIFY_SERVER_CERT verifies chain and host name (and refuses a server
// without TLS before logging in), and any CA file makes it verify the chain. So the CA is
// passed only when the mode verifies, and "TLS or fail" is checked after connecting.
void ApplyTls(MYSQL* mysql, const TlsOptions& tls) {
  TlsMode mode = tls.EffectiveMode();
  if (mode == TlsMode::kDisabled) return;
  my_bool enforce = 1;
  mysql_optionsv(mysql, MYSQL_OPT_SSL_ENFORCE, &enforce);
  if (!tls.cert.empty()) mysql_optionsv(mysql, MYSQL_OPT_SSL_CERT, tls.cert.c_str());
  if (!tls.key.empty()) mysql_optionsv(mysql, MYSQL_OPT_SSL_KEY, tls.key.c_str());
  if (tls.VerifiesServerCert() && !tls.ca.empty()) {
    mysql_optionsv(mysql, MYSQL_OPT_SSL_CA, tls.ca.c_str());
  }
  my_bool verify_identity = mode == TlsMode::kVerifyIdentity ? 1 : 0;
  mysql_optionsv(mysql, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify_identity);
}

bool IsEncrypted(MYSQL* mysql) { return mysql_get_ssl_cipher(mysql) != nullptr; }

// Called once per opened database: a server on another machine reached without any TLS
// parameter in the URL.
void WarnWhenNotSecured(MYSQL* mysql, const DatabaseUrl& url) {
  if (url.tls.mode || url.IsLocal()) return;
  if (!IsEncrypted(mysql)) {
    spdlog::warn(
        "mariadb: the connection to {} is not encrypted: the password exchange and the usage "
        "rows travel in clear text. Add ssl-mode=VERIFY_IDENTITY to the URL (with ssl-ca if "
        "the server's CA is not in the system store), or ssl-mode=DISABLED to accept this",
        url.Redacted());
  } else {
    spdlog::warn(
        "mariadb: the connection to {} uses TLS without checking the server certificate (the "
        "URL has no ssl-mode, so PREFERRED): a machine on the way could read it. Add "
        "ssl-mode=VERIFY_IDENTITY to the URL (with ssl-ca if the server's CA is not in the "
        "system store)",
        url.Redacted());
  }
}

Result<MYSQL*> Connect(const DatabaseUrl& url, const MariaDbOptions& options) {
  InitLibraryOnce();
  MYSQL* mysql = mysql_init(nullptr);
  if (mysql == nullptr) return Fail(ErrorCode::kInternal, "mariadb: mysql_init failed");
  unsigned connect_timeout = WholeSeconds(options.connect_timeout);
  unsigned read_timeout = WholeSeconds(options.read_timeout);
  unsigned write_timeout = WholeSeconds(options.write_timeout);
  mysql_optionsv(mysql, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
  mysql_optionsv(mysql, MYSQL_OPT_READ_TIMEOUT, &read_timeout);
  mysql_optionsv(mysql, MYSQL_OPT_WRITE_TIMEOUT, &write_timeout);
  mysql_optionsv(mysql, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  if (url.host == "localhost" && url.port_given && url.socket.empty()) {
    // Connector/C, like MySQL's clients, takes "localhost" to mean the Unix socket and
    // ignores the port; a URL that names a port means that TCP port.
    unsigned protocol = MYSQL_PROTOCOL_TCP;
    mysql_optionsv(mysql, MYSQL_OPT_PROTOCOL, &protocol);
  }
  ApplyTls(mysql, url.tls);
  const char* database = url.database.empty() ? nullptr : url.database.c_str();
  const char* socket = url.socket.empty() ? nullptr : url.socket.c_str();
  if (mysql_real_connect(mysql, url.host.c_str(), url.user.c_str(), url.password.c_str(), database,
                         url.port, socket, 0) == nullptr) {
    unsigned number = mysql_errno(mysql);
    std::string message = Scrub(mysql_error(mysql), url.password);
    mysql_close(mysql);
    return Fail(internal::MariaDbErrorCode(number),
                fmt::format("mariadb: cannot connect to {}: {} (error {})", url.Redacted(), message,
                            number));
  }
  if (url.tls.EffectiveMode() >= TlsMode::kRequired && !IsEncrypted(mysql)) {
    mysql_close(mysql);
    return Fail(ErrorCode::kUnavailable,
                fmt::format("mariadb: cannot connect to {}: ssl-mode={} needs TLS but the server "
                            "does not offer it; the connection was closed before any statement "
                            "(enable TLS on the server, or change ssl-mode)",
                            url.Redacted(), TlsModeName(url.tls.EffectiveMode())));
  }
  return mysql;
}

class MariaDbConnection final : public internal::Connection {
 public:
  MariaDbConnection(MYSQL* mysql, DatabaseUrl url, MariaDbOptions options)
      : mysql_(mysql), url_(std::move(url)), options_(options) {}
  ~MariaDbConnection() override { Close(); }
  MariaDbConnection(const MariaDbConnection&) = delete;
  MariaDbConnection& operator=(const MariaDbConnection&) = delete;

  Dialect dialect() const override { return Dialect::kMysql; }

  Result<int64_t> Execute(std::string_view sql, const Params& params) override {
    if (params.empty()) return WithRetry([&] { return RunText(sql); });
    return WithRetry(
        [&]() -> Result<int64_t> { return HFS_TRY(RunPrepared(sql, params)).affected_rows; });
  }

  Result<Rows> Query(std::string_view sql, const Params& params) override {
    return WithRetry(
        [&]() -> Result<Rows> { return std::move(HFS_TRY(RunPrepared(sql, params)).rows); });
  }

  Result<void> Begin() override {
    HFS_RETURN_IF_ERROR(WithRetry([&] { return RunText("START TRANSACTION"); }));
    in_transaction_ = true;
    return Ok();
  }
  Result<void> Commit() override {
    in_transaction_ = false;
    return RunText("COMMIT").map([](int64_t) {});
  }
  Result<void> Rollback() override {
    in_transaction_ = false;
    if (mysql_ == nullptr) return Ok();
    return RunText("ROLLBACK").map([](int64_t) {});
  }

 private:
  // Runs `run`; outside a transaction, runs it once more when it failed because the
  // connection is gone (on a new connection) or the server aborted it (deadlock, TiDB
  // write conflict or schema change).
  template <class Run>
  auto WithRetry(Run run) -> decltype(run()) {
    if (mysql_ == nullptr) HFS_RETURN_IF_ERROR(Reconnect());  // an earlier reconnect failed
    auto result = run();
    if (result || in_transaction_) return result;
    if (internal::IsConnectionLost(last_error_number_)) {
      spdlog::warn("mariadb: lost the connection to {}; reconnecting", url_.Redacted());
      HFS_RETURN_IF_ERROR(Reconnect());
    } else if (internal::IsTransactionAborted(last_error_number_)) {
      spdlog::debug("mariadb: {}; running the statement again", result.error().message);
    } else {
      return result;
    }
    return run();
  }

  Result<void> Reconnect() {
    Close();
    mysql_ = HFS_TRY(Connect(url_, options_));
    return Ok();
  }

  void Close() {
    for (auto& [sql, statement] : cache_) mysql_stmt_close(statement);
    cache_.clear();
    if (mysql_ != nullptr) mysql_close(mysql_);
    mysql_ = nullptr;
  }

  tl::unexpected<Error> Failure(unsigned number, std::string_view message, std::string_view sql) {
    last_error_number_ = number;
    return Fail(internal::MariaDbErrorCode(number),
                Scrub(fmt::format("mariadb: {} (error {}) (in: {})", message, number, Excerpt(sql)),
                      url_.password));
  }

  // A statement without parameters, over the text protocol; any rows are discarded.
  Result<int64_t> RunText(std::string_view sql) {
    if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) {
      return Failure(mysql_errno(mysql_), mysql_error(mysql_), sql);
    }
    if (MYSQL_RES* result = mysql_store_result(mysql_); result != nullptr) {
      mysql_free_result(result);
    } else if (mysql_field_count(mysql_) != 0) {
      return Failure(mysql_errno(mysql_), mysql_error(mysql_), sql);
    }
    last_error_number_ = 0;
    my_ulonglong affected = mysql_affected_rows(mysql_);
    return affected == static_cast<my_ulonglong>(-1) ? 0 : static_cast<int64_t>(affected);
  }

  Result<internal::StatementOutcome> RunPrepared(std::string_view sql, const Params& params) {
    MYSQL_STMT* statement = HFS_TRY(Prepared(sql));
    auto outcome = internal::RunPreparedStatement(statement, params);
    if (!outcome) {
      last_error_number_ = mysql_stmt_errno(statement);
      Error error = std::move(outcome).error();
      error.message = Scrub(fmt::format("{} (in: {})", error.message, Excerpt(sql)), url_.password);
      return Fail(std::move(error));
    }
    last_error_number_ = 0;
    return outcome;
  }

  Result<MYSQL_STMT*> Prepared(std::string_view sql) {
    std::string key(sql);
    if (auto found = cache_.find(key); found != cache_.end()) return found->second;
    MYSQL_STMT* statement = mysql_stmt_init(mysql_);
    if (statement == nullptr) return Failure(mysql_errno(mysql_), mysql_error(mysql_), sql);
    if (mysql_stmt_prepare(statement, key.data(), key.size()) != 0) {
      auto failure = Failure(mysql_stmt_errno(statement), mysql_stmt_error(statement), sql);
      mysql_stmt_close(statement);
      return failure;
    }
    if (cache_.size() >= kStatementCacheSize) {
      for (auto& [cached_sql, cached] : cache_) mysql_stmt_close(cached);
      cache_.clear();
    }
    cache_.emplace(std::move(key), statement);
    return statement;
  }

  MYSQL* mysql_;  // null after a failed reconnect
  const DatabaseUrl url_;
  const MariaDbOptions options_;
  std::unordered_map<std::string, MYSQL_STMT*> cache_;
  bool in_transaction_ = false;
  unsigned last_error_number_ = 0;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenMariaDbDatabase(const DatabaseUrl& url,
                                                      MariaDbOptions options) {
  if (url.dialect != Dialect::kMysql) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("mariadb: not a mysql:// URL: {}", url.Redacted()));
  }
  MYSQL* mysql = HFS_TRY(Connect(url, options));
  WarnWhenNotSecured(mysql, url);
  auto connection = std::make_unique<MariaDbConnection>(mysql, url, options);
  return std::make_unique<internal::SerializedDatabase>(std::move(connection));
}

}  // namespace hfs::store
