#include "hfs/app/trace_waterfall.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <unordered_map>

namespace hfs::app {
namespace {

using trace::SpanData;

constexpr std::string_view kPhasePrefix = "hfs.phase.";

struct Node {
  const SpanData* span = nullptr;
  std::vector<size_t> children;
  bool orphan = false;
};

struct Tokens {
  int64_t input = 0;
  int64_t output = 0;
  int spans = 0;
  int errors = 0;
};

std::optional<int64_t> IntAttribute(const SpanData& span, std::string_view key) {
  const trace::AttributeValue* value = trace::FindAttribute(span.attributes, key);
  if (value == nullptr) return std::nullopt;
  if (const int64_t* number = std::get_if<int64_t>(value)) return *number;
  if (const double* number = std::get_if<double>(value)) return static_cast<int64_t>(*number);
  return std::nullopt;
}

std::string StringAttribute(const SpanData& span, std::string_view key) {
  const trace::AttributeValue* value = trace::FindAttribute(span.attributes, key);
  if (value == nullptr) return "";
  if (const std::string* text = std::get_if<std::string>(value)) return *text;
  return "";
}

std::string ErrorText(const SpanData& span) {
  if (span.status.code != trace::StatusCode::kError) return "";
  std::string type = StringAttribute(span, "error.type");
  if (!type.empty()) return type;
  return span.status.message.empty() ? "error" : span.status.message;
}

// The spans of one trace as a forest; children ordered by start time.
class Forest {
 public:
  explicit Forest(std::vector<const SpanData*> spans) {
    std::sort(spans.begin(), spans.end(), [](const SpanData* a, const SpanData* b) {
      return a->start_time != b->start_time ? a->start_time < b->start_time
                                            : a->end_time > b->end_time;
    });
    std::unordered_map<std::string, size_t> index;
    for (const SpanData* span : spans) {
      index.emplace(ToHex(span->span_id), nodes_.size());
      nodes_.push_back(Node{.span = span});
    }
    for (size_t i = 0; i < nodes_.size(); ++i) {
      const SpanData& span = *nodes_[i].span;
      auto parent = span.IsRoot() ? index.end() : index.find(ToHex(span.parent_span_id));
      if (parent == index.end() || parent->second == i) {
        nodes_[i].orphan = !span.IsRoot();
        roots_.push_back(i);
      } else {
        nodes_[parent->second].children.push_back(i);
      }
    }
    totals_.resize(nodes_.size());
    for (size_t root : roots_) Total(root);
  }

  const std::vector<Node>& nodes() const { return nodes_; }
  const std::vector<size_t>& roots() const { return roots_; }
  const Tokens& totals(size_t i) const { return totals_[i]; }

 private:
  const Tokens& Total(size_t i) {
    const SpanData& span = *nodes_[i].span;
    Tokens sum{.spans = 1, .errors = span.status.code == trace::StatusCode::kError ? 1 : 0};
    Tokens children;
    for (size_t child : nodes_[i].children) {
      const Tokens& t = Total(child);
      children.input += t.input;
      children.output += t.output;
      sum.spans += t.spans;
      sum.errors += t.errors;
    }
    std::optional<int64_t> in = IntAttribute(span, "gen_ai.usage.input_tokens");
    std::optional<int64_t> out = IntAttribute(span, "gen_ai.usage.output_tokens");
    sum.input = in.value_or(in || out ? 0 : children.input);
    sum.output = out.value_or(in || out ? 0 : children.output);
    totals_[i] = sum;
    return totals_[i];
  }

