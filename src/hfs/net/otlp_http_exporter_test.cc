#include "hfs/net/otlp_http_exporter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "hfs/testing/fake_clock.h"
#include "hfs/testing/fake_transport.h"
#include "hfs/trace/otlp_json.h"

namespace hfs::net {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

trace::SpanData MakeSpan(int n) {
  trace::SpanData span;
  span.trace_id = *TraceIdFromHex("4bf92f3577b34da6a3ce929d0e0e4736");
  span.span_id = SpanId{1, 2, 3, 4, 5, 6, 7, static_cast<uint8_t>(n)};
  span.name = "hfs.phase.claims";
  span.start_time = Timestamp(std::chrono::seconds(1767225600));
  span.end_time = span.start_time + 2s;
  return span;
}

testing::ScriptedResponse Status(int status, std::string retry_after = "") {
  testing::ScriptedResponse response{.status = status};
  if (!retry_after.empty()) response.headers.Add("Retry-After", retry_after);
  return response;
}

class OtlpHttpExporterTest : public ::testing::Test {
 protected:
  OtlpHttpExporter Make(OtlpHttpOptions options = {}) {
    if (options.endpoint.empty()) options.endpoint = "http://collector:4318/";
    return OtlpHttpExporter(transport_, clock_, trace::Resource{.service_name = "hfs-test"},
                            std::move(options));
  }
  std::vector<trace::SpanData> spans_ = {MakeSpan(1), MakeSpan(2), MakeSpan(3)};
  testing::FakeTransport transport_;
  testing::FakeClock clock_;
};

TEST_F(OtlpHttpExporterTest, PostsOtlpJsonWithHeaders) {
  OtlpHttpExporter exporter =
      Make({.headers = {{"x-tenant", "acme"}, {"Authorization", "Basic c2VjcmV0"}}});
  EXPECT_EQ(exporter.traces_url(), "http://collector:4318/v1/traces");
  EXPECT_EQ(exporter.metrics_url(), "http://collector:4318/v1/metrics");
  transport_.PushBody(200, "{}");
  ASSERT_TRUE(exporter.Export(spans_).has_value());
  ASSERT_EQ(transport_.requests().size(), 1u);
  const HttpRequest request = transport_.requests()[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.url, "http://collector:4318/v1/traces");
  EXPECT_EQ(request.headers.Get("content-type"), "application/json");
  EXPECT_EQ(request.headers.Get("x-tenant"), "acme");
  EXPECT_EQ(request.headers.Get("authorization"), "Basic c2VjcmV0");
  auto decoded = trace::DecodeTraces(request.body);
  ASSERT_TRUE(decoded.has_value()) << decoded.error().ToString();
  EXPECT_EQ(*decoded, spans_);
  EXPECT_EQ(exporter.stats().exported_spans, 3u);
  EXPECT_EQ(exporter.Export({}).has_value(), true);  // nothing to send
  EXPECT_EQ(transport_.requests().size(), 1u);
}

TEST_F(OtlpHttpExporterTest, RetriesTransportErrorsAnd5xxWithGrowingBackoff) {
  OtlpHttpExporter exporter = Make({.initial_backoff = 100ms, .max_backoff = 250ms});
  transport_.PushError(ErrorCode::kUnavailable, "connection refused");
  transport_.Push(Status(503));
  transport_.Push(Status(502));
  transport_.PushBody(200, "");
  Timestamp start = clock_.Now();
  auto exported = exporter.Export(spans_);
  ASSERT_TRUE(exported.has_value()) << exported.error().ToString();
  EXPECT_EQ(transport_.requests().size(), 4u);
  EXPECT_EQ(clock_.Now() - start, 100ms + 200ms + 250ms);  // doubled, then capped
  EXPECT_EQ(exporter.stats().retries, 3u);
  EXPECT_EQ(exporter.stats().exported_spans, 3u);
  EXPECT_EQ(exporter.stats().failed_spans, 0u);
}

TEST_F(OtlpHttpExporterTest, HonoursRetryAfterOn429) {
  OtlpHttpExporter exporter = Make({.initial_backoff = 100ms});
  transport_.Push(Status(429, "3"));
  transport_.PushBody(200, "");
  Timestamp start = clock_.Now();
  ASSERT_TRUE(exporter.Export(spans_).has_value());
  EXPECT_EQ(clock_.Now() - start, 3s);
}

TEST_F(OtlpHttpExporterTest, GivesUpAfterMaxAttemptsAndCountsTheSpans) {
  OtlpHttpExporter exporter = Make({.max_attempts = 3, .initial_backoff = 10ms});
  for (int i = 0; i < 3; ++i) transport_.Push(Status(504));
  auto exported = exporter.Export(spans_);
  ASSERT_FALSE(exported.has_value());
  EXPECT_EQ(exported.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(exported.error().message, HasSubstr("http://collector:4318/v1/traces: HTTP 504"));
  EXPECT_THAT(exported.error().message, HasSubstr("gave up after 3 attempts"));
  EXPECT_EQ(transport_.requests().size(), 3u);
  EXPECT_EQ(exporter.stats().failed_spans, 3u);
  EXPECT_EQ(exporter.stats().exported_spans, 0u);
}

// The OTLP/HTTP specification retries 429, 502, 503 and 504 only.
TEST_F(OtlpHttpExporterTest, A500IsNotRetried) {
  OtlpHttpExporter exporter = Make({.initial_backoff = 10ms});
  transport_.Push(Status(500));
  auto exported = exporter.Export(spans_);
  ASSERT_FALSE(exported.has_value());
  EXPECT_EQ(exported.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(transport_.requests().size(), 1u);
  EXPECT_EQ(exporter.stats().failed_spans, 3u);
  EXPECT_EQ(exporter.stats().rejected_spans, 0u);
  EXPECT_THAT(exporter.stats().span_error, HasSubstr("HTTP 500"));
}

// A request that timed out may have reached the collector: unconfirmed, not rejected.
// The retry that is acknowledged counts the spans once.
TEST_F(OtlpHttpExporterTest, TimeoutsAreUnconfirmedAndARetriedBatchCountsOnce) {
  OtlpHttpExporter exporter = Make({.max_attempts = 2, .initial_backoff = 10ms});
  transport_.PushError(ErrorCode::kDeadlineExceeded, "timed out");
  transport_.PushBody(200, "{}");
  ASSERT_TRUE(exporter.Export(spans_).has_value());
  EXPECT_EQ(exporter.stats().exported_spans, 3u);
  EXPECT_EQ(exporter.stats().failed_spans, 0u);
  EXPECT_EQ(exporter.stats().retries, 1u);

  transport_.PushError(ErrorCode::kDeadlineExceeded, "timed out");
  transport_.PushError(ErrorCode::kDeadlineExceeded, "timed out");
  EXPECT_FALSE(exporter.Export(spans_).has_value());
  EXPECT_EQ(exporter.stats().exported_spans, 3u);
  EXPECT_EQ(exporter.stats().failed_spans, 3u);
  EXPECT_EQ(exporter.stats().unconfirmed_spans, 3u);
}

// After SetFinalDeadline every retry, Retry-After and later export fits before it.
TEST_F(OtlpHttpExporterTest, TheFinalDeadlineBoundsRetriesAndLaterExports) {
  OtlpHttpExporter exporter = Make({.initial_backoff = 500ms, .max_retry_after = 10s});
  const Timestamp start = clock_.Now();
  exporter.SetFinalDeadline(start + 2s);
  for (int i = 0; i < 10; ++i) transport_.Push(Status(503));
  auto exported = exporter.Export(spans_);
  ASSERT_FALSE(exported.has_value());
  EXPECT_THAT(exported.error().message, HasSubstr("past the deadline"));
  EXPECT_EQ(transport_.requests().size(), 3u);  // at 0, 0.5 s and 1.5 s; 3.5 s is too late
  EXPECT_LE(clock_.Now() - start, 2s);

  transport_.Push(Status(429, "1"));
  EXPECT_FALSE(exporter.Export(spans_).has_value());  // one attempt: the collector is down
  clock_.Advance(1s);
  auto late = exporter.ExportMetrics(trace::MetricsSnapshot{});
  ASSERT_FALSE(late.has_value());
  EXPECT_EQ(late.error().code, ErrorCode::kDeadlineExceeded);
  EXPECT_THAT(late.error().message, HasSubstr("not sent"));
  EXPECT_EQ(transport_.requests().size(), 4u);
  EXPECT_THAT(exporter.stats().metric_error, HasSubstr("/v1/metrics: not sent"));
  EXPECT_EQ(exporter.stats().failed_spans, 6u);
}

TEST_F(OtlpHttpExporterTest, AfterGivingUpOneAttemptPerExportUntilTheCollectorAnswers) {
  OtlpHttpExporter exporter = Make({.max_attempts = 2, .initial_backoff = 10ms});
  transport_.Push(Status(503));
  transport_.Push(Status(503));
  EXPECT_FALSE(exporter.Export(spans_).has_value());  // two attempts, then gives up
  transport_.PushError(ErrorCode::kUnavailable, "connection refused");
  auto second = exporter.Export(spans_);
  ASSERT_FALSE(second.has_value());
  EXPECT_THAT(second.error().message, HasSubstr("gave up after 1 attempt)"));
  transport_.PushBody(200, "");
  ASSERT_TRUE(exporter.Export(spans_).has_value());  // up again
  transport_.Push(Status(503));
  transport_.PushBody(200, "");
  EXPECT_TRUE(exporter.Export(spans_).has_value());  // retries again
  EXPECT_EQ(transport_.requests().size(), 6u);
  EXPECT_EQ(exporter.stats().failed_spans, 6u);
  EXPECT_EQ(exporter.stats().exported_spans, 6u);
}

TEST_F(OtlpHttpExporterTest, ALongRetryAfterOrTheDeadlineEndsTheExport) {
  OtlpHttpExporter exporter = Make({.max_retry_after = 5s});
  transport_.Push(Status(429, "60"));
  auto exported = exporter.Export(spans_);
  ASSERT_FALSE(exported.has_value());
  EXPECT_EQ(exported.error().code, ErrorCode::kResourceExhausted);
  EXPECT_THAT(exported.error().message, HasSubstr("not retried"));
  EXPECT_EQ(transport_.requests().size(), 1u);

  OtlpHttpExporter bounded =
      Make({.initial_backoff = 4s, .max_backoff = 8s, .export_deadline = 10s});
  for (int i = 0; i < 3; ++i) transport_.Push(Status(503));
  EXPECT_FALSE(bounded.Export(spans_).has_value());
  EXPECT_EQ(transport_.requests().size(), 1u + 2u);  // waits 4 s, then 8 s would pass 10 s
}

TEST_F(OtlpHttpExporterTest, ClientErrorsAreNotRetriedAndHideHeaderValues) {
  OtlpHttpExporter exporter = Make({.headers = {{"api-key", "SECRET-123"}}});
  transport_.PushBody(400, "bad payload");
  auto exported = exporter.Export(spans_);
  ASSERT_FALSE(exported.has_value());
  EXPECT_EQ(exported.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(exported.error().message, HasSubstr("HTTP 400: bad payload"));
  EXPECT_THAT(exported.error().message, Not(HasSubstr("SECRET")));
  EXPECT_EQ(transport_.requests().size(), 1u);
}

TEST_F(OtlpHttpExporterTest, PartialSuccessCountsRejectedSpans) {
  OtlpHttpExporter exporter = Make();
  transport_.PushBody(200, R"({"partialSuccess":{"rejectedSpans":"2","errorMessage":"x"}})");
  ASSERT_TRUE(exporter.Export(spans_).has_value());
  EXPECT_EQ(exporter.stats().exported_spans, 1u);
  EXPECT_EQ(exporter.stats().failed_spans, 2u);
}

TEST_F(OtlpHttpExporterTest, ExportsMetricsToV1Metrics) {
  OtlpHttpExporter exporter = Make();
  trace::MetricsRegistry registry(clock_);
  registry.GetCounter("hfs.llm.calls", "{call}", "LLM calls").Add(2, {{"hfs.phase", "claims"}});
  transport_.PushBody(200, "{}");
  ASSERT_TRUE(exporter.ExportMetrics(registry.Snapshot()).has_value());
  ASSERT_EQ(transport_.requests().size(), 1u);
  EXPECT_EQ(transport_.requests()[0].url, "http://collector:4318/v1/metrics");
  nlohmann::json body = nlohmann::json::parse(transport_.requests()[0].body);
  EXPECT_EQ(body["resourceMetrics"][0]["scopeMetrics"][0]["metrics"][0]["name"], "hfs.llm.calls");
  transport_.Push(Status(404));
  EXPECT_FALSE(exporter.ExportMetrics(registry.Snapshot()).has_value());
  EXPECT_EQ(exporter.stats().exported_metric_requests, 1u);
  EXPECT_EQ(exporter.stats().failed_metric_requests, 1u);
}

TEST_F(OtlpHttpExporterTest, ShutdownEndsABackoffWaitAndLaterExportsFail) {
  SystemClock real_clock;
  OtlpHttpExporter exporter(transport_, real_clock, trace::Resource{},
                            {.endpoint = "http://collector:4318",
                             .initial_backoff = 30s,
                             .max_retry_after = 60s,
                             .export_deadline = 120s});
  transport_.Push(Status(503));
  std::thread stopper([&] {
    while (transport_.requests().empty()) std::this_thread::sleep_for(1ms);
    std::this_thread::sleep_for(20ms);
    exporter.Shutdown();
  });
  auto started = std::chrono::steady_clock::now();
  auto exported = exporter.Export(spans_);
  stopper.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  ASSERT_FALSE(exported.has_value());
  EXPECT_EQ(exported.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(exporter.Export(spans_).error().code, ErrorCode::kFailedPrecondition);
}

TEST(ParseRetryAfterTest, DeltaSecondsOnly) {
  EXPECT_EQ(ParseRetryAfter("7"), std::optional<Duration>(7s));
  EXPECT_EQ(ParseRetryAfter(" 0 "), std::optional<Duration>(0s));
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("-1"), std::nullopt);
  EXPECT_EQ(ParseRetryAfter(""), std::nullopt);
}

}  // namespace
}  // namespace hfs::net
