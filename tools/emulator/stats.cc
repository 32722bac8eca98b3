// tools/emulator/stats.cc
#include "tools/emulator/stats.h"

#include <nlohmann/json.hpp>

namespace hfs::emulator {
namespace {

using nlohmann::json;

void Add(Counters& counters, const StatsEvent& event) {
  ++counters.requests;
  counters.accepted += event.accepted ? 1 : 0;
  counters.rate_limited += event.status == 429 ? 1 : 0;
  counters.errors += (event.status >= 300 && event.status != 429) ? 1 : 0;
  counters.prompt_tokens += event.prompt_tokens;
  counters.completion_tokens += event.completion_tokens;
  counters.reasoning_tokens += event.reasoning_tokens;
  ++counters.statuses[event.status];
  for (const std::string& behaviour : event.realism) ++counters.realism[behaviour];
}

json ToJsonValue(const Counters& c) {
  json statuses = json::object();
  for (const auto& [status, count] : c.statuses) statuses[std::to_string(status)] = count;
  json realism = json::object();
  for (const auto& [behaviour, count] : c.realism) realism[behaviour] = count;
  return {{"requests", c.requests},
          {"accepted", c.accepted},
          {"rate_limited", c.rate_limited},
          {"errors", c.errors},
          {"prompt_tokens", c.prompt_tokens},
          {"completion_tokens", c.completion_tokens},
          {"total_tokens", c.prompt_tokens + c.completion_tokens},
          {"reasoning_tokens", c.reasoning_tokens},
          {"statuses", statuses},
          {"realism", realism}};
}

json MapJson(const std::map<std::string, Counters>& map) {
  json object = json::object();
  for (const auto& [name, counters] : map) object[name] = ToJsonValue(counters);
  return object;
}

}  // namespace

void Stats::Record(const StatsEvent& event) {
  MutexLock lock(mu_);
  Add(total_, event);
  Add(providers_[event.provider], event);
  if (!event.key.empty()) Add(keys_[event.key], event);
  if (!event.scope.empty()) Add(scopes_[event.provider][event.scope], event);
  if (!event.model.empty()) Add(models_[event.provider][event.model], event);
}

void Stats::Reset() {
  MutexLock lock(mu_);
  total_ = {};
  providers_.clear();
  keys_.clear();
  scopes_.clear();
  models_.clear();
}

Counters Stats::Total() const {
  MutexLock lock(mu_);
  return total_;
}

std::string Stats::ToJson() const {
  MutexLock lock(mu_);
  json scopes = json::object();
  for (const auto& [provider, map] : scopes_) scopes[provider] = MapJson(map);
  json models = json::object();
  for (const auto& [provider, map] : models_) models[provider] = MapJson(map);
  const json root = {{"total", ToJsonValue(total_)},
                     {"providers", MapJson(providers_)},
                     {"keys", MapJson(keys_)},
                     {"scopes", scopes},
                     {"models", models}};
  return root.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace hfs::emulator
