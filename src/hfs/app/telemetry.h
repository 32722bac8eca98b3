// hfs/app/telemetry.h
//
// Telemetry: the tracing and metrics of one run, built from the `observability` options
// (after config::ApplyObservabilityEnv). StartTelemetry makes a Tracer whose spans go,
// each through its own BatchProcessor (so a slow sink drops spans, never slows the run), to
//   - <run_dir>/trace.jsonl (always; `hfs trace` reads it),
//   - an OTLP/HTTP collector when otlp_endpoint is set (POST /v1/traces),
//   - the spans table of the usage database when sql_export is on and a database is given;
// and a MetricsRegistry whose snapshot ExportMetrics sends to the collector (POST
// /v1/metrics) and Shutdown sends once more at the end.
//
//   // The SQL sink gets its own connection to the usage database (null: no SQL export).
//   std::shared_ptr<store::Database> spans_db =
//       HFS_TRY(store::OpenDatabase(ChosenUsageDbUrl(io.env, args.usage_db)));
//   auto telemetry = HFS_TRY(StartTelemetry(config.observability,
//       {.clock = clock, .run_dir = dir, .transport = &transport,
//        .usage_database = spans_db, .service_version = HFS_VERSION}, io.err));
//   trace::TraceScope scope = telemetry->Scope();   // tracer, metrics, include_content
//   trace::Span run = scope.Start("hfs.run", {{"hfs.run.id", run_id}});
//   ...
//   run.End();
//   if (auto done = telemetry->Shutdown(); !done) io.err << "Warning: " << done.error().message;
//   std::string line = telemetry->DeliverySummary();  // where the spans went, what was lost
//
// tracer(), metrics(), Scope(), ExportMetrics and stats are thread-safe; Shutdown (and the
// destructor) belong to the owner, after the run's threads have joined. An OTLP or SQL
// sink that cannot be set up is a warning on `warnings`, not an error: the run goes on
// with trace.jsonl. StartTelemetry fails only when trace.jsonl cannot be opened (the
// JsonlExporter error: kPermissionDenied, kNotFound or kUnavailable naming the path).
// Shutdown returns the error of trace.jsonl only: what the collector and the SQL store did
// not take is counted, with the reason, in stats() and DeliverySummary(). Shutdown sends
// the queued spans first, then the last metrics; everything it sends to the collector
// shares one deadline, observability.otlp_exit_timeout (2 s by default; a request already
// in flight keeps its own timeout). The SQL store may retry a kept backlog for its
// final_retry_window (hfs/store/span_store.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "hfs/base/clock.h"
#include "hfs/base/error.h"
#include "hfs/net/otlp_http_exporter.h"
#include "hfs/net/transport.h"
#include "hfs/store/database.h"
#include "hfs/store/span_store.h"
#include "hfs/trace/batch_processor.h"
#include "hfs/trace/metrics.h"
#include "hfs/trace/observability_options.h"
#include "hfs/trace/trace_scope.h"
#include "hfs/trace/tracer.h"

namespace hfs::app {

struct TelemetryDeps {
  Clock& clock;
  // trace.jsonl is written here (created when missing).
  std::filesystem::path run_dir;
  // For OTLP export; null = no OTLP even when an endpoint is set (with a warning). Must
  // outlive the Telemetry.
  net::Transport* transport = nullptr;
  // For sql_export (a connection to the usage database, shared with whoever else uses
  // it); null = no SQL export (with a warning when sql_export is on).
  std::shared_ptr<store::Database> usage_database;
  std::string service_version;
  trace::BatchOptions batch;  // for every sink
  // Retry and timeout settings; endpoint and headers come from the options.
  net::OtlpHttpOptions otlp;
};

struct TelemetryStats {
  // Spans each sink's processor dropped because its queue was full (summed).
  uint64_t dropped_spans = 0;
  // What the OTLP exporter and the SQL span store counted (zero when they are off).
  net::OtlpExportStats otlp;
  store::SpanStoreStats sql;
};

class Telemetry {
 public:
  ~Telemetry();  // shuts down
  Telemetry(const Telemetry&) = delete;
  Telemetry& operator=(const Telemetry&) = delete;

  // The root scope of the run: this tracer and registry, no parent, and
  // observability.include_content.
  trace::TraceScope Scope();
  trace::Tracer& tracer() { return *tracer_; }
  trace::MetricsRegistry& metrics() { return *metrics_; }
  const std::filesystem::path& trace_file() const { return trace_file_; }
  bool otlp_enabled() const { return otlp_ != nullptr; }
  bool sql_enabled() const { return sql_ != nullptr; }

  // Sends the current metrics snapshot to the collector; Ok without a collector.
  Result<void> ExportMetrics();
  // A last ExportMetrics, then flushes and stops every sink. Idempotent.
  Result<void> Shutdown();
  TelemetryStats stats() const;
  // One line for the run summary: "trace.jsonl, OTLP collector (326 of 326 spans
  // acknowledged), SQL (326 of 326 spans stored)", with what was lost and why.
  std::string DeliverySummary() const;

 private:
  friend Result<std::unique_ptr<Telemetry>> StartTelemetry(
      const trace::ObservabilityOptions& options, TelemetryDeps deps, std::ostream& warnings);
  Telemetry() = default;

  std::filesystem::path trace_file_;
  std::unique_ptr<trace::Tracer> tracer_;
  std::unique_ptr<trace::MetricsRegistry> metrics_;
  std::vector<std::shared_ptr<trace::BatchProcessor>> processors_;
  std::shared_ptr<net::OtlpHttpExporter> otlp_;
  std::shared_ptr<store::SpanStore> sql_;
  Clock* clock_ = nullptr;
  Duration otlp_exit_timeout_{0};
  bool include_content_ = false;
  bool shut_down_ = false;
};

Result<std::unique_ptr<Telemetry>> StartTelemetry(const trace::ObservabilityOptions& options,
                                                  TelemetryDeps deps, std::ostream& warnings);

}  // namespace hfs::app
