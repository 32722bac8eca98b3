#include "hfs/app/telemetry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "hfs/base/file.h"
#include "hfs/store/sqlite_database.h"
#include "hfs/testing/fake_clock.h"
#include "hfs/testing/fake_transport.h"
#include "hfs/testing/temp_dir.h"
#include "hfs/trace/jsonl_exporter.h"

namespace hfs::app {
namespace {

using ::testing::HasSubstr;

void RecordRun(Telemetry& telemetry, testing::FakeClock& clock) {
  trace::Span run =
      telemetry.tracer().StartSpan("hfs.run", {.attributes = {{"hfs.run.id", "r-1"}}});
  {
    trace::Span phase = telemetry.tracer().StartSpan("hfs.phase.input", {.parent = run.context()});
    clock.Advance(std::chrono::milliseconds(5));
  }
  telemetry.metrics().GetCounter("hfs.llm.calls", "{call}", "LLM calls").Add(1);
}

TEST(TelemetryTest, WritesTraceJsonlAlwaysAndNothingElseByDefault) {
  testing::TempDir dir;
  testing::FakeClock clock;
  std::ostringstream warnings;
  auto telemetry = StartTelemetry({.include_content = true},
                                  {.clock = clock, .run_dir = dir.path() / "run"}, warnings);
  ASSERT_TRUE(telemetry.has_value()) << telemetry.error().ToString();
  EXPECT_TRUE((*telemetry)->Scope().include_content);
  EXPECT_EQ((*telemetry)->Scope().tracer, &(*telemetry)->tracer());
  EXPECT_FALSE((*telemetry)->otlp_enabled());
  EXPECT_FALSE((*telemetry)->sql_enabled());
  RecordRun(**telemetry, clock);
  ASSERT_TRUE((*telemetry)->Shutdown().has_value());
  EXPECT_TRUE((*telemetry)->Shutdown().has_value());  // idempotent
  auto spans = trace::ReadJsonlTraces(dir.path() / "run" / "trace.jsonl");
  ASSERT_TRUE(spans.has_value()) << spans.error().ToString();
  EXPECT_EQ(spans->size(), 2u);
  EXPECT_EQ(warnings.str(), "");
  EXPECT_EQ((*telemetry)->stats().dropped_spans, 0u);
}

TEST(TelemetryTest, SendsSpansAndMetricsToOtlpAndWritesSql) {
  testing::TempDir dir;
  testing::FakeClock clock;
  testing::FakeTransport transport;
  transport.PushBody(200, "{}");  // spans (sent first at shutdown)
  transport.PushBody(200, "{}");  // metrics
  std::shared_ptr<store::Database> db = store::OpenSqliteDatabase(dir.path() / "usage.db").value();
  trace::ObservabilityOptions options{.service_name = "hfs-x",
                                      .otlp_endpoint = "http://collector:4318",
                                      .otlp_headers = {{"x-tenant", "acme"}},
                                      .sql_export = true};
  std::ostringstream warnings;
  auto telemetry = StartTelemetry(options,
                                  {.clock = clock,
                                   .run_dir = dir.path(),
                                   .transport = &transport,
                                   .usage_database = db,
                                   .service_version = "9.9"},
                                  warnings);
  ASSERT_TRUE(telemetry.has_value()) << telemetry.error().ToString();
  EXPECT_TRUE((*telemetry)->otlp_enabled());
  EXPECT_TRUE((*telemetry)->sql_enabled());
  EXPECT_FALSE((*telemetry)->Scope().include_content);
  RecordRun(**telemetry, clock);
  auto shutdown = (*telemetry)->Shutdown();
  ASSERT_TRUE(shutdown.has_value()) << shutdown.error().ToString();
  std::vector<net::HttpRequest> requests = transport.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].url, "http://collector:4318/v1/traces");
  EXPECT_EQ(requests[1].url, "http://collector:4318/v1/metrics");
  EXPECT_EQ(requests[0].headers.Get("x-tenant"), "acme");
  EXPECT_THAT(requests[0].body, HasSubstr("\"hfs-x\""));
  EXPECT_EQ(store::LoadRunSpans(*db, "r-1").value().size(), 2u);
  EXPECT_EQ((*telemetry)->stats().sql.stored, 2u);
  EXPECT_EQ((*telemetry)->DeliverySummary(),
            "trace.jsonl, OTLP collector (2 of 2 spans acknowledged), SQL (2 of 2 spans stored)");
  EXPECT_EQ(warnings.str(), "");
}

