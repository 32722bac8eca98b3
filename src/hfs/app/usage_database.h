// hfs/app/usage_database.h
//
// Opens the usage store a command reads or writes: the URL given on the command line,
// else $HFS_DB_URL, else $TIDB_DB_URL, else sqlite://$HFS_HOME/usage.db, with the spill
// file of that database (store::UsageSpillPath), whose rows an earlier run could not write
// and which are written now. A database that cannot be opened is an error that names it
// (password hidden) and says how to fix it (a bad URL, or a lock another process holds);
// with UsageDbFallback::kMemory it is a warning instead and usage is kept in an in-memory
// SQLite database for this process. Also: reading the rate-limit history with a warning
// when it cannot be read, and the end-of-run words about rows that were not written.
//
//   auto usage = OpenUsageStore(io.env, {.url = args.usage_db}, io.err);
//   if (!usage) { io.err << "Error: " << usage.error().message << "\n"; return kUsage; }
//   providers.Hydrate(RecentUsageOrWarn(**usage, clock.Now() - 24h, io.err));
//   std::string line = UsageSavedLine((*usage)->Close());   // "" when every row was written
//
// Thread-compatible. OpenUsageStore fails with the database's code (kUnavailable for a
// server that cannot be reached, kInvalidArgument for a bad URL, kDeadlineExceeded for a
// SQLite file another process keeps locked).
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "hfs/base/clock.h"
#include "hfs/base/env.h"
#include "hfs/base/error.h"
#include "hfs/store/usage_store.h"

namespace hfs::app {

enum class UsageDbFallback { kFail, kMemory };

struct UsageDbChoice {
  // "" = from the environment.
  std::string url;
  UsageDbFallback fallback = UsageDbFallback::kFail;
};

// The URL that will be used, before opening.
std::string ChosenUsageDbUrl(const Env& env, const UsageDbChoice& choice);

// Writes a note to `warnings` when rows of the spill file were written, and a warning when
// they could not be (they are kept for the next start).
Result<std::unique_ptr<store::UsageStore>> OpenUsageStore(const Env& env,
                                                          const UsageDbChoice& choice,
                                                          std::ostream& warnings);

// The stored rows since `since`; when they cannot be read, a warning on `warnings` (the
// rate-limit windows then start empty) and no rows.
std::vector<store::UsageRecord> RecentUsageOrWarn(const store::UsageStore& usage, Timestamp since,
                                                  std::ostream& warnings);

// One summary line, "  usage: ...\n", when rows were spilled or lost; "" when every row
// recorded was written.
std::string UsageSavedLine(const store::UsageCloseReport& report);

}  // namespace hfs::app
