// hfs/app/html_report_sections.h
//
// The parts of report.html (hfs/app/html_report.h), one function per <section>, and the
// facts they read out of the run's spans. Internal to the app module: only
// html_report*.cc and their tests include it.
//
//   RunFacts facts = CollectRunFacts(spans);
//   page += OwnershipSection(report) + NegotiationSection(report, facts.decisions);
//
// Pure functions; thread-safe. Every string from the run is escaped with EscapeHtml.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/base/clock.h"
#include "hfs/trace/span_data.h"

namespace hfs::app::html_report {

// One provider request (a "chat ..." client span).
struct ChatCall {
  std::string provider;
  std::string model;  // gen_ai.request.model
  std::string key_id;
  std::string triad;
  std::string role;
  std::string phase;
  std::string error_type;  // "" when the call succeeded
  int64_t http_status = 0;
  int64_t input_tokens = 0;
  int64_t output_tokens = 0;
  Duration offset{};  // from the earliest span of the run
  Duration duration{};
  bool RateLimited() const { return http_status == 429 || error_type == "429"; }
};

// A negotiation.decision event: what a triad answered for a section in a round.
struct Decision {
  int64_t round = -1;  // hfs.negotiation.round of the span, -1 when absent
  std::string section;
  std::string triad;
  std::string decision;  // concede / revise / hold
};

struct RunFacts {
  std::vector<ChatCall> chats;  // by start time
  std::vector<Decision> decisions;
};

RunFacts CollectRunFacts(std::span<const trace::SpanData> spans);

// Lenient reads of the report JSON: a missing or mistyped field gives "", 0, false or an
// empty array instead of throwing.
const nlohmann::json& Field(const nlohmann::json& object, const char* key);
std::string Text(const nlohmann::json& object, const char* key);
int64_t Integer(const nlohmann::json& object, const char* key);
double Number(const nlohmann::json& object, const char* key);
bool Flag(const nlohmann::json& object, const char* key);
const nlohmann::json& List(const nlohmann::json& object, const char* key);
// A JSON value as display text: strings as they are, other scalars dumped, null as "".
std::string ValueText(const nlohmann::json& value);

std::string FormatTokens(int64_t tokens);        // 12345 -> "12,345"
std::string FormatMilliseconds(Duration value);  // "1234 ms" / "12.3 s"

// One stacked bar (input then output tokens) per row, as inline SVG.
struct BarRow {
  std::string label;
  int64_t input = 0;
  int64_t output = 0;
  std::string note;  // extra text after the total ("12 calls")
};
std::string TokenBarChart(const std::string& title, const std::vector<BarRow>& rows);

std::string OwnershipSection(const nlohmann::json& report);
std::string NegotiationSection(const nlohmann::json& report,
                               const std::vector<Decision>& decisions);
std::string TemperatureSection(const nlohmann::json& report);
std::string UsageSection(const nlohmann::json& report, const std::vector<ChatCall>& chats);
std::string KeysSection(const std::vector<ChatCall>& chats, const std::string& trace_note);
std::string WaterfallSection(std::span<const trace::SpanData> spans, const std::string& trace_note);
std::string ValidationSection(const nlohmann::json& report, std::string_view screenshot_png);

}  // namespace hfs::app::html_report
