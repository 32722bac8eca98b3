#include "hfs/app/run_pipeline.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "hfs/base/file.h"
#include "hfs/base/ids.h"
#include "hfs/base/try.h"
#include "hfs/llm/provider_set.h"
#include "hfs/llm/usage_rows.h"
#include "hfs/net/curl_transport.h"
#include "hfs/pipeline/orchestrator.h"
#include "hfs/pipeline/run_report.h"
#include "hfs/pipeline/tier_models.h"

namespace hfs::app {
namespace {

using nlohmann::json;

// Writes the merged files and the report; returns the first failure.
Result<void> WriteRun(const std::filesystem::path& dir, const pipeline::PipelineResult& result,
                      const json& report) {
  for (const auto& [path, content] : result.merged.files) {
    HFS_RETURN_IF_ERROR(WriteFileAtomic(dir / path, content));
  }
  return WriteFileAtomic(dir / "hfs-report.json", report.dump(2) + "\n");
}

std::string Summary(const pipeline::PipelineResult& result, const json& counts,
                    const std::filesystem::path& dir) {
  std::string out =
      fmt::format("Run {}: {}\n", result.run_id, result.success ? "succeeded" : "did not succeed");
  if (result.error) out += fmt::format("  reason: {}\n", result.error->message);
  for (const pipeline::PhaseTiming& timing : result.timings) {
    out +=
        fmt::format("  {:<13} {:>8} ms\n", timing.phase,
                    std::chrono::duration_cast<std::chrono::milliseconds>(timing.duration).count());
  }
  out += fmt::format(
      "  rounds {}, contested sections {}, escalations {} ({} by fallback), files {}, tokens {}\n",
      counts["rounds"].get<int>(), counts["contested_sections"].get<int>(),
      counts["escalations"].get<int>(), counts["fallbacks"].get<int>(), counts["files"].get<int>(),
      counts["tokens"].get<int64_t>());
  out += fmt::format("  validation: {} ({} errors, {} warnings)\n",
                     result.validation.passed ? "passed" : "failed",
                     result.validation.counts.errors, result.validation.counts.warnings);
  out += fmt::format("  output: {}\n", dir.string());
  return out;
}

}  // namespace

ExitCode RunPipeline(const config::Config& config, const RunArgs& args, store::UsageStore& usage,
                     CommandIo& io) {
  Result<triad::PromptLibrary> prompts = triad::PromptLibrary::Load(config.prompts_dir);
  if (!prompts) {
    io.err << "Error: " << prompts.error().message << "\n";
    return ExitCode::kUsage;
  }
  SystemClock clock;
  net::CurlTransport transport;
  llm::ProviderSet providers(config.providers, io.env, transport, clock,
                             {.rotating = {.on_call = [&usage](const llm::ProviderCall& call) {
                                usage.Record(llm::ToUsageRecord(call));
                              }}});
  if (Result<std::vector<store::UsageRecord>> recent =
          usage.Recent(clock.Now() - std::chrono::hours(24))) {
    providers.Hydrate(*recent);
  }
  std::vector<std::pair<std::string, llm::Model*>> models;
  for (const llm::ProviderEntry& entry : providers.entries()) {
    models.emplace_back(entry.options.name, entry.model.get());
  }
  pipeline::TierModels tiers(config.model_tiers, std::move(models));
  const std::string run_id = NewRunId(clock.Now());
  pipeline::Orchestrator orchestrator({.triads = config.triads,
                                       .sections = config.sections,
                                       .pressure = config.pressure,
                                       .arbiter = config.arbiter,
                                       .output = config.output,
                                       .run_id = run_id},
                                      {.models = &tiers,
                                       .prompts = &*prompts,
                                       .clock = &clock,
                                       .on_phase = [&io](const std::string& phase) {
                                         io.err << "  phase " << phase << " done\n";
                                       }});
  pipeline::PipelineResult result = orchestrator.Run(args.request);
  (void)usage.Flush();
  const std::filesystem::path dir = std::filesystem::path(args.output_dir) / run_id;
  const json report = pipeline::RunReportJson(result);
  Result<void> written = WriteRun(dir, result, report);
  if (!written) {
    io.err << "Error: cannot write the run to " << dir.string() << ": " << written.error().message
           << "\n";
    return ExitCode::kRunFailed;
  }
  const json counts = pipeline::RunCounts(result);
  if (args.mode == OutputMode::kJson) {
    json timings = json::object();
    for (const pipeline::PhaseTiming& timing : result.timings) {
      timings[timing.phase] =
          std::chrono::duration_cast<std::chrono::milliseconds>(timing.duration).count();
    }
    io.out << json{{"run_id", run_id},
                   {"run_dir", dir.string()},
                   {"success", result.success},
                   {"error", result.error ? json(result.error->message) : json(nullptr)},
                   {"phase_ms", timings},
                   {"counts", counts}}
                  .dump(2)
           << "\n";
  } else {
    io.out << Summary(result, counts, dir);
  }
  return result.success ? ExitCode::kOk : ExitCode::kRunFailed;
}

}  // namespace hfs::app
