// OtlpHttpExporter over CurlTransport against a real OTLP/HTTP receiver on 127.0.0.1
// (cpp-httplib, in this process): checks the wire shape a collector sees.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "hfs/net/curl_transport.h"
#include "hfs/net/otlp_http_exporter.h"
#include "hfs/testing/fake_clock.h"
#include "hfs/trace/batch_processor.h"
#include "hfs/trace/tracer.h"

namespace hfs::net {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

struct Received {
  std::string path;
  std::string content_type;
  std::string tenant;
  std::string body;
};

class OtlpReceiverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto handler = [this](const httplib::Request& request, httplib::Response& response) {
      std::lock_guard lock(mu_);
      received_.push_back({request.path, request.get_header_value("Content-Type"),
                           request.get_header_value("x-tenant"), request.body});
      if (fail_next_ > 0) {
        --fail_next_;
        response.status = 503;
        response.set_header("Retry-After", "0");
        return;
      }
      response.set_content("{}", "application/json");
    };
    server_.Post("/v1/traces", handler);
    server_.Post("/v1/metrics", handler);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(1ms);
  }

  void TearDown() override {
    transport_.reset();
    server_.stop();
    thread_.join();
  }

  std::vector<Received> received() {
    std::lock_guard lock(mu_);
    return received_;
  }

  std::string Endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<Received> received_;
  int fail_next_ = 0;
  std::unique_ptr<CurlTransport> transport_ = std::make_unique<CurlTransport>();
};

// Checks one span object of the proto3 JSON mapping.
void ExpectProto3Span(const json& span) {
  static const std::regex kTraceId("^[0-9a-f]{32}$");
  static const std::regex kSpanId("^[0-9a-f]{16}$");
  static const std::regex kDecimal("^[0-9]+$");
  EXPECT_TRUE(std::regex_match(span["traceId"].get<std::string>(), kTraceId)) << span;
  EXPECT_TRUE(std::regex_match(span["spanId"].get<std::string>(), kSpanId)) << span;
  if (span.contains("parentSpanId")) {
    EXPECT_TRUE(std::regex_match(span["parentSpanId"].get<std::string>(), kSpanId));
  }
  ASSERT_TRUE(span["startTimeUnixNano"].is_string());
  EXPECT_TRUE(std::regex_match(span["startTimeUnixNano"].get<std::string>(), kDecimal));
  EXPECT_TRUE(std::regex_match(span["endTimeUnixNano"].get<std::string>(), kDecimal));
  EXPECT_TRUE(span["kind"].is_number_integer());
  for (const json& attribute : span["attributes"]) {
    ASSERT_TRUE(attribute["key"].is_string());
    ASSERT_EQ(attribute["value"].size(), 1u) << attribute;
    const std::string kind = attribute["value"].begin().key();
    EXPECT_THAT(kind, ::testing::AnyOf("stringValue", "intValue", "boolValue", "doubleValue",
                                       "arrayValue"));
    if (kind == "intValue") {
      EXPECT_TRUE(attribute["value"]["intValue"].is_string());
    }
  }
}

TEST_F(OtlpReceiverTest, ACollectorReceivesProto3JsonSpansThroughABatchProcessor) {
  SystemClock clock;
  auto exporter = std::make_shared<OtlpHttpExporter>(
      *transport_, clock, trace::Resource{.service_name = "hfs", .service_version = "0.1.0"},
      OtlpHttpOptions{.endpoint = Endpoint() + "/", .headers = {{"x-tenant", "acme"}}});
  {
    trace::Tracer tracer(clock, trace::Resource{.service_name = "hfs"});
    tracer.AddProcessor(std::make_shared<trace::BatchProcessor>(exporter));
    trace::Span run = tracer.StartSpan("hfs.run", {.attributes = {{"hfs.run.id", "r-1"}}});
    trace::Span chat = tracer.StartSpan(
        "chat llama-3.3-70b",
        {.parent = run.context(),
         .kind = trace::SpanKind::kClient,
         .attributes = {{"gen_ai.operation.name", "chat"}, {"gen_ai.usage.input_tokens", 812}}});
    chat.SetAttribute("gen_ai.response.finish_reasons", std::vector<std::string>{"stop"});
    chat.End();
    run.End();
    ASSERT_TRUE(tracer.Shutdown().has_value());
  }
  std::vector<Received> got = received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].path, "/v1/traces");
  EXPECT_EQ(got[0].content_type, "application/json");
  EXPECT_EQ(got[0].tenant, "acme");
  json body = json::parse(got[0].body);
  ASSERT_EQ(body["resourceSpans"].size(), 1u);
  const json& resource_spans = body["resourceSpans"][0];
  EXPECT_EQ(resource_spans["resource"]["attributes"][0],
            json::parse(R"({"key":"service.name","value":{"stringValue":"hfs"}})"));
  const json& spans = resource_spans["scopeSpans"][0]["spans"];
  EXPECT_EQ(resource_spans["scopeSpans"][0]["scope"]["name"], "hfs");
  ASSERT_EQ(spans.size(), 2u);
  for (const json& span : spans) ExpectProto3Span(span);
  EXPECT_EQ(spans[0]["name"], "chat llama-3.3-70b");
  EXPECT_EQ(spans[0]["kind"], 3);
  EXPECT_EQ(spans[0]["parentSpanId"], spans[1]["spanId"]);
  EXPECT_EQ(spans[0]["traceId"], spans[1]["traceId"]);
  EXPECT_FALSE(spans[1].contains("parentSpanId"));
  EXPECT_EQ(spans[0]["attributes"][1],
            json::parse(R"({"key":"gen_ai.usage.input_tokens","value":{"intValue":"812"}})"));
  EXPECT_EQ(exporter->stats().exported_spans, 2u);
}

TEST_F(OtlpReceiverTest, RetriesA503AndSendsMetrics) {
  fail_next_ = 1;
  testing::FakeClock clock;
  OtlpHttpExporter exporter(*transport_, clock, trace::Resource{}, {.endpoint = Endpoint()});
  trace::SpanData span;
  span.trace_id = NewTraceId();
  span.span_id = NewSpanId();
  span.name = "hfs.phase.input";
  span.start_time = clock.Now();
  span.end_time = clock.Now() + 1s;
  auto exported = exporter.Export(std::span(&span, 1));
  ASSERT_TRUE(exported.has_value()) << exported.error().ToString();
  EXPECT_EQ(exporter.stats().retries, 1u);

  trace::MetricsRegistry metrics(clock);
  metrics.GetHistogram("gen_ai.client.token.usage", "{token}", "Tokens", trace::kTokenUsageBuckets)
      .Record(812, {{"gen_ai.token.type", "input"}});
  ASSERT_TRUE(exporter.ExportMetrics(metrics.Snapshot()).has_value());
  std::vector<Received> got = received();
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[2].path, "/v1/metrics");
  json point = json::parse(got[2].body)["resourceMetrics"][0]["scopeMetrics"][0]["metrics"][0]
                                       ["histogram"]["dataPoints"][0];
  EXPECT_EQ(point["count"], "1");
  EXPECT_TRUE(point["startTimeUnixNano"].is_string());
}

}  // namespace
}  // namespace hfs::net
