// hfs/trace/tracer.h
//
// Tracer: starts spans and fans finished spans out to its processors. A span started
// without a parent begins a new trace (fresh trace id); a child names its parent
// explicitly through StartOptions::parent, which works across threads.
//
//   Tracer tracer(clock, Resource{.service_name = "hfs", .service_version = "0.1.0"});
//   tracer.AddProcessor(std::make_shared<BatchProcessor>(exporter));
//   Span run = tracer.StartSpan("hfs.run");
//   Span phase = tracer.StartSpan("hfs.phase.claims", {.parent = run.context()});
//   ...
//   HFS_RETURN_IF_ERROR(tracer.Shutdown());     // flushes every processor
//
// Thread-safe. All timestamps come from the injected Clock. Spans ended after Shutdown
// are dropped. ForceFlush/Shutdown return the first processor error (see
// span_processor.h) after calling every processor.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hfs/base/clock.h"
#include "hfs/base/error.h"
#include "hfs/base/mutex.h"
#include "hfs/trace/span.h"
#include "hfs/trace/span_data.h"
#include "hfs/trace/span_processor.h"

namespace hfs::trace {

struct StartOptions {
  // The parent span; nullopt or an invalid context starts a new trace.
  std::optional<SpanContext> parent;
  SpanKind kind = SpanKind::kInternal;
  // Set at start, so that samplers and readers see them first.
  Attributes attributes;
  // The start time when the span records something that already began (default: now).
  std::optional<Timestamp> start_time;
};

class Tracer {
 public:
  Tracer(Clock& clock, Resource resource);
  // Shuts down (flushes) the processors.
  ~Tracer();
  Tracer(const Tracer&) = delete;
  Tracer& operator=(const Tracer&) = delete;

  void AddProcessor(std::shared_ptr<SpanProcessor> processor);
  Span StartSpan(std::string name, StartOptions options = {});

  Result<void> ForceFlush();
  Result<void> Shutdown();

  Clock& clock() const { return clock_; }
  const Resource& resource() const { return resource_; }

 private:
  friend class Span;
  void EndSpan(const SpanData& span);
  std::vector<std::shared_ptr<SpanProcessor>> Processors() const;

  Clock& clock_;
  const Resource resource_;
  mutable Mutex mu_;
  std::vector<std::shared_ptr<SpanProcessor>> processors_ HFS_GUARDED_BY(mu_);
  bool shut_down_ HFS_GUARDED_BY(mu_) = false;
};

}  // namespace hfs::trace
