// hfs/app/usage_database.h
//
// Opens the usage store a command reads or writes: the URL given on the command line,
// else $HFS_DB_URL, else $TIDB_DB_URL, else sqlite://$HFS_HOME/usage.db. A database that
// cannot be opened is an error that names it (password hidden) and says how to fix it;
// with UsageDbFallback::kMemory it is a warning instead and usage is kept in an
// in-memory SQLite database for this process.
//
//   auto usage = OpenUsageStore(io.env, {.url = args.usage_db}, io.err);
//   if (!usage) { io.err << "Error: " << usage.error().message << "\n"; return kUsage; }
//
// Thread-compatible. Fails with the database's code (kUnavailable for a server that
// cannot be reached, kInvalidArgument for a bad URL).
#pragma once

#include <memory>
#include <ostream>
#include <string>

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

Result<std::unique_ptr<store::UsageStore>> OpenUsageStore(const Env& env,
                                                          const UsageDbChoice& choice,
                                                          std::ostream& warnings);

}  // namespace hfs::app
