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

Result<std::unique_ptr<store::UsageStore>> Open(const Env& env, const std::string& url) {
  store::DatabaseUrl parsed = HFS_TRY(store::ParseDatabaseUrl(url));
  std::unique_ptr<store::Database> database = HFS_TRY(store::OpenDatabase(parsed));
  return store::UsageStore::Open(std::move(database),
                                 {.spill_path = store::UsageSpillPath(parsed, env)});
}

// How to get past an error opening the usage database.
std::string Hint(const Error& error) {
  if (error.code == ErrorCode::kDeadlineExceeded) {
    return "Another process keeps the database locked (another hfs run in a long "
           "transaction, or a sqlite3 shell with a transaction open): wait for it and run "
           "again, or pass --usage-db-optional to keep usage in memory for this run.";
  }
  return "Fix the URL (--usage-db, HFS_DB_URL or TIDB_DB_URL), or pass "
         "--usage-db-optional to keep usage in memory for this run.";
}

void ReportReplay(const store::UsageStore& usage, std::ostream& warnings) {
  if (usage.rows_replayed() > 0) {
    warnings << fmt::format(
        "Note: wrote {} usage rows that an earlier run saved in {} when the database was "
        "unreachable.\n",
        usage.rows_replayed(), usage.spill_path().string());
  }
  if (usage.replay_error()) {
    warnings << fmt::format(
        "Warning: the usage rows saved in {} cannot be written to the database yet ({}); "
        "they are kept for the next start.\n",
        usage.spill_path().string(), usage.replay_error()->message);
  }
}

}  // namespace

std::string ChosenUsageDbUrl(const Env& env, const UsageDbChoice& choice) {
  return choice.url.empty() ? store::UsageDatabaseUrl(env) : choice.url;
}

Result<std::unique_ptr<store::UsageStore>> OpenUsageStore(const Env& env,
                                                          const UsageDbChoice& choice,
                                                          std::ostream& warnings) {
  const std::string url = ChosenUsageDbUrl(env, choice);
  Result<std::unique_ptr<store::UsageStore>> usage = Open(env, url);
  if (usage) {
    ReportReplay(**usage, warnings);
    return usage;
  }
  const std::string problem =
      fmt::format("the usage database {} cannot be used: {}", Redacted(url), usage.error().message);
  if (choice.fallback == UsageDbFallback::kFail) {
    return Fail(usage.error().code, problem + "\n" + Hint(usage.error()));
  }
  warnings << "Warning: " << problem << "; usage is kept in memory for this run only.\n";
  return Open(env, kMemoryUrl);
}

std::vector<store::UsageRecord> RecentUsageOrWarn(const store::UsageStore& usage, Timestamp since,
                                                  std::ostream& warnings) {
  Result<std::vector<store::UsageRecord>> recent = usage.Recent(since);
  if (recent) return std::move(*recent);
  warnings << "Warning: cannot read the recent usage from the database (" << recent.error().message
           << "); the keys' rate-limit windows start empty, so this run may send more requests "
              "than a provider allows.\n";
  return {};
}

std::string UsageSavedLine(const store::UsageCloseReport& report) {
  if (report.spilled == 0 && report.unsaved == 0) return "";
  std::string line = fmt::format("  usage: {} of {} rows written to the database", report.written,
                                 report.recorded);
  if (report.spilled > 0) {
    line += fmt::format("; {} saved to {} (written at the next start)", report.spilled,
                        report.spill_path.string());
  }
  if (report.unsaved > 0) line += fmt::format("; {} LOST", report.unsaved);
  if (report.error) line += fmt::format(" - {}", report.error->message);
  return line + "\n";
}

}  // namespace hfs::app
