#include "hfs/config/internal/limit_reader.h"

#include <cmath>

namespace hfs::config::internal {
namespace {

struct LimitKey {
  const char* name;
  keys::LimitKind kind;
  Duration window;
};

const LimitKey kLimitKeys[] = {
    {"requests_per_minute", keys::LimitKind::kRequests, std::chrono::minutes(1)},
    {"requests_per_hour", keys::LimitKind::kRequests, std::chrono::hours(1)},
    {"requests_per_day", keys::LimitKind::kRequests, std::chrono::hours(24)},
    {"tokens_per_minute", keys::LimitKind::kTokens, std::chrono::minutes(1)},
    {"tokens_per_hour", keys::LimitKind::kTokens, std::chrono::hours(1)},
    {"tokens_per_day", keys::LimitKind::kTokens, std::chrono::hours(24)},
};

}  // namespace

void ReadModelLimits(YamlReader& r, const YAML::Node& node, const std::string& path,
                     std::map<std::string, std::vector<keys::LimitRule>, std::less<>>& models) {
  if (!node.IsMap()) {
    r.Report(node, path, "expected a mapping of model id to limits");
    return;
  }
  std::vector<std::string> names;
  for (const LimitKey& key : kLimitKeys) names.emplace_back(key.name);
  for (const auto& entry : node) {
    std::string model = entry.first.Scalar();
    std::string model_path = Child(path, model);
    if (!r.Map(entry.second, model_path, names)) continue;
    std::vector<keys::LimitRule> rules;
    for (const LimitKey& key : kLimitKeys) {
      int64_t limit = -1;
      r.Integer(entry.second, key.name, model_path, {1, INFINITY}, limit);
      if (limit > 0) rules.push_back({.kind = key.kind, .limit = limit, .window = key.window});
    }
    models[model] = std::move(rules);
  }
}

}  // namespace hfs::config::internal