TEST(TelemetryTest, MissingSinksAreWarningsAndFailedExportsAreCounted) {
  testing::TempDir dir;
  testing::FakeClock clock;
  testing::FakeTransport transport;  // answers nothing: every request fails (not retried)
  std::ostringstream warnings;
  auto without = StartTelemetry({.otlp_endpoint = "http://c:4318", .sql_export = true},
                                {.clock = clock, .run_dir = dir.path() / "a"}, warnings);
  ASSERT_TRUE(without.has_value());
  EXPECT_THAT(warnings.str(), HasSubstr("no HTTP transport"));
  EXPECT_THAT(warnings.str(), HasSubstr("no usage database"));

  auto failing = StartTelemetry(
      {.otlp_endpoint = "http://c:4318"},
      {.clock = clock, .run_dir = dir.path() / "b", .transport = &transport}, warnings);
  ASSERT_TRUE(failing.has_value());
  RecordRun(**failing, clock);
  // The collector's failures are counted and summarised; trace.jsonl was written.
  EXPECT_TRUE((*failing)->Shutdown().has_value());
  EXPECT_EQ((*failing)->stats().otlp.failed_spans, 2u);
  EXPECT_EQ((*failing)->stats().otlp.failed_metric_requests, 1u);
  EXPECT_THAT((*failing)->DeliverySummary(),
              HasSubstr("OTLP collector (0 of 2 spans acknowledged; 2 not delivered: POST "
                        "http://c:4318/v1/traces"));
  EXPECT_THAT((*failing)->DeliverySummary(),
              HasSubstr("1 metrics export failed: POST http://c:4318/v1/metrics"));
  EXPECT_EQ(trace::ReadJsonlTraces(dir.path() / "b" / "trace.jsonl").value().size(), 2u);
}

// The collector keeps answering 503: every retry and wait at exit fits in the one exit
// deadline (here 2 s of fake time), spans and metrics together.
TEST(TelemetryTest, AtExitEverySendToTheCollectorSharesOneDeadline) {
  testing::TempDir dir;
  testing::FakeClock clock;
  testing::FakeTransport transport;
  for (int i = 0; i < 50; ++i) transport.Push({.status = 503});
  std::ostringstream warnings;
  auto telemetry = StartTelemetry(
      {.otlp_endpoint = "http://c:4318", .otlp_exit_timeout = std::chrono::seconds(2)},
      {.clock = clock,
       .run_dir = dir.path(),
       .transport = &transport,
       .batch = {.max_batch_size = 1, .schedule_delay = std::chrono::hours(1)}},
      warnings);
  ASSERT_TRUE(telemetry.has_value());
  RecordRun(**telemetry, clock);
  const Timestamp start = clock.Now();
  EXPECT_TRUE((*telemetry)->Shutdown().has_value());
  EXPECT_LE(clock.Now() - start, std::chrono::seconds(2));
  EXPECT_EQ((*telemetry)->stats().otlp.failed_spans, 2u);
  EXPECT_EQ((*telemetry)->stats().otlp.failed_metric_requests, 1u);
}

// A short outage of the usage database loses no span, and the summary counts them.
TEST(TelemetryTest, TheSqlSummaryCountsStoredAndLostSpans) {
  testing::TempDir dir;
  testing::FakeClock clock;
  std::shared_ptr<store::Database> db = store::OpenSqliteDatabase(dir.path() / "usage.db").value();
  std::ostringstream warnings;
  auto telemetry = StartTelemetry({.sql_export = true},
                                  {.clock = clock,
                                   .run_dir = dir.path(),
                                   .usage_database = db,
                                   .batch = {.schedule_delay = std::chrono::hours(1)}},
                                  warnings);
  ASSERT_TRUE(telemetry.has_value());
  RecordRun(**telemetry, clock);
  ASSERT_TRUE(db->Execute("DROP TABLE spans").has_value());  // refused for good
  EXPECT_TRUE((*telemetry)->Shutdown().has_value());
  EXPECT_THAT((*telemetry)->DeliverySummary(),
              HasSubstr("SQL (0 of 2 spans stored; 2 lost: span store: "));
}

TEST(TelemetryTest, AnUnwritableRunDirectoryIsAnError) {
  testing::TempDir dir;
  testing::FakeClock clock;
  std::ostringstream warnings;
  ASSERT_TRUE(WriteFileAtomic(dir.path() / "file", "x").has_value());
  auto telemetry = StartTelemetry({}, {.clock = clock, .run_dir = dir.path() / "file"}, warnings);
  ASSERT_FALSE(telemetry.has_value());
  EXPECT_THAT(telemetry.error().message, HasSubstr("trace.jsonl"));
}

}  // namespace
}  // namespace hfs::app
