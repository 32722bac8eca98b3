#include "hfs/net/otlp_http_exporter.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "hfs/trace/otlp_json.h"

namespace hfs::net {
namespace {

constexpr size_t kBodyExcerpt = 200;

std::string SignalUrl(std::string_view endpoint, std::string_view path) {
  while (!endpoint.empty() && endpoint.back() == '/') endpoint.remove_suffix(1);
  return fmt::format("{}{}", endpoint, path);
}

// partialSuccess.rejectedSpans of a 2xx body (0 when absent or unreadable).
int64_t RejectedSpans(const std::string& body) {
  if (body.empty()) return 0;
  nlohmann::json document = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!document.is_object()) return 0;
  auto partial = document.find("partialSuccess");
  if (partial == document.end() || !partial->is_object()) return 0;
  auto rejected = partial->find("rejectedSpans");
  if (rejected == partial->end()) return 0;
  if (rejected->is_number_integer()) return rejected->get<int64_t>();
  if (!rejected->is_string()) return 0;
  const std::string& text = rejected->get_ref<const std::string&>();
  int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

struct Attempt {
  Error error;
  bool retryable = false;
  std::optional<Duration> retry_after;
  bool refused = false;     // an answer refusing the data for good
  bool unanswered = false;  // sent, but no answer before the timeout
};

// The OTLP/HTTP specification retries exactly these statuses; every other 4xx or 5xx
// must not be retried.
bool RetryableStatus(int status) {
  return status == 429 || status == 502 || status == 503 || status == 504;
}

Attempt Classify(const std::string& url, const Result<HttpResponse>& response) {
  if (!response) {
    ErrorCode code = response.error().code;
    Attempt attempt{Error{code, fmt::format("POST {}: {}", url, response.error().message)},
                    code == ErrorCode::kUnavailable || code == ErrorCode::kDeadlineExceeded};
    attempt.unanswered = code == ErrorCode::kDeadlineExceeded;
    return attempt;
  }
  const int status = response->status;
  std::string excerpt = response->body.substr(0, kBodyExcerpt);
  std::string message =
      fmt::format("POST {}: HTTP {}{}{}", url, status, excerpt.empty() ? "" : ": ", excerpt);
  std::optional<Duration> retry_after;
  if (std::optional<std::string_view> header = response->headers.Get("retry-after")) {
    retry_after = ParseRetryAfter(*header);
  }
  const bool retryable = RetryableStatus(status);
  const ErrorCode code = status == 429   ? ErrorCode::kResourceExhausted
                         : status >= 500 ? ErrorCode::kUnavailable
                                         : ErrorCode::kInvalidArgument;
  return {Error{code, message}, retryable, retry_after, /*refused=*/status < 500 && !retryable};
}

}  // namespace

std::optional<Duration> ParseRetryAfter(std::string_view value) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  int64_t seconds = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec != std::errc() || end != value.data() + value.size() || value.empty() || seconds < 0) {
    return std::nullopt;
  }
  return std::chrono::seconds(seconds);
}

OtlpHttpExporter::OtlpHttpExporter(Transport& transport, Clock& clock, trace::Resource resource,
                                   OtlpHttpOptions options)
    : transport_(transport),
      clock_(clock),
      resource_(std::move(resource)),
      options_(std::move(options)),
      traces_url_(SignalUrl(options_.endpoint, "/v1/traces")),
      metrics_url_(SignalUrl(options_.endpoint, "/v1/metrics")) {}

Result<void> OtlpHttpExporter::Export(std::span<const trace::SpanData> spans) {
  if (spans.empty()) return Ok();
  Sent sent = Post(traces_url_, trace::EncodeTraces(resource_, spans));
  MutexLock lock(mu_);
  if (!sent.outcome) {
    stats_.failed_spans += spans.size();
    if (sent.refused) stats_.rejected_spans += spans.size();
    if (sent.unanswered) stats_.unconfirmed_spans += spans.size();
    stats_.span_error = sent.outcome.error().message;
    return sent.outcome;
  }
  uint64_t rejected =
      std::min<uint64_t>(static_cast<uint64_t>(std::max<int64_t>(sent.rejected, 0)), spans.size());
  stats_.failed_spans += rejected;
  stats_.rejected_spans += rejected;
  stats_.exported_spans += spans.size() - rejected;
  if (rejected > 0) {
    stats_.span_error =
        fmt::format("POST {}: the collector rejected {} of {} spans (partialSuccess)", traces_url_,
                    rejected, spans.size());
  }
  return Ok();
}

