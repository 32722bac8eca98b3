#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "hfs/app/commands.h"
#include "hfs/app/config_summary.h"
#include "hfs/app/provider_check.h"
#include "hfs/app/run_pipeline.h"
#include "hfs/app/run_plan.h"
#include "hfs/config/load.h"

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
  if (args.run_mode == RunMode::kDryRun) {
    RunPlan plan = PlanRun(*config);
    if (json) {
      io.out << PlanToJson(*config, plan).dump(2) << "\n";
    } else {
      io.out << fmt::format("Config: {} ({} triads, {} sections)\nRequest: {}\n\n",
                            args.config_path, config->triads.size(), config->sections.size(),
                            args.request)
             << RenderPlan(*config, plan);
    }
    return ExitCode::kOk;
  }
  std::vector<ProviderStatus> providers = CheckProviders(config->providers, io.env);
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
  store::UsageStore& usage_store = **usage;
  InterruptRegistration flush_on_interrupt;
  if (io.interrupts != nullptr) {
    flush_on_interrupt = io.interrupts->OnInterrupt([&usage_store] { (void)usage_store.Flush(); });
  }
  if (!json) io.err << "Providers:\n" << ProviderTable(providers) << "\n";
  return RunPipeline(*config, args, usage_store, io);
}

}  // namespace hfs::app
