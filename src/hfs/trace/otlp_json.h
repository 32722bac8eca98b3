// hfs/trace/otlp_json.h
//
// The OTLP/JSON encoding (opentelemetry-proto "JSON Protobuf Encoding") of traces and
// metrics, as sent to an OTLP/HTTP receiver (POST /v1/traces, /v1/metrics) and written
// one document per line to trace.jsonl: lowerCamelCase fields, hex ids, integer enums,
// 64-bit integers as decimal strings. docs/trace-format.md describes the shape.
//
//   std::string body = EncodeTraces(tracer.resource(), spans);  // ExportTraceServiceRequest
//   std::vector<SpanData> back = HFS_TRY(DecodeTraces(body));
//   std::string metrics = EncodeMetrics(resource, registry.Snapshot());
//
// Thread-compatible free functions; they never throw.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/base/error.h"
#include "hfs/trace/metrics.h"
#include "hfs/trace/span_data.h"

namespace hfs::trace {

// Instrumentation scope name on every export.
inline constexpr std::string_view kScopeName = "hfs";

// One ExportTraceServiceRequest with one resourceSpans entry and one scope ("hfs",
// version = resource.service_version). Root spans carry no parentSpanId.
std::string EncodeTraces(const Resource& resource, std::span<const SpanData> spans);

// The spans of every resourceSpans/scopeSpans entry of one ExportTraceServiceRequest.
// kDataLoss when `json` is not JSON; kInvalidArgument naming the JSON path (e.g.
// "resourceSpans[0].scopeSpans[0].spans[3].traceId") when the shape is wrong.
Result<std::vector<SpanData>> DecodeTraces(std::string_view json);

// One OTLP/JSON Span object (an element of scopeSpans[].spans) and back; the SQL spans
// table stores one per row. DecodeSpanJson fails like DecodeTraces (paths start "span").
std::string EncodeSpanJson(const SpanData& span);
Result<SpanData> DecodeSpanJson(std::string_view json);

// One ExportMetricsServiceRequest: counters as monotonic cumulative sums, histograms as
// cumulative explicit-bucket histograms, all points with the snapshot's start/time.
std::string EncodeMetrics(const Resource& resource, const MetricsSnapshot& snapshot);

}  // namespace hfs::trace
