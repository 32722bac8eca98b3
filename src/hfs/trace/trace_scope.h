// hfs/trace/trace_scope.h
//
// TraceScope: where new spans and measurements go, passed down a run by value: the tracer,
// the metrics registry, the parent span, and whether prompt and response text may enter
// spans. A scope without a tracer records nothing, so code below the app never checks
// whether tracing is on.
//
//   trace::TraceScope scope{.tracer = &tracer, .metrics = &metrics};
//   trace::Span phase = scope.Start("hfs.phase.claims", {{"hfs.phase.name", "claims"}});
//   RunTriad(scope.Under(phase));                  // children of the phase span
//   RecordPhase(scope.metrics, "claims", took, Outcome::kOk);   // instruments.h
//
// A plain value; the tracer and registry it points to are thread-safe and must outlive it.
#pragma once

#include <string>

#include "hfs/trace/attributes.h"
#include "hfs/trace/span.h"
#include "hfs/trace/span_data.h"

namespace hfs::trace {

class Tracer;
class MetricsRegistry;

struct TraceScope {
  Tracer* tracer = nullptr;
  MetricsRegistry* metrics = nullptr;
  // The parent of spans started from this scope; invalid = a new trace.
  SpanContext parent;
  // Prompt and response content in chat spans (observability.include_content).
  bool include_content = false;

  // A recording span under `parent`, or a span that records nothing without a tracer.
  Span Start(std::string name, Attributes attributes = {},
             SpanKind kind = SpanKind::kInternal) const;
  // The same scope with `span` as the parent.
  TraceScope Under(const Span& span) const;
};

}  // namespace hfs::trace
