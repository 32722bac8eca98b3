// hfs/testing/sample_run.h
//
// A small hand-made run for tests of what reads a run directory (report.html): the text
// of an hfs-report.json with two contested sections (one resolved by concession, one by
// the arbiter, whose rationale holds hostile markup), and the matching spans (the run, two
// phases, a negotiation round with decision events, four chat calls, one of them rate
// limited). kSampleKeyText is a key that must never show anywhere; kSampleKeyId is its id.
//
//   nlohmann::json report = nlohmann::json::parse(testing::SampleRunReportJson());
//   std::vector<trace::SpanData> spans = testing::SampleRunSpans();
//
// Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "hfs/trace/span_data.h"

namespace hfs::testing {

inline constexpr char kSampleRunId[] = "20260101-000000-ab12cd";
inline constexpr char kSampleKeyText[] = "gsk_SECRETsecretSECRET0123456789";
inline constexpr char kSampleKeyId[] = "groq#2:5f3a9c";
inline constexpr char kSampleRationale[] =
    "visual's proposal is clearer <script>alert(\"owned\")</script> & keeps <b>contrast</b>";

inline std::string SampleRunReportJson() {
  return R"json({
  "run_id": "20260101-000000-ab12cd", "success": true, "error": null,
  "counts": {"rounds": 2, "contested_sections": 2, "escalations": 1, "fallbacks": 0,
             "files": 2, "tokens": 5300},
  "usage": {"total": {"prompt_tokens": 4000, "completion_tokens": 1300, "total_tokens": 5300},
    "by_phase": {"negotiation": {"prompt_tokens": 1500, "completion_tokens": 300, "total_tokens": 1800},
                 "deliberation": {"prompt_tokens": 2500, "completion_tokens": 1000, "total_tokens": 3500}},
    "by_triad": {"layout": {"prompt_tokens": 2000, "completion_tokens": 700, "total_tokens": 2700},
                 "visual": {"prompt_tokens": 1700, "completion_tokens": 500, "total_tokens": 2200},
                 "arbiter": {"prompt_tokens": 300, "completion_tokens": 100, "total_tokens": 400}},
    "by_agent": {"layout_orchestrator": {"prompt_tokens": 2000, "completion_tokens": 700, "total_tokens": 2700},
                 "visual_proposer": {"prompt_tokens": 1700, "completion_tokens": 500, "total_tokens": 2200},
                 "arbiter": {"prompt_tokens": 300, "completion_tokens": 100, "total_tokens": 400}}},
  "timings": [{"phase": "input", "ms": 3}, {"phase": "deliberation", "ms": 900},
              {"phase": "negotiation", "ms": 1200}],
  "spec": {"round": 2, "temperature": 0.7, "sections": [
    {"name": "hero", "status": "frozen", "owner": "layout", "content": "", "history_entries": 3},
    {"name": "pricing", "status": "frozen", "owner": "visual", "content": "", "history_entries": 5},
    {"name": "faq", "status": "frozen", "owner": "layout", "content": "", "history_entries": 1}]},
  "claims": [
    {"triad": "layout", "section": "hero", "accepted": true, "rejection": null},
    {"triad": "visual", "section": "hero", "accepted": true, "rejection": null},
    {"triad": "layout", "section": "pricing", "accepted": true, "rejection": null},
    {"triad": "visual", "section": "pricing", "accepted": true, "rejection": null},
    {"triad": "visual", "section": "footer", "accepted": false,
     "rejection": {"code": "NOT_FOUND", "message": "no section 'footer'"}}],
  "negotiation": {"rounds": 2, "final_temperature": 0.7, "error": null,
    "rounds_detail": [
      {"round": 0, "temperature": 1.0, "contested": ["hero", "pricing"], "triads": ["layout", "visual"],
       "rejected_decisions": 0, "sections": [
         {"section": "hero", "status": "claimed", "resolved": true, "progress": true, "winner": "layout"},
         {"section": "pricing", "status": "contested", "resolved": false, "progress": false, "winner": ""}]},
      {"round": 1, "temperature": 0.85, "contested": ["pricing"], "triads": ["layout", "visual"],
       "rejected_decisions": 1, "sections": [
         {"section": "pricing", "status": "contested", "resolved": false, "progress": false, "winner": ""}]}],
    "escalations": [{"section": "pricing", "round": 2, "cause": "stuck", "type": "assign",
      "winner": "visual", "assigned_to": "", "division": [],
      "rationale": "visual's proposal is clearer <script>alert(\"owned\")</script> & keeps <b>contrast</b>",
      "fallback": false, "fallback_reason": "", "attempts": 1}]},
  "coverage": [{"section": "faq", "triad": "layout", "reason": "primary scope"}],
  "files": {"index.html": 420, "App.tsx": 1800}, "entry_point": "index.html", "merge_warnings": [],
  "validation": {"passed": false, "checks_run": ["syntax", "render"], "errors": 1, "warnings": 0,
    "issues": [{"severity": "error", "category": "render", "message": "<div> never closed",
                "file": "App.tsx", "line": 12, "suggestion": "close the <div>"}]},
  "emergent": {"metrics": {"coherence_score": 0.8}, "overall_health": "good",
               "recommendations": ["keep going"]},
  "tier_escalations": [{"triad": "visual", "role": "proposer", "phase": "negotiation",
    "from": "fast", "to": "strong", "failures": 3, "persist_error": ""}]
})json";
}