Result<void> OtlpHttpExporter::ExportMetrics(const trace::MetricsSnapshot& snapshot) {
  Sent sent = Post(metrics_url_, trace::EncodeMetrics(resource_, snapshot));
  MutexLock lock(mu_);
  ++(sent.outcome ? stats_.exported_metric_requests : stats_.failed_metric_requests);
  if (!sent.outcome) stats_.metric_error = sent.outcome.error().message;
  return sent.outcome;
}

OtlpHttpExporter::Sent OtlpHttpExporter::Post(const std::string& url, std::string body) {
  HttpRequest request{.method = "POST", .url = url, .body = std::move(body)};
  request.headers.Add("Content-Type", "application/json");
  for (const auto& [name, value] : options_.headers) request.headers.Add(name, value);
  const Timestamp export_deadline = clock_.Now() + options_.export_deadline;
  Duration backoff = options_.initial_backoff;
  int max_attempts = options_.max_attempts;
  {
    MutexLock lock(mu_);
    if (collector_down_) max_attempts = 1;  // until a request succeeds again
  }
  for (int attempt = 1;; ++attempt) {
    {
      MutexLock lock(mu_);
      if (shut_down_) {
        return {Fail(ErrorCode::kFailedPrecondition,
                     fmt::format("OTLP exporter for {} is shut down", url))};
      }
    }
    // The final deadline may have been set during the previous attempt or wait.
    const Timestamp deadline = EffectiveDeadline(export_deadline);
    const Timestamp now = clock_.Now();
    if (now >= deadline) {
      return {
          Fail(ErrorCode::kDeadlineExceeded,
               fmt::format("POST {}: not sent, the export deadline passed{}", url,
                           attempt == 1 ? "" : fmt::format(" after {} attempts", attempt - 1)))};
    }
    request.timeout = std::clamp(deadline - now, Duration(std::chrono::milliseconds(1)),
                                 options_.request_timeout);
    Result<HttpResponse> response = transport_.Send(request);
    if (response && response->status >= 200 && response->status <= 299) {
      MarkCollectorDown(false);
      return {Ok(), RejectedSpans(response->body)};
    }
    Attempt failed = Classify(url, response);
    Sent gave_up{Fail(failed.error), 0, failed.refused, failed.unanswered};
    if (!failed.retryable || attempt >= max_attempts) {
      if (failed.retryable) {
        MarkCollectorDown(true);
        gave_up.outcome.error().message +=
            fmt::format(" (gave up after {} attempt{})", attempt, attempt == 1 ? "" : "s");
      }
      return gave_up;
    }
    Duration delay = failed.retry_after.value_or(backoff);
    if (delay > options_.max_retry_after || clock_.Now() + delay > EffectiveDeadline(deadline)) {
      MarkCollectorDown(true);
      gave_up.outcome.error().message += fmt::format(
          " (not retried: the next try would be in {:.1f}s, past the deadline)", Seconds(delay));
      return gave_up;
    }
    if (!Backoff(delay)) {
      MutexLock lock(mu_);
      if (shut_down_) continue;  // the check above fails the export
      gave_up.outcome.error().message += " (not retried: the final deadline came first)";
      return gave_up;
    }
    backoff = std::min(backoff * 2, options_.max_backoff);
    MutexLock lock(mu_);
    ++stats_.retries;
  }
}

void OtlpHttpExporter::MarkCollectorDown(bool down) {
  MutexLock lock(mu_);
  collector_down_ = down;
}

Timestamp OtlpHttpExporter::EffectiveDeadline(Timestamp export_deadline) const {
  MutexLock lock(mu_);
  return final_deadline_ ? std::min(export_deadline, *final_deadline_) : export_deadline;
}

bool OtlpHttpExporter::Backoff(Duration delay) {
  MutexLock lock(mu_);
  const Timestamp until = clock_.Now() + delay;
  while (!shut_down_ && clock_.Now() < until) {
    if (final_deadline_ && *final_deadline_ < until) return false;
    clock_.WaitUntil(shutdown_cv_, mu_, until);
  }
  return !shut_down_;
}

void OtlpHttpExporter::SetFinalDeadline(Timestamp deadline) {
  MutexLock lock(mu_);
  if (!final_deadline_ || deadline < *final_deadline_) final_deadline_ = deadline;
  shutdown_cv_.NotifyAll();
}

void OtlpHttpExporter::Shutdown() {
  MutexLock lock(mu_);
  shut_down_ = true;
  shutdown_cv_.NotifyAll();
}

OtlpExportStats OtlpHttpExporter::stats() const {
  MutexLock lock(mu_);
  return stats_;
}

}  // namespace hfs::net
