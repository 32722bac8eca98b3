// hfs/app/html_report.h
//
// report.html: one self-contained page about a run (inline CSS and SVG, no script, no
// external font, image or link target, so it opens offline). It shows the ownership map
// of sections to triads, a negotiation timeline per contested section (claims, rounds,
// decisions, escalations, the arbiter's rationale), the temperature curve, tokens by
// phase, triad, agent and model, the keys used and their rate-limit events, the trace
// waterfall, and the validation result with the page screenshot. It is built from the
// run directory's hfs-report.json, trace.jsonl and screenshot.png (when present).
//
//   HFS_RETURN_IF_ERROR(WriteHtmlReport(run_dir));  // writes run_dir/report.html
//   std::string page = RenderHtmlReport(report_json, spans, {.screenshot_png = png});
//
// Every string taken from the run (model output included) is HTML-escaped. Only key ids
// appear (what the spans carry), never key text. RenderHtmlReport is a pure function and
// thread-safe; WriteHtmlReport is thread-compatible (one writer per run directory).
#pragma once

#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <span>
#include <string>
#include <string_view>

#include "hfs/base/error.h"
#include "hfs/trace/span_data.h"

namespace hfs::app {

inline constexpr char kHtmlReportFileName[] = "report.html";

struct HtmlReportAssets {
  // The bytes of the run's screenshot.png; empty when there is none.
  std::string_view screenshot_png;
  // Why the spans are missing or incomplete (shown in the page); "" when they are fine.
  std::string trace_note;
};

// The page. `report` is the content of hfs-report.json; missing or mistyped fields show
// as empty rather than failing. `spans` may be empty (no trace).
std::string RenderHtmlReport(const nlohmann::json& report, std::span<const trace::SpanData> spans,
                             const HtmlReportAssets& assets = {});

// Reads run_dir/hfs-report.json, run_dir/trace.jsonl and run_dir/screenshot.png and writes
// run_dir/report.html atomically. An unreadable trace or screenshot is noted in the page,
// not an error. kNotFound when hfs-report.json is missing, kDataLoss when it is not a
// JSON object, the write's error (kPermissionDenied / kUnavailable) otherwise.
Result<void> WriteHtmlReport(const std::filesystem::path& run_dir);

}  // namespace hfs::app
