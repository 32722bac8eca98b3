// hfs/net/otlp_http_exporter.h
//
// OtlpHttpExporter sends spans (POST <endpoint>/v1/traces) and metric snapshots (POST
// <endpoint>/v1/metrics) to an OpenTelemetry collector as OTLP/HTTP with the JSON
// encoding (hfs/trace/otlp_json.h), over an injected Transport. Failed requests are
// retried with exponential backoff on a transport error, 429, 502, 503 or 504, honouring
// a Retry-After of a few seconds; each export is bounded by max_attempts and
// export_deadline, and then dropped and counted. After an export gave up on a retryable
// failure (the collector looks down), later exports make a single attempt until one
// succeeds. SetFinalDeadline bounds everything that is still to be sent at the end of a
// run by one deadline: requests, backoff waits and Retry-After included.
//
// Spans count as acknowledged only when the collector answered 2xx (minus the
// partialSuccess.rejectedSpans of the answer), once per export however many attempts
// it took. The rest are rejected (partialSuccess or a non-retryable 4xx), unconfirmed
// (the last attempt got no answer in time: the collector may have them) or not sent.
//
//   auto otlp = std::make_shared<OtlpHttpExporter>(transport, clock, tracer.resource(),
//       OtlpHttpOptions{.endpoint = "http://127.0.0.1:4318", .headers = {{"x-tenant", "a"}}});
//   tracer.AddProcessor(std::make_shared<trace::BatchProcessor>(otlp));  // off the hot path
//   ...
//   HFS_RETURN_IF_ERROR(otlp->ExportMetrics(metrics.Snapshot()));
//   otlp->SetFinalDeadline(clock.Now() + std::chrono::seconds(2));  // at exit
//
// Thread-safe. It runs on the BatchProcessor's thread, so a slow collector costs spans
// (the processor drops them with a count when its queue is full), never pipeline time.
// Backoff waits use the Clock (a FakeClock makes them instant) and end early on Shutdown
// or at the final deadline. A request already in flight when the final deadline is set
// keeps its own timeout (request_timeout at most).
// `transport` and `clock` must outlive the exporter.
//
// Failures: Export/ExportMetrics return the transport's error (kUnavailable,
// kDeadlineExceeded, ...), kUnavailable (5xx), kResourceExhausted (429) once the retries
// are spent, kInvalidArgument (another 4xx, not retried), kDeadlineExceeded when the final
// deadline passed before the request could be sent, kFailedPrecondition after Shutdown;
// the message names the URL and the HTTP status and never the header values. A 2xx with
// a partialSuccess counts the rejected spans as rejected but returns Ok.
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

// The counters of an exporter since it was created. Every span handed to Export is
// counted once: exported_spans + failed_spans.
struct OtlpExportStats {
  uint64_t exported_spans = 0;  // acknowledged by the collector (2xx, not rejected)
  uint64_t failed_spans = 0;    // not acknowledged: the three below, and not sent at all
  uint64_t rejected_spans = 0;  // partialSuccess.rejectedSpans, or a non-retryable 4xx
  // The last attempt timed out: the collector may have received them.
  uint64_t unconfirmed_spans = 0;
  uint64_t exported_metric_requests = 0;
  uint64_t failed_metric_requests = 0;
  uint64_t retries = 0;  // requests sent again after a retryable failure
  // Why the latest failed span export / metrics export failed ("" when none did).
  std::string span_error;
  std::string metric_error;
};

class OtlpHttpExporter final : public trace::SpanExporter {
 public:
  OtlpHttpExporter(Transport& transport, Clock& clock, trace::Resource resource,
                   OtlpHttpOptions options);

  Result<void> Export(std::span<const trace::SpanData> spans) override;
  Result<void> ExportMetrics(const trace::MetricsSnapshot& snapshot);
  // From now on every request, backoff wait and Retry-After ends by `deadline`; what
  // cannot be sent by then fails with kDeadlineExceeded. A backoff wait in progress is
  // shortened. An earlier deadline set before wins.
  void SetFinalDeadline(Timestamp deadline);
  // Ends a backoff wait in progress; later exports fail. Idempotent.
  void Shutdown() override;

  OtlpExportStats stats() const;
  const std::string& traces_url() const { return traces_url_; }
  const std::string& metrics_url() const { return metrics_url_; }

 private:
  struct Sent {
    Result<void> outcome;
    int64_t rejected = 0;  // partialSuccess.rejectedSpans
    // The failure was an answer refusing the data (a non-retryable 4xx).
    bool refused = false;
    // The last attempt was sent but not answered in time.
    bool unanswered = false;
  };
  Sent Post(const std::string& url, std::string body);
  void MarkCollectorDown(bool down);
  // The export's deadline, or the final deadline when that is earlier.
  Timestamp EffectiveDeadline(Timestamp export_deadline) const;
  // Waits `delay`; returns false at once when shut down or when the final deadline
  // comes first.
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
  std::optional<Timestamp> final_deadline_ HFS_GUARDED_BY(mu_);
  OtlpExportStats stats_ HFS_GUARDED_BY(mu_);
};

// The Retry-After header as a delay: delta-seconds only (an HTTP date gives nullopt).
std::optional<Duration> ParseRetryAfter(std::string_view value);

}  // namespace hfs::net
