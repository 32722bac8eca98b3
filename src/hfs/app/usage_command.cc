// `hfs usage`: requests, outcomes and tokens since a time, grouped by provider, model,
// key or run, from the usage store.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "hfs/app/commands.h"
#include "hfs/app/usage_database.h"
#include "hfs/keys/duration_text.h"

namespace hfs::app {
namespace {

using nlohmann::json;

store::GroupBy GroupByFor(UsageGroup group) {
  switch (group) {
    case UsageGroup::kModel:
      return store::GroupBy::kModel;
    case UsageGroup::kKey:
      return store::GroupBy::kKey;
    case UsageGroup::kRun:
      return store::GroupBy::kRun;
    case UsageGroup::kProvider:
      break;
  }
  return store::GroupBy::kProvider;
}

// Go-style durations plus days: "24h", "90m", "7d".
std::optional<Duration> ParseSince(const std::string& text) {
  if (text.size() > 1 && text.back() == 'd') {
    std::optional<Duration> days = keys::ParseDurationText(text.substr(0, text.size() - 1));
    if (days) return *days * 86400;
    return std::nullopt;
  }
  return keys::ParseDurationText(text);
}

}  // namespace

ExitCode UsageCommand(const UsageArgs& args, CommandIo& io) {
  std::optional<Duration> since = ParseSince(args.since);
  if (!since || args.since.find_first_of("hmsd") == std::string::npos) {
    io.err << "Error: --since '" << args.since
           << "' is not a duration; use a number with a unit, such as 30m, 24h or 7d.\n";
    return ExitCode::kUsage;
  }
  Result<std::unique_ptr<store::UsageStore>> usage = OpenUsageStore(io.env, args.usage_db, io.err);
  if (!usage) {
    io.err << "Error: " << usage.error().message << "\n";
    return ExitCode::kUsage;
  }
  const Timestamp from = SystemClock().Now() - *since;
  Result<std::vector<store::UsageSummaryRow>> rows =
      (*usage)->Summarize(from, GroupByFor(args.group));
  if (!rows) {
    io.err << "Error: cannot read usage: " << rows.error().message << "\n";
    return ExitCode::kRunFailed;
  }
  if (args.mode == OutputMode::kJson) {
    json out = {{"since", args.since}, {"by", args.group_name}, {"groups", json::array()}};
    for (const store::UsageSummaryRow& row : *rows) {
      out["groups"].push_back({{"group", row.group},
                               {"requests", row.requests},
                               {"ok", row.ok},
                               {"rate_limited", row.rate_limited},
                               {"errors", row.errors},
                               {"prompt_tokens", row.prompt_tokens},
                               {"completion_tokens", row.completion_tokens},
                               {"average_latency_ms", row.average_latency_ms}});
    }
    io.out << out.dump(2) << "\n";
    return ExitCode::kOk;
  }
  if (rows->empty()) {
    io.out << "No requests in the last " << args.since << ".\n";
    return ExitCode::kOk;
  }
  io.out << fmt::format("{:<40} {:>8} {:>8} {:>8} {:>8} {:>10} {:>10} {:>9}\n", args.group_name,
                        "requests", "ok", "429", "errors", "prompt", "completion", "avg ms");
  for (const store::UsageSummaryRow& row : *rows) {
    io.out << fmt::format("{:<40} {:>8} {:>8} {:>8} {:>8} {:>10} {:>10} {:>9.1f}\n",
                          row.group.empty() ? "(none)" : row.group, row.requests, row.ok,
                          row.rate_limited, row.errors, row.prompt_tokens, row.completion_tokens,
                          row.average_latency_ms);
  }
  return ExitCode::kOk;
}

}  // namespace hfs::app
