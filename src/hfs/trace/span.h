// hfs/trace/span.h
//
// Span: the move-only RAII handle of a span in progress, returned by Tracer::StartSpan.
// It records attributes, events and status; End() (or the destructor) stamps the end
// time from the tracer's Clock and hands the finished SpanData to the processors.
//
//   Span span = tracer.StartSpan("execute_tool write_file", {.parent = turn.context()});
//   span.SetAttribute("gen_ai.tool.name", "write_file");    // a string, not a bool
//   span.SetAttribute("hfs.bytes", content.size());          // an int64
//   if (!result) span.RecordError(result.error());
//   // ends here; pass span.context() to children on other threads
//
// Thread-compatible: one thread uses a Span at a time; its context() may be copied to
// any thread. A Span must not outlive its Tracer. A default-constructed or moved-from
// Span records nothing.
#pragma once

#include <string>

#include "hfs/base/error.h"
#include "hfs/trace/span_data.h"

namespace hfs::trace {

class Tracer;

class Span {
 public:
  Span() = default;
  ~Span() { End(); }
  Span(Span&& other) noexcept;
  Span& operator=(Span&& other) noexcept;  // ends the span this handle held
  Span(const Span&) = delete;
  Span& operator=(const Span&) = delete;

  // Sets (or replaces) an attribute; values convert as in Attribute (attributes.h).
  template <class T>
  void SetAttribute(std::string key, T&& value) {
    SetAttribute(Attribute(std::move(key), std::forward<T>(value)));
  }
  void SetAttribute(Attribute attribute);
  // Adds an event stamped with the clock's now.
  void AddEvent(std::string name, Attributes attributes = {});
  // kUnset is ignored and kOk is final, as in OpenTelemetry.
  void SetStatus(StatusCode code, std::string message = "");
  // Error status with error.ToString(), error.type = the code name ("NOT_FOUND"), and an
  // "exception" event carrying exception.type and exception.message.
  void RecordError(const Error& error);
  // Stamps the end time and exports. Idempotent.
  void End();
  // Ends at `end_time` instead of now (a span recorded after the fact).
  void EndAt(Timestamp end_time);

  // True from StartSpan until End.
  bool IsRecording() const { return tracer_ != nullptr; }
  SpanContext context() const { return data_.context(); }
  // The data recorded so far (end_time is set only after End).
  const SpanData& data() const { return data_; }

 private:
  friend class Tracer;
  Span(Tracer* tracer, SpanData data) : tracer_(tracer), data_(std::move(data)) {}

  Tracer* tracer_ = nullptr;
  SpanData data_;
};

}  // namespace hfs::trace
