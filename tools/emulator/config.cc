// tools/emulator/config.cc
#include "tools/emulator/config.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <set>

#include "hfs/base/file.h"
#include "hfs/base/try.h"

namespace hfs::emulator {
namespace {

constexpr int kDefaultKeyCount = 8;

tl::unexpected<Error> Bad(const std::string& path, std::string_view what) {
  return Fail(ErrorCode::kInvalidArgument, fmt::format("{}: {}", path, what));
}

template <class T>
Result<T> Scalar(const YAML::Node& node, const std::string& path, std::string_view what) {
  if (!node.IsScalar()) return Bad(path, fmt::format("expected {}", what));
  T value{};
  if (!YAML::convert<T>::decode(node, value)) return Bad(path, fmt::format("expected {}", what));
  return value;
}

template <class T>
Result<void> Optional(const YAML::Node& map, std::string_view key, const std::string& path,
                      std::string_view what, T& out) {
  const YAML::Node node = map[std::string(key)];
  if (!node) return Ok();
  out = HFS_TRY(Scalar<T>(node, fmt::format("{}.{}", path, key), what));
  return Ok();
}

// "90", "1.5s", "500ms", "1m", "2h", "1d" -> seconds.
Result<double> ParseWindow(const YAML::Node& node, const std::string& path) {
  const std::string text = HFS_TRY(Scalar<std::string>(node, path, "a duration"));
  size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    return Bad(path, "not a duration");
  }
  const std::string unit = text.substr(used);
  double scale = 0;
  if (unit.empty() || unit == "s") scale = 1;
  if (unit == "ms") scale = 0.001;
  if (unit == "m") scale = 60;
  if (unit == "h") scale = 3600;
  if (unit == "d") scale = 86400;
  if (scale == 0 || value <= 0) return Bad(path, "not a duration (use 60, 60s, 1m, 1h, 1d)");
  return value * scale;
}

Result<LimitRule> ParseRule(const YAML::Node& node, const std::string& path) {
  if (!node.IsMap()) return Bad(path, "expected a map like {requests: 30, window: 1m}");
  LimitRule rule;
  const bool requests = static_cast<bool>(node["requests"]);
  if (requests == static_cast<bool>(node["tokens"])) {
    return Bad(path, "needs exactly one of 'requests' or 'tokens'");
  }
  rule.kind = requests ? LimitKind::kRequests : LimitKind::kTokens;
  const std::string key = requests ? "requests" : "tokens";
  rule.limit = HFS_TRY(Scalar<int64_t>(node[key], path + "." + key, "an integer"));
  if (rule.limit < 0) return Bad(path + "." + key, "must not be negative");
  if (!node["window"]) return Bad(path + ".window", "missing");
  rule.window_seconds = HFS_TRY(ParseWindow(node["window"], path + ".window"));
  std::string mode = "sliding";
  HFS_RETURN_IF_ERROR(Optional(node, "mode", path, "sliding or fixed", mode));
  if (mode != "sliding" && mode != "fixed") return Bad(path + ".mode", "must be sliding or fixed");
  rule.mode = mode == "fixed" ? WindowMode::kFixed : WindowMode::kSliding;
  HFS_RETURN_IF_ERROR(Optional(node, "upstream", path, "a boolean", rule.upstream));
  return rule;
}

Result<std::vector<LimitRule>> ParseRules(const YAML::Node& node, const std::string& path) {
  if (!node.IsSequence()) return Bad(path, "expected a list of limits");
  std::vector<LimitRule> rules;
  for (size_t i = 0; i < node.size(); ++i) {
    rules.push_back(HFS_TRY(ParseRule(node[i], fmt::format("{}[{}]", path, i))));
  }
  return rules;
}

Result<FaultOptions> ParseFaults(const YAML::Node& node, const std::string& path,
                                 FaultOptions faults) {
  if (!node) return faults;
  if (!node.IsMap()) return Bad(path, "expected a map of fault probabilities");
  const std::pair<const char*, double*> fields[] = {
      {"error_500", &faults.error_500},
      {"error_502", &faults.error_502},
      {"error_503", &faults.error_503},
      {"hang", &faults.hang},
      {"reset", &faults.reset},
      {"stream_cut", &faults.stream_cut},
      {"malformed_json", &faults.malformed_json},
      {"arguments_not_json", &faults.arguments_not_json},
      {"arguments_violate_schema", &faults.arguments_violate_schema},
      {"tool_use_failed", &faults.tool_use_failed},
      {"stream_stall", &faults.stream_stall},
      {"stream_error", &faults.stream_error},
      {"moderation", &faults.moderation}};
  double sum = 0;
  for (const auto& [name, field] : fields) {
    HFS_RETURN_IF_ERROR(Optional(node, name, path, "a probability", *field));
    if (*field < 0 || *field > 1) return Bad(path + "." + name, "must be within [0, 1]");
    sum += *field;
  }
  if (sum > 1.0 + 1e-9) return Bad(path, "fault probabilities add up to more than 1");
  HFS_RETURN_IF_ERROR(Optional(node, "hang_seconds", path, "seconds", faults.hang_seconds));
  HFS_RETURN_IF_ERROR(
      Optional(node, "retry_after_seconds", path, "seconds", faults.retry_after_seconds));
  if (faults.retry_after_seconds < 0) return Bad(path + ".retry_after_seconds", "negative");
  return faults;
}

// A provider's or model's `realism:` block: behaviour rates and the server flag.
Result<RealismOverrides> ParseRealism(const YAML::Node& node, const std::string& path) {
  if (!node) return RealismOverrides{};
  if (!node.IsMap()) return Bad(path, "expected a map of behaviour rates");
  RealismOverrides realism;
  for (const auto& entry : node) {
    const std::string key = entry.first.as<std::string>();
    const std::string item = path + "." + key;
    if (key == kIgnoresNamedToolChoice) {
      realism.ignores_named_tool_choice = HFS_TRY(Scalar<bool>(entry.second, item, "a boolean"));
      continue;
    }
    if (!IsRealismRateKey(key)) {
      std::string known;
      for (Misbehaviour m : kAllMisbehaviours) known += std::string(MisbehaviourName(m)) + ", ";
      return Bad(item, fmt::format("unknown behaviour (one of {}{}, {})", known, kReasoning,
                                   kIgnoresNamedToolChoice));
    }
    const double rate = HFS_TRY(Scalar<double>(entry.second, item, "a rate"));
    if (rate < 0 || rate > 1) return Bad(item, "must be within [0, 1]");
    realism.rates[key] = rate;
  }
  return realism;
}

Result<LatencyOptions> ParseLatency(const YAML::Node& node, const std::string& path,
                                    LatencyOptions latency) {
  if (!node) return latency;
  if (!node.IsMap()) return Bad(path, "expected a map");
  HFS_RETURN_IF_ERROR(Optional(node, "fixed_ms", path, "milliseconds", latency.fixed_ms));
  HFS_RETURN_IF_ERROR(Optional(node, "per_token_ms", path, "milliseconds", latency.per_token_ms));
  HFS_RETURN_IF_ERROR(Optional(node, "jitter_ms", path, "milliseconds", latency.jitter_ms));
  if (latency.fixed_ms < 0 || latency.per_token_ms < 0 || latency.jitter_ms < 0) {
    return Bad(path, "latencies must not be negative");
  }
  return latency;
}

Result<KeyRefusal> ParseRefusal(const YAML::Node& node, const std::string& path) {
  const std::string name = HFS_TRY(Scalar<std::string>(node, path, "a refusal"));
  if (name == "none") return KeyRefusal::kNone;
  if (name == "invalid") return KeyRefusal::kInvalid;
  if (name == "suspended") return KeyRefusal::kSuspended;
  if (name == "no_credit") return KeyRefusal::kNoCredit;
  if (name == "key_limit") return KeyRefusal::kKeyLimit;
  return Bad(path, "must be none, invalid, suspended, no_credit or key_limit");
}

Result<std::vector<KeyOptions>> ParseKeys(const YAML::Node& node, const std::string& path) {
  if (!node.IsSequence()) return Bad(path, "expected a list of keys");
  std::vector<KeyOptions> keys;
  for (size_t i = 0; i < node.size(); ++i) {
    const std::string item = fmt::format("{}[{}]", path, i);
    KeyOptions key;
    if (node[i].IsScalar()) {
      key.key = node[i].as<std::string>();
    } else if (node[i].IsMap() && node[i]["key"]) {
      key.key = HFS_TRY(Scalar<std::string>(node[i]["key"], item + ".key", "a string"));
      HFS_RETURN_IF_ERROR(Optional(node[i], "scope", item, "a string", key.scope));
      HFS_RETURN_IF_ERROR(Optional(node[i], "revoked", item, "a boolean", key.revoked));
      if (node[i]["refusal"]) {
        key.refusal = HFS_TRY(ParseRefusal(node[i]["refusal"], item + ".refusal"));
      }
    } else {
      return Bad(item, "expected a key string or {key, scope, revoked, refusal}");
    }
    if (key.key.empty()) return Bad(item, "empty key");
    if (key.scope.empty()) key.scope = key.key;
    keys.push_back(std::move(key));
  }
  return keys;
}

Result<std::vector<ModelOptions>> ParseModels(const YAML::Node& node, const std::string& path,
                                              const std::vector<LimitRule>& defaults) {
  if (!node.IsSequence()) return Bad(path, "expected a list of models");
  std::vector<ModelOptions> models;
  for (size_t i = 0; i < node.size(); ++i) {
    const std::string item = fmt::format("{}[{}]", path, i);
    ModelOptions model{.limits = defaults};
    if (node[i].IsScalar()) {
      model.name = node[i].as<std::string>();
    } else if (node[i].IsMap() && node[i]["name"]) {
      model.name = HFS_TRY(Scalar<std::string>(node[i]["name"], item + ".name", "a string"));
      if (node[i]["limits"])
        model.limits = HFS_TRY(ParseRules(node[i]["limits"], item + ".limits"));
      model.realism = HFS_TRY(ParseRealism(node[i]["realism"], item + ".realism"));
    } else {
      return Bad(item, "expected a model name or {name, limits, realism}");
    }
    models.push_back(std::move(model));
  }
  return models;
}

Result<ProviderOptions> ParseProvider(const YAML::Node& node, const std::string& path,
                                      const ProviderOptions& defaults) {
  if (!node.IsMap() || !node["name"]) return Bad(path, "expected a map with a 'name'");
  ProviderOptions provider = defaults;
  provider.name = HFS_TRY(Scalar<std::string>(node["name"], path + ".name", "a string"));
  std::string personality(ParsePersonality(provider.name) ? provider.name : "plain");
  HFS_RETURN_IF_ERROR(Optional(node, "personality", path, "a personality", personality));
  const auto parsed = ParsePersonality(personality);
  if (!parsed) {
    return Bad(path + ".personality", "must be plain, cerebras, groq, gemini or openrouter");
  }
  provider.personality = *parsed;
  provider.prefix = std::string(DefaultPrefix(provider.personality));
  HFS_RETURN_IF_ERROR(Optional(node, "prefix", path, "a path", provider.prefix));
  if (provider.prefix.empty() || provider.prefix[0] != '/' || provider.prefix.back() == '/') {
    return Bad(path + ".prefix", "must start with '/' and not end with '/'");
  }
  int key_count = kDefaultKeyCount;
  HFS_RETURN_IF_ERROR(Optional(node, "key_count", path, "an integer", key_count));
  provider.keys = node["keys"] ? HFS_TRY(ParseKeys(node["keys"], path + ".keys"))
                               : NumberedKeys(provider.name, key_count);
  if (node["default_limits"]) {
    provider.default_limits = HFS_TRY(ParseRules(node["default_limits"], path + ".default_limits"));
  }
  if (node["models"]) {
    provider.models =
        HFS_TRY(ParseModels(node["models"], path + ".models", provider.default_limits));
  }
  provider.faults = HFS_TRY(ParseFaults(node["faults"], path + ".faults", defaults.faults));
  provider.latency = HFS_TRY(ParseLatency(node["latency"], path + ".latency", defaults.latency));
  provider.realism = HFS_TRY(ParseRealism(node["realism"], path + ".realism"));
  return provider;
}

Result<void> CheckUnique(const EmulatorOptions& options) {
  std::set<std::string> prefixes;
  std::set<std::string> names;
  for (const ProviderOptions& provider : options.providers) {
    if (!prefixes.insert(provider.prefix).second) {
      return Bad("providers", fmt::format("prefix '{}' used twice", provider.prefix));
    }
    if (!names.insert(provider.name).second) {
      return Bad("providers", fmt::format("name '{}' used twice", provider.name));
    }
  }
  return Ok();
}

Result<EmulatorOptions> ParseRoot(const YAML::Node& root) {
  if (!root.IsMap()) return Bad("(root)", "expected a map");
  EmulatorOptions options;
  HFS_RETURN_IF_ERROR(Optional(root, "host", "", "a host", options.host));
  HFS_RETURN_IF_ERROR(Optional(root, "port", "", "a port", options.port));
  HFS_RETURN_IF_ERROR(Optional(root, "seed", "", "an integer", options.seed));
  HFS_RETURN_IF_ERROR(Optional(root, "window_scale", "", "a number", options.window_scale));
  HFS_RETURN_IF_ERROR(Optional(root, "threads", "", "an integer", options.threads));
  if (options.window_scale <= 0) return Bad(".window_scale", "must be positive");
  if (options.threads < 1) return Bad(".threads", "must be at least 1");
  std::string realism(RealismProfileName(options.realism));
  HFS_RETURN_IF_ERROR(Optional(root, "realism", "", "kind or realistic", realism));
  const auto profile = ParseRealismProfile(realism);
  if (!profile) return Bad(".realism", "must be kind or realistic");
  options.realism = *profile;
  ProviderOptions defaults;
  defaults.faults = HFS_TRY(ParseFaults(root["faults"], ".faults", {}));
  defaults.latency = HFS_TRY(ParseLatency(root["latency"], ".latency", {}));
  const YAML::Node providers = root["providers"];
  if (!providers) {
    for (ProviderOptions provider : DefaultOptions().providers) {
      provider.faults = defaults.faults;
      provider.latency = defaults.latency;
      options.providers.push_back(std::move(provider));
    }
    return options;
  }
  if (!providers.IsSequence()) return Bad(".providers", "expected a list");
  for (size_t i = 0; i < providers.size(); ++i) {
    options.providers.push_back(
        HFS_TRY(ParseProvider(providers[i], fmt::format("providers[{}]", i), defaults)));
  }
  HFS_RETURN_IF_ERROR(CheckUnique(options));
  return options;
}

}  // namespace