  std::vector<Node> nodes_;
  std::vector<size_t> roots_;
  std::vector<Tokens> totals_;
};

void AddRows(const Forest& forest, size_t i, int depth, Timestamp start, TraceSummary& summary) {
  const Node& node = forest.nodes()[i];
  const SpanData& span = *node.span;
  const Tokens& totals = forest.totals(i);
  summary.rows.push_back(
      WaterfallRow{.span_id = ToHex(span.span_id),
                   .parent_span_id = span.IsRoot() ? "" : ToHex(span.parent_span_id),
                   .name = span.name,
                   .kind = span.kind,
                   .depth = depth,
                   .offset = span.start_time - start,
                   .duration = std::max(Duration::zero(), span.end_time - span.start_time),
                   .input_tokens = totals.input,
                   .output_tokens = totals.output,
                   .error = ErrorText(span),
                   .orphan = node.orphan});
  for (size_t child : node.children) AddRows(forest, child, depth + 1, start, summary);
}

void AddPhases(const Forest& forest, Timestamp start, TraceSummary& summary) {
  for (std::string_view name : kPhaseNames) summary.phases.push_back({.name = std::string(name)});
  for (size_t i = 0; i < forest.nodes().size(); ++i) {
    const SpanData& span = *forest.nodes()[i].span;
    if (!span.name.starts_with(kPhasePrefix)) continue;
    std::string_view phase = std::string_view(span.name).substr(kPhasePrefix.size());
    auto it = std::find(kPhaseNames.begin(), kPhaseNames.end(), phase);
    if (it == kPhaseNames.end()) continue;
    PhaseTiming& timing = summary.phases[static_cast<size_t>(it - kPhaseNames.begin())];
    const Tokens& totals = forest.totals(i);
    if (!timing.ran) timing.offset = span.start_time - start;
    timing.ran = true;
    timing.duration += std::max(Duration::zero(), span.end_time - span.start_time);
    timing.input_tokens += totals.input;
    timing.output_tokens += totals.output;
    timing.spans += totals.spans;
    timing.errors += totals.errors;
  }
}

TraceSummary Summarize(const TraceId& trace_id, std::vector<const SpanData*> spans) {
  TraceSummary summary{.trace_id = trace_id};
  Forest forest(std::move(spans));
  summary.start = forest.nodes().front().span->start_time;
  Timestamp end = summary.start;
  for (const Node& node : forest.nodes()) end = std::max(end, node.span->end_time);
  summary.duration = end - summary.start;
  for (size_t root : forest.roots()) {
    const SpanData& span = *forest.nodes()[root].span;
    if (summary.run_id.empty()) summary.run_id = StringAttribute(span, "hfs.run.id");
    summary.input_tokens += forest.totals(root).input;
    summary.output_tokens += forest.totals(root).output;
    summary.errors += forest.totals(root).errors;
    AddRows(forest, root, 0, summary.start, summary);
  }
  AddPhases(forest, summary.start, summary);
  return summary;
}

// ---- text ------------------------------------------------------------------------

std::string FormatDuration(Duration duration) { return fmt::format("{:.3f}s", Seconds(duration)); }

std::string Bar(const WaterfallRow& row, Duration total, int width) {
  std::string bar(static_cast<size_t>(width), ' ');
  double scale = total.count() > 0 ? static_cast<double>(width) / total.count() : 0;
  int from = std::clamp(static_cast<int>(row.offset.count() * scale), 0, width - 1);
  int to = std::clamp(static_cast<int>((row.offset + row.duration).count() * scale + 0.999),
                      from + 1, width);
  std::fill(bar.begin() + from, bar.begin() + to, row.error.empty() ? '=' : '!');
  return "|" + bar + "|";
}

std::string NameCell(const WaterfallRow& row, int width) {
  std::string text = std::string(static_cast<size_t>(row.depth) * 2, ' ') + row.name;
  if (row.orphan) text += " (orphan)";
  if (static_cast<int>(text.size()) > width) text = text.substr(0, width - 1) + "~";
  return text;
}

std::string TokensCell(int64_t input, int64_t output) {
  return input == 0 && output == 0 ? "-" : fmt::format("{}/{}", input, output);
}

void RenderRows(const TraceSummary& summary, const WaterfallOptions& options, std::string& out) {
  out +=
      fmt::format("{:>10} {:>10}  {:<{}} {:>13}  {:<{}}  {}\n", "START", "DURATION", "SPAN",
                  options.name_width, "TOKENS IN/OUT", "TIMELINE", options.bar_width + 2, "ERROR");
  for (const WaterfallRow& row : summary.rows) {
    std::string line =
        fmt::format("{:>10} {:>10}  {:<{}} {:>13}  {}", "+" + FormatDuration(row.offset),
                    FormatDuration(row.duration), NameCell(row, options.name_width),
                    options.name_width, TokensCell(row.input_tokens, row.output_tokens),
                    Bar(row, summary.duration, options.bar_width));
    if (!row.error.empty()) line += "  " + row.error;
    out += line + "\n";
  }
}

void RenderPhases(const TraceSummary& summary, std::string& out) {
  out += fmt::format("\n{:<13} {:>10} {:>10} {:>6} {:>6} {:>10} {:>10} {:>6}\n", "PHASE", "START",
                     "DURATION", "SHARE", "SPANS", "TOKENS IN", "TOKENS OUT", "ERRORS");
  Duration total{};
  for (const PhaseTiming& phase : summary.phases) {
    if (!phase.ran) {
      out += fmt::format("{:<13} {:>10}\n", phase.name, "not run");
      continue;
    }
    total += phase.duration;
    double share = summary.duration.count() > 0
                       ? 100.0 * phase.duration.count() / summary.duration.count()
                       : 0;
    out += fmt::format("{:<13} {:>10} {:>10} {:>5.1f}% {:>6} {:>10} {:>10} {:>6}\n", phase.name,
                       "+" + FormatDuration(phase.offset), FormatDuration(phase.duration), share,
                       phase.spans, phase.input_tokens, phase.output_tokens, phase.errors);
  }
  out += fmt::format("{:<13} {:>10} {:>10}\n", "phases total", "", FormatDuration(total));
}

double Milliseconds(Duration duration) { return Seconds(duration) * 1000.0; }

}  // namespace

std::vector<TraceSummary> SummarizeTraces(std::span<const SpanData> spans) {
  std::map<std::string, std::vector<const SpanData*>> by_trace;
  for (const SpanData& span : spans) by_trace[ToHex(span.trace_id)].push_back(&span);
  std::vector<TraceSummary> summaries;
  for (auto& [id, members] : by_trace) {
    const TraceId trace_id = members.front()->trace_id;
    summaries.push_back(Summarize(trace_id, std::move(members)));
  }
  std::stable_sort(summaries.begin(), summaries.end(),
                   [](const TraceSummary& a, const TraceSummary& b) { return a.start < b.start; });
  return summaries;
}

std::string RenderTraceText(const TraceSummary& summary, const WaterfallOptions& options) {
  std::string out = fmt::format(
      "Trace {}{}: {} spans, {}, tokens {} in / {} out, {} error{}\n\n", ToHex(summary.trace_id),
      summary.run_id.empty() ? "" : " (run " + summary.run_id + ")", summary.rows.size(),
      FormatDuration(summary.duration), summary.input_tokens, summary.output_tokens, summary.errors,
      summary.errors == 1 ? "" : "s");
  RenderRows(summary, options, out);
  RenderPhases(summary, out);
  return out;
}

nlohmann::json TraceToJson(const TraceSummary& summary) {
  nlohmann::json spans = nlohmann::json::array();
  for (const WaterfallRow& row : summary.rows) {
    nlohmann::json span = {{"span_id", row.span_id},
                           {"parent_span_id", row.parent_span_id},
                           {"name", row.name},
                           {"kind", static_cast<int>(row.kind)},
                           {"depth", row.depth},
                           {"offset_ms", Milliseconds(row.offset)},
                           {"duration_ms", Milliseconds(row.duration)},
                           {"input_tokens", row.input_tokens},
                           {"output_tokens", row.output_tokens}};
    if (!row.error.empty()) span["error"] = row.error;
    if (row.orphan) span["orphan"] = true;
    spans.push_back(std::move(span));
  }
  nlohmann::json phases = nlohmann::json::array();
  for (const PhaseTiming& phase : summary.phases) {
    phases.push_back({{"name", phase.name},
                      {"ran", phase.ran},
                      {"offset_ms", Milliseconds(phase.offset)},
                      {"duration_ms", Milliseconds(phase.duration)},
                      {"input_tokens", phase.input_tokens},
                      {"output_tokens", phase.output_tokens},
                      {"spans", phase.spans},
                      {"errors", phase.errors}});
  }
  return {{"trace_id", ToHex(summary.trace_id)},
          {"run_id", summary.run_id},
          {"start_unix_nano", std::to_string(UnixNanos(summary.start))},
          {"duration_ms", Milliseconds(summary.duration)},
          {"input_tokens", summary.input_tokens},
          {"output_tokens", summary.output_tokens},
          {"errors", summary.errors},
          {"spans", std::move(spans)},
          {"phases", std::move(phases)}};
}

}  // namespace hfs::app
