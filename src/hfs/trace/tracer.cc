#include "hfs/trace/tracer.h"

#include "hfs/base/check.h"

namespace hfs::trace {

Tracer::Tracer(Clock& clock, Resource resource) : clock_(clock), resource_(std::move(resource)) {}

Tracer::~Tracer() { (void)Shutdown(); }

void Tracer::AddProcessor(std::shared_ptr<SpanProcessor> processor) {
  HFS_CHECK(processor != nullptr, "AddProcessor needs a processor");
  MutexLock lock(mu_);
  processors_.push_back(std::move(processor));
}

Span Tracer::StartSpan(std::string name, StartOptions options) {
  SpanData data;
  if (options.parent && options.parent->IsValid()) {
    data.trace_id = options.parent->trace_id;
    data.parent_span_id = options.parent->span_id;
  } else {
    data.trace_id = NewTraceId();
  }
  data.span_id = NewSpanId();
  data.name = std::move(name);
  data.kind = options.kind;
  data.attributes = std::move(options.attributes);
  data.start_time = options.start_time.value_or(clock_.Now());
  return Span(this, std::move(data));
}

void Tracer::EndSpan(const SpanData& span) {
  {
    MutexLock lock(mu_);
    if (shut_down_) return;
  }
  for (const auto& processor : Processors()) processor->OnEnd(span);
}

std::vector<std::shared_ptr<SpanProcessor>> Tracer::Processors() const {
  MutexLock lock(mu_);
  return processors_;
}

Result<void> Tracer::ForceFlush() {
  Result<void> first = Ok();
  for (const auto& processor : Processors()) {
    Result<void> result = processor->ForceFlush();
    if (!result && first) first = std::move(result);
  }
  return first;
}

Result<void> Tracer::Shutdown() {
  {
    MutexLock lock(mu_);
    if (shut_down_) return Ok();
    shut_down_ = true;
  }
  Result<void> first = Ok();
  for (const auto& processor : Processors()) {
    Result<void> result = processor->Shutdown();
    if (!result && first) first = std::move(result);
  }
  return first;
}

}  // namespace hfs::trace
