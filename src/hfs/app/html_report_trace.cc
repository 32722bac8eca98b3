// report.html: the trace waterfall (the span trees of hfs/app/trace_waterfall.h drawn as
// HTML bars) and the validation result with the screenshot and the emergent metrics.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "hfs/app/html_report_sections.h"
#include "hfs/app/trace_waterfall.h"
#include "hfs/base/text.h"

namespace hfs::app::html_report {
namespace {

using nlohmann::json;

// Waterfall rows drawn per trace, at most; a run has a few hundred spans.
constexpr size_t kMaxRows = 4000;
constexpr std::string_view kPngSignature = "\x89PNG\r\n\x1a\n";

std::string TokensCell(int64_t input, int64_t output) {
  return input == 0 && output == 0
             ? ""
             : fmt::format("{}/{}", FormatTokens(input), FormatTokens(output));
}

double Percent(Duration part, Duration whole) {
  return whole.count() > 0 ? 100.0 * static_cast<double>(part.count()) / whole.count() : 0.0;
}

std::string PhaseTable(const TraceSummary& summary) {
  std::string out =
      "<table><tr><th>phase</th><th class=\"num\">start</th><th class=\"num\">duration</th>"
      "<th class=\"num\">share</th><th class=\"num\">spans</th><th class=\"num\">tokens in/out"
      "</th><th class=\"num\">errors</th></tr>\n";
  for (const PhaseTiming& phase : summary.phases) {
    if (!phase.ran) {
      out += fmt::format("<tr><td>{}</td><td colspan=\"6\" class=\"muted\">not run</td></tr>\n",
                         EscapeHtml(phase.name));
      continue;
    }
    out += fmt::format(
        "<tr><td>{}</td><td class=\"num\">+{}</td><td class=\"num\">{}</td><td "
        "class=\"num\">{:.1f}%</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td "
        "class=\"num{}\">{}</td></tr>\n",
        EscapeHtml(phase.name), FormatMilliseconds(phase.offset),
        FormatMilliseconds(phase.duration), Percent(phase.duration, summary.duration), phase.spans,
        TokensCell(phase.input_tokens, phase.output_tokens), phase.errors > 0 ? " err" : "",
        phase.errors);
  }
  return out + "</table>\n";
}

std::string WaterfallRowHtml(const WaterfallRow& row, Duration total) {
  const double left = std::clamp(Percent(row.offset, total), 0.0, 100.0);
  const double width = std::clamp(Percent(row.duration, total), 0.0, 100.0 - left);
  const char* bar = !row.error.empty()                     ? "bar error"
                    : row.kind == trace::SpanKind::kClient ? "bar client"
                                                           : "bar";
  return fmt::format(
      "<tr{}><td class=\"num\">+{}</td><td class=\"num\">{}</td><td class=\"name\" "
      "style=\"padding-left:{}px\" title=\"{}\">{}{}</td><td class=\"num\">{}</td><td><div "
      "class=\"track\"><div class=\"{}\" style=\"left:{:.2f}%;width:{:.2f}%\"></div></div></td>"
      "<td class=\"err\">{}</td></tr>\n",
      row.error.empty() ? "" : " class=\"failed\"", FormatMilliseconds(row.offset),
      FormatMilliseconds(row.duration), 6 + 14 * row.depth, EscapeHtml(row.name),
      EscapeHtml(row.name), row.orphan ? " <span class=\"muted\">(orphan)</span>" : "",
      TokensCell(row.input_tokens, row.output_tokens), bar, left, width, EscapeHtml(row.error));
}

std::string TraceHtml(const TraceSummary& summary) {
  std::string out = fmt::format(
      "<h3>Trace {}{}</h3>\n<p>{} spans, {}, tokens {} in / {} out, {} failed span{}.</p>\n",
      ToHex(summary.trace_id),
      summary.run_id.empty() ? "" : " (run " + EscapeHtml(summary.run_id) + ")",
      summary.rows.size(), FormatMilliseconds(summary.duration), FormatTokens(summary.input_tokens),
      FormatTokens(summary.output_tokens), summary.errors, summary.errors == 1 ? "" : "s");
  out += PhaseTable(summary);
  out +=
      "<table class=\"wf waterfall-table\"><tr><th class=\"num\">start</th><th "
      "class=\"num\">duration</th><th>span</th><th class=\"num\">tokens in/out</th><th>timeline"
      "</th><th>error</th></tr>\n";
  for (size_t i = 0; i < summary.rows.size() && i < kMaxRows; ++i) {
    out += WaterfallRowHtml(summary.rows[i], summary.duration);
  }
  out += "</table>\n";
  if (summary.rows.size() > kMaxRows) {
    out += fmt::format("<p class=\"muted\">{} more spans not shown (see `hfs trace`).</p>\n",
                       summary.rows.size() - kMaxRows);
  }
  return out;
}

std::string IssuesTable(const json& validation) {
  const json& issues = List(validation, "issues");
  if (issues.empty()) return "<p>No issue found.</p>\n";
  std::string out =
      "<table id=\"validation-issues\"><tr><th>severity</th><th>category</th><th>where</th>"
      "<th>message</th><th>suggestion</th></tr>\n";
  for (const json& issue : issues) {
    const std::string file = Text(issue, "file");
    const int64_t line = Integer(issue, "line");
    const std::string severity = Text(issue, "severity");
    out += fmt::format(
        "<tr><td class=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
        severity == "error" ? "err" : "", EscapeHtml(severity), EscapeHtml(Text(issue, "category")),
        EscapeHtml(line > 0 ? fmt::format("{}:{}", file, line) : file),
        EscapeHtml(Text(issue, "message")), EscapeHtml(Text(issue, "suggestion")));
  }
  return out + "</table>\n";
}

std::string Screenshot(std::string_view png) {
  if (png.empty()) {
    return "<p class=\"muted\" id=\"no-screenshot\">No screenshot: the run directory has no "
           "screenshot.png (the Chromium validator did not run).</p>\n";
  }
  if (!png.starts_with(kPngSignature)) {
    return "<p class=\"err\" id=\"no-screenshot\">screenshot.png is not a PNG image.</p>\n";
  }
  return "<h3>Screenshot</h3>\n<div class=\"shot\"><img class=\"screenshot\" id=\"screenshot\" "
         "alt=\"the generated page, rendered by headless Chromium\" "
         "src=\"data:image/png;base64," +
         Base64Encode(png) + "\"></div>\n";
}

std::string Emergent(const json& report) {
  const json& emergent = Field(report, "emergent");
  if (!emergent.is_object()) return "";
  std::string out =
      fmt::format("<h3>Emergent metrics</h3>\n<p>overall health: <b>{}</b></p><table>",
                  EscapeHtml(Text(emergent, "overall_health")));
  const json& metrics = Field(emergent, "metrics");
  if (metrics.is_object()) {
    for (const auto& [name, value] : metrics.items()) {
      out += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td></tr>", EscapeHtml(name),
                         value.is_number() ? fmt::format("{:.2f}", value.get<double>())
                                           : EscapeHtml(ValueText(value)));
    }
  }
  out += "</table>\n";
  const json& recommendations = List(emergent, "recommendations");
  if (!recommendations.empty()) {
    out += "<ul>";
    for (const json& text : recommendations) out += "<li>" + EscapeHtml(ValueText(text)) + "</li>";
    out += "</ul>\n";
  }
  return out;
}

}  // namespace

