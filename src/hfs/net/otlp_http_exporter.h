// hfs/net/otlp_http_exporter.h
//
// OtlpHttpExporter sends spans (POST <endpoint>/v1/traces) and metric snapshots (POST
// <endpoint>/v1/metrics) to an OpenTelemetry collector as OTLP/HTTP with the JSON
// encoding (hfs/trace/otlp_json.h), over an injected Transport. Failed requests are
// retried with exponential backoff on a transport error, 429 or 5xx, honouring a
// Retry-After of a few seconds; each export is bounded by max_attempts and
// export_deadline, and then dropped and counted. After an export gave up on a retryable
// failure (the collector looks down), later exports make a single attempt until one
// succeeds, so flushing a backlog at the end of a run does not wait out every backoff.
//
//   auto otlp = std::make_shared<OtlpHttpExporter>(transport, clock, tracer.resource(),
//       OtlpHttpOptions{.endpoint = "http://127.0.0.1:4318", .headers = {{"x-tenant", "a"}}});
//   tracer.AddProcessor(std::make_shared<trace::BatchProcessor>(otlp));  // off the hot path
//   ...
//   HFS_RETURN_IF_ERROR(otlp->ExportMetrics(metrics.Snapshot()));
//
// Thread-safe. It runs on the BatchProcessor's thread, so a slow collector costs spans
// (the processor drops them with a count when its queue is full), never pipeline time.
// Backoff waits use the Clock (a FakeClock makes them instant) and end early on Shutdown.
// `transport` and `clock` must outlive the exporter.
//
// Failures: Export/ExportMetrics return the transport's error (kUnavailable,
// kDeadlineExceeded, ...), kUnavailable (5xx), kResourceExhausted (429) once the retries
// are spent, kInvalidArgument (another 4xx, not retried),
// kFailedPrecondition after Shutdown; the message names the URL and the HTTP status and
// never the header values. A 2xx with a partialSuccess counts the rejected spans as
// failed but returns Ok.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hfs/base/clock.h"
#include "hfs/base/error.h"
#include "hfs/base/mutex.h"
#include "hfs/net/transport.h"
#include "hfs/trace/metrics.h"
#include "hfs/trace/span_exporter.h"

namespace hfs::net {

struct OtlpHttpOptions {
  // Base URL of the receiver, e.g. "http://127.0.0.1:4318"; "/v1/traces" is appended.
  std::string endpoint;
  // Extra request headers (OTEL_EXPORTER_OTLP_HEADERS), e.g. an API key.
  std::vector<std::pair<std::string, std::string>> headers;
  int max_attempts = 5;
  Duration initial_backoff = std::chrono::milliseconds(500);
  Duration max_backoff = std::chrono::seconds(5);
  // A Retry-After above this is not waited for: the export gives up.
  Duration max_retry_after = std::chrono::seconds(10);
  // Each request's own timeout, and the bound on one export including waits.
  Duration request_timeout = std::chrono::seconds(10);
  Duration export_deadline = std::chrono::seconds(30);
};

// The counters of an exporter since it was created.
struct OtlpExportStats {
  uint64_t exported_spans = 0;  // accepted by the receiver
  uint64_t failed_spans = 0;    // given up after the retries, or rejected (partialSuccess)
  uint64_t exported_metric_requests = 0;
  uint64_t failed_metric_requests = 0;
  uint64_t retries = 0;  // requests sent again after a retryable failure
};

class OtlpHttpExporter final : public trace::SpanExporter {
 public:
  OtlpHttpExporter(Transport& transport, Clock& clock, trace::Resource resource,
                   OtlpHttpOptions options);

  Result<void> Export(std::span<const trace::SpanData> spans) override;
  Result<void> ExportMetrics(const trace::MetricsSnapshot& snapshot);
  // Ends a backoff wait in progress; later exports fail. Idempotent.
  void Shutdown() override;

  OtlpExportStats stats() const;
  const std::string& traces_url() const { return traces_url_; }
  const std::string& metrics_url() const { return metrics_url_; }

 private:
  struct Sent {
    Result<void> outcome;
    int64_t rejected = 0;  // partialSuccess.rejectedSpans
  };
  Sent Post(const std::string& url, std::string body);
  void MarkCollectorDown(bool down);
  // Waits `delay` unless shut down first; returns false when shut down.
  bool Backoff(Duration delay);

  Transport& transport_;
  Clock& clock_;
  const trace::Resource resource_;
  const OtlpHttpOptions options_;
  const std::string traces_url_;
  const std::string metrics_url_;
  mutable Mutex mu_;
  CondVar shutdown_cv_;
  bool shut_down_ HFS_GUARDED_BY(mu_) = false;
  bool collector_down_ HFS_GUARDED_BY(mu_) = false;
  OtlpExportStats stats_ HFS_GUARDED_BY(mu_);
};

// The Retry-After header as a delay: delta-seconds only (an HTTP date gives nullopt).
std::optional<Duration> ParseRetryAfter(std::string_view value);

}  // namespace hfs::net
