// hfs/app/trace_waterfall.h
//
// What `hfs trace` shows of a run's spans: SummarizeTraces rebuilds each trace's span
// tree (from parentSpanId; spans arrive in end order) and lays it out as waterfall rows
// (depth-first, children by start time) with offsets from the trace start, durations,
// tokens in/out and errors, plus a timing table of the nine pipeline phases.
// RenderTraceText draws the indented waterfall with a proportional bar and the phase
// table; TraceToJson gives the same data for --json.
//
//   std::vector<trace::SpanData> spans = HFS_TRY(trace::ReadJsonlTraces(path));
//   for (const TraceSummary& summary : SummarizeTraces(spans)) {
//     std::cout << RenderTraceText(summary, {.bar_width = 40});
//   }
//
// Pure functions; thread-safe. Tokens of a span are its gen_ai.usage.input_tokens /
// output_tokens when it has them, else the sum over its children (so a phase shows what
// its chat calls used). A span whose parent is not in the list is drawn as a root and
// marked "(orphan)".
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/base/clock.h"
#include "hfs/base/ids.h"
#include "hfs/trace/span_data.h"

namespace hfs::app {

// The pipeline phases in run order; span names are "hfs.phase.<name>".
inline constexpr std::array<std::string_view, 9> kPhaseNames = {
    "input",  "spawn",     "deliberation", "claims", "negotiation",
    "freeze", "execution", "integration",  "output"};

struct WaterfallRow {
  std::string span_id;         // 16 hex characters
  std::string parent_span_id;  // "" for a root
  std::string name;
  trace::SpanKind kind = trace::SpanKind::kInternal;
  int depth = 0;
  Duration offset{};  // start - trace start
  Duration duration{};
  int64_t input_tokens = 0;  // own, or summed over the subtree
  int64_t output_tokens = 0;
  // error.type (or the status message) when the span failed; "" otherwise.
  std::string error;
  bool orphan = false;  // its parent is not among the spans
};

struct PhaseTiming {
  std::string name;  // "input", ...
  bool ran = false;  // a hfs.phase.<name> span exists
  Duration offset{};
  Duration duration{};  // summed when the phase has several spans
  int64_t input_tokens = 0;
  int64_t output_tokens = 0;
  int spans = 0;   // spans in the phase's subtrees, the phase spans included
  int errors = 0;  // failed spans among them
};

struct TraceSummary {
  TraceId trace_id{};
  std::string run_id;        // hfs.run.id of the root, "" when absent
  Timestamp start;           // earliest start
  Duration duration{};       // latest end - earliest start
  int64_t input_tokens = 0;  // over the roots
  int64_t output_tokens = 0;
  int errors = 0;  // failed spans
  std::vector<WaterfallRow> rows;
  std::vector<PhaseTiming> phases;  // the nine, in kPhaseNames order
};

// One summary per trace id, ordered by start time.
std::vector<TraceSummary> SummarizeTraces(std::span<const trace::SpanData> spans);

struct WaterfallOptions {
  int bar_width = 32;   // columns of the proportional bar
  int name_width = 44;  // the indented name column; longer names are cut with "~"
};

// A header line, the waterfall table, then the phase timing table.
std::string RenderTraceText(const TraceSummary& summary, const WaterfallOptions& options = {});

// {"trace_id", "run_id", "start_unix_nano", "duration_ms", "input_tokens", "output_tokens",
//  "errors", "spans": [{"span_id", "parent_span_id", "name", "kind", "depth", "offset_ms",
//  "duration_ms", "input_tokens", "output_tokens", "error"?, "orphan"?}],
//  "phases": [{"name", "ran", "offset_ms", "duration_ms", "input_tokens", "output_tokens",
//  "spans", "errors"}]}
nlohmann::json TraceToJson(const TraceSummary& summary);

}  // namespace hfs::app
