// hfs/store/open_database.h
//
// OpenDatabase opens the backend a URL names (SQLite or MariaDB/MySQL/TiDB; see
// hfs/store/database_url.h), UsageDatabaseUrl picks the usage database of a run from the
// environment, and UsageSpillPath names the spill file of a usage database.
//
//   std::string url = UsageDatabaseUrl(env);        // HFS_DB_URL, TIDB_DB_URL or SQLite
//   std::unique_ptr<Database> db = HFS_TRY(OpenDatabase(url));
//   spdlog::info("usage database: {}", HFS_TRY(ParseDatabaseUrl(url)).Redacted());
//   auto spill = UsageSpillPath(HFS_TRY(ParseDatabaseUrl(url)), env);
//
// Thread-safe free functions. OpenDatabase returns kInvalidArgument for a bad URL and
// otherwise the backend's error (OpenSqliteDatabase, OpenMariaDbDatabase); messages never
// contain the password.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "hfs/base/env.h"
#include "hfs/base/error.h"
#include "hfs/store/database.h"
#include "hfs/store/database_url.h"

namespace hfs::store {

Result<std::unique_ptr<Database>> OpenDatabase(std::string_view url);
Result<std::unique_ptr<Database>> OpenDatabase(const DatabaseUrl& url);

// $HFS_DB_URL, else $TIDB_DB_URL (the original system's variable), else
// sqlite://$HFS_HOME/usage.db (HFS_HOME defaults to ~/.hfs). Empty variables are unset.
std::string UsageDatabaseUrl(const Env& env);

// Where the usage rows that cannot be written to the database at `url` are kept
// (hfs/store/usage_spill.h): `<file>.spill.jsonl` beside a SQLite file;
// $HFS_HOME/usage-spill/<user>@<host>-<port>-<database>.jsonl for a server (no password);
// empty for an in-memory database, which has none.
std::filesystem::path UsageSpillPath(const DatabaseUrl& url, const Env& env);

}  // namespace hfs::store
