#include "hfs/app/run_pipeline.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <set>

#include "hfs/app/html_report.h"
#include "hfs/app/interrupt_watcher.h"
#include "hfs/app/progress_display.h"
#include "hfs/app/telemetry.h"
#include "hfs/app/usage_database.h"
#include "hfs/app/validator_setup.h"
#include "hfs/base/file.h"
#include "hfs/base/ids.h"
#include "hfs/base/try.h"
#include "hfs/config/observability_env.h"
#include "hfs/llm/provider_set.h"
#include "hfs/llm/usage_rows.h"
#include "hfs/net/curl_transport.h"
#include "hfs/pipeline/orchestrator.h"
#include "hfs/pipeline/run_report.h"
#include "hfs/pipeline/tier_models.h"
#include "hfs/store/open_database.h"
#include "hfs/tiers/escalation_state_file.h"
#include "hfs/tiers/escalation_tracker.h"
#include "hfs/trace/otlp_json.h"

namespace hfs::app {
namespace {

using nlohmann::json;

// Writes the metrics (OTLP JSON) beside the trace.
Result<void> WriteMetrics(Telemetry& telemetry, const std::filesystem::path& dir) {
  return WriteFileAtomic(
      dir / "metrics.json",
      trace::EncodeMetrics(telemetry.tracer().resource(), telemetry.metrics().Snapshot()) + "\n");
}

// The run's tier escalations for the report.
json EscalationsJson(const std::vector<tiers::Escalation>& escalations) {
  json out = json::array();
  for (const tiers::Escalation& escalation : escalations) {
    out.push_back({{"triad", escalation.triad},
                   {"role", escalation.role},
                   {"phase", escalation.phase},
                   {"from", tiers::TierName(escalation.from)},
                   {"to", tiers::TierName(escalation.to)},
                   {"failures", escalation.failures},
                   {"persist_error", escalation.persist_error}});
  }
  return out;
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

// Where the run's spans went, and what was lost on the way.
std::string TelemetryLine(Telemetry& telemetry) {
  return "  trace: " + telemetry.DeliverySummary() + "\n";
}

// Where to open the page, or why there is nothing to open yet and how to build it.
std::string PageLine(const pipeline::PipelineResult& result, const std::filesystem::path& dir) {
  const std::string& entry = result.merged.entry_point;
  if (result.merged.files.count(entry) == 0) return "";
  const bool built = entry == "index.html" ? result.merged.composition == "index.html"
                                           : entry.rfind("dist/", 0) == 0;
  if (built) return fmt::format("  open: {}\n", (dir / entry).string());
  return fmt::format(
      "  page: not built (the validators' toolchain is missing: run `hfs doctor`); build it with "
      "`cd {} && npm install && npm run build`, then open dist/index.html\n",
      dir.string());
}

std::string Summary(const pipeline::PipelineResult& result, const json& counts,
                    const std::filesystem::path& dir, const std::string& telemetry,
                    const std::string& usage) {
  // The page may be fine while usage rows were not written: the headline says so.
  const char* outcome = !result.success ? "did not succeed"
                        : usage.empty() ? "succeeded"
                                        : "succeeded, but not every usage row reached the database";
  std::string out = fmt::format("Run {}: {}\n", result.run_id, outcome);
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
  if (result.validation.checks_run.empty()) {
    out += "  validation: not run (the run stopped before it)\n";
  } else {
    out += fmt::format("  validation: {} ({} errors, {} warnings)\n",
                       result.validation.passed ? "passed" : "failed",
                       result.validation.counts.errors, result.validation.counts.warnings);
  }
  out += telemetry;
  out += usage;
  out += fmt::format("  output: {}\n", dir.string());
  out += PageLine(result, dir);
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

// The run's telemetry: the observability options with the HFS_OBSERVABILITY_* and OTEL_*
// overrides, and the SQL span sink on its own connection to the usage database.
Result<std::unique_ptr<Telemetry>> OpenTelemetry(const config::Config& config, const RunArgs& args,
                                                 CommandIo& io, Clock& clock,
                                                 const std::filesystem::path& dir,
                                                 net::Transport& transport) {
  trace::ObservabilityOptions options = config.observability;
  HFS_RETURN_IF_ERROR(config::ApplyObservabilityEnv(io.env, options));
  std::shared_ptr<store::Database> spans_database;
  if (options.sql_export) {
    Result<std::unique_ptr<store::Database>> opened =
        store::OpenDatabase(ChosenUsageDbUrl(io.env, args.usage_db));
    if (opened) {
      spans_database = std::move(*opened);
    } else {
      io.err << "Warning: spans are not written to SQL: " << opened.error().message << "\n";
    }
  }
  return StartTelemetry(options,
                        {.clock = clock,
                         .run_dir = dir,
                         .transport = &transport,
                         .usage_database = std::move(spans_database),
                         .service_version = HFS_VERSION},
                        io.err);
}

// Writes hfs-report.json, metrics.json and (once the telemetry has shut down, so that
// trace.jsonl is complete) report.html. False when the report cannot be written.
bool RecordRun(const std::filesystem::path& dir, const pipeline::PipelineResult& result,
               const std::vector<tiers::Escalation>& escalations, Telemetry& telemetry,
               CommandIo& io) {
  json report = pipeline::RunReportJson(result);
  report["tier_escalations"] = EscalationsJson(escalations);
  Result<void> written = WriteFileAtomic(dir / "hfs-report.json", report.dump(2) + "\n");
  if (Result<void> metrics = WriteMetrics(telemetry, dir); !metrics) {
    io.err << "Warning: " << metrics.error().message << "\n";
  }
  if (Result<void> finished = telemetry.Shutdown(); !finished) {
    io.err << "Warning: telemetry: " << finished.error().message << "\n";
  }
  if (!written) {
    io.err << "Error: cannot write the run to " << dir.string() << ": " << written.error().message
           << "\n";
    return false;
  }
  if (Result<void> html = WriteHtmlReport(dir); !html) {
    io.err << "Warning: " << kHtmlReportFileName << ": " << html.error().message << "\n";
  }
  return true;
}

// The summary, or with --json one JSON document, on stdout.
void PrintOutcome(const RunArgs& args, const std::filesystem::path& dir,
                  const pipeline::PipelineResult& result, Telemetry& telemetry,
                  const store::UsageCloseReport& usage, CommandIo& io) {
  const json counts = pipeline::RunCounts(result);
  if (args.mode == OutputMode::kJson) {
    json timings = json::object();
    for (const pipeline::PhaseTiming& timing : result.timings) {
      timings[timing.phase] =
          std::chrono::duration_cast<std::chrono::milliseconds>(timing.duration).count();
    }
    io.out << json{{"run_id", result.run_id},
                   {"run_dir", dir.string()},
                   {"success", result.success},
                   {"error", result.error ? json(result.error->message) : json(nullptr)},
                   {"page", (dir / result.merged.entry_point).string()},
                   {"page_built", result.merged.entry_point != "index.html" ||
                                      result.merged.composition == "index.html"},
                   {"phase_ms", timings},
                   {"counts", counts},
                   {"usage_rows",
                    {{"recorded", usage.recorded},
                     {"written", usage.written},
                     {"spilled", usage.spilled},
                     {"spill_file", usage.spill_path.string()},
                     {"lost", usage.unsaved}}}}
                  .dump(2)
           << "\n";
  } else {
    io.out << Summary(result, counts, dir, TelemetryLine(telemetry), UsageSavedLine(usage));
  }
  io.out << std::flush;
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
  net::CurlTransport transport;
  Result<std::unique_ptr<Telemetry>> telemetry =
      OpenTelemetry(config, args, io, clock, dir, transport);
  if (!telemetry) {
    io.err << "Error: " << telemetry.error().message << "\n";
    return ExitCode::kUsage;
  }
  const trace::TraceScope scope = (*telemetry)->Scope();
  trace::Span run =
      scope.Start("hfs.run", {{"hfs.run.id", run_id},
                              {"hfs.run.request_summary", args.request.substr(0, 100)},
                              {"hfs.run.triad_count", static_cast<int64_t>(config.triads.size())}});
  const trace::TraceScope run_scope = scope.Under(run);
  std::unique_ptr<ProgressDisplay> progress;
  llm::ProviderSet providers(
      config.providers, io.env, transport, clock,
      {.client = {.on_receive =
                      [&progress](const llm::ReceiveProgress& received) {
                        if (progress)
                          progress->Receiving(received.call, received.chars, received.done);
                      }},
       .rotating = {.on_call = [&usage, &progress](const llm::ProviderCall& call) {
         usage.Record(llm::ToUsageRecord(call));
         if (progress) progress->CountRequest(call.prompt_tokens + call.completion_tokens);
       }}});
  providers.Hydrate(RecentUsageOrWarn(usage, clock.Now() - std::chrono::hours(24), io.err));
  progress = std::make_unique<ProgressDisplay>(
      io.err, io.err_is_terminal ? ProgressMode::kTerminal : ProgressMode::kLines, clock,
      [&providers, &clock] { return CoolingKeys(providers, clock); });
  std::vector<std::pair<std::string, llm::Model*>> models;
  for (const llm::ProviderEntry& entry : providers.entries()) {
    models.emplace_back(entry.options.name, entry.model.get());
  }
  Result<std::unique_ptr<tiers::EscalationTracker>> escalations = tiers::EscalationTracker::Open(
      {.state_path = tiers::EscalationStatePath(config.source_path),
       .on_escalation = [&progress, run_scope](const tiers::Escalation& escalation) {
         // A tier change is a span of its own (the run span belongs to this thread).
         run_scope.Start("hfs.tier.escalation",
                         {{"hfs.triad.id", escalation.triad},
                          {"hfs.agent.role", escalation.role},
                          {"hfs.phase.name", escalation.phase},
                          {"hfs.tier.from", tiers::TierName(escalation.from)},
                          {"hfs.tier.to", tiers::TierName(escalation.to)},
                          {"hfs.tier.failures", escalation.failures}});
         progress->Note("escalated " + tiers::DescribeEscalation(escalation));
       }});
  if (!escalations) {
    io.err << "Error: " << escalations.error().message << "\n";
    return ExitCode::kUsage;
  }
  pipeline::TierModels tiers(config.model_tiers, std::move(models), escalations->get());
  state::SharedStateManager shared_state({.state_path = dir / ".hfs" / "state.md"}, clock);
  GracefulStop stop(io);
  // The external validators of the integration phase (skipped, with the reason, when their
  // tools are missing); the page's screenshot goes to the run directory.
  const pipeline::ToolValidators validators(DetectValidators(io.env),
                                            {.screenshot = dir / "screenshot.png"});
  pipeline::Orchestrator orchestrator(
      {.triads = config.triads,
       .sections = config.sections,
       .roles = config.section_roles,
       .page = config.page,
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
       .trace = run_scope,
       .state = &shared_state,
       .external_validator = &validators});
  pipeline::PipelineResult result = orchestrator.Run(args.request);
  progress->Stop();
  EndRunSpan(run, result);
  // A bounded flush; rows the database does not take are saved to the spill file.
  const store::UsageCloseReport saved = usage.Close();
  const bool recorded = RecordRun(dir, result, tiers.Escalations(), **telemetry, io);
  if (recorded) PrintOutcome(args, dir, result, **telemetry, saved, io);
  stop.Done();
  if (!recorded) return ExitCode::kRunFailed;
  return result.success ? ExitCode::kOk : ExitCode::kRunFailed;
}

}  // namespace hfs::app
