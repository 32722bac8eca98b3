// report.html: the provider calls read from the chat spans, the token bar charts (by
// phase, triad, agent and model) and the keys used with their rate-limit events.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "hfs/app/html_report_sections.h"
#include "hfs/app/trace_waterfall.h"
#include "hfs/base/text.h"

namespace hfs::app::html_report {
namespace {

using nlohmann::json;
using trace::SpanData;

// Failed calls listed one by one, at most.
constexpr size_t kMaxEvents = 500;

std::string StringAttribute(const trace::Attributes& attributes, std::string_view key) {
  const trace::AttributeValue* value = trace::FindAttribute(attributes, key);
  const std::string* text = value == nullptr ? nullptr : std::get_if<std::string>(value);
  return text == nullptr ? "" : *text;
}

int64_t IntAttribute(const trace::Attributes& attributes, std::string_view key, int64_t missing) {
  const trace::AttributeValue* value = trace::FindAttribute(attributes, key);
  if (value == nullptr) return missing;
  if (const int64_t* number = std::get_if<int64_t>(value)) return *number;
  if (const double* number = std::get_if<double>(value)) return static_cast<int64_t>(*number);
  return missing;
}

// At most `limit` bytes of `text`, cut on a UTF-8 character boundary, "…" when cut.
std::string Shorten(const std::string& text, size_t limit) {
  if (text.size() <= limit) return text;
  size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "\u2026";
}

std::vector<BarRow> RowsOf(const json& table) {
  std::vector<BarRow> rows;
  if (!table.is_object()) return rows;
  for (const auto& [name, usage] : table.items()) {
    rows.push_back({.label = name,
                    .input = Integer(usage, "prompt_tokens"),
                    .output = Integer(usage, "completion_tokens")});
  }
  return rows;
}

// Phases in run order; others (none expected) after them.
std::vector<BarRow> PhaseRows(const json& table) {
  std::vector<BarRow> rows = RowsOf(table);
  auto rank = [](const BarRow& row) {
    return std::find(kPhaseNames.begin(), kPhaseNames.end(), row.label) - kPhaseNames.begin();
  };
  std::stable_sort(rows.begin(), rows.end(),
                   [&](const BarRow& a, const BarRow& b) { return rank(a) < rank(b); });
  return rows;
}

std::vector<BarRow> ModelRows(const std::vector<ChatCall>& chats) {
  std::map<std::string, BarRow> by_model;
  std::map<std::string, int> calls;
  for (const ChatCall& chat : chats) {
    const std::string name = chat.provider + " / " + chat.model;
    BarRow& row = by_model[name];
    row.label = name;
    row.input += chat.input_tokens;
    row.output += chat.output_tokens;
    ++calls[name];
  }
  std::vector<BarRow> rows;
  for (auto& [name, row] : by_model) {
    row.note = fmt::format("{} call{}", calls[name], calls[name] == 1 ? "" : "s");
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string TierEscalations(const json& report) {
  const json& escalations = List(report, "tier_escalations");
  if (escalations.empty()) return "<p>No model tier escalation in this run.</p>\n";
  std::string out =
      "<h3>Model tier escalations</h3><table><tr><th>triad</th><th>role</th><th>phase</th>"
      "<th>from</th><th>to</th><th class=\"num\">failures</th></tr>\n";
  for (const json& escalation : escalations) {
    out += fmt::format(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td>"
        "</tr>\n",
        EscapeHtml(Text(escalation, "triad")), EscapeHtml(Text(escalation, "role")),
        EscapeHtml(Text(escalation, "phase")), EscapeHtml(Text(escalation, "from")),
        EscapeHtml(Text(escalation, "to")), Integer(escalation, "failures"));
  }
  return out + "</table>\n";
}

std::string EventRow(const ChatCall& chat) {
  return fmt::format(
      "<tr><td class=\"num\">+{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}/{}/{}</td>"
      "<td class=\"num\">{}</td><td class=\"err\">{}</td></tr>\n",
      FormatMilliseconds(chat.offset), EscapeHtml(chat.provider), EscapeHtml(chat.key_id),
      EscapeHtml(chat.model), EscapeHtml(chat.triad), EscapeHtml(chat.role), EscapeHtml(chat.phase),
      chat.http_status == 0 ? "" : std::to_string(chat.http_status), EscapeHtml(chat.error_type));
}

std::string EventTable(const std::string& id, const std::string& title,
                       const std::vector<const ChatCall*>& events, const std::string& none) {
  std::string out = fmt::format("<h3>{} ({})</h3>\n", title, events.size());
  if (events.empty()) return out + "<p>" + none + "</p>\n";
  out += fmt::format(
      "<table id=\"{}\"><tr><th class=\"num\">at</th><th>provider</th><th>key id</th>"
      "<th>model</th><th>triad/role/phase</th><th class=\"num\">HTTP</th><th>error</th></tr>\n",
      id);
  for (size_t i = 0; i < events.size() && i < kMaxEvents; ++i) out += EventRow(*events[i]);
  out += "</table>\n";
  if (events.size() > kMaxEvents) {
    out += fmt::format("<p class=\"muted\">{} more not shown.</p>\n", events.size() - kMaxEvents);
  }
  return out;
}

}  // namespace

RunFacts CollectRunFacts(std::span<const SpanData> spans) {
  RunFacts facts;
  if (spans.empty()) return facts;
  Timestamp start = spans.front().start_time;
  for (const SpanData& span : spans) start = std::min(start, span.start_time);
  for (const SpanData& span : spans) {
    for (const trace::SpanEvent& event : span.events) {
      if (event.name != "negotiation.decision") continue;
      facts.decisions.push_back(
          {.round = IntAttribute(span.attributes, "hfs.negotiation.round", -1),
           .section = StringAttribute(event.attributes, "hfs.section"),
           .triad = StringAttribute(event.attributes, "hfs.triad.id"),
           .decision = StringAttribute(event.attributes, "hfs.decision")});
    }
    if (StringAttribute(span.attributes, "gen_ai.operation.name") != "chat") continue;
    const trace::Attributes& a = span.attributes;
    std::string error_type = StringAttribute(a, "error.type");
    if (error_type.empty() && span.status.code == trace::StatusCode::kError) error_type = "error";
    facts.chats.push_back(
        {.provider = StringAttribute(a, "gen_ai.provider.name"),
         .model = StringAttribute(a, "gen_ai.request.model"),
         .key_id = StringAttribute(a, "hfs.key.id"),
         .triad = StringAttribute(a, "hfs.triad.id"),
         .role = StringAttribute(a, "hfs.agent.role"),
         .phase = StringAttribute(a, "hfs.phase.name"),
         .error_type = std::move(error_type),
         .http_status = IntAttribute(a, "http.response.status_code", 0),
         .input_tokens = IntAttribute(a, "gen_ai.usage.input_tokens", 0),
         .output_tokens = IntAttribute(a, "gen_ai.usage.output_tokens", 0),
         .offset = span.start_time - start,
         .duration = std::max(Duration::zero(), span.end_time - span.start_time)});
  }
  std::stable_sort(facts.chats.begin(), facts.chats.end(),
                   [](const ChatCall& a, const ChatCall& b) { return a.offset < b.offset; });
  return facts;
}

std::string TokenBarChart(const std::string& title, const std::vector<BarRow>& rows) {
  std::string out = "<h3>" + EscapeHtml(title) + "</h3>\n";
  if (rows.empty()) return out + "<p class=\"muted\">No tokens recorded.</p>\n";
  constexpr int kLabelWidth = 270, kBarWidth = 440, kRowHeight = 22, kTextWidth = 210;
  int64_t largest = 1;
  for (const BarRow& row : rows) largest = std::max(largest, row.input + row.output);
  const int height = kRowHeight * static_cast<int>(rows.size()) + 6;
  out += fmt::format(
      "<svg class=\"bars\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" role=\"img\" "
      "aria-label=\"{2}\">\n",
      kLabelWidth + kBarWidth + kTextWidth, height, EscapeHtml(title));
  int y = 4;
  for (const BarRow& row : rows) {
    const double input = static_cast<double>(kBarWidth) * row.input / largest;
    const double output = static_cast<double>(kBarWidth) * row.output / largest;
    out += fmt::format(
        "<g><title>{0}: {1} in, {2} out</title><text x=\"{3}\" y=\"{4}\" "
        "text-anchor=\"end\">{5}</text><rect x=\"{6}\" y=\"{7}\" width=\"{8:.1f}\" "
        "height=\"14\" fill=\"#3b6fd8\"/><rect x=\"{9:.1f}\" y=\"{7}\" width=\"{10:.1f}\" "
        "height=\"14\" fill=\"#e08a2c\"/><text x=\"{11:.1f}\" y=\"{4}\">{12}{13}</text></g>\n",
        EscapeHtml(row.label), FormatTokens(row.input), FormatTokens(row.output), kLabelWidth - 8,
        y + 12, EscapeHtml(Shorten(row.label, 34)), kLabelWidth, y, input, kLabelWidth + input,
        output, kLabelWidth + input + output + 6, FormatTokens(row.input + row.output),
        row.note.empty() ? "" : " \u00b7 " + EscapeHtml(row.note));
    y += kRowHeight;
  }
  return out + "</svg>\n";
}

std::string UsageSection(const json& report, const std::vector<ChatCall>& chats) {
  const json& usage = Field(report, "usage");
  const json& total = Field(usage, "total");
  std::string out = fmt::format(
      "<section id=\"usage\"><h2>Token usage</h2>\n<p>Total <b>{}</b> tokens: {} in (prompt), {} "
      "out (completion).</p>\n<p class=\"legend\"><span><i class=\"swatch\" "
      "style=\"background:var(--in)\"></i>input</span><span><i class=\"swatch\" "
      "style=\"background:var(--out)\"></i>output</span></p>\n",
      FormatTokens(Integer(total, "total_tokens")), FormatTokens(Integer(total, "prompt_tokens")),
      FormatTokens(Integer(total, "completion_tokens")));
  out += TokenBarChart("By phase", PhaseRows(Field(usage, "by_phase")));
  out += TokenBarChart("By triad", RowsOf(Field(usage, "by_triad")));
  out += TokenBarChart("By agent", RowsOf(Field(usage, "by_agent")));
  out += TokenBarChart("By model (provider / model, from the chat spans)", ModelRows(chats));
  out += TierEscalations(report);
  return out + "</section>\n";
}

std::string KeysSection(const std::vector<ChatCall>& chats, const std::string& trace_note) {
  std::string out = "<section id=\"keys\"><h2>Keys and rate limits</h2>\n";
  if (!trace_note.empty()) out += "<p class=\"err\">" + EscapeHtml(trace_note) + "</p>\n";
  if (chats.empty()) return out + "<p>No provider call in the trace.</p></section>\n";
  struct KeyUse {
    int calls = 0, failed = 0, rate_limited = 0;
    int64_t input = 0, output = 0;
    std::set<std::string> models;
  };
  std::map<std::pair<std::string, std::string>, KeyUse> keys;
  std::vector<const ChatCall*> rate_limited, failed;
  for (const ChatCall& chat : chats) {
    KeyUse& use = keys[{chat.provider, chat.key_id}];
    ++use.calls;
    use.input += chat.input_tokens;
    use.output += chat.output_tokens;
    use.models.insert(chat.model);
    if (chat.RateLimited()) {
      ++use.rate_limited;
      rate_limited.push_back(&chat);
    } else if (!chat.error_type.empty()) {
      ++use.failed;
      failed.push_back(&chat);
    }
  }
  out += fmt::format(
      "<p>{} provider calls on {} keys (key ids only).</p>\n<table id=\"key-table\"><tr>"
      "<th>provider</th><th>key id</th><th class=\"num\">calls</th><th class=\"num\">rate "
      "limited</th><th class=\"num\">other failures</th><th class=\"num\">tokens in</th><th "
      "class=\"num\">tokens out</th><th>models</th></tr>\n",
      chats.size(), keys.size());
  for (const auto& [key, use] : keys) {
    std::string models;
    for (const std::string& model : use.models) models += (models.empty() ? "" : ", ") + model;
    out += fmt::format(
        "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num{}\">{}</td><td "
        "class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
        EscapeHtml(key.first), EscapeHtml(key.second), use.calls,
        use.rate_limited > 0 ? " err" : "", use.rate_limited, use.failed, FormatTokens(use.input),
        FormatTokens(use.output), EscapeHtml(models));
  }
  out += "</table>\n";
  out += EventTable("rate-limit-events", "Rate-limit events (HTTP 429)", rate_limited,
                    "No call was rate limited.");
  out += EventTable("failed-calls", "Other failed calls", failed, "No other call failed.");
  return out + "</section>\n";
}

}  // namespace hfs::app::html_report
