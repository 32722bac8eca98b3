#include "hfs/pipeline/triad_span.h"

#include "hfs/trace/instruments.h"
#include "hfs/trace/tracer.h"
#include "hfs/triad/preset.h"

namespace hfs::pipeline {

TriadTrace StartTriadSpan(const trace::TraceScope& parent, const triad::TriadOptions& options,
                          const std::string& phase) {
  TriadTrace traced{.triad = options.id, .phase = phase};
  traced.span = parent.Start("hfs.triad." + options.id,
                             {{"hfs.triad.id", options.id},
                              {"hfs.triad.type", triad::PresetName(options.preset)},
                              {"hfs.triad.phase", phase}});
  traced.scope = parent.Under(traced.span);
  return traced;
}

void EndTriadSpan(TriadTrace& traced, const triad::PhaseReport& report) {
  if (!traced.span.IsRecording()) return;
  const llm::Usage usage = report.Usage();
  std::vector<std::string> roles;
  for (const triad::AgentRun& run : report.runs) {
    if (std::find(roles.begin(), roles.end(), run.role) == roles.end()) roles.push_back(run.role);
  }
  trace::Span& span = traced.span;
  span.SetAttribute("hfs.triad.agent_roles", trace::AttributeValue(roles));
  span.SetAttribute("hfs.tokens.prompt", usage.prompt_tokens);
  span.SetAttribute("hfs.tokens.completion", usage.completion_tokens);
  span.SetAttribute("hfs.tokens.total", usage.total());
  span.SetAttribute("hfs.triad.success", !report.error.has_value());
  if (report.error) span.RecordError(*report.error);
  const Timestamp started = span.data().start_time;
  const Timestamp now = traced.scope.tracer->clock().Now();
  span.SetAttribute("hfs.triad.duration_s", Seconds(now - started));
  span.End();
  trace::RecordTriad(traced.scope.metrics, {.triad = traced.triad,
                                            .phase = traced.phase,
                                            .duration = now - started,
                                            .prompt_tokens = usage.prompt_tokens,
                                            .completion_tokens = usage.completion_tokens});
}

}  // namespace hfs::pipeline
