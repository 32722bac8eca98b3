#include "hfs/config/load.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>

#include "hfs/base/file.h"
#include "hfs/config/internal/read_page.h"
#include "hfs/config/internal/read_runtime.h"
#include "hfs/config/internal/yaml_limits.h"
#include "hfs/config/internal/yaml_reader.h"
#include "hfs/config/limit_tables.h"
#include "hfs/triad/preset.h"
#include "hfs/triad/prompt_library.h"

namespace hfs::config {
namespace {

using internal::Child;
using internal::Index;
using internal::YamlReader;

constexpr double kNoLimit = INFINITY;

void ReadBudget(YamlReader& r, const YAML::Node& map, std::string_view key, std::string_view path,
                agent::BudgetLimits& budget) {
  const YAML::Node node = map[std::string(key)];
  if (!node.IsDefined()) return;
  std::string budget_path = Child(path, key);
  if (!r.Map(node, budget_path, {"tokens", "tool_calls", "time_ms"})) return;
  r.Integer(node, "tokens", budget_path, {0, kNoLimit}, budget.tokens);
  r.Integer(node, "tool_calls", budget_path, {0, kNoLimit}, budget.tool_calls);
  r.Integer(node, "time_ms", budget_path, {0, kNoLimit}, budget.time_ms);
}

// Reads scope.primary / scope.reach and checks every entry names a configured section.
void ReadScopeList(YamlReader& r, const YAML::Node& scope, std::string_view key,
                   std::string_view path, const Config& config, std::vector<std::string>& out) {
  r.StringList(scope, key, path, out);
  const YAML::Node list = scope[std::string(key)];
  if (!list.IsDefined() || !list.IsSequence()) return;
  std::set<std::string> seen;
  for (size_t i = 0; i < list.size() && i < out.size(); ++i) {
    std::string item_path = Index(Child(path, key), i);
    const std::string& section = out[i];
    if (!internal::IsScopeName(section, config)) {
      std::string message = fmt::format("unknown section '{}'", section);
      if (auto suggestion = internal::DidYouMean(section, config.sections)) {
        message += fmt::format(" (did you mean '{}'?)", *suggestion);
      } else {
        message +=
            "; add it to `sections` (or `page.regions`), name every region with "
            "'page/*', or remove it from the scope";
      }
      r.Report(list[i], item_path, std::move(message));
    } else if (!seen.insert(section).second) {
      r.Report(list[i], item_path, fmt::format("section '{}' is listed twice", section));
    }
  }
}

void ReadScope(YamlReader& r, const YAML::Node& triad, std::string_view path, const Config& config,
               triad::Scope& scope) {
  const YAML::Node node = triad["scope"];
  if (!node.IsDefined()) return;
  std::string scope_path = Child(path, "scope");
  if (!r.Map(node, scope_path, {"primary", "reach"})) return;
  ReadScopeList(r, node, "primary", scope_path, config, scope.primary);
  ReadScopeList(r, node, "reach", scope_path, config, scope.reach);
  const std::set<std::string> primary(scope.primary.begin(), scope.primary.end());
  for (size_t i = 0; i < scope.reach.size(); ++i) {
    if (primary.count(scope.reach[i]) > 0) {
      r.Report(
          node["reach"][i], Index(Child(scope_path, "reach"), i),
          fmt::format("section '{}' is already in this triad's primary scope", scope.reach[i]));
    }
  }
}

void ReadTriad(YamlReader& r, const YAML::Node& node, const std::string& path, Config& config) {
  if (!r.Map(node, path, {"id", "preset", "scope", "budget", "objectives", "system_context"})) {
    return;
  }
  triad::TriadOptions triad;
  if (r.Require(node, "id", path)) {
    r.String(node, "id", path, triad.id);
    if (r.WithinLength(node["id"], Child(path, "id"), triad.id, internal::kMaxNameLength) &&
        !internal::HoldsOnly(triad.id, internal::Letters::kAnyCase, "_-")) {
      r.Report(node["id"], Child(path, "id"),
               fmt::format("triad id '{}' may hold only letters, digits, '_' and '-'", triad.id));
    }
  }
  if (r.Require(node, "preset", path)) {
    std::vector<std::string> names;
    for (triad::Preset preset : triad::kAllPresets) {
      names.emplace_back(triad::PresetName(preset));
    }
    if (auto index = r.Choice(node, "preset", path, names))
      triad.preset = triad::kAllPresets[*index];
  }
  ReadScope(r, node, path, config, triad.scope);
  ReadBudget(r, node, "budget", path, triad.budget);
  r.StringList(node, "objectives", path, triad.objectives);
  if (node["system_context"].IsDefined() && !node["system_context"].IsNull()) {
    std::string context;
    r.String(node, "system_context", path, context);
    triad.system_context = context;
  }
  config.triads.push_back(std::move(triad));
}

void ReadTriads(YamlReader& r, const YAML::Node& root, Config& config) {
  if (!r.Require(root, "triads", "")) return;
  const YAML::Node node = root["triads"];
  if (!r.Sequence(node, "triads")) return;
  if (node.size() == 0) r.Report(node, "triads", "at least one triad is required");
  std::set<std::string> ids;
  for (size_t i = 0; i < node.size(); ++i) {
    std::string path = Index("triads", i);
    size_t before = config.triads.size();
    ReadTriad(r, node[i], path, config);
    if (config.triads.size() == before || config.triads.back().id.empty()) continue;
    if (!ids.insert(config.triads.back().id).second) {
      r.Report(node[i]["id"], Child(path, "id"),
               fmt::format("triad id '{}' is used twice", config.triads.back().id));
    }
  }
}

void ReadPressure(YamlReader& r, const YAML::Node& root, pipeline::PressureOptions& pressure) {
  const YAML::Node node = root["pressure"];
  if (!node.IsDefined()) return;
  const std::string path = "pressure";
  if (!r.Map(node, path,
             {"initial_temperature", "temperature_decay", "freeze_threshold",
              "max_negotiation_rounds", "escalation_threshold", "history_window_tokens",
              "global_budget", "per_triad_max", "enforcement", "validation"})) {
    return;
  }
  r.Number(node, "initial_temperature", path, {0, 1}, pressure.initial_temperature);
  r.Number(node, "temperature_decay", path, {0, 1}, pressure.temperature_decay);
  r.Number(node, "freeze_threshold", path, {0, 1}, pressure.freeze_threshold);
  r.Integer(node, "max_negotiation_rounds", path, {1, 100}, pressure.max_negotiation_rounds);
  r.Integer(node, "escalation_threshold", path, {1, 50}, pressure.escalation_threshold);
  r.Integer(node, "history_window_tokens", path, {0, 1000000}, pressure.history_window_tokens);
  ReadBudget(r, node, "global_budget", path, pressure.global_budget);
  ReadBudget(r, node, "per_triad_max", path, pressure.per_triad_max);
  if (auto index = r.Choice(node, "enforcement", path, {"hard", "soft"})) {
    pressure.enforcement = *index == 0 ? agent::Enforcement::kHard : agent::Enforcement::kSoft;
  }
  std::vector<std::string> checks(std::begin(pipeline::kValidationChecks),
                                  std::end(pipeline::kValidationChecks));
  r.StringList(node, "validation", path, pressure.validation);
  for (size_t i = 0; i < pressure.validation.size(); ++i) {
    if (std::find(checks.begin(), checks.end(), pressure.validation[i]) != checks.end()) continue;
    std::string message = fmt::format("unknown validation check '{}'", pressure.validation[i]);
    if (auto suggestion = internal::DidYouMean(pressure.validation[i], checks)) {
      message += fmt::format(" (did you mean '{}'?)", *suggestion);
    }
    r.Report(node["validation"][i], Index(Child(path, "validation"), i), std::move(message));
  }
}

void ReadArbiter(YamlReader& r, const YAML::Node& root, pipeline::ArbiterOptions& arbiter) {
  const YAML::Node node = root["arbiter"];
  if (!node.IsDefined() || !r.Map(node, "arbiter", {"model", "max_tokens", "temperature"})) return;
  r.String(node, "model", "arbiter", arbiter.model);
  if (arbiter.model.empty()) r.Report(node["model"], "arbiter.model", "must not be empty");
  r.Integer(node, "max_tokens", "arbiter", {100, 16000}, arbiter.max_tokens);
  r.Number(node, "temperature", "arbiter", {0, 2}, arbiter.temperature);
}

void ReadOutput(YamlReader& r, const YAML::Node& root, pipeline::OutputOptions& output) {
  const YAML::Node node = root["output"];
  if (!node.IsDefined() ||
      !r.Map(node, "output",
             {"format", "style_system", "include_emergent_report", "include_negotiation_log"})) {
    return;
  }
  std::vector<std::string> formats(std::begin(pipeline::kOutputFormatNames),
                                   std::end(pipeline::kOutputFormatNames));
  if (auto index = r.Choice(node, "format", "output", formats)) {
    output.format = static_cast<pipeline::OutputFormat>(*index);
  }
  std::vector<std::string> styles(std::begin(pipeline::kStyleSystemNames),
                                  std::end(pipeline::kStyleSystemNames));
  if (auto index = r.Choice(node, "style_system", "output", styles)) {
    output.style_system = static_cast<pipeline::StyleSystem>(*index);
    if (output.style_system != pipeline::StyleSystem::kVanilla) {
      r.Report(node["style_system"], "output.style_system",
               fmt::format("'{}' is not supported by HFS's build toolchain (esbuild with the "
                           "format's compiler, no {}); use 'vanilla': plain CSS, which HFS "
                           "scopes to each region",
                           styles[*index], styles[*index]));
    }
  }
  r.Boolean(node, "include_emergent_report", "output", output.include_emergent_report);
  r.Boolean(node, "include_negotiation_log", "output", output.include_negotiation_log);
}

void ReadDocument(YamlReader& r, const YAML::Node& root, Config& config) {
  if (!r.Map(root, "",
             {"triads", "sections", "page", "pressure", "arbiter", "output", "model_tiers",
              "providers", "observability", "prompts_dir"})) {
    return;
  }
  r.String(root, "prompts_dir", "", config.prompts_dir);
  internal::ReadSections(r, root, config);
  internal::ReadPage(r, root, config);
  ReadTriads(r, root, config);
  ReadPressure(r, root, config.pressure);
  ReadArbiter(r, root, config.arbiter);
  ReadOutput(r, root, config.output);
  internal::ReadProviders(r, root, config.providers);
  internal::ReadModelTiers(r, root, config.providers, config.model_tiers);
  internal::ReadObservability(r, root, config.observability);
}

// The file's text, read only up to the size bound: a larger file, or one that is not a
// regular file (/dev/zero, a pipe), is refused.
Result<std::string> ReadConfigText(const std::filesystem::path& path) {
  std::error_code error;
  const std::filesystem::file_status status = std::filesystem::status(path, error);
  if (!std::filesystem::is_regular_file(status)) {
    if (error || !std::filesystem::exists(status) || std::filesystem::is_directory(status)) {
      return ReadFile(path);  // missing, unreachable or a directory: its error
    }
    return Fail(
        ErrorCode::kInvalidArgument,
        fmt::format("{}: not a regular file; a config is a file of at most 1 MiB ({} bytes)",
                    path.string(), internal::kMaxConfigBytes));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return ReadFile(path);  // unreadable: its error
  std::string text(internal::kMaxConfigBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) return Fail(ErrorCode::kDataLoss, fmt::format("error reading {}", path.string()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > internal::kMaxConfigBytes) {
    return Fail(IssuesToError({internal::TooLargeIssue(path.string())}));
  }
  return text;
}

}  // namespace

Result<Config> LoadConfigFromString(std::string_view yaml, std::string_view file_name) {
  YamlReader r{std::string(file_name)};
  Config config;
  for (llm::ProviderOptions& provider : config.providers) {
    Result<keys::ProviderLimits> table = BuiltinLimitTable(provider.name);
    if (!table) return Fail(table.error().WithContext("shipped limit table"));
    provider.limits = std::move(*table);
  }
  if (yaml.size() > internal::kMaxConfigBytes) {
    return Fail(IssuesToError({internal::TooLargeIssue(file_name)}));
  }
  const std::string text = internal::NormalizeLineBreaks(yaml);
  std::vector<ConfigIssue> issues;
  try {
    if (auto issue = internal::CheckYamlLimits(text, file_name)) {
      return Fail(IssuesToError({*issue}));
    }
    YAML::Node root = YAML::Load(text);
    if (!root.IsDefined() || root.IsNull()) {
      const bool blank = text.find_first_not_of(" \t\n") == std::string::npos;
      r.Report(root, "",
               fmt::format("the file is empty{}; expected a mapping with `triads` and `sections`",
                           blank && !text.empty() ? " (only blank lines)" : ""));
    } else {
      if (root.IsMap() && root.size() == 1 && root["config"].IsDefined()) root = root["config"];
      ReadDocument(r, root, config);
    }
    issues = r.issues();
  } catch (const YAML::Exception& e) {
    return Fail(internal::MalformedYaml(file_name, e));
  } catch (const internal::TooManyIssues&) {
    issues = r.issues();
    issues.push_back(
        {.file = std::string(file_name),
         .message = fmt::format("stopped after {} issues; fix these first", internal::kMaxIssues)});
  }
  if (!issues.empty()) return Fail(IssuesToError(issues));
  return config;
}

Result<Config> LoadConfig(const std::filesystem::path& path) {
  Result<std::string> text = ReadConfigText(path);
  if (!text) return Fail(text.error());
  Result<Config> config = LoadConfigFromString(*text, path.string());
  if (!config) return config;
  config->source_path = path.string();
  if (!config->prompts_dir.empty()) {
    // Relative to the config file; the directory's templates must load.
    std::filesystem::path dir(config->prompts_dir);
    if (dir.is_relative()) dir = path.parent_path() / dir;
    config->prompts_dir = dir.lexically_normal().string();
    Result<triad::PromptLibrary> prompts = triad::PromptLibrary::Load(dir);
    if (!prompts) {
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("{}: prompts_dir: {}", path.string(), prompts.error().message));
    }
  }
  return config;
}

}  // namespace hfs::config
