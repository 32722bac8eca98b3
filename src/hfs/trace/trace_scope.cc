#include "hfs/trace/trace_scope.h"

#include "hfs/trace/tracer.h"

namespace hfs::trace {

Span TraceScope::Start(std::string name, Attributes attributes, SpanKind kind) const {
  if (tracer == nullptr) return Span();
  return tracer->StartSpan(std::move(name),
                           {.parent = parent, .kind = kind, .attributes = std::move(attributes)});
}

TraceScope TraceScope::Under(const Span& span) const {
  TraceScope child = *this;
  if (span.IsRecording()) child.parent = span.context();
  return child;
}

}  // namespace hfs::trace
