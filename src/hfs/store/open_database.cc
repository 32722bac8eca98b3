#include "hfs/store/open_database.h"

#include <fmt/format.h>

#include <cctype>

#include "hfs/base/try.h"
#include "hfs/store/mariadb_database.h"
#include "hfs/store/sqlite_database.h"

namespace hfs::store {

Result<std::unique_ptr<Database>> OpenDatabase(std::string_view url) {
  DatabaseUrl parsed = HFS_TRY(ParseDatabaseUrl(url));
  return OpenDatabase(parsed);
}

Result<std::unique_ptr<Database>> OpenDatabase(const DatabaseUrl& url) {
  if (url.dialect == Dialect::kSqlite) return OpenSqliteDatabase(url.path);
  return OpenMariaDbDatabase(url);
}

std::string UsageDatabaseUrl(const Env& env) {
  std::string url = env.GetOr("HFS_DB_URL", "");
  if (url.empty()) url = env.GetOr("TIDB_DB_URL", "");
  if (url.empty()) url = "sqlite://" + (HfsHome(env) / "usage.db").string();
  return url;
}

std::filesystem::path UsageSpillPath(const DatabaseUrl& url, const Env& env) {
  if (url.dialect == Dialect::kSqlite) {
    if (url.path == ":memory:") return {};
    return std::filesystem::path(url.path + ".spill.jsonl");
  }
  std::string where = url.socket.empty() ? fmt::format("{}-{}", url.host, url.port) : url.socket;
  std::string name = fmt::format("{}@{}-{}", url.user, where, url.database);
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '@' && c != '-' && c != '.') c = '_';
  }
  return HfsHome(env) / "usage-spill" / (name + ".jsonl");
}

}  // namespace hfs::store
