// hfs/store/sqlite_database.h
//
// OpenSqliteDatabase opens (creating when missing) a SQLite database file, creating its
// parent directories, in WAL mode with a busy timeout, so several HFS processes can share
// one usage file. ":memory:" opens a private in-memory database.
//
//   auto db = HFS_TRY(OpenSqliteDatabase(HfsHome(env) / "usage.db"));
//   HFS_TRY(db->Execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY)"));
//
// Thread-safe: one connection behind a mutex (see hfs/store/database.h). Transactions
// begin with BEGIN IMMEDIATE, so they take the write lock up front. Every statement
// outside a transaction, the set-up at open included, waits up to the busy timeout for
// another connection's lock, even where SQLite itself would give up at once.
// OpenSqliteDatabase returns kUnavailable when the file or its directory cannot be
// created or opened, kDeadlineExceeded when another connection keeps the database locked
// past the busy timeout, kDataLoss when the file is not a SQLite database, kInternal when
// the database cannot be configured.
#pragma once

#include <filesystem>
#include <memory>

#include "hfs/base/clock.h"
#include "hfs/base/error.h"
#include "hfs/store/database.h"

namespace hfs::store {

struct SqliteOptions {
  // How long a statement waits for another connection's lock before kDeadlineExceeded.
  Duration busy_timeout = std::chrono::seconds(5);
};

Result<std::unique_ptr<Database>> OpenSqliteDatabase(const std::filesystem::path& path,
                                                     SqliteOptions options = {});

}  // namespace hfs::store