std::vector<KeyOptions> NumberedKeys(std::string_view name, int count) {
  std::vector<KeyOptions> keys;
  for (int i = 1; i <= count; ++i) {
    std::string key = fmt::format("emu-{}-{}", name, i);
    keys.push_back({.key = key, .scope = key});
  }
  return keys;
}

EmulatorOptions DefaultOptions() {
  EmulatorOptions options;
  for (Personality p : {Personality::kCerebras, Personality::kGroq, Personality::kGemini,
                        Personality::kOpenRouter, Personality::kPlain}) {
    ProviderOptions provider{.name = std::string(PersonalityName(p)),
                             .personality = p,
                             .prefix = std::string(DefaultPrefix(p))};
    provider.keys = NumberedKeys(provider.name, kDefaultKeyCount);
    options.providers.push_back(std::move(provider));
  }
  return options;
}

Result<EmulatorOptions> ParseConfig(std::string_view yaml_text) {
  try {
    return ParseRoot(YAML::Load(std::string(yaml_text)));
  } catch (const YAML::Exception& e) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("bad YAML: {}", e.what()));
  }
}

Result<EmulatorOptions> LoadConfig(const std::filesystem::path& path) {
  const std::string text = HFS_TRY(ReadFile(path));
  auto options = ParseConfig(text);
  if (!options) return Fail(options.error().WithContext(path.string()));
  return options;
}

const ProviderOptions* FindProviderByName(const EmulatorOptions& options, std::string_view name) {
  for (const ProviderOptions& provider : options.providers) {
    if (provider.name == name) return &provider;
  }
  return nullptr;
}

}  // namespace hfs::emulator
