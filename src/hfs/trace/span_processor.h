// hfs/trace/span_processor.h
//
// SpanProcessor: what the Tracer hands every finished span to. SimpleProcessor
// (simple_processor.h) exports at once; BatchProcessor (batch_processor.h) queues and
// exports from a background thread.
//
//   tracer.AddProcessor(std::make_shared<SimpleProcessor>(exporter));
//   ...
//   HFS_RETURN_IF_ERROR(tracer.ForceFlush());   // forwards to every processor
//
// Thread-safety: implementations are thread-safe; OnEnd is called from any thread that
// ends a span. ForceFlush and Shutdown return the first export error seen since the
// previous ForceFlush/Shutdown (Ok when every export succeeded).
#pragma once

#include "hfs/base/error.h"
#include "hfs/trace/span_data.h"

namespace hfs::trace {

class SpanProcessor {
 public:
  virtual ~SpanProcessor() = default;
  // Takes a finished span. Never blocks on the exporter for a BatchProcessor.
  virtual void OnEnd(const SpanData& span) = 0;
  // Returns once every span passed to OnEnd before the call has been exported.
  virtual Result<void> ForceFlush() = 0;
  // Flushes, then shuts the exporter down; later spans are dropped. Idempotent.
  virtual Result<void> Shutdown() = 0;
};

}  // namespace hfs::trace
