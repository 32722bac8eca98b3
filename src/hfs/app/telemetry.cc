#include "hfs/app/telemetry.h"

#include <fmt/format.h>

#include "hfs/base/try.h"
#include "hfs/trace/jsonl_exporter.h"

namespace hfs::app {
namespace {

constexpr char kTraceFileName[] = "trace.jsonl";

void AddSink(trace::Tracer& tracer, std::vector<std::shared_ptr<trace::BatchProcessor>>& processors,
             std::shared_ptr<trace::SpanExporter> exporter, const trace::BatchOptions& batch) {
  auto processor = std::make_shared<trace::BatchProcessor>(std::move(exporter), batch);
  tracer.AddProcessor(processor);
  processors.push_back(std::move(processor));
}

}  // namespace

Result<std::unique_ptr<Telemetry>> StartTelemetry(const trace::ObservabilityOptions& options,
                                                  TelemetryDeps deps, std::ostream& warnings) {
  trace::Resource resource{.service_name = options.service_name,
                           .service_version = deps.service_version};
  const std::filesystem::path trace_file = deps.run_dir / kTraceFileName;
  std::shared_ptr<trace::JsonlExporter> file =
      HFS_TRY(trace::JsonlExporter::Open(trace_file, resource));
  std::unique_ptr<Telemetry> telemetry(new Telemetry());
  telemetry->trace_file_ = trace_file;
  telemetry->include_content_ = options.include_content;
  telemetry->clock_ = &deps.clock;
  telemetry->otlp_exit_timeout_ = options.otlp_exit_timeout;
  telemetry->tracer_ = std::make_unique<trace::Tracer>(deps.clock, resource);
  telemetry->metrics_ = std::make_unique<trace::MetricsRegistry>(deps.clock);
  trace::Tracer& tracer = *telemetry->tracer_;
  AddSink(tracer, telemetry->processors_, std::move(file), deps.batch);

  if (!options.otlp_endpoint.empty() && deps.transport == nullptr) {
    warnings << "Warning: observability.otlp_endpoint is set but no HTTP transport was given; "
                "spans are not sent to the collector.\n";
  } else if (!options.otlp_endpoint.empty()) {
    net::OtlpHttpOptions otlp = deps.otlp;
    otlp.endpoint = options.otlp_endpoint;
    otlp.headers = options.otlp_headers;
    telemetry->otlp_ = std::make_shared<net::OtlpHttpExporter>(*deps.transport, deps.clock,
                                                               resource, std::move(otlp));
    AddSink(tracer, telemetry->processors_, telemetry->otlp_, deps.batch);
  }

  if (options.sql_export && deps.usage_database == nullptr) {
    warnings << "Warning: observability.sql_export is on but there is no usage database "
                "connection; spans are not written to SQL.\n";
  } else if (options.sql_export) {
    Result<std::unique_ptr<store::SpanStore>> spans = store::SpanStore::Open(deps.usage_database);
    if (!spans) {
      warnings << "Warning: spans are not written to SQL: " << spans.error().message << "\n";
    } else {
      telemetry->sql_ = std::move(*spans);
      AddSink(tracer, telemetry->processors_, telemetry->sql_, deps.batch);
    }
  }
  return telemetry;
}

Telemetry::~Telemetry() { (void)Shutdown(); }

trace::TraceScope Telemetry::Scope() {
  return trace::TraceScope{
      .tracer = tracer_.get(), .metrics = metrics_.get(), .include_content = include_content_};
}

Result<void> Telemetry::ExportMetrics() {
  if (otlp_ == nullptr) return Ok();
  return otlp_->ExportMetrics(metrics_->Snapshot());
}

Result<void> Telemetry::Shutdown() {
  if (shut_down_ || tracer_ == nullptr) return Ok();
  shut_down_ = true;
  if (otlp_ != nullptr) otlp_->SetFinalDeadline(clock_->Now() + otlp_exit_timeout_);
  // trace.jsonl is the first sink; its error is the one returned. The collector's and the
  // SQL store's failures are counted with their reasons (stats, DeliverySummary).
  trace::BatchProcessor& file = *processors_.front();
  Result<void> flushed = file.ForceFlush();
  (void)tracer_->ForceFlush();  // the spans go out before the last metrics
  (void)ExportMetrics();
  Result<void> closed = file.Shutdown();
  (void)tracer_->Shutdown();  // stops every sink
  return flushed ? closed : flushed;
}

TelemetryStats Telemetry::stats() const {
  TelemetryStats stats;
  for (const auto& processor : processors_) stats.dropped_spans += processor->dropped_count();
  if (otlp_ != nullptr) stats.otlp = otlp_->stats();
  if (sql_ != nullptr) stats.sql = sql_->stats();
  return stats;
}

std::string Telemetry::DeliverySummary() const {
  const TelemetryStats stats = this->stats();
  std::string line = "trace.jsonl";
  if (otlp_ != nullptr) {
    line += fmt::format(", OTLP collector ({} of {} spans acknowledged", stats.otlp.exported_spans,
                        stats.otlp.exported_spans + stats.otlp.failed_spans);
    if (stats.otlp.failed_spans > 0) {
      line += fmt::format("; {} not delivered: {}", stats.otlp.failed_spans, stats.otlp.span_error);
    }
    if (stats.otlp.unconfirmed_spans > 0) {
      line += fmt::format("; {} of them sent but not answered in time, the collector may have them",
                          stats.otlp.unconfirmed_spans);
    }
    if (stats.otlp.failed_metric_requests > 0) {
      line +=
          fmt::format("; {} metrics export{} failed: {}", stats.otlp.failed_metric_requests,
                      stats.otlp.failed_metric_requests == 1 ? "" : "s", stats.otlp.metric_error);
    }
    line += ")";
  }
  if (sql_ != nullptr) {
    line += fmt::format(", SQL ({} of {} spans stored", stats.sql.stored, stats.sql.received);
    if (stats.sql.lost > 0) {
      line += fmt::format("; {} lost: {}", stats.sql.lost, stats.sql.loss_reason);
    }
    line += ")";
  }
  if (stats.dropped_spans > 0) line += fmt::format("; {} spans dropped", stats.dropped_spans);
  return line;
}

}  // namespace hfs::app
