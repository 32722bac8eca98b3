// `hfs tiers`: the model each triad's roles get in each phase where they call a model
// (tier, the rule that chose it, the candidates over the providers with keys), the pinned
// code models, and the escalation state. `hfs tiers reset` clears the state file.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "hfs/app/commands.h"
#include "hfs/app/provider_check.h"
#include "hfs/config/load.h"
#include "hfs/tiers/escalation_state_file.h"
#include "hfs/tiers/model_selector.h"
#include "hfs/triad/preset.h"
#include "hfs/triad/triad.h"

namespace hfs::app {
namespace {

using nlohmann::json;

constexpr std::string_view kTriadPhases[] = {triad::kDeliberation, triad::kNegotiation,
                                             triad::kExecution};
constexpr std::string_view kArbiterRole = "arbiter";

Result<config::Config> LoadOrDefaults(const std::string& path) {
  if (path.empty()) return config::Config{};
  return config::LoadConfig(path);
}

json ModelsJson(const std::vector<tiers::ModelRef>& models) {
  json out = json::array();
  for (const tiers::ModelRef& model : models) {
    out.push_back({{"provider", model.provider}, {"model", model.model}});
  }
  return out;
}

json Resolution(const tiers::ModelSelector& selector, const tiers::EscalationMap& state,
                const std::string& triad, std::string_view role, std::string_view phase) {
  auto escalated = state.find({.triad = triad, .role = std::string(role)});
  const tiers::SelectorQuery query{
      .triad = triad,
      .role = role,
      .phase = phase,
      .escalated = escalated == state.end() ? std::nullopt : std::optional(escalated->second)};
  json out = {{"triad", triad}, {"role", role}, {"phase", phase}};
  if (tiers::ModelSelector::IsPinnedRole(role)) {
    out["tier"] = nullptr;
    out["source"] = "code_models";
  } else {
    const tiers::TierChoice choice = selector.TierFor(query);
    out["tier"] = tiers::TierName(choice.tier);
    out["source"] = tiers::TierSourceName(choice.source);
  }
  Result<tiers::Selection> selection = selector.Select(query);
  out["candidates"] =
      ModelsJson(selection ? selection->candidates : std::vector<tiers::ModelRef>{});
  out["error"] = selection ? json(nullptr) : json(selection.error().message);
  return out;
}

// Roles to show: each configured triad's preset roles and code_execution, then the
// arbiter; without a config, each preset role outside any triad.
json Resolutions(const config::Config& config, const tiers::ModelSelector& selector,
                 const tiers::EscalationMap& state) {
  json out = json::array();
  for (const triad::TriadOptions& triad : config.triads) {
    for (std::string_view role : triad::DescribePreset(triad.preset).roles) {
      for (std::string_view phase : kTriadPhases) {
        out.push_back(Resolution(selector, state, triad.id, role, phase));
      }
    }
    out.push_back(
        Resolution(selector, state, triad.id, tiers::kCodeExecutionRole, triad::kExecution));
  }
  if (config.triads.empty()) {
    for (triad::Preset preset : triad::kAllPresets) {
      for (std::string_view role : triad::DescribePreset(preset).roles) {
        for (std::string_view phase : kTriadPhases) {
          out.push_back(Resolution(selector, state, "", role, phase));
        }
      }
    }
    out.push_back(Resolution(selector, state, "", tiers::kCodeExecutionRole, triad::kExecution));
  }
  out.push_back(Resolution(selector, state, "", kArbiterRole, triad::kNegotiation));
  return out;
}

json EscalationsJson(const config::Config& config, const tiers::EscalationMap& state) {
  json out = json::array();
  for (const auto& [key, tier] : state) {
    out.push_back({{"key", tiers::RoleKeyName(key)},
                   {"triad", key.triad},
                   {"role", key.role},
                   {"tier", tiers::TierName(tier)},
                   {"source", "state_file"}});
  }
  for (const auto& [name, tier] : config.model_tiers.escalation_state) {
    out.push_back({{"key", name}, {"tier", tiers::TierName(tier)}, {"source", "config"}});
  }
  return out;
}

std::string Candidates(const json& resolution) {
  if (!resolution["error"].is_null()) return "unreachable";
  std::vector<std::string> names;
  for (const json& model : resolution["candidates"]) {
    names.push_back(model["provider"].get<std::string>() + "/" + model["model"].get<std::string>());
  }
  return fmt::format("{}", fmt::join(names, ", "));
}

std::string Text(const json& out) {
  std::string text = fmt::format("Config: {}\n", out["config"].get<std::string>());
  std::vector<std::string> usable = out["usable_providers"].get<std::vector<std::string>>();
  text += fmt::format(
      "Providers with keys: {}\n",
      usable.empty() ? std::string("none") : fmt::format("{}", fmt::join(usable, ", ")));
  text += fmt::format("Escalation state: {} ({} escalated)\n", out["state_file"].get<std::string>(),
                      out["escalations"].size());
  for (const json& escalation : out["escalations"]) {
    text += fmt::format("  {:<28} {:<10} (from the {})\n", escalation["key"].get<std::string>(),
                        escalation["tier"].get<std::string>(),
                        escalation["source"] == "config" ? "config" : "state file");
  }
  text += "\n" + fmt::format("{:<16} {:<15} {:<13} {:<10} {:<15} {}\n", "TRIAD", "ROLE", "PHASE",
                             "TIER", "SOURCE", "MODELS (in fallback order)");
  std::vector<std::string> errors;
  for (const json& row : out["resolutions"]) {
    const std::string triad = row["triad"].get<std::string>();
    text += fmt::format("{:<16} {:<15} {:<13} {:<10} {:<15} {}\n", triad.empty() ? "-" : triad,
                        row["role"].get<std::string>(), row["phase"].get<std::string>(),
                        row["tier"].is_null() ? "pinned" : row["tier"].get<std::string>(),
                        row["source"].get<std::string>(), Candidates(row));
    if (!row["error"].is_null()) {
      std::string error = row["error"].get<std::string>();
      if (std::find(errors.begin(), errors.end(), error) == errors.end()) errors.push_back(error);
    }
  }
  for (const std::string& error : errors) text += "\nunreachable: " + error + "\n";
  return text;
}

ExitCode Show(const TiersArgs& args, const config::Config& config,
              const std::filesystem::path& state_path, CommandIo& io) {
  Result<tiers::EscalationMap> state = tiers::ReadEscalationState(state_path);
  if (!state) {
    io.err << "Error: " << state.error().message << "\n";
    return ExitCode::kUsage;
  }
  std::vector<std::string> usable;
  for (const ProviderStatus& status : CheckProviders(config.providers, io.env)) {
    if (status.usable()) usable.push_back(status.provider.name);
  }
  const tiers::ModelSelector selector(config.model_tiers, usable);
  json out = {{"config", args.config_path.empty() ? "(built-in defaults)" : args.config_path},
              {"state_file", state_path.string()},
              {"usable_providers", usable},
              {"code_models", ModelsJson(config.model_tiers.code_models)},
              {"escalations", EscalationsJson(config, *state)},
              {"resolutions", Resolutions(config, selector, *state)}};
  if (args.mode == OutputMode::kJson) {
    io.out << out.dump(2) << "\n";
  } else {
    io.out << Text(out);
  }
  return ExitCode::kOk;
}

ExitCode Reset(const TiersArgs& args, const Result<config::Config>& config,
               const std::filesystem::path& state_path, CommandIo& io) {
  Result<size_t> cleared = tiers::ClearEscalationState(state_path);
  if (!cleared) {
    io.err << "Error: cannot reset " << state_path.string() << ": " << cleared.error().message
           << "\n";
    return ExitCode::kRunFailed;
  }
  const size_t seeded = config ? config->model_tiers.escalation_state.size() : 0;
  if (args.mode == OutputMode::kJson) {
    io.out << json{{"state_file", state_path.string()},
                   {"cleared", *cleared},
                   {"config_escalations", seeded}}
                  .dump(2)
           << "\n";
    return ExitCode::kOk;
  }
  io.out << fmt::format("Cleared {} escalation{} from {}\n", *cleared, *cleared == 1 ? "" : "s",
                        state_path.string());
  if (seeded > 0) {
    io.out << fmt::format(
        "The config's model_tiers.escalation_state still starts {} role{} escalated; edit the "
        "config to change that.\n",
        seeded, seeded == 1 ? "" : "s");
  }
  return ExitCode::kOk;
}

}  // namespace

ExitCode TiersCommand(const TiersArgs& args, CommandIo& io) {
  const std::filesystem::path state_path = tiers::EscalationStatePath(args.config_path);
  Result<config::Config> config = LoadOrDefaults(args.config_path);
  if (args.action == TiersAction::kReset) return Reset(args, config, state_path, io);
  if (!config) {
    io.err << "Error: " << config.error().message << "\n";
    return ExitCode::kUsage;
  }
  return Show(args, *config, state_path, io);
}

}  // namespace hfs::app
