// `hfs keys`: per provider, the keys found (by id), their quota scopes and state, and
// the use of each rate window against its limit, rebuilt from the last 24 h of usage;
// also what key discovery warns about (as `hfs run` shows it) and keys refused.
#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>

#include "hfs/app/commands.h"
#include "hfs/app/usage_database.h"
#include "hfs/base/try.h"
#include "hfs/config/limit_tables.h"
#include "hfs/config/load.h"
#include "hfs/keys/key_pool.h"
#include "hfs/llm/usage_rows.h"

namespace hfs::app {
namespace {

using nlohmann::json;

std::string WindowName(Duration window) {
  const int64_t seconds = std::chrono::duration_cast<std::chrono::seconds>(window).count();
  if (seconds % 86400 == 0) return fmt::format("{}d", seconds / 86400);
  if (seconds % 3600 == 0) return fmt::format("{}h", seconds / 3600);
  if (seconds % 60 == 0) return fmt::format("{}m", seconds / 60);
  return fmt::format("{}s", seconds);
}

Result<std::vector<llm::ProviderOptions>> Providers(const std::string& config_path) {
  if (!config_path.empty()) return HFS_TRY(config::LoadConfig(config_path)).providers;
  std::vector<llm::ProviderOptions> providers = llm::BuiltinProviders();
  for (llm::ProviderOptions& provider : providers) {
    provider.limits = HFS_TRY(config::BuiltinLimitTable(provider.name));
  }
  return providers;
}

// The key's state from the pool and its latest stored request.
std::string KeyState(const keys::KeyStatus& key, const store::UsageRecord* last,
                     const std::vector<keys::BucketStatus>& buckets, Timestamp now) {
  // The provider's word on the key itself, whatever status code carried it.
  if (last != nullptr && (last->status == "unauthorized" || last->status == "no_credit")) {
    const char* state = last->status == "unauthorized" ? "rejected" : "no credit";
    return last->http_status > 0 ? fmt::format("{} ({})", state, last->http_status) : state;
  }
  for (const keys::BucketStatus& bucket : buckets) {
    if (bucket.scope != key.scope) continue;
    if (bucket.cooldown_until > now) return "cooling down";
    for (const auto& [rule, used] : bucket.usage) {
      if (used >= rule.limit) return "full";
    }
  }
  if (last != nullptr && last->status == "rate_limited" &&
      now - last->time < std::chrono::minutes(1)) {
    return "rate limited";
  }
  return "ok";
}

json ProviderJson(const llm::ProviderOptions& provider, keys::KeyPool& pool,
                  const std::vector<store::UsageRecord>& rows, Timestamp now) {
  std::map<std::string, const store::UsageRecord*> last;
  std::map<std::string, int64_t> requests;
  for (const store::UsageRecord& row : rows) {
    if (row.provider != provider.name) continue;
    last[row.key_id] = &row;
    ++requests[row.key_id];
  }
  std::vector<keys::BucketStatus> buckets = pool.Buckets();
  json out = {{"name", provider.name}, {"keys", json::array()}, {"windows", json::array()}};
  for (const keys::KeyStatus& key : pool.Keys()) {
    auto found = last.find(key.key_id);
    const store::UsageRecord* latest = found == last.end() ? nullptr : found->second;
    out["keys"].push_back({{"id", key.key_id},
                           {"scope", key.scope},
                           {"state", KeyState(key, latest, buckets, now)},
                           {"requests_24h", requests[key.key_id]},
                           {"last_status", latest ? latest->status : ""}});
  }
  for (const keys::BucketStatus& bucket : buckets) {
    json limits = json::array();
    for (const auto& [rule, used] : bucket.usage) {
      limits.push_back({{"kind", rule.kind == keys::LimitKind::kRequests ? "requests" : "tokens"},
                        {"window", WindowName(rule.window)},
                        {"limit", rule.limit},
                        {"used", used}});
    }
    out["windows"].push_back(
        {{"scope", bucket.scope}, {"model", bucket.model}, {"limits", limits}});
  }
  return out;
}

std::string ProviderText(const json& provider) {
  std::string out = fmt::format("{}\n", provider["name"].get<std::string>());
  for (const json& warning : provider["warnings"]) {
    out += fmt::format("  warning: {}\n", warning.get<std::string>());
  }
  if (provider.contains("refused")) {
    out += fmt::format("  refused: {}\n", provider["refused"].get<std::string>());
  }
  if (provider["keys"].empty()) return out + "  no keys\n";
  for (const json& key : provider["keys"]) {
    out += fmt::format("  {:<22} {:<24} {:<15} {} requests in 24 h\n", key["id"].get<std::string>(),
                       key["scope"].get<std::string>(), key["state"].get<std::string>(),
                       key["requests_24h"].get<int64_t>());
  }
  for (const json& window : provider["windows"]) {
    std::string limits;
    for (const json& limit : window["limits"]) {
      limits += fmt::format(
          "  {}/{} {}/{}", limit["used"].get<int64_t>(), limit["limit"].get<int64_t>(),
          limit["kind"] == "requests" ? "req" : "tok", limit["window"].get<std::string>());
    }
    out += fmt::format("    {} {}:{}\n", window["scope"].get<std::string>(),
                       window["model"].get<std::string>(),
                       limits.empty() ? "  limits unknown" : limits);
  }
  return out;
}

}  // namespace

ExitCode KeysCommand(const KeysArgs& args, CommandIo& io) {
  Result<std::vector<llm::ProviderOptions>> providers = Providers(args.config_path);
  if (!providers) {
    io.err << "Error: " << providers.error().message << "\n";
    return ExitCode::kUsage;
  }
  Result<std::unique_ptr<store::UsageStore>> usage = OpenUsageStore(io.env, args.usage_db, io.err);
  if (!usage) {
    io.err << "Error: " << usage.error().message << "\n";
    return ExitCode::kUsage;
  }
  SystemClock clock;
  const Timestamp now = clock.Now();
  Result<std::vector<store::UsageRecord>> rows = (*usage)->Recent(now - std::chrono::hours(24));
  if (!rows) {
    io.err << "Error: cannot read usage: " << rows.error().message << "\n";
    return ExitCode::kRunFailed;
  }
  json out = {{"providers", json::array()}};
  for (const llm::ProviderOptions& provider : *providers) {
    if (!provider.enabled) continue;
    keys::DiscoveredKeys found = keys::DiscoverKeys(io.env, provider.name);
    keys::KeyPool pool(
        {.provider = provider.name, .keys = std::move(found.keys), .limits = provider.limits},
        clock);
    std::vector<keys::PastUsage> past = llm::PastUsageFor(provider.name, *rows);
    pool.Hydrate(past);
    json entry = ProviderJson(provider, pool, *rows, now);
    entry["warnings"] = found.warnings;
    if (!found.refusal.empty()) entry["refused"] = found.refusal;
    out["providers"].push_back(std::move(entry));
  }
  if (args.mode == OutputMode::kJson) {
    io.out << out.dump(2) << "\n";
  } else {
    for (const json& provider : out["providers"]) io.out << ProviderText(provider);
  }
  return ExitCode::kOk;
}

}  // namespace hfs::app
