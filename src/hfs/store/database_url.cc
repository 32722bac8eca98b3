#include "hfs/store/database_url.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <utility>
#include <vector>

#include "hfs/base/text.h"
#include "hfs/base/try.h"

namespace hfs::store {
namespace {

constexpr std::string_view kMysqlExample = "mysql://user:password@host:port/database";

// Messages name the problem only: any part of a malformed URL might hold the password.
tl::unexpected<Error> BadUrl(std::string_view problem) {
  return Fail(ErrorCode::kInvalidArgument, fmt::format("invalid database URL: {}", problem));
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<Dialect> DialectOfScheme(std::string_view scheme) {
  if (scheme == "sqlite" || scheme == "sqlite3") return Dialect::kSqlite;
  std::string_view base = scheme.substr(0, scheme.find('+'));  // mysql+pymysql
  if (base == "mysql" || base == "mariadb" || base == "tidb") return Dialect::kMysql;
  return std::nullopt;
}

Result<DatabaseUrl> ParseSqlite(std::string scheme, std::string_view rest) {
  DatabaseUrl url{.dialect = Dialect::kSqlite, .scheme = std::move(scheme)};
  if (rest.find('?') != std::string_view::npos) {
    return BadUrl("sqlite URLs take no parameters");
  }
  if (rest == "/:memory:") rest = ":memory:";
  // sqlite:////abs is SQLAlchemy's spelling of an absolute path.
  if (rest.starts_with("//")) rest.remove_prefix(1);
  if (rest.empty() || rest == "/") return BadUrl("sqlite URL has no path (sqlite:///abs/file.db)");
  url.path = std::string(rest);
  return url;
}

Result<bool> ParseBool(std::string_view name, std::string_view text) {
  std::string lower = AsciiLower(text);
  if (lower == "true" || lower == "1" || lower == "yes" || lower == "on") return true;
  if (lower == "false" || lower == "0" || lower == "no" || lower == "off") return false;
  return BadUrl(fmt::format("parameter '{}' must be true or false", name));
}

Result<TlsMode> ParseTlsMode(std::string_view text) {
  std::string mode = AsciiLower(text);
  std::replace(mode.begin(), mode.end(), '-', '_');
  if (mode == "disabled") return TlsMode::kDisabled;
  if (mode == "preferred") return TlsMode::kPreferred;
  if (mode == "required") return TlsMode::kRequired;
  if (mode == "verify_ca") return TlsMode::kVerifyCa;
  if (mode == "verify_identity") return TlsMode::kVerifyIdentity;
  return BadUrl(
      "ssl-mode must be one of DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY");
}

// The TLS parameters as written, before they resolve to one mode.
struct TlsParameters {
  std::optional<TlsMode> mode;
  std::optional<bool> verify_server_cert;  // MariaDB: chain and host name
  std::optional<bool> verify_cert;         // PyMySQL: chain
  std::optional<bool> verify_identity;     // PyMySQL: host name
};

Result<void> ApplyParameter(std::string_view raw_name, std::string value, DatabaseUrl& url,
                            TlsParameters& tls) {
  std::string name = AsciiLower(raw_name);
  std::replace(name.begin(), name.end(), '_', '-');
  if (name == "ssl-mode" || name == "sslmode") {
    tls.mode = HFS_TRY(ParseTlsMode(value));
  } else if (name == "ssl-ca") {
    url.tls.ca = std::move(value);
  } else if (name == "ssl-cert") {
    url.tls.cert = std::move(value);
  } else if (name == "ssl-key") {
    url.tls.key = std::move(value);
  } else if (name == "ssl-verify-server-cert") {
    tls.verify_server_cert = HFS_TRY(ParseBool(name, value));
  } else if (name == "ssl-verify-cert") {
    tls.verify_cert = HFS_TRY(ParseBool(name, value));
  } else if (name == "ssl-verify-identity") {
    tls.verify_identity = HFS_TRY(ParseBool(name, value));
  } else if (name == "socket") {
    url.socket = std::move(value);
  } else {
    return BadUrl(
        fmt::format("unknown parameter '{}' (known: ssl-mode, ssl-ca, ssl-cert, ssl-key, "
                    "ssl-verify-server-cert, ssl_verify_cert, ssl_verify_identity, socket)",
                    name));
  }
  return Ok();
}

// The verification the ssl-verify-* flags allow, as a range of modes [lowest, highest].
struct VerifyRange {
  TlsMode lowest = TlsMode::kRequired;
  TlsMode highest = TlsMode::kVerifyIdentity;

  void AtLeast(TlsMode mode) { lowest = std::max(lowest, mode); }
  void AtMost(TlsMode mode) { highest = std::min(highest, mode); }
};

VerifyRange RangeOfFlags(const TlsParameters& tls) {
  VerifyRange range;
  if (tls.verify_server_cert == true) range.AtLeast(TlsMode::kVerifyIdentity);
  if (tls.verify_server_cert == false) range.AtMost(TlsMode::kRequired);
  if (tls.verify_cert == true) range.AtLeast(TlsMode::kVerifyCa);
  if (tls.verify_cert == false) range.AtMost(TlsMode::kRequired);
  if (tls.verify_identity == true) range.AtLeast(TlsMode::kVerifyIdentity);
  if (tls.verify_identity == false) range.AtMost(TlsMode::kVerifyCa);
  return range;
}

// Resolves the TLS parameters to url.tls.mode (left unset when there are none).
Result<void> ResolveTls(const TlsParameters& tls, DatabaseUrl& url) {
  bool flags = tls.verify_server_cert || tls.verify_cert || tls.verify_identity;
  bool files = !url.tls.ca.empty() || !url.tls.cert.empty() || !url.tls.key.empty();
  if (!tls.mode && !flags && !files) return Ok();
  VerifyRange range = RangeOfFlags(tls);
  if (range.lowest > range.highest) {
    return BadUrl(
        "ssl-verify-server-cert, ssl_verify_cert and ssl_verify_identity contradict each other");
  }
  TlsMode mode;
  if (tls.mode) {
    mode = *tls.mode;
    TlsMode level = std::max(mode, TlsMode::kRequired);  // DISABLED, PREFERRED: no checks
    if (flags && (level < range.lowest || level > range.highest)) {
      return BadUrl(
          fmt::format("ssl-mode={} contradicts the ssl-verify parameters", TlsModeName(mode)));
    }
  } else if (range.lowest > TlsMode::kRequired || url.tls.ca.empty()) {
    mode = range.lowest;  // the least verification asked for: TLS is required at least
  } else {
    mode = range.highest;  // a CA is given: verify as far as the flags allow
  }
  if (mode == TlsMode::kVerifyCa && url.tls.ca.empty()) {
    return BadUrl(
        "VERIFY_CA (or ssl_verify_cert=true alone) needs ssl-ca, the CA file to check the "
        "server against; add ssl-ca=/etc/ssl/certs/ca-certificates.crt, or verify the host "
        "name too (ssl-mode=VERIFY_IDENTITY or ssl_verify_identity=true), which uses the "
        "system CA store");
  }
  url.tls.mode = mode;
  return Ok();
}

Result<void> ParseQuery(std::string_view query, DatabaseUrl& url) {
  TlsParameters tls;
  while (!query.empty()) {
    size_t end = std::min(query.find('&'), query.size());
    std::string_view pair = query.substr(0, end);
    query.remove_prefix(std::min(end + 1, query.size()));
    if (pair.empty()) continue;
    size_t equals = pair.find('=');
    std::string_view name = pair.substr(0, equals);
    std::string_view raw_value = equals == std::string_view::npos ? "" : pair.substr(equals + 1);
    std::optional<std::string> value = PercentDecode(raw_value);
    if (!value) return BadUrl(fmt::format("bad percent escape in parameter '{}'", name));
    HFS_RETURN_IF_ERROR(ApplyParameter(name, std::move(*value), url, tls));
  }
  return ResolveTls(tls, url);
}

Result<void> ParseCredentials(std::string_view userinfo, DatabaseUrl& url) {
  size_t colon = userinfo.find(':');
  std::optional<std::string> user = PercentDecode(userinfo.substr(0, colon));
  if (!user) return BadUrl("bad percent escape in the user name");
  if (user->empty()) return BadUrl(fmt::format("missing user name ({})", kMysqlExample));
  url.user = std::move(*user);
  if (colon == std::string_view::npos) return Ok();
  std::optional<std::string> password = PercentDecode(userinfo.substr(colon + 1));
  if (!password) return BadUrl("bad percent escape in the password");
  url.password = std::move(*password);
  return Ok();
}

Result<void> ParseHostPort(std::string_view hostport, DatabaseUrl& url) {
  std::string_view port_text;
  if (hostport.starts_with('[')) {  // [::1]:3306
    size_t close = hostport.find(']');
    if (close == std::string_view::npos) return BadUrl("unclosed '[' in the host");
    url.host = std::string(hostport.substr(1, close - 1));
    std::string_view after = hostport.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) return BadUrl("unexpected text after the host");
    if (!after.empty()) port_text = after.substr(1);
  } else {
    size_t colon = hostport.rfind(':');
    url.host = std::string(hostport.substr(0, colon));
    if (colon != std::string_view::npos) port_text = hostport.substr(colon + 1);
  }
  if (url.host.empty()) return BadUrl(fmt::format("missing host ({})", kMysqlExample));
  if (port_text.empty()) return Ok();
  unsigned port = 0;
  auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (error != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
      port > 65535) {
    return BadUrl("the port must be a number from 1 to 65535");
  }
  url.port = static_cast<uint16_t>(port);
  url.port_given = true;
  return Ok();
}

Result<DatabaseUrl> ParseMysql(std::string scheme, std::string_view rest) {
  DatabaseUrl url{.dialect = Dialect::kMysql, .scheme = std::move(scheme)};
  url.port = url.scheme == "tidb" ? 4000 : 3306;
  size_t at = rest.rfind('@');
  if (at == std::string_view::npos) {
    return BadUrl(fmt::format("missing user name ({})", kMysqlExample));
  }
  HFS_RETURN_IF_ERROR(ParseCredentials(rest.substr(0, at), url));
  rest.remove_prefix(at + 1);
  size_t query_start = std::min(rest.find('?'), rest.size());
  std::string_view query = rest.substr(std::min(query_start + 1, rest.size()));
  rest = rest.substr(0, query_start);
  size_t slash = std::min(rest.find('/'), rest.size());
  HFS_RETURN_IF_ERROR(ParseHostPort(rest.substr(0, slash), url));
  std::string_view database = rest.substr(std::min(slash + 1, rest.size()));
  if (database.find('/') != std::string_view::npos) {
    return BadUrl("the database name must not contain '/'");
  }
  std::optional<std::string> decoded = PercentDecode(database);
  if (!decoded) return BadUrl("bad percent escape in the database name");
  url.database = std::move(*decoded);
  HFS_RETURN_IF_ERROR(ParseQuery(query, url));
  return url;
}

}  // namespace

std::string_view TlsModeName(TlsMode mode) {
  static constexpr std::array<std::string_view, 5> kNames = {"DISABLED", "PREFERRED", "REQUIRED",
                                                             "VERIFY_CA", "VERIFY_IDENTITY"};
  return kNames[static_cast<size_t>(mode)];
}

bool TlsOptions::VerifiesServerCert() const {
  TlsMode effective = EffectiveMode();
  return effective == TlsMode::kVerifyCa || effective == TlsMode::kVerifyIdentity;
}

std::optional<std::string> PercentDecode(std::string_view text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      decoded.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    int high = HexDigit(text[i + 1]);
    int low = HexDigit(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    decoded.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return decoded;
}

Result<DatabaseUrl> ParseDatabaseUrl(std::string_view text) {
  size_t separator = text.find("://");
  if (text.empty() || separator == std::string_view::npos) {
    return BadUrl("expected sqlite://PATH or mysql://user:password@host:port/database");
  }
  std::string scheme = AsciiLower(text.substr(0, separator));
  std::optional<Dialect> dialect = DialectOfScheme(scheme);
  if (!dialect) {
    return BadUrl(fmt::format("unknown scheme '{}' (use sqlite, mysql, mariadb or tidb)",
                              scheme.substr(0, 32)));
  }
  std::string_view rest = text.substr(separator + 3);
  if (*dialect == Dialect::kSqlite) return ParseSqlite(std::move(scheme), rest);
  return ParseMysql(std::move(scheme), rest);
}

std::string DatabaseUrl::Redacted() const {
  if (dialect == Dialect::kSqlite) return fmt::format("{}://{}", scheme, path);
  std::string credentials = password.empty() ? user : user + ":***";
  bool ipv6 = host.find(':') != std::string::npos;
  std::string text = fmt::format("{}://{}@{}{}{}:{}/{}", scheme, credentials, ipv6 ? "[" : "", host,
                                 ipv6 ? "]" : "", port, database);
  std::vector<std::string> parameters;
  if (tls.mode) parameters.push_back(fmt::format("ssl-mode={}", TlsModeName(*tls.mode)));
  if (!tls.ca.empty()) parameters.push_back("ssl-ca=" + tls.ca);
  if (!tls.cert.empty()) parameters.push_back("ssl-cert=" + tls.cert);
  if (!tls.key.empty()) parameters.push_back("ssl-key=" + tls.key);
  if (!socket.empty()) parameters.push_back("socket=" + socket);
  if (!parameters.empty()) text += fmt::format("?{}", fmt::join(parameters, "&"));
  return text;
}

bool DatabaseUrl::IsLocal() const {
  bool ipv4_loopback =
      host.starts_with("127.") && std::all_of(host.begin(), host.end(), [](char c) {
        return c == '.' || std::isdigit(static_cast<unsigned char>(c));
      });
  return !socket.empty() || host == "localhost" || host == "::1" || ipv4_loopback;
}

}  // namespace hfs::store
