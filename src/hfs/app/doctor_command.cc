// `hfs doctor`: the external validators a run can use; with --provider, what that
// provider's server honours (provider_probe.h).
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "hfs/app/commands.h"
#include "hfs/app/provider_check.h"
#include "hfs/app/provider_probe.h"
#include "hfs/app/validator_setup.h"
#include "hfs/config/load.h"
#include "hfs/keys/key_discovery.h"
#include "hfs/net/curl_transport.h"

namespace hfs::app {
namespace {

using nlohmann::json;

struct ValidatorLine {
  std::string name;
  bool available;
  std::string reason;
};

// The three validators a run would use, from the tools.
std::vector<ValidatorLine> Validators(const pipeline::ValidatorTools& tools) {
  return {{"esbuild", tools.CanBundle(), tools.esbuild.reason},
          {"chromium", tools.CanRender(), tools.chromium.reason},
          {"axe-core", tools.CanAudit(), tools.axe.reason}};
}

json ToolJson(const pipeline::ValidatorTool& tool) {
  return {{"name", tool.name},
          {"available", tool.available},
          {"path", tool.path.string()},
          {"version", tool.version},
          {"reason", tool.reason}};
}

std::string Text(const pipeline::ValidatorTools& tools) {
  std::string out = "Validators directory: ";
  out += tools.dir.empty() ? "none (" + tools.dir_reason + ")\n"
                           : fmt::format("{} ({})\n", tools.dir.string(), tools.dir_reason);
  out += "\nTools:\n";
  for (const pipeline::ValidatorTool& tool : tools.All()) {
    out += fmt::format("  {:<16} {:<10} {:<16} {}\n", tool.name,
                       tool.available ? "available" : "missing",
                       tool.version.empty() ? "-" : tool.version,
                       tool.available ? tool.path.string() : tool.reason);
  }
  out += "\nValidators of `hfs run` (integration phase):\n";
  for (const ValidatorLine& line : Validators(tools)) {
    out += fmt::format("  {:<16} {}\n", line.name,
                       line.available ? "runs" : "skipped: " + line.reason);
  }
  if (!tools.react.available || !tools.react_dom.available) {
    out += "  (react output is bundled only with react and react-dom installed)\n";
  }
  if (tools.CanRender()) {
    out += fmt::format("\nChromium sandbox: {} ({})\n", tools.sandbox.enabled ? "on" : "off",
                       tools.sandbox.reason);
  }
  return out;
}

// --model, else the first model the tiers (fast, general, reasoning), then the pinned
// code models, give the provider.
std::optional<std::string> ProbeModel(const DoctorArgs& args, const config::Config& config) {
  if (!args.model.empty()) return args.model;
  for (tiers::Tier tier : tiers::kAllTiers) {
    auto models = config.model_tiers.tiers.find(tier);
    if (models == config.model_tiers.tiers.end()) continue;
    auto model = models->second.providers.find(args.provider);
    if (model != models->second.providers.end()) return model->second;
  }
  for (const tiers::ModelRef& code : config.model_tiers.code_models) {
    if (code.provider == args.provider) return code.model;
  }
  return std::nullopt;
}

std::string ProbeText(const ProbeReport& report) {
  std::string out =
      fmt::format("Provider {} at {}, model {}, {}\n\n", report.provider, report.url, report.model,
                  report.key_id.empty() ? "no key" : "key " + report.key_id);
  for (const CapabilityVerdict& v : report.verdicts) {
    out += fmt::format("  {:<21} {:<13} {}\n", v.name, VerdictName(v.verdict), v.evidence);
  }
  out += fmt::format(
      "\nTo declare these, paste this under providers.{} in your config (not probed: the "
      "current value):\n\n",
      report.provider);
  return out + CapabilitiesYaml(report.probed);
}

json ProbeJson(const ProbeReport& report) {
  json verdicts = json::array();
  for (const CapabilityVerdict& v : report.verdicts) {
    verdicts.push_back(
        {{"name", v.name}, {"verdict", VerdictName(v.verdict)}, {"evidence", v.evidence}});
  }
  return {{"provider", report.provider},
          {"url", report.url},
          {"model", report.model},
          {"key_id", report.key_id},
          {"verdicts", verdicts},
          {"capabilities", CapabilitiesJson(report.probed)},
          {"yaml", CapabilitiesYaml(report.probed)}};
}

std::string ProviderNames(const std::vector<ProviderStatus>& providers) {
  std::string names;
  for (const ProviderStatus& s : providers) names += (names.empty() ? "" : ", ") + s.provider.name;
  return names;
}

ExitCode ProbeCommand(const DoctorArgs& args, CommandIo& io) {
  Result<config::Config> config = args.config_path.empty()
                                      ? Result<config::Config>(config::Config{})
                                      : config::LoadConfig(args.config_path);
  if (!config) {
    io.err << "Error: " << config.error().message << "\n";
    return ExitCode::kUsage;
  }
  const std::vector<ProviderStatus> providers = CheckProviders(config->providers, io.env);
  auto status = std::find_if(providers.begin(), providers.end(), [&](const ProviderStatus& s) {
    return s.provider.name == args.provider;
  });
  if (status == providers.end()) {
    io.err << fmt::format(
        "Error: unknown provider '{}' (known: {}). A custom provider needs "
        "providers.{}.base_url in the config given with -c.\n",
        args.provider, ProviderNames(providers), args.provider);
    return ExitCode::kUsage;
  }
  keys::DiscoveredKeys found = keys::DiscoverKeys(io.env, args.provider);
  for (const std::string& warning : found.warnings) io.err << "Warning: " << warning << "\n";
  // The probe sends a key as a run would, so it goes only where a run's may.
  if (!status->refusal.empty()) {
    io.err << "Error: " << status->refusal << "\n";
    return ExitCode::kUsage;
  }
  if (found.keys.empty() && status->provider.requires_key) {
    io.err << fmt::format(
        "Error: no key for {}: set {}, or providers.{}.requires_key: false for a server that "
        "needs none.\n",
        args.provider, KeyVariablesHint(args.provider), args.provider);
    return ExitCode::kUsage;
  }
  const std::optional<std::string> model = ProbeModel(args, *config);
  if (!model) {
    io.err << fmt::format("Error: no model of {} in model_tiers: name one with --model.\n",
                          args.provider);
    return ExitCode::kUsage;
  }
  const keys::ApiKey* key = found.keys.empty() ? nullptr : &found.keys.front();
  const ProbeTarget target{.provider = status->provider,
                           .key_id = key != nullptr ? key->id() : "",
                           .key = key != nullptr ? &key->secret : nullptr,
                           .model = *model};
  net::CurlTransport transport;
  SystemClock clock;
  io.err << fmt::format("Probing {} with model {} ...\n", args.provider, *model) << std::flush;
  Result<ProbeReport> report = ProbeProvider(target, transport, clock);
  if (!report) {
    io.err << fmt::format("Error: probing {} stopped: {}\n", args.provider, report.error().message);
    return ExitCode::kRunFailed;
  }
  if (args.mode == OutputMode::kJson) {
    io.out << ProbeJson(*report).dump(2) << "\n";
  } else {
    io.out << ProbeText(*report);
  }
  return ExitCode::kOk;
}

}  // namespace

ExitCode DoctorCommand(const DoctorArgs& args, CommandIo& io) {
  if (!args.provider.empty()) return ProbeCommand(args, io);
  const pipeline::ValidatorTools tools = DetectValidators(io.env, pipeline::VersionProbe::kRun);
  if (args.mode == OutputMode::kJson) {
    json tool_list = json::array();
    for (const pipeline::ValidatorTool& tool : tools.All()) tool_list.push_back(ToolJson(tool));
    json validators = json::array();
    for (const ValidatorLine& line : Validators(tools)) {
      validators.push_back(
          {{"name", line.name}, {"available", line.available}, {"reason", line.reason}});
    }
    io.out << json{{"validators_dir", tools.dir.string()},
                   {"validators_dir_reason", tools.dir_reason},
                   {"tools", tool_list},
                   {"validators", validators},
                   {"chromium_sandbox",
                    {{"enabled", tools.sandbox.enabled}, {"reason", tools.sandbox.reason}}}}
                  .dump(2)
           << "\n";
  } else {
    io.out << Text(tools);
  }
  return ExitCode::kOk;
}

}  // namespace hfs::app
