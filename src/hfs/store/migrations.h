// hfs/store/migrations.h
//
// Schema migrations: a `schema_version` table records which numbered migrations a
// database has, and ApplyMigrations brings it up to date, oldest first. Each migration
// runs in its own transaction together with its version row and uses IF NOT EXISTS, so
// applying twice, or from two processes at once, is harmless (MySQL commits DDL on its
// own; the IF NOT EXISTS forms make a repeat a no-op there too).
//
//   std::unique_ptr<Database> db = HFS_TRY(OpenDatabase(url));
//   int version = HFS_TRY(ApplyMigrations(*db, StoreMigrations()));
//
// Thread-safe as the Database is. ApplyMigrations returns the database's error with the
// migration named, or kFailedPrecondition when the database has a newer schema than the
// migrations know (it was written by a newer HFS). SchemaVersion returns 0 for a database
// without schema_version, or the database's error.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/base/error.h"
#include "hfs/store/database.h"

namespace hfs::store {

struct Migration {
  int version = 0;  // 1, 2, 3, ... without gaps
  std::string_view name;
  // The statements of this migration for a dialect, run in order.
  std::vector<std::string> (*statements)(Dialect dialect) = nullptr;
};

// The store's migrations. 1: table `usage` (one row per provider request) with indexes
// on (time) and (provider, time). 2: table `spans` (one row per finished span, primary
// key (trace_id, span_id)) with indexes on (run_id) and (start_unix_nano).
std::span<const Migration> StoreMigrations();

// Returns the schema version after applying every migration above the current one.
Result<int> ApplyMigrations(Database& db, std::span<const Migration> migrations);

Result<int> SchemaVersion(Database& db);

}  // namespace hfs::store
