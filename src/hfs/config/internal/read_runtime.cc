#include "hfs/config/internal/read_runtime.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include "hfs/config/internal/limit_reader.h"
#include "hfs/llm/provider_capabilities.h"
#include "hfs/tiers/phase.h"
#include "hfs/triad/preset.h"

namespace hfs::config::internal {
namespace {

std::vector<std::string> Names(const std::vector<llm::ProviderOptions>& providers) {
  std::vector<std::string> names;
  for (const llm::ProviderOptions& provider : providers) names.push_back(provider.name);
  return names;
}

std::vector<std::string> TierNames() {
  std::vector<std::string> names;
  for (tiers::Tier tier : tiers::kAllTiers) names.emplace_back(tiers::TierName(tier));
  return names;
}

// Reports "unknown <what> 'x' (did you mean 'y'?)" unless `value` is in `allowed`.
bool CheckKnown(YamlReader& r, const YAML::Node& node, std::string_view path, std::string_view what,
                const std::string& value, const std::vector<std::string>& allowed) {
  if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return true;
  std::string message = fmt::format("unknown {} '{}'", what, value);
  if (auto suggestion = DidYouMean(value, allowed)) {
    message += fmt::format(" (did you mean '{}'?)", *suggestion);
  } else {
    message += fmt::format("; expected one of: {}", fmt::join(allowed, ", "));
  }
  r.Report(node, path, std::move(message));
  return false;
}

// Reads a mapping of role -> tier name.
std::map<std::string, tiers::Tier> ReadRoleTiers(YamlReader& r, const YAML::Node& node,
                                                 const std::string& path) {
  std::map<std::string, tiers::Tier> out;
  if (!r.Map(node, path, KnownRoles())) return out;
  for (const auto& entry : node) {
    std::string role = entry.first.Scalar();
    if (std::find(KnownRoles().begin(), KnownRoles().end(), role) == KnownRoles().end()) continue;
    if (auto index = r.Choice(node, role, path, TierNames())) out[role] = tiers::kAllTiers[*index];
  }
  return out;
}

// `limits: {model: {...}}` replaces those models' rules; `key_limits: {INDEX: {model: {...}}}`
// gives one key (NUM_<P> index, 0 for the single <P>_API_KEY) rules of its own.
void ReadLimitOverrides(YamlReader& r, const YAML::Node& node, const std::string& path,
                        keys::ProviderLimits& limits) {
  r.Boolean(node, "shared_across_models", path, limits.shared_across_models);
  if (node["limits"].IsDefined()) {
    ReadModelLimits(r, node["limits"], Child(path, "limits"), limits.models);
  }
  const YAML::Node key_limits = node["key_limits"];
  if (!key_limits.IsDefined()) return;
  std::string key_path = Child(path, "key_limits");
  if (!key_limits.IsMap()) {
    r.Report(key_limits, key_path, "expected a mapping of key index to model limits");
    return;
  }
  for (const auto& entry : key_limits) {
    const std::string& index_text = entry.first.Scalar();
    std::string index_path = Child(key_path, index_text);
    if (index_text.empty() || index_text.find_first_not_of("0123456789") != std::string::npos ||
        index_text.size() > 4) {
      r.Report(entry.first, index_path, "expected a key index such as 1 (0 for <P>_API_KEY)");
      continue;
    }
    ReadModelLimits(r, entry.second, index_path, limits.key_overrides[std::stoi(index_text)]);
  }
}

constexpr size_t kMaxUrlLength = 2048;

// http:// or https://, a host, then an optional path; no spaces or control characters.
bool IsHttpUrl(std::string_view url) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (url.rfind(scheme, 0) != 0) continue;
    std::string_view rest = url.substr(scheme.size());
    return !rest.empty() && rest.front() != '/' &&
           std::none_of(rest.begin(), rest.end(),
                        [](char c) { return static_cast<unsigned char>(c) <= ' ' || c == '\x7f'; });
  }
  return false;
}

// `capabilities: {named_tool_choice: true, ...}`: what the server honours.
void ReadCapabilities(YamlReader& r, const YAML::Node& node, const std::string& path,
                      llm::Capabilities& caps) {
  if (!r.Map(node, path,
             {"named_tool_choice", "required_tool_choice", "strict_json_schema", "streaming_usage",
              "parallel_tool_calls", "reasoning_effort", "streaming"})) {
    return;
  }
  r.Boolean(node, "streaming", path, caps.streaming);
  r.Boolean(node, "named_tool_choice", path, caps.named_tool_choice);
  r.Boolean(node, "required_tool_choice", path, caps.required_tool_choice);
  r.Boolean(node, "strict_json_schema", path, caps.strict_json_schema);
  r.Boolean(node, "streaming_usage", path, caps.streaming_usage);
  r.Boolean(node, "parallel_tool_calls", path, caps.parallel_tool_calls);
  if (!node["reasoning_effort"].IsDefined()) return;
  std::string form;
  r.String(node, "reasoning_effort", path, form);
  if (form == "none") {
    caps.reasoning_effort = llm::EffortForm::kNone;
  } else if (form == "top_level") {
    caps.reasoning_effort = llm::EffortForm::kTopLevel;
  } else if (form == "nested") {
    caps.reasoning_effort = llm::EffortForm::kNested;
  } else {
    r.Report(node["reasoning_effort"], Child(path, "reasoning_effort"),
             fmt::format("'{}' is not one of none, top_level, nested", form));
  }
}