std::string WaterfallSection(std::span<const trace::SpanData> spans,
                             const std::string& trace_note) {
  std::string out = "<section id=\"waterfall\"><h2>Trace waterfall</h2>\n";
  if (!trace_note.empty()) out += "<p class=\"err\">" + EscapeHtml(trace_note) + "</p>\n";
  const std::vector<TraceSummary> summaries = SummarizeTraces(spans);
  if (summaries.empty()) return out + "<p>No spans.</p></section>\n";
  for (const TraceSummary& summary : summaries) out += TraceHtml(summary);
  return out + "</section>\n";
}

std::string ValidationSection(const json& report, std::string_view screenshot_png) {
  const json& validation = Field(report, "validation");
  const bool passed = Flag(validation, "passed");
  std::string checks;
  for (const json& check : List(validation, "checks_run")) {
    checks += (checks.empty() ? "" : ", ") + EscapeHtml(ValueText(check));
  }
  std::string out = fmt::format(
      "<section id=\"validation\"><h2>Validation</h2>\n<p><span class=\"badge {}\" "
      "id=\"validation-result\">{}</span> {} error{}, {} warning{}; checks: {}</p>\n",
      passed ? "ok" : "bad", passed ? "passed" : "failed", Integer(validation, "errors"),
      Integer(validation, "errors") == 1 ? "" : "s", Integer(validation, "warnings"),
      Integer(validation, "warnings") == 1 ? "" : "s", checks.empty() ? "none" : checks);
  out += IssuesTable(validation);
  out += Screenshot(screenshot_png);
  out += Emergent(report);
  return out + "</section>\n";
}

}  // namespace hfs::app::html_report
