#include "hfs/app/trace_waterfall.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

namespace hfs::app {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using trace::SpanData;

constexpr Timestamp kStart = Timestamp(std::chrono::seconds(1767225600));

SpanId Id(int n) {
  SpanId id{};
  id[7] = static_cast<uint8_t>(n);
  return id;
}

TraceId Trace(int n) {
  TraceId id{};
  id[0] = 0x4b;
  id[15] = static_cast<uint8_t>(n);
  return id;
}

SpanData Make(int id, int parent, std::string name, int start_ms, int duration_ms, int trace = 1) {
  SpanData span;
  span.trace_id = Trace(trace);
  span.span_id = Id(id);
  if (parent != 0) span.parent_span_id = Id(parent);
  span.name = std::move(name);
  span.start_time = kStart + std::chrono::milliseconds(start_ms);
  span.end_time = span.start_time + std::chrono::milliseconds(duration_ms);
  return span;
}

SpanData Chat(int id, int parent, int start_ms, int duration_ms, int in, int out) {
  SpanData span = Make(id, parent, "chat llama-3.3-70b", start_ms, duration_ms);
  span.kind = trace::SpanKind::kClient;
  span.attributes = {{"gen_ai.operation.name", "chat"},
                     {"gen_ai.usage.input_tokens", in},
                     {"gen_ai.usage.output_tokens", out}};
  return span;
}

// A 10 s run: input (1 s), claims (4 s) with one triad, one agent, two chats and a failed
// tool call; listed in end order, as in a trace file.
std::vector<SpanData> SampleRun() {
  SpanData root = Make(1, 0, "hfs.run", 0, 10000);
  root.attributes = {{"hfs.run.id", "20260101-000000-ab12"}};
  SpanData tool = Make(7, 4, "execute_tool claim_section", 2600, 100);
  tool.status = {trace::StatusCode::kError, "INVALID_ARGUMENT: no section 'x'"};
  tool.attributes = {{"error.type", "INVALID_ARGUMENT"}};
  return {Make(2, 1, "hfs.phase.input", 0, 1000),
          Chat(5, 4, 1200, 1000, 800, 90),
          Chat(6, 4, 2700, 500, 200, 10),
          tool,
          Make(4, 3, "invoke_agent t1.orchestrator", 1100, 2200),
          Make(3, 8, "hfs.triad.t1", 1050, 3000),
          Make(8, 1, "hfs.phase.claims", 1000, 4000),
          root};
}

TEST(TraceWaterfallTest, RebuildsTheTreeDepthFirstByStartTime) {
  std::vector<SpanData> spans = SampleRun();
  std::vector<TraceSummary> summaries = SummarizeTraces(spans);
  ASSERT_EQ(summaries.size(), 1u);
  const TraceSummary& s = summaries[0];
  EXPECT_EQ(s.run_id, "20260101-000000-ab12");
  EXPECT_EQ(s.duration, std::chrono::seconds(10));
  std::vector<std::pair<std::string, int>> order;
  for (const WaterfallRow& row : s.rows) order.emplace_back(row.name, row.depth);
  EXPECT_THAT(order,
              ::testing::ElementsAre(std::pair<std::string, int>{"hfs.run", 0},
                                     std::pair<std::string, int>{"hfs.phase.input", 1},
                                     std::pair<std::string, int>{"hfs.phase.claims", 1},
                                     std::pair<std::string, int>{"hfs.triad.t1", 2},
                                     std::pair<std::string, int>{"invoke_agent t1.orchestrator", 3},
                                     std::pair<std::string, int>{"chat llama-3.3-70b", 4},
                                     std::pair<std::string, int>{"execute_tool claim_section", 4},
                                     std::pair<std::string, int>{"chat llama-3.3-70b", 4}));
  // Tokens add up from the chat calls; a chat keeps its own.
  EXPECT_EQ(s.rows[0].input_tokens, 1000);
  EXPECT_EQ(s.rows[0].output_tokens, 100);
  EXPECT_EQ(s.rows[5].input_tokens, 800);
  EXPECT_EQ(s.rows[1].input_tokens, 0);
  EXPECT_EQ(s.rows[6].error, "INVALID_ARGUMENT");
  EXPECT_EQ(s.rows[6].offset, std::chrono::milliseconds(2600));
  EXPECT_EQ(s.errors, 1);
  EXPECT_EQ(s.input_tokens, 1000);
}

TEST(TraceWaterfallTest, PhaseTableListsTheNinePhases) {
  std::vector<SpanData> spans = SampleRun();
  const TraceSummary s = SummarizeTraces(spans).at(0);
  ASSERT_EQ(s.phases.size(), 9u);
  EXPECT_EQ(s.phases[0].name, "input");
  EXPECT_TRUE(s.phases[0].ran);
  EXPECT_EQ(s.phases[0].duration, std::chrono::seconds(1));
  EXPECT_EQ(s.phases[3].name, "claims");
  EXPECT_TRUE(s.phases[3].ran);
  EXPECT_EQ(s.phases[3].offset, std::chrono::seconds(1));
  EXPECT_EQ(s.phases[3].spans, 6);
  EXPECT_EQ(s.phases[3].errors, 1);
  EXPECT_EQ(s.phases[3].output_tokens, 100);
  EXPECT_FALSE(s.phases[4].ran);
}

TEST(TraceWaterfallTest, RendersIndentedRowsBarsAndThePhaseTable) {
  std::vector<SpanData> spans = SampleRun();
  std::string text = RenderTraceText(SummarizeTraces(spans).at(0), {.bar_width = 10});
  std::istringstream stream(text);
  std::vector<std::string> lines;
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  ASSERT_GE(lines.size(), 12u);
  EXPECT_THAT(lines[0], StartsWith("Trace 4b00000000000000000000000000000"));
  EXPECT_THAT(lines[0], HasSubstr("(run 20260101-000000-ab12): 8 spans, 10.000s, tokens 1000 in "
                                  "/ 100 out, 1 error"));
  EXPECT_THAT(lines[2], HasSubstr("START"));
  // The root spans the whole bar; the input phase its first tenth.
  EXPECT_THAT(lines[3], HasSubstr("+0.000s    10.000s  hfs.run "));
  EXPECT_THAT(lines[3], HasSubstr("1000/100  |==========|"));
  EXPECT_THAT(lines[4], HasSubstr("  hfs.phase.input "));
  EXPECT_THAT(lines[4], HasSubstr("|=         |"));
  EXPECT_THAT(lines[5], HasSubstr("+1.000s     4.000s    hfs.phase.claims"));
  EXPECT_THAT(lines[5], HasSubstr("| ====     |"));  // [1 s, 5 s) of 10 s
  EXPECT_THAT(lines[9], HasSubstr("        execute_tool claim_section"));
  EXPECT_THAT(lines[9], HasSubstr("|  !       |  INVALID_ARGUMENT"));
  EXPECT_THAT(text, HasSubstr("PHASE"));
  EXPECT_THAT(text, HasSubstr("claims           +1.000s     4.000s  40.0%      6       1000"));
  EXPECT_THAT(text, HasSubstr("negotiation      not run"));
  EXPECT_THAT(text, HasSubstr("phases total                 5.000s"));
}

TEST(TraceWaterfallTest, LongNamesAreCutAndOrphansMarked) {
  std::vector<SpanData> spans = {Make(1, 0, "hfs.run", 0, 100),
                                 Make(2, 9, std::string(60, 'n'), 10, 10)};
  TraceSummary s = SummarizeTraces(spans).at(0);
  ASSERT_EQ(s.rows.size(), 2u);
  EXPECT_TRUE(s.rows[1].orphan);
  EXPECT_EQ(s.rows[1].depth, 0);
  std::string text = RenderTraceText(s, {.bar_width = 8, .name_width = 20});
  EXPECT_THAT(text, HasSubstr(std::string(19, 'n') + "~"));
  WaterfallRow orphan = s.rows[1];
  orphan.name = "x";
  TraceSummary small = s;
  small.rows = {orphan};
  EXPECT_THAT(RenderTraceText(small), HasSubstr("x (orphan)"));
}

TEST(TraceWaterfallTest, SeveralTracesAreSummarisedSeparatelyInStartOrder) {
  std::vector<SpanData> spans = {Make(1, 0, "hfs.run", 500, 100, 2),
                                 Make(2, 0, "hfs.run", 0, 100, 3)};
  std::vector<TraceSummary> summaries = SummarizeTraces(spans);
  ASSERT_EQ(summaries.size(), 2u);
  EXPECT_EQ(summaries[0].trace_id, Trace(3));
  EXPECT_EQ(summaries[1].trace_id, Trace(2));
  EXPECT_TRUE(SummarizeTraces({}).empty());
}

TEST(TraceWaterfallTest, JsonCarriesRowsAndPhases) {
  std::vector<SpanData> spans = SampleRun();
  nlohmann::json out = TraceToJson(SummarizeTraces(spans).at(0));
  EXPECT_EQ(out["run_id"], "20260101-000000-ab12");
  EXPECT_EQ(out["duration_ms"], 10000.0);
  ASSERT_EQ(out["spans"].size(), 8u);
  EXPECT_EQ(out["spans"][5]["kind"], 3);
  EXPECT_EQ(out["spans"][5]["input_tokens"], 800);
  EXPECT_EQ(out["spans"][6]["error"], "INVALID_ARGUMENT");
  EXPECT_FALSE(out["spans"][0].contains("error"));
  EXPECT_EQ(out["phases"].size(), 9u);
  EXPECT_EQ(out["phases"][3]["duration_ms"], 4000.0);
  EXPECT_EQ(out["phases"][4]["ran"], false);
}

}  // namespace
}  // namespace hfs::app
