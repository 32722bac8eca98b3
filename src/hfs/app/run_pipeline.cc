#include "hfs/app/run_pipeline.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <set>

#include "hfs/app/interrupt_watcher.h"
#include "hfs/app/progress_display.h"
#include "hfs/base/file.h"
#include "hfs/base/ids.h"
#include "hfs/base/try.h"
#include "hfs/llm/provider_set.h"
#include "hfs/llm/usage_rows.h"
#include "hfs/net/curl_transport.h"
#include "hfs/pipeline/orchestrator.h"
#include "hfs/pipeline/run_report.h"
#include "hfs/pipeline/tier_models.h"
#include "hfs/trace/batch_processor.h"
#include "hfs/trace/jsonl_exporter.h"
#include "hfs/trace/metrics.h"
#include "hfs/trace/otlp_json.h"
#include "hfs/trace/tracer.h"

namespace hfs::app {
namespace {

using nlohmann::json;

// The run's tracer (spans to OUTPUT_DIR/<run-id>/trace.jsonl) and metrics registry.
struct Telemetry {
  std::unique_ptr<trace::Tracer> tracer;
  std::unique_ptr<trace::MetricsRegistry> metrics;
  trace::TraceScope scope;
};

Result<Telemetry> StartTelemetry(const trace::ObservabilityOptions& options,
                                 const std::filesystem::path& dir, Clock& clock) {
  Telemetry telemetry;
  telemetry.tracer = std::make_unique<trace::Tracer>(
      clock, trace::Resource{.service_name = options.service_name, .service_version = HFS_VERSION});
  std::unique_ptr<trace::JsonlExporter> jsonl =
      HFS_TRY(trace::JsonlExporter::Open(dir / "trace.jsonl", telemetry.tracer->resource()));
  telemetry.tracer->AddProcessor(std::make_shared<trace::BatchProcessor>(std::move(jsonl)));
  telemetry.metrics = std::make_unique<trace::MetricsRegistry>(clock);
  telemetry.scope = {.tracer = telemetry.tracer.get(),
                     .metrics = telemetry.metrics.get(),
                     .include_content = options.include_content};
  return telemetry;
}

// Flushes the spans and writes the metrics (OTLP JSON) beside them.
Result<void> FinishTelemetry(Telemetry& telemetry, const std::filesystem::path& dir) {
  HFS_RETURN_IF_ERROR(telemetry.tracer->Shutdown());
  return WriteFileAtomic(
      dir / "metrics.json",
      trace::EncodeMetrics(telemetry.tracer->resource(), telemetry.metrics->Snapshot()) + "\n");
}

// Writes the merged files; returns the first failure.
Result<void> WriteFiles(const std::filesystem::path& dir, const pipeline::PipelineResult& result) {
  for (const auto& [path, content] : result.merged.files) {
    HFS_RETURN_IF_ERROR(WriteFileAtomic(dir / path, content));
  }
  return Ok();
}

void EndRunSpan(trace::Span& run, const pipeline::PipelineResult& result) {
  Duration total{0};
  for (const pipeline::PhaseTiming& timing : result.timings) total += timing.duration;
  run.SetAttribute("hfs.run.total_duration_ms",
                   std::chrono::duration_cast<std::chrono::milliseconds>(total).count());
  run.SetAttribute("hfs.run.success", result.success);
  if (result.error) {
    run.SetAttribute("hfs.run.error", result.error->ToString());
    run.RecordError(*result.error);
  }
  run.End();
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

// Lets an interrupt stop the run gracefully: the first SIGINT/SIGTERM sets `cancelled`
// and waits (up to kGrace) until the run has written its partial report.
class GracefulStop {
 public:
  static constexpr auto kGrace = std::chrono::seconds(60);

  GracefulStop(CommandIo& io) {
    if (io.interrupts == nullptr) return;
    registration_ = io.interrupts->OnInterrupt([this, &io] {
      cancelled_ = true;
      io.err << "\nInterrupted: stopping before the next model call and writing a partial "
                "report (interrupt again to quit at once).\n"
             << std::flush;
      MutexLock lock(mu_);
      done_cv_.WaitUntil(mu_, std::chrono::steady_clock::now() + kGrace,
                         [this]() HFS_NO_THREAD_SAFETY_ANALYSIS { return done_; });
    });
  }
  const std::atomic<bool>* cancelled() const { return &cancelled_; }
  void Done() {
    MutexLock lock(mu_);
    done_ = true;
    done_cv_.NotifyAll();
  }

 private:
  std::atomic<bool> cancelled_{false};
  Mutex mu_;
  CondVar done_cv_;
  bool done_ HFS_GUARDED_BY(mu_) = false;
  InterruptRegistration registration_;  // last: removed first
};

// The quota scopes (a key, or the keys sharing one quota) cooling down now.
int CoolingKeys(const llm::ProviderSet& providers, const Clock& clock) {
  const Timestamp now = clock.Now();
  std::set<std::string> cooling;
  for (const llm::ProviderEntry& entry : providers.entries()) {
    for (const keys::BucketStatus& bucket : entry.pool->Buckets()) {
      if (bucket.cooldown_until > now) cooling.insert(entry.options.name + "/" + bucket.scope);
    }
  }
  return static_cast<int>(cooling.size());
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
  const std::string run_id = NewRunId(clock.Now());
  const std::filesystem::path dir = std::filesystem::path(args.output_dir) / run_id;
  Result<Telemetry> telemetry = StartTelemetry(config.observability, dir, clock);
  if (!telemetry) {
    io.err << "Error: " << telemetry.error().message << "\n";
    return ExitCode::kRunFailed;
  }
  std::unique_ptr<ProgressDisplay> progress;
  net::CurlTransport transport;
  llm::ProviderSet providers(
      config.providers, io.env, transport, clock,
      {.rotating = {.on_call = [&usage, &progress](const llm::ProviderCall& call) {
         usage.Record(llm::ToUsageRecord(call));
         if (progress) progress->CountRequest(call.prompt_tokens + call.completion_tokens);
       }}});
  if (Result<std::vector<store::UsageRecord>> recent =
          usage.Recent(clock.Now() - std::chrono::hours(24))) {
    providers.Hydrate(*recent);
  }
  progress = std::make_unique<ProgressDisplay>(
      io.err, io.err_is_terminal ? ProgressMode::kTerminal : ProgressMode::kLines, clock,
      [&providers, &clock] { return CoolingKeys(providers, clock); });
  std::vector<std::pair<std::string, llm::Model*>> models;
  for (const llm::ProviderEntry& entry : providers.entries()) {
    models.emplace_back(entry.options.name, entry.model.get());
  }
  pipeline::TierModels tiers(config.model_tiers, std::move(models));
  GracefulStop stop(io);
  trace::Span run = telemetry->scope.Start(
      "hfs.run", {{"hfs.run.id", run_id},
                  {"hfs.run.request_summary", args.request.substr(0, 100)},
                  {"hfs.run.triad_count", static_cast<int64_t>(config.triads.size())}});
  pipeline::Orchestrator orchestrator(
      {.triads = config.triads,
       .sections = config.sections,
       .pressure = config.pressure,
       .arbiter = config.arbiter,
       .output = config.output,
       .run_id = run_id},
      {.models = &tiers,
       .prompts = &*prompts,
       .clock = &clock,
       .on_phase_start = [&progress](const std::string& phase) { progress->PhaseStarted(phase); },
       .on_phase = [&progress](const std::string& phase) { progress->PhaseDone(phase); },
       .on_round = [&progress](const pipeline::RoundSummary& round) { progress->RoundDone(round); },
       .write_output =
           [&dir](const pipeline::PipelineResult& result) { return WriteFiles(dir, result); },
       .cancelled = stop.cancelled(),
       .trace = telemetry->scope.Under(run)});
  pipeline::PipelineResult result = orchestrator.Run(args.request);
  progress->Stop();
  EndRunSpan(run, result);
  (void)usage.Flush();
  const json report = pipeline::RunReportJson(result);
  Result<void> written = WriteFileAtomic(dir / "hfs-report.json", report.dump(2) + "\n");
  if (Result<void> finished = FinishTelemetry(*telemetry, dir); !finished) {
    io.err << "Warning: " << finished.error().message << "\n";
  }
  if (!written) {
    io.err << "Error: cannot write the run to " << dir.string() << ": " << written.error().message
           << "\n";
    stop.Done();
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
  io.out << std::flush;
  stop.Done();
  return result.success ? ExitCode::kOk : ExitCode::kRunFailed;
}

}  // namespace hfs::app
