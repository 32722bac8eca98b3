#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "hfs/app/commands.h"
#include "hfs/app/config_summary.h"
#include "hfs/app/preflight.h"
#include "hfs/app/provider_check.h"
#include "hfs/app/run_pipeline.h"
#include "hfs/app/run_plan.h"
#include "hfs/config/load.h"
#include "hfs/tiers/escalation_state_file.h"

namespace hfs::app {
namespace {

nlohmann::json ProvidersJson(const std::vector<ProviderStatus>& status) {
  nlohmann::json out = nlohmann::json::array();
  for (const ProviderStatus& s : status) {
    out.push_back({{"name", s.provider.name},
                   {"status", !s.provider.enabled ? "disabled"
                              : s.usable()        ? "ok"
                                                  : "missing"},
                   {"base_url", s.provider.base_url},
                   {"keys", s.key_ids},
                   {"warnings", s.warnings}});
  }
  return out;
}

// The escalations earlier runs recorded beside the config, which the run starts with; an
// unreadable file counts as none here (the run itself then stops naming it).
tiers::EscalationMap RecordedEscalations(const config::Config& config) {
  return tiers::ReadEscalationState(tiers::EscalationStatePath(config.source_path))
      .value_or(tiers::EscalationMap{});
}

// --dry-run: the plan and the pre-flight. Exit code 2 when the providers that have keys
// leave a role without a model, as the run would; with no keys at all it is the plan of a
// run to come (exit code 0).
ExitCode DryRun(const RunArgs& args, const config::Config& config, const Preflight& preflight,
                CommandIo& io) {
  RunPlan plan = PlanRun(config);
  if (args.mode == OutputMode::kJson) {
    nlohmann::json out = PlanToJson(config, plan);
    out["preflight"] = PreflightToJson(preflight);
    io.out << out.dump(2) << "\n";
  } else {
    io.out << fmt::format("Config: {} ({} triads, {} sections)\nRequest: {}\n\n", args.config_path,
                          config.triads.size(), config.sections.size(), args.request)
           << RenderPlan(config, plan) << RenderPreflight(preflight);
  }
  const bool stops = !preflight.ok() && !preflight.usable_providers.empty();
  return stops ? ExitCode::kUsage : ExitCode::kOk;
}

// A run the pre-flight stops: what is missing and what to set, before any model call.
void ReportPreflightFailure(const Preflight& preflight,
                            const std::vector<ProviderStatus>& providers, bool json,
                            CommandIo& io) {
  if (json) {
    std::vector<std::string> messages;
    for (const PreflightProblem& problem : preflight.problems) messages.push_back(problem.message);
    io.out << nlohmann::json{{"success", false},
                             {"error", fmt::format("pre-flight: {}", fmt::join(messages, " "))},
                             {"providers", ProvidersJson(providers)},
                             {"preflight", PreflightToJson(preflight)}}
                  .dump(2)
           << "\n";
    return;
  }
  io.err << "Providers:\n" << ProviderTable(providers) << "\n" << PreflightFailure(preflight);
}

}  // namespace

ExitCode RunCommand(const RunArgs& args, CommandIo& io) {
  const bool json = args.mode == OutputMode::kJson;
  Result<config::Config> config = config::LoadConfig(args.config_path);
  if (!config) {
    if (json) {
      io.out << nlohmann::json{{"success", false}, {"error", config.error().message}}.dump(2)
             << "\n";
    } else {
      io.err << "Invalid config:\n" << config.error().message << "\n";
    }
    return ExitCode::kUsage;
  }
  if (args.request.find_first_not_of(" \t\r\n") == std::string::npos) {
    io.err << "Error: the request (-r) is empty; describe the frontend to build.\n";
    return ExitCode::kUsage;
  }
  std::vector<ProviderStatus> providers = CheckProviders(config->providers, io.env);
  // Every role the run needs must have a model at a provider with keys (see preflight.h).
  const Preflight preflight = CheckPreflight(*config, providers, RecordedEscalations(*config));
  if (args.run_mode == RunMode::kDryRun) return DryRun(args, *config, preflight, io);
  if (!AnyUsable(providers)) {
    if (json) {
      io.out << nlohmann::json{{"success", false},
                               {"error", "no API keys configured"},
                               {"providers", ProvidersJson(providers)}}
                    .dump(2)
             << "\n";
    } else {
      io.err << MissingKeysGuidance(providers);
    }
    return ExitCode::kUsage;
  }
  Result<std::unique_ptr<store::UsageStore>> usage = OpenUsageStore(io.env, args.usage_db, io.err);
  if (!usage) {
    io.err << "Error: " << usage.error().message << "\n";
    return ExitCode::kUsage;
  }
  if (!preflight.ok()) {
    ReportPreflightFailure(preflight, providers, json, io);
    return ExitCode::kUsage;
  }
  store::UsageStore& usage_store = **usage;
  InterruptRegistration flush_on_interrupt;
  if (io.interrupts != nullptr) {
    // Bounded: a database that does not answer must not hold up the interrupt.
    flush_on_interrupt = io.interrupts->OnInterrupt(
        [&usage_store] { (void)usage_store.Flush(std::chrono::seconds(5)); });
  }
  if (!json) io.err << "Providers:\n" << ProviderTable(providers) << "\n";
  for (const std::string& notice : preflight.notices) io.err << "Notice: " << notice << "\n";
  return RunPipeline(*config, args, usage_store, io);
}

}  // namespace hfs::app
