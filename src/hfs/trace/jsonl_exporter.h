// hfs/trace/jsonl_exporter.h
//
// JsonlExporter appends every exported batch to a file as one line holding one OTLP/JSON
// ExportTraceServiceRequest (docs/trace-format.md); ReadJsonlTraces reads such a file
// back. This is the run's trace.jsonl and the input of `hfs trace FILE`.
//
//   auto exporter = HFS_TRY(JsonlExporter::Open(run_dir / "trace.jsonl", tracer.resource()));
//   tracer.AddProcessor(std::make_shared<BatchProcessor>(std::move(exporter)));
//   ...
//   std::vector<SpanData> spans = HFS_TRY(ReadJsonlTraces(run_dir / "trace.jsonl"));
//
// Thread-safe (writes are serialised). Each line is flushed when written, so a crash
// loses at most the line being written. Failures name the path.
#pragma once

#include <cstdio>
#include <filesystem>
#include <memory>
#include <span>
#include <vector>

#include "hfs/base/error.h"
#include "hfs/base/mutex.h"
#include "hfs/trace/span_data.h"
#include "hfs/trace/span_exporter.h"

namespace hfs::trace {

class JsonlExporter final : public SpanExporter {
 public:
  // Creates missing parent directories and opens `path` for appending.
  // kPermissionDenied / kNotFound / kUnavailable (with the path) when that fails.
  static Result<std::unique_ptr<JsonlExporter>> Open(const std::filesystem::path& path,
                                                     Resource resource);
  ~JsonlExporter() override;

  // Writes one line; an empty batch writes nothing. kUnavailable when the write or flush
  // fails, kFailedPrecondition after Shutdown.
  Result<void> Export(std::span<const SpanData> spans) override;
  // Closes the file.
  void Shutdown() override;

  const std::filesystem::path& path() const { return path_; }

 private:
  JsonlExporter(std::filesystem::path path, Resource resource, std::FILE* file);

  const std::filesystem::path path_;
  const Resource resource_;
  Mutex mu_;
  std::FILE* file_ HFS_GUARDED_BY(mu_);
};

// Every span of every line of a JSONL trace file, in file order; blank lines are skipped.
// The error of ReadFile (hfs/base/file.h), or DecodeTraces' error prefixed "path:line: ".
Result<std::vector<SpanData>> ReadJsonlTraces(const std::filesystem::path& path);

}  // namespace hfs::trace
