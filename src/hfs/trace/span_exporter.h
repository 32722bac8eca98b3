// hfs/trace/span_exporter.h
//
// SpanExporter: the sink at the end of a span pipeline (JSONL file, OTLP/HTTP, SQL,
// an in-memory list in tests). Processors hand it batches of finished spans.
//
//   class FileExporter final : public SpanExporter {
//    public:
//     Result<void> Export(std::span<const SpanData> spans) override { ... }
//     void Shutdown() override { ... }
//   };
//
// Thread-safety: a processor calls Export from one thread at a time, but possibly from
// a different thread than the one that created the exporter. Export returns the sink's
// error (with a message naming the destination) when spans were lost. A sink may keep a
// batch it could not deliver and send it with a later Export or at Shutdown (the SQL
// store does); then Export returns Ok and the sink counts what it finally lost.
#pragma once

#include <span>

#include "hfs/base/error.h"
#include "hfs/trace/span_data.h"

namespace hfs::trace {

class SpanExporter {
 public:
  virtual ~SpanExporter() = default;
  virtual Result<void> Export(std::span<const SpanData> spans) = 0;
  // Delivers what the sink still keeps (within its own bound), then releases the
  // destination; later Export calls may fail. Idempotent.
  virtual void Shutdown() = 0;
};

}  // namespace hfs::trace