// `timeouts: {connect_s: 10, first_byte_s: 60, idle_s: 30, total_s: 300}`, in seconds.
void ReadTimeouts(YamlReader& r, const YAML::Node& node, const std::string& path,
                  llm::CallTimeouts& timeouts) {
  const std::pair<const char*, Duration*> fields[] = {{"connect_s", &timeouts.connect},
                                                      {"first_byte_s", &timeouts.first_byte},
                                                      {"idle_s", &timeouts.idle},
                                                      {"total_s", &timeouts.total}};
  if (!r.Map(node, path, {"connect_s", "first_byte_s", "idle_s", "total_s"})) return;
  for (const auto& [key, out] : fields) {
    double seconds = std::chrono::duration<double>(*out).count();
    r.Number(node, key, path, {.min = 0.001, .max = 86400}, seconds);
    *out = std::chrono::duration_cast<Duration>(std::chrono::duration<double>(seconds));
  }
}

void ReadProvider(YamlReader& r, const YAML::Node& node, const std::string& name,
                  std::vector<llm::ProviderOptions>& providers) {
  std::string path = Child("providers", name);
  if (!r.Map(node, path,
             {"base_url", "enabled", "requires_key", "shared_across_models", "limits", "key_limits",
              "capabilities", "timeouts"})) {
    return;
  }
  auto it = std::find_if(providers.begin(), providers.end(),
                         [&](const llm::ProviderOptions& p) { return p.name == name; });
  llm::ProviderOptions custom{.name = name};
  llm::ProviderOptions& provider = it != providers.end() ? *it : custom;
  r.String(node, "base_url", path, provider.base_url);
  r.Boolean(node, "enabled", path, provider.enabled);
  r.Boolean(node, "requires_key", path, provider.requires_key);
  ReadLimitOverrides(r, node, path, provider.limits);
  if (node["capabilities"].IsDefined()) {
    ReadCapabilities(r, node["capabilities"], Child(path, "capabilities"), provider.capabilities);
  }
  if (node["timeouts"].IsDefined()) {
    ReadTimeouts(r, node["timeouts"], Child(path, "timeouts"), provider.timeouts);
  }
  const std::string url_path = Child(path, "base_url");
  if (!provider.builtin && !node["base_url"].IsDefined()) {
    r.Report(node, url_path,
             "a custom provider needs base_url (an OpenAI-compatible endpoint such as "
             "http://127.0.0.1:11434/v1)");
  } else if (node["base_url"].IsDefined() &&
             r.WithinLength(node["base_url"], url_path, provider.base_url, kMaxUrlLength) &&
             !IsHttpUrl(provider.base_url)) {
    r.Report(node["base_url"], url_path,
             fmt::format("'{}' is not an http:// or https:// URL", provider.base_url));
  }
  if (it == providers.end()) providers.push_back(std::move(custom));
}

// `reasoning_effort: low|medium|high` (or code_reasoning_effort) of `node`, if present.
void ReadEffort(YamlReader& r, const YAML::Node& node, const std::string& path,
                std::optional<std::string>& effort) {
  const char* key = path == "model_tiers" ? "code_reasoning_effort" : "reasoning_effort";
  if (!node[key].IsDefined()) return;
  std::string text;
  r.String(node, key, path, text);
  effort = llm::ParseEffort(text);
  if (!effort) {
    r.Report(node[key], Child(path, key),
             fmt::format("'{}' is not a reasoning effort (low, medium or high)", text));
  }
}

