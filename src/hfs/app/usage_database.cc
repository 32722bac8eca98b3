#include "hfs/app/usage_database.h"

#include <fmt/format.h>

#include "hfs/base/try.h"
#include "hfs/store/open_database.h"

namespace hfs::app {
namespace {

constexpr char kMemoryUrl[] = "sqlite://:memory:";

std::string Redacted(const std::string& url) {
  Result<store::DatabaseUrl> parsed = store::ParseDatabaseUrl(url);
  return parsed ? parsed->Redacted() : "(an unreadable database URL)";
}

Result<std::unique_ptr<store::UsageStore>> Open(const std::string& url) {
  std::unique_ptr<store::Database> database = HFS_TRY(store::OpenDatabase(url));
  return store::UsageStore::Open(std::move(database));
}

}  // namespace

std::string ChosenUsageDbUrl(const Env& env, const UsageDbChoice& choice) {
  return choice.url.empty() ? store::UsageDatabaseUrl(env) : choice.url;
}

Result<std::unique_ptr<store::UsageStore>> OpenUsageStore(const Env& env,
                                                          const UsageDbChoice& choice,
                                                          std::ostream& warnings) {
  const std::string url = ChosenUsageDbUrl(env, choice);
  Result<std::unique_ptr<store::UsageStore>> usage = Open(url);
  if (usage) return usage;
  const std::string problem =
      fmt::format("the usage database {} cannot be used: {}", Redacted(url), usage.error().message);
  if (choice.fallback == UsageDbFallback::kFail) {
    return Fail(usage.error().code,
                problem +
                    "\nFix the URL (--usage-db, HFS_DB_URL or TIDB_DB_URL), or pass "
                    "--usage-db-optional to keep usage in memory for this run.");
  }
  warnings << "Warning: " << problem << "; usage is kept in memory for this run only.\n";
  return Open(kMemoryUrl);
}

}  // namespace hfs::app
