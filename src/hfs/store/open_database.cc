#include "hfs/store/open_database.h"

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

}  // namespace hfs::store
