#include "hfs/trace/jsonl_exporter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>

#include "hfs/base/check.h"
#include "hfs/base/file.h"
#include "hfs/testing/fake_clock.h"
#include "hfs/testing/temp_dir.h"
#include "hfs/trace/batch_processor.h"
#include "hfs/trace/otlp_json.h"
#include "hfs/trace/tracer.h"

namespace hfs::trace {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

const SpanData* Find(const std::vector<SpanData>& spans, std::string_view name) {
  for (const SpanData& span : spans) {
    if (span.name == name) return &span;
  }
  return nullptr;
}

// Writes run -> phase -> chat through Tracer, BatchProcessor and JsonlExporter.
void WriteTree(const std::filesystem::path& path, hfs::testing::FakeClock& clock) {
  Tracer tracer(clock, Resource{.service_name = "hfs", .service_version = "0.1.0"});
  auto exporter = JsonlExporter::Open(path, tracer.resource());
  ASSERT_TRUE(exporter.has_value()) << exporter.error().ToString();
  tracer.AddProcessor(std::make_shared<BatchProcessor>(std::move(*exporter)));

  Span run = tracer.StartSpan("hfs.run", {.attributes = {{"hfs.run.id", "r1"}}});
  clock.Advance(10ms);
  Span phase = tracer.StartSpan("hfs.phase.claims", {.parent = run.context()});
  clock.Advance(5ms);
  Span chat = tracer.StartSpan("chat llama-3.3-70b",
                               {.parent = phase.context(), .kind = SpanKind::kClient});
  chat.SetAttribute("gen_ai.provider.name", "groq");
  chat.SetAttribute("gen_ai.usage.input_tokens", 812);
  chat.SetAttribute("gen_ai.request.temperature", 0.7);
  chat.SetAttribute("hfs.stream", true);
  chat.SetAttribute("gen_ai.response.finish_reasons", std::vector<std::string>{"tool_calls"});
  chat.SetAttribute("hfs.key_indexes", std::vector<int64_t>{0, 3});
  chat.SetAttribute("hfs.latencies", std::vector<double>{0.25, 1.5});
  clock.Advance(200ms);
  chat.AddEvent("gen_ai.first_chunk", {{"hfs.bytes", 17}});
  clock.Advance(1s);
  chat.RecordError(Error{ErrorCode::kResourceExhausted, "rate limited"});
  chat.End();
  clock.Advance(3ms);
  phase.End();
  clock.Advance(2ms);
  run.End();
  ASSERT_TRUE(tracer.Shutdown().has_value());
}

TEST(JsonlExporterTest, TreeThroughBatchProcessorRoundTrips) {
  hfs::testing::TempDir dir;
  std::filesystem::path path = dir.path() / "run" / "nested" / "trace.jsonl";
  hfs::testing::FakeClock clock;
  const int64_t t0 = UnixNanos(clock.Now());
  WriteTree(path, clock);

  // Raw shape, checked with nlohmann directly.
  std::string text = HFS_VALUE_OR_DIE(ReadFile(path));
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  json first_line = json::parse(text.substr(0, text.find('\n')));
  const json& span = first_line["resourceSpans"][0]["scopeSpans"][0]["spans"][0];
  EXPECT_TRUE(std::regex_match(span["traceId"].get<std::string>(), std::regex("[0-9a-f]{32}")));
  EXPECT_TRUE(std::regex_match(span["spanId"].get<std::string>(), std::regex("[0-9a-f]{16}")));
  EXPECT_TRUE(span["startTimeUnixNano"].is_string());
  EXPECT_TRUE(span["endTimeUnixNano"].is_string());
  EXPECT_TRUE(span["kind"].is_number_integer());
  EXPECT_EQ(span["name"], "chat llama-3.3-70b");
  EXPECT_EQ(span["attributes"][1]["value"]["intValue"], "812");

  // Decoded: links, shared trace id, exact timings.
  Result<std::vector<SpanData>> spans = ReadJsonlTraces(path);
  ASSERT_TRUE(spans.has_value()) << spans.error().ToString();
  ASSERT_EQ(spans->size(), 3u);
  const SpanData* run = Find(*spans, "hfs.run");
  const SpanData* phase = Find(*spans, "hfs.phase.claims");
  const SpanData* chat = Find(*spans, "chat llama-3.3-70b");
  ASSERT_TRUE(run && phase && chat);
  EXPECT_TRUE(run->IsRoot());
  EXPECT_EQ(phase->parent_span_id, run->span_id);
  EXPECT_EQ(chat->parent_span_id, phase->span_id);
  EXPECT_EQ(phase->trace_id, run->trace_id);
  EXPECT_EQ(chat->trace_id, run->trace_id);
  EXPECT_EQ(UnixNanos(run->start_time), t0);
  EXPECT_EQ(UnixNanos(run->end_time), t0 + 1'220'000'000);
  EXPECT_EQ(UnixNanos(phase->start_time), t0 + 10'000'000);
  EXPECT_EQ(UnixNanos(phase->end_time), t0 + 1'218'000'000);
  EXPECT_EQ(UnixNanos(chat->start_time), t0 + 15'000'000);
  EXPECT_EQ(UnixNanos(chat->end_time), t0 + 1'215'000'000);
  EXPECT_EQ(chat->kind, SpanKind::kClient);
  EXPECT_EQ(chat->status.code, StatusCode::kError);
  EXPECT_EQ(chat->status.message, "RESOURCE_EXHAUSTED: rate limited");
  ASSERT_EQ(chat->events.size(), 2u);
  EXPECT_EQ(chat->events[0].name, "gen_ai.first_chunk");
  EXPECT_EQ(UnixNanos(chat->events[0].time), t0 + 215'000'000);
  EXPECT_EQ(chat->events[0].attributes, (Attributes{{"hfs.bytes", 17}}));
  EXPECT_EQ(*FindAttribute(chat->attributes, "gen_ai.request.temperature"), AttributeValue(0.7));
  EXPECT_EQ(*FindAttribute(chat->attributes, "hfs.stream"), AttributeValue(true));
  EXPECT_EQ(*FindAttribute(chat->attributes, "hfs.key_indexes"),
            AttributeValue(std::vector<int64_t>{0, 3}));
  EXPECT_EQ(*FindAttribute(chat->attributes, "hfs.latencies"),
            AttributeValue(std::vector<double>{0.25, 1.5}));
  EXPECT_EQ(*FindAttribute(run->attributes, "hfs.run.id"), AttributeValue(std::string("r1")));
}

TEST(JsonlExporterTest, AppendsOneLinePerBatch) {
  hfs::testing::TempDir dir;
  std::filesystem::path path = dir.path() / "trace.jsonl";
  SpanData span;
  span.trace_id = NewTraceId();
  span.span_id = NewSpanId();
  span.name = "a";
  for (int round = 0; round < 2; ++round) {  // a second Open appends
    auto exporter = JsonlExporter::Open(path, Resource{});
    ASSERT_TRUE(exporter.has_value());
    std::vector<SpanData> batch = {span, span};
    ASSERT_TRUE((*exporter)->Export(batch).has_value());
    ASSERT_TRUE((*exporter)->Export({}).has_value());  // nothing written
  }
  std::string text = HFS_VALUE_OR_DIE(ReadFile(path));
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2);
  EXPECT_EQ(HFS_VALUE_OR_DIE(ReadJsonlTraces(path)).size(), 4u);
}

TEST(JsonlExporterTest, ExportAfterShutdownFails) {
  hfs::testing::TempDir dir;
  auto exporter = HFS_VALUE_OR_DIE(JsonlExporter::Open(dir.path() / "t.jsonl", Resource{}));
  exporter->Shutdown();
  SpanData span;
  Result<void> result = exporter->Export(std::span<const SpanData>(&span, 1));
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_THAT(result.error().message, HasSubstr("t.jsonl"));
}

TEST(JsonlExporterTest, OpenFailureNamesThePath) {
  hfs::testing::TempDir dir;
  std::filesystem::path blocker = dir.path() / "file";
  ASSERT_TRUE(WriteFileAtomic(blocker, "x").has_value());
  auto exporter = JsonlExporter::Open(blocker / "trace.jsonl", Resource{});  // parent is a file
  ASSERT_FALSE(exporter.has_value());
  EXPECT_THAT(exporter.error().message, HasSubstr((blocker / "trace.jsonl").string()));
}

TEST(JsonlExporterTest, ReadErrorsNameFileAndLine) {
  hfs::testing::TempDir dir;
  std::filesystem::path path = dir.path() / "trace.jsonl";
  std::string good = EncodeTraces(Resource{}, {});
  ASSERT_TRUE(WriteFileAtomic(path, good + "\n\n" + "{\"resourceSpans\": 3}\n").has_value());
  Result<std::vector<SpanData>> spans = ReadJsonlTraces(path);
  ASSERT_FALSE(spans.has_value());
  EXPECT_EQ(spans.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(spans.error().message, HasSubstr(path.string() + ":3: "));

  Result<std::vector<SpanData>> missing = ReadJsonlTraces(dir.path() / "none.jsonl");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace hfs::trace