void ReadTierModels(YamlReader& r, const YAML::Node& tiers_node,
                    const std::vector<llm::ProviderOptions>& providers,
                    tiers::ModelTiersOptions& options) {
  const std::string path = "model_tiers.tiers";
  if (!r.Map(tiers_node, path, TierNames())) return;
  std::map<tiers::Tier, tiers::TierModels> result;
  for (tiers::Tier tier : tiers::kAllTiers) {
    std::string name(tiers::TierName(tier));
    std::string tier_path = Child(path, name);
    const YAML::Node node = tiers_node[name];
    if (!r.Require(tiers_node, name, path) ||
        !r.Map(node, tier_path, {"description", "providers", "reasoning_effort"})) {
      continue;
    }
    tiers::TierModels models;
    r.String(node, "description", tier_path, models.description);
    ReadEffort(r, node, tier_path, models.reasoning_effort);
    const YAML::Node models_node = node["providers"];
    std::string models_path = Child(tier_path, "providers");
    if (models_node.IsDefined() && r.Map(models_node, models_path, Names(providers))) {
      for (const auto& entry : models_node) {
        std::string provider = entry.first.Scalar();
        std::string model;
        r.String(models_node, provider, models_path, model);
        if (model.empty()) r.Report(entry.second, Child(models_path, provider), "empty model id");
        models.providers[provider] = model;
      }
    }
    result[tier] = std::move(models);
  }
  options.tiers = std::move(result);
}

void ReadPhaseOverrides(YamlReader& r, const YAML::Node& node, tiers::ModelTiersOptions& options) {
  const std::string path = "model_tiers.phase_overrides";
  std::vector<std::string> phases;
  for (tiers::Phase phase : tiers::kAllPhases) phases.emplace_back(tiers::PhaseName(phase));
  if (!r.Map(node, path, phases)) return;
  options.phase_overrides.clear();
  for (const auto& entry : node) {
    std::string phase = entry.first.Scalar();
    if (!tiers::ParsePhase(phase)) continue;
    options.phase_overrides[phase] = ReadRoleTiers(r, entry.second, Child(path, phase));
  }
}

// The triad ids of the document, for checking escalation_state keys.
std::vector<std::string> TriadIds(const YAML::Node& root) {
  std::vector<std::string> ids;
  const YAML::Node triads = root["triads"];
  if (!triads.IsSequence()) return ids;
  for (const auto& triad : triads) {
    if (triad.IsMap() && triad["id"].IsScalar()) ids.push_back(triad["id"].Scalar());
  }
  return ids;
}

// Keys are "triad_id:role", or a bare role for calls outside a triad (the arbiter).
void ReadEscalationState(YamlReader& r, const YAML::Node& node, const YAML::Node& root,
                         tiers::ModelTiersOptions& options) {
  const std::string path = "model_tiers.escalation_state";
  if (!node.IsMap()) {
    if (!node.IsNull()) r.Report(node, path, "expected a mapping of \"triad:role\" to tier");
    return;
  }
  options.escalation_state.clear();
  const std::vector<std::string> triads = TriadIds(root);
  for (const auto& entry : node) {
    std::string key = entry.first.Scalar();
    std::string key_path = Child(path, key);
    size_t colon = key.find(':');
    const bool bare_role =
        colon == std::string::npos &&
        std::find(KnownRoles().begin(), KnownRoles().end(), key) != KnownRoles().end();
    if (!bare_role && (colon == std::string::npos || colon == 0)) {
      r.Report(entry.first, key_path,
               "expected a key of the form \"triad_id:role\" (or a bare role such as "
               "\"arbiter\" for calls outside a triad)");
      continue;
    }
    if (!bare_role) {
      if (!triads.empty() &&
          !CheckKnown(r, entry.first, key_path, "triad", key.substr(0, colon), triads)) {
        continue;
      }
      if (!CheckKnown(r, entry.first, key_path, "role", key.substr(colon + 1), KnownRoles())) {
        continue;
      }
    }
    if (auto index = r.Choice(node, key, path, TierNames())) {
      options.escalation_state[key] = tiers::kAllTiers[*index];
    }
  }
}

// `code_models: [{provider: cerebras, model: zai-glm-4.7}, ...]`: the code_execution
// role's models, in order; at least one, each once, at a configured provider.
void ReadCodeModels(YamlReader& r, const YAML::Node& node,
                    const std::vector<llm::ProviderOptions>& providers,
                    tiers::ModelTiersOptions& options) {
  const std::string path = "model_tiers.code_models";
  if (!r.Sequence(node, path)) return;
  if (node.size() == 0) {
    r.Report(node, path,
             "needs at least one {provider, model}: the code_execution role uses only these "
             "models (default: cerebras zai-glm-4.7, then cerebras gpt-oss-120b)");
    return;
  }
  std::vector<tiers::ModelRef> models;
  for (size_t i = 0; i < node.size(); ++i) {
    const YAML::Node entry = node[i];
    std::string entry_path = Index(path, i);
    if (!r.Map(entry, entry_path, {"provider", "model"})) continue;
    const bool has_provider = r.Require(entry, "provider", entry_path);
    const bool has_model = r.Require(entry, "model", entry_path);
    if (!has_provider || !has_model) continue;
    tiers::ModelRef model;
    r.String(entry, "provider", entry_path, model.provider);
    r.String(entry, "model", entry_path, model.model);
    if (!CheckKnown(r, entry["provider"], Child(entry_path, "provider"), "provider", model.provider,
                    Names(providers))) {
      continue;
    }
    if (model.model.empty()) {
      r.Report(entry["model"], Child(entry_path, "model"), "empty model id");
      continue;
    }
    if (std::find(models.begin(), models.end(), model) != models.end()) {
      r.Report(entry, entry_path,
               fmt::format("{}/{} is listed twice", model.provider, model.model));
      continue;
    }
    models.push_back(std::move(model));
  }
  if (!models.empty()) options.code_models = std::move(models);
}

}  // namespace

