// hfs/trace/span_data.h
//
// The data of one finished span as processors and exporters see it (the OTLP Span
// model): ids, parent link, name, kind, start/end time, attributes, events and status.
// Also SpanContext, the (trace id, span id) pair that parents a child span, and
// Resource, the service identity attached to every export.
//
//   SpanData span = ...;                       // from an exporter or DecodeTraces
//   bool root = span.IsRoot();
//   std::string id = ToHex(span.span_id);      // 16 hex characters
//   SpanContext parent = span.context();
//
// Thread-compatible value types.
#pragma once

#include <string>
#include <vector>

#include "hfs/base/clock.h"
#include "hfs/base/ids.h"
#include "hfs/trace/attributes.h"

namespace hfs::trace {

// Values equal OTLP's Span.SpanKind.
enum class SpanKind { kInternal = 1, kServer = 2, kClient = 3, kProducer = 4, kConsumer = 5 };

// Values equal OTLP's Status.StatusCode.
enum class StatusCode { kUnset = 0, kOk = 1, kError = 2 };

struct SpanStatus {
  StatusCode code = StatusCode::kUnset;
  std::string message;  // only meaningful for kError
  friend bool operator==(const SpanStatus&, const SpanStatus&) = default;
};

struct SpanEvent {
  std::string name;
  Timestamp time;
  Attributes attributes;
  friend bool operator==(const SpanEvent&, const SpanEvent&) = default;
};

// Identifies a span so that another span (possibly on another thread) can be its child.
struct SpanContext {
  TraceId trace_id{};
  SpanId span_id{};
  // False for the all-zero context (no parent).
  bool IsValid() const { return !IsZero(trace_id) && !IsZero(span_id); }
  friend bool operator==(const SpanContext&, const SpanContext&) = default;
};

struct SpanData {
  TraceId trace_id{};
  SpanId span_id{};
  SpanId parent_span_id{};  // all zero for a root span
  std::string name;
  SpanKind kind = SpanKind::kInternal;
  Timestamp start_time;
  Timestamp end_time;
  Attributes attributes;
  std::vector<SpanEvent> events;
  SpanStatus status;

  bool IsRoot() const { return IsZero(parent_span_id); }
  SpanContext context() const { return SpanContext{trace_id, span_id}; }
  friend bool operator==(const SpanData&, const SpanData&) = default;
};

// The OTLP resource: who produced the telemetry.
struct Resource {
  std::string service_name = "hfs";
  std::string service_version;
  Attributes attributes;  // extra resource attributes, after service.name/version

  // service.name, service.version (when set), then `attributes`.
  Attributes ToAttributes() const;
};

}  // namespace hfs::trace
