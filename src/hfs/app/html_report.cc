// report.html: the page frame (style, header, navigation), the lenient JSON readers the
// sections share, and WriteHtmlReport, which loads a run directory.
#include "hfs/app/html_report.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "hfs/app/html_report_sections.h"
#include "hfs/base/file.h"
#include "hfs/base/text.h"
#include "hfs/trace/jsonl_exporter.h"

namespace hfs::app {
namespace html_report {

using nlohmann::json;

const json& Field(const json& object, const char* key) {
  static const json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

std::string ValueText(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "";
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string Text(const json& object, const char* key) { return ValueText(Field(object, key)); }

int64_t Integer(const json& object, const char* key) {
  const json& value = Field(object, key);
  if (value.is_number_float()) return static_cast<int64_t>(value.get<double>());
  return value.is_number() ? value.get<int64_t>() : 0;
}

double Number(const json& object, const char* key) {
  const json& value = Field(object, key);
  return value.is_number() ? value.get<double>() : 0.0;
}

bool Flag(const json& object, const char* key) {
  const json& value = Field(object, key);
  return value.is_boolean() && value.get<bool>();
}

const json& List(const json& object, const char* key) {
  static const json kEmpty = json::array();
  const json& value = Field(object, key);
  return value.is_array() ? value : kEmpty;
}

std::string FormatTokens(int64_t tokens) {
  std::string digits = std::to_string(tokens < 0 ? -tokens : tokens);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return tokens < 0 ? "-" + out : out;
}

std::string FormatMilliseconds(Duration value) {
  const double ms = Seconds(value) * 1000.0;
  return ms < 10000 ? fmt::format("{:.0f} ms", ms) : fmt::format("{:.1f} s", ms / 1000.0);
}

}  // namespace html_report

namespace {

using html_report::Field;
using html_report::Flag;
using html_report::FormatTokens;
using html_report::Integer;
using html_report::List;
using html_report::Text;
using html_report::ValueText;
using nlohmann::json;

constexpr char kStyle[] = R"css(
:root{--fg:#1d2430;--muted:#5b6472;--line:#d9dee5;--bg:#f6f7f9;--card:#fff;--ok:#1f8a4c;
--bad:#c0392b;--warn:#b7791f;--in:#3b6fd8;--out:#e08a2c;--own:#2f7d5b;--claim:#cfe3f7}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
color:var(--fg);background:var(--bg)}
header{background:#1d2430;color:#fff;padding:18px 28px}
header h1{margin:0 0 4px;font-size:22px}
header .meta{color:#c9d1dc;font-size:13px}
nav{position:sticky;top:0;background:#fff;border-bottom:1px solid var(--line);padding:8px 28px;
z-index:2}
nav a{margin-right:14px;color:var(--in);text-decoration:none;font-weight:600}
main{padding:12px 28px 40px;max-width:1400px}
section{background:var(--card);border:1px solid var(--line);border-radius:8px;margin:16px 0;
padding:14px 18px}
section h2{margin:0 0 10px;font-size:18px}
h3{font-size:15px;margin:14px 0 6px}
table{border-collapse:collapse;margin:6px 0 10px;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef1f5;font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;border-radius:10px;padding:1px 9px;font-size:12px;font-weight:600;
color:#fff}
.badge.ok{background:var(--ok)}.badge.bad{background:var(--bad)}.badge.warn{background:var(--warn)}
.muted{color:var(--muted)}
.err{color:var(--bad)}
.grid td.own{background:var(--own);color:#fff;font-weight:600;text-align:center}
.grid td.claim{background:var(--claim);text-align:center}
.grid td.none{text-align:center;color:#bbb}
ol.timeline{list-style:none;margin:4px 0 10px;padding-left:14px;border-left:3px solid var(--line)}
ol.timeline li{margin:6px 0;position:relative}
ol.timeline li::before{content:"";position:absolute;left:-21px;top:6px;width:11px;height:11px;
border-radius:50%;background:var(--in)}
ol.timeline li.escalation::before{background:var(--bad)}
ol.timeline li.final::before{background:var(--own)}
blockquote.rationale{margin:4px 0;padding:6px 10px;background:#fbf7ee;border-left:3px solid
var(--warn);white-space:pre-wrap}
.legend span{display:inline-block;margin-right:14px}
.swatch{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}
.wf td{padding:1px 6px;white-space:nowrap}
.wf .name{max-width:520px;overflow:hidden;text-overflow:ellipsis}
.track{position:relative;width:360px;height:12px;background:#eef1f5;border-radius:2px}
.bar{position:absolute;top:1px;height:10px;min-width:2px;background:var(--in);border-radius:2px}
.bar.error{background:var(--bad)}.bar.client{background:var(--out)}
.shot{max-height:1000px;overflow:auto;border:1px solid var(--line);margin-top:8px}
img.screenshot{display:block;max-width:100%}
svg text{font:12px system-ui,sans-serif;fill:var(--fg)}
)css";

std::string Badge(bool ok, std::string_view ok_text, std::string_view bad_text) {
  return fmt::format(R"(<span class="badge {}">{}</span>)", ok ? "ok" : "bad",
                     ok ? ok_text : bad_text);
}

std::string Header(const json& report) {
  const json& counts = Field(report, "counts");
  const json& error = Field(report, "error");
  std::string out = fmt::format(
      "<header><h1>HFS run <span id=\"run-id\">{}</span> {}</h1>\n<div class=\"meta\">rounds {} "
      "&middot; contested sections {} &middot; escalations {} ({} by fallback) &middot; files {} "
      "&middot; tokens {}</div>",
      EscapeHtml(Text(report, "run_id")), Badge(Flag(report, "success"), "succeeded", "failed"),
      Integer(counts, "rounds"), Integer(counts, "contested_sections"),
      Integer(counts, "escalations"), Integer(counts, "fallbacks"), Integer(counts, "files"),
      FormatTokens(Integer(counts, "tokens")));
  if (error.is_object()) {
    out += fmt::format("<div class=\"meta\">error: {}: {}</div>", EscapeHtml(Text(error, "code")),
                       EscapeHtml(Text(error, "message")));
  }
  return out + "</header>\n";
}

std::string Navigation() {
  static constexpr std::pair<const char*, const char*> kLinks[] = {
      {"summary", "Summary"},         {"ownership", "Ownership"},  {"negotiation", "Negotiation"},
      {"temperature", "Temperature"}, {"usage", "Tokens"},         {"keys", "Keys"},
      {"waterfall", "Waterfall"},     {"validation", "Validation"}};
  std::string out = "<nav>";
  for (const auto& [id, title] : kLinks) out += fmt::format("<a href=\"#{}\">{}</a>", id, title);
  return out + "</nav>\n";
}

// Phase timings and the generated files.
std::string SummarySection(const json& report) {
  std::string out =
      "<section id=\"summary\"><h2>Summary</h2>\n<table><tr><th>phase</th><th "
      "class=\"num\">ms</th></tr>\n";
  int64_t total = 0;
  for (const json& timing : List(report, "timings")) {
    total += Integer(timing, "ms");
    out += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td></tr>\n",
                       EscapeHtml(Text(timing, "phase")), Integer(timing, "ms"));
  }
  out += fmt::format("<tr><th>total</th><th class=\"num\">{}</th></tr></table>\n", total);
  const json& files = Field(report, "files");
  out += fmt::format("<details><summary>{} generated files (entry point {})</summary><table>",
                     files.is_object() ? files.size() : 0, EscapeHtml(Text(report, "entry_point")));
  if (files.is_object()) {
    for (const auto& [path, size] : files.items()) {
      out += fmt::format("<tr><td>{}</td><td class=\"num\">{} bytes</td></tr>", EscapeHtml(path),
                         ValueText(size));
    }
  }
  out += "</table></details>\n";
  for (const json& warning : List(report, "merge_warnings")) {
    out += fmt::format("<p class=\"err\">merge warning: {}</p>\n", EscapeHtml(ValueText(warning)));
  }
  return out + "</section>\n";
}

}  // namespace

std::string RenderHtmlReport(const json& report, std::span<const trace::SpanData> spans,
                             const HtmlReportAssets& assets) {
  namespace sections = html_report;
  const sections::RunFacts facts = sections::CollectRunFacts(spans);
  std::string page = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<meta "
      "name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>HFS run "
      "{}</title>\n<style>{}</style></head>\n<body>\n",
      EscapeHtml(Text(report, "run_id")), kStyle);
  page += Header(report);
  page += Navigation();
  page += "<main>\n";
  page += SummarySection(report);
  page += sections::OwnershipSection(report);
  page += sections::NegotiationSection(report, facts.decisions);
  page += sections::TemperatureSection(report);
  page += sections::UsageSection(report, facts.chats);
  page += sections::KeysSection(facts.chats, assets.trace_note);
  page += sections::WaterfallSection(spans, assets.trace_note);
  page += sections::ValidationSection(report, assets.screenshot_png);
  page += "</main>\n</body></html>\n";
  return page;
}

Result<void> WriteHtmlReport(const std::filesystem::path& run_dir) {
  Result<std::string> text = ReadFile(run_dir / "hfs-report.json");
  if (!text) return Fail(text.error());
  const json report = json::parse(*text, nullptr, false);
  if (!report.is_object()) {
    return Fail(ErrorCode::kDataLoss,
                (run_dir / "hfs-report.json").string() + ": not a JSON object");
  }
  std::error_code ec;
  HtmlReportAssets assets;
  std::vector<trace::SpanData> spans;
  const std::filesystem::path trace_path = run_dir / "trace.jsonl";
  if (!std::filesystem::exists(trace_path, ec)) {
    assets.trace_note = "The run directory has no trace.jsonl.";
  } else if (Result<std::vector<trace::SpanData>> read = trace::ReadJsonlTraces(trace_path)) {
    spans = std::move(*read);
  } else {
    assets.trace_note = "trace.jsonl could not be read: " + read.error().message;
  }
  std::string screenshot;
  if (Result<std::string> png = ReadFile(run_dir / "screenshot.png")) {
    screenshot = std::move(*png);
    assets.screenshot_png = screenshot;
  }
  std::string page;
  try {
    page = RenderHtmlReport(report, spans, assets);
  } catch (const std::exception& e) {  // nlohmann on a value of an unexpected shape
    return Fail(ErrorCode::kInternal,
                fmt::format("rendering {}: {}", kHtmlReportFileName, e.what()));
  }
  return WriteFileAtomic(run_dir / kHtmlReportFileName, page);
}

}  // namespace hfs::app