const std::vector<std::string>& KnownRoles() {
  static const std::vector<std::string> kRoles = [] {
    std::vector<std::string> roles;
    for (triad::Preset preset : triad::kAllPresets) {
      for (std::string_view role : triad::DescribePreset(preset).roles) roles.emplace_back(role);
    }
    roles.emplace_back("code_execution");
    roles.emplace_back("arbiter");
    roles.emplace_back("planner");
    return roles;
  }();
  return kRoles;
}

void ReadProviders(YamlReader& r, const YAML::Node& root,
                   std::vector<llm::ProviderOptions>& providers) {
  const YAML::Node node = root["providers"];
  if (!node.IsDefined()) return;
  if (!node.IsMap()) {
    r.Report(node, "providers", "expected a mapping of provider name to settings");
    return;
  }
  for (const auto& entry : node) {
    std::string name = entry.first.Scalar();
    if (!r.WithinLength(entry.first, "providers", name, kMaxNameLength, "a provider name")) {
      continue;
    }
    if (!HoldsOnly(name, Letters::kLowerCase, "_-")) {
      r.Report(entry.first, Child("providers", name),
               "provider names may hold only lowercase letters, digits, '_' and '-'");
      continue;
    }
    ReadProvider(r, entry.second, name, providers);
  }
}

void ReadModelTiers(YamlReader& r, const YAML::Node& root,
                    const std::vector<llm::ProviderOptions>& providers,
                    tiers::ModelTiersOptions& tiers) {
  const YAML::Node node = root["model_tiers"];
  if (!node.IsDefined() ||
      !r.Map(node, "model_tiers",
             {"tiers", "role_defaults", "phase_overrides", "escalation_state", "code_models",
              "code_reasoning_effort", "fallback_key_wait_ms"})) {
    return;
  }
  ReadEffort(r, node, "model_tiers", tiers.code_reasoning_effort);
  r.Integer(node, "fallback_key_wait_ms", "model_tiers", {0, 600000}, tiers.fallback_key_wait_ms);
  if (node["tiers"].IsDefined()) ReadTierModels(r, node["tiers"], providers, tiers);
  if (node["role_defaults"].IsDefined()) {
    tiers.role_defaults = ReadRoleTiers(r, node["role_defaults"], "model_tiers.role_defaults");
  }
  if (node["phase_overrides"].IsDefined()) ReadPhaseOverrides(r, node["phase_overrides"], tiers);
  if (node["escalation_state"].IsDefined()) {
    ReadEscalationState(r, node["escalation_state"], root, tiers);
  }
  if (node["code_models"].IsDefined()) {
    ReadCodeModels(r, node["code_models"], providers, tiers);
  }
}

void ReadObservability(YamlReader& r, const YAML::Node& root,
                       trace::ObservabilityOptions& observability) {
  const YAML::Node node = root["observability"];
  const std::string path = "observability";
  if (!node.IsDefined() ||
      !r.Map(node, path,
             {"service_name", "console_enabled", "console_verbosity", "otlp_endpoint",
              "otlp_exit_timeout_ms", "include_content", "sql_export"})) {
    return;
  }
  r.String(node, "service_name", path, observability.service_name);
  r.Boolean(node, "console_enabled", path, observability.console_enabled);
  if (auto index = r.Choice(node, "console_verbosity", path, {"minimal", "standard", "verbose"})) {
    observability.console_verbosity = static_cast<trace::ConsoleVerbosity>(*index);
  }
  r.String(node, "otlp_endpoint", path, observability.otlp_endpoint);
  int64_t exit_timeout_ms = observability.otlp_exit_timeout.count();
  r.Integer(node, "otlp_exit_timeout_ms", path, {0, 600000}, exit_timeout_ms);
  observability.otlp_exit_timeout = std::chrono::milliseconds(exit_timeout_ms);
  r.Boolean(node, "include_content", path, observability.include_content);
  r.Boolean(node, "sql_export", path, observability.sql_export);
}

}  // namespace hfs::config::internal
