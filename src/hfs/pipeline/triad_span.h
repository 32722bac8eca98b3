// hfs/pipeline/triad_span.h
//
// The span of one triad's work in one phase (`hfs.triad.<id>`, with the original's
// attributes: id, preset, phase, agent roles, duration, success, tokens) and its metrics.
// The orchestrator and the negotiation engine open one around every Deliberate, Negotiate
// and Execute call and pass TriadTrace::scope to the triad, so agent spans nest under it.
//
//   TriadTrace traced = StartTriadSpan(phase_scope, triad->options(), "execution");
//   PhaseReport report = triad->Execute({..., .trace = traced.scope});
//   EndTriadSpan(traced, report);
//
// Thread-compatible values; each triad thread owns its own TriadTrace.
#pragma once

#include <string>

#include "hfs/trace/span.h"
#include "hfs/trace/trace_scope.h"
#include "hfs/triad/triad.h"

namespace hfs::pipeline {

struct TriadTrace {
  trace::Span span;
  trace::TraceScope scope;  // children go under `span`
  std::string triad;
  std::string phase;
};

TriadTrace StartTriadSpan(const trace::TraceScope& parent, const triad::TriadOptions& options,
                          const std::string& phase);

// Sets the report's totals on the span, ends it and records the triad metrics.
void EndTriadSpan(TriadTrace& traced, const triad::PhaseReport& report);

}  // namespace hfs::pipeline