namespace sample_run_internal {

inline SpanId Id(int n) {
  SpanId id{};
  id[7] = static_cast<uint8_t>(n);
  return id;
}

inline trace::SpanData Span(int id, int parent, std::string name, int start_ms, int duration_ms) {
  static const Timestamp kStart = Timestamp(std::chrono::seconds(1767225600));
  trace::SpanData span;
  span.trace_id[0] = 0x4b;
  span.trace_id[15] = 1;
  span.span_id = Id(id);
  if (parent != 0) span.parent_span_id = Id(parent);
  span.name = std::move(name);
  span.start_time = kStart + std::chrono::milliseconds(start_ms);
  span.end_time = span.start_time + std::chrono::milliseconds(duration_ms);
  return span;
}

inline trace::SpanData Chat(int id, int parent, int start_ms, std::string provider,
                            std::string model, std::string key_id, int in, int out) {
  trace::SpanData span = Span(id, parent, "chat " + model, start_ms, 200);
  span.kind = trace::SpanKind::kClient;
  span.attributes = {{"gen_ai.operation.name", "chat"}, {"gen_ai.provider.name", provider},
                     {"gen_ai.request.model", model},   {"hfs.key.id", key_id},
                     {"hfs.triad.id", "layout"},        {"hfs.agent.role", "orchestrator"},
                     {"hfs.phase.name", "negotiation"}, {"http.response.status_code", 200},
                     {"gen_ai.usage.input_tokens", in}, {"gen_ai.usage.output_tokens", out}};
  return span;
}

}  // namespace sample_run_internal

inline std::vector<trace::SpanData> SampleRunSpans() {
  using sample_run_internal::Chat;
  using sample_run_internal::Span;
  trace::SpanData run = Span(1, 0, "hfs.run", 0, 3000);
  run.attributes = {{"hfs.run.id", kSampleRunId}};
  trace::SpanData round = Span(4, 3, "hfs.negotiation.round 1", 1500, 800);
  round.attributes = {{"hfs.negotiation.round", 1}};
  round.events = {
      {.name = "negotiation.decision",
       .time = round.start_time,
       .attributes = {{"hfs.section", "pricing"},
                      {"hfs.triad.id", "layout"},
                      {"hfs.decision", "hold"}}},
      {.name = "negotiation.decision",
       .time = round.start_time,
       .attributes = {
           {"hfs.section", "pricing"}, {"hfs.triad.id", "visual"}, {"hfs.decision", "revise"}}}};
  trace::SpanData limited = Chat(7, 4, 1600, "groq", "llama-3.3-70b", kSampleKeyId, 0, 0);
  trace::SetAttribute(limited.attributes, {"http.response.status_code", 429});
  trace::SetAttribute(limited.attributes, {"error.type", "429"});
  trace::SetAttribute(
      limited.attributes,
      {"gen_ai.input.messages", std::string("[{\"content\": \"") + kSampleKeyText + "\"}]"});
  limited.status = {trace::StatusCode::kError,
                    std::string("RESOURCE_EXHAUSTED: 429 for key ") + kSampleKeyText};
  return {Span(2, 1, "hfs.phase.deliberation", 0, 900),
          Chat(5, 2, 100, "cerebras", "qwen-3-32b", "cerebras#1:0a1b2c", 2500, 1000),
          limited,
          Chat(8, 4, 1900, "groq", "llama-3.3-70b", "groq#3:77aa01", 1200, 200),
          Chat(9, 4, 2100, "groq", "llama-3.3-70b", kSampleKeyId, 300, 100),
          round,
          Span(3, 1, "hfs.phase.negotiation", 1000, 1400),
          run};
}

}  // namespace hfs::testing
