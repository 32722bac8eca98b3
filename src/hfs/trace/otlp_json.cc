#include "hfs/trace/otlp_json.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <nlohmann/json.hpp>

#include "hfs/base/try.h"
#include "hfs/trace/attribute_json.h"

namespace hfs::trace {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

enum class Presence { kRequired, kOptional };

std::string Nanos(Timestamp time) { return std::to_string(UnixNanos(time)); }

ordered_json ResourceToJson(const Resource& resource) {
  return {{"attributes", AttributesToJson(resource.ToAttributes())}};
}

ordered_json ScopeToJson(const Resource& resource) {
  ordered_json scope = {{"name", std::string(kScopeName)}};
  if (!resource.service_version.empty()) scope["version"] = resource.service_version;
  return scope;
}

// ---- span encoding ----------------------------------------------------------------
// Spans are written straight into the output text: building an ordered_json per span
// costs several times more than the export itself (bench/tracing_overhead.cc). Values
// that need escaping or special number forms go through nlohmann, so the text is the
// same JSON the DOM would give.

constexpr auto kReplaceInvalidUtf8 = json::error_handler_t::replace;

// Printable ASCII without '"' and '\\' needs no escaping.
bool PlainAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c >= 0x20 && c <= 0x7e && c != '"' && c != '\\'; });
}

void AppendString(std::string& out, std::string_view text) {
  if (PlainAscii(text)) {
    out += '"';
    out += text;
    out += '"';
    return;
  }
  out += json(std::string(text)).dump(-1, ' ', false, kReplaceInvalidUtf8);
}

void AppendNanos(std::string& out, std::string_view key, Timestamp time) {
  fmt::format_to(std::back_inserter(out), "\"{}\":\"{}\"", key, UnixNanos(time));
}

void AppendValue(std::string& out, const AttributeValue& value) {
  if (const std::string* text = std::get_if<std::string>(&value)) {
    out += "{\"stringValue\":";
    AppendString(out, *text);
    out += '}';
  } else if (const int64_t* number = std::get_if<int64_t>(&value)) {
    fmt::format_to(std::back_inserter(out), "{{\"intValue\":\"{}\"}}", *number);
  } else if (const bool* flag = std::get_if<bool>(&value)) {
    out += *flag ? "{\"boolValue\":true}" : "{\"boolValue\":false}";
  } else {
    out += AttributeValueToJson(value).dump(-1, ' ', false, kReplaceInvalidUtf8);
  }
}

void AppendAttributes(std::string& out, const Attributes& attributes) {
  out += "\"attributes\":[";
  for (size_t i = 0; i < attributes.size(); ++i) {
    if (i > 0) out += ',';
    out += "{\"key\":";
    AppendString(out, attributes[i].key);
    out += ",\"value\":";
    AppendValue(out, attributes[i].value);
    out += '}';
  }
  out += ']';
}

void AppendEvents(std::string& out, const std::vector<SpanEvent>& events) {
  out += "\"events\":[";
  for (size_t i = 0; i < events.size(); ++i) {
    if (i > 0) out += ',';
    out += '{';
    AppendNanos(out, "timeUnixNano", events[i].time);
    out += ",\"name\":";
    AppendString(out, events[i].name);
    out += ',';
    AppendAttributes(out, events[i].attributes);
    out += '}';
  }
  out += ']';
}

// One Span object, fields in the order of the OTLP proto.
void AppendSpan(std::string& out, const SpanData& span) {
  fmt::format_to(std::back_inserter(out), "{{\"traceId\":\"{}\",\"spanId\":\"{}\",",
                 ToHex(span.trace_id), ToHex(span.span_id));
  if (!span.IsRoot()) {
    fmt::format_to(std::back_inserter(out), "\"parentSpanId\":\"{}\",", ToHex(span.parent_span_id));
  }
  out += "\"name\":";
  AppendString(out, span.name);
  fmt::format_to(std::back_inserter(out), ",\"kind\":{},", static_cast<int>(span.kind));
  AppendNanos(out, "startTimeUnixNano", span.start_time);
  out += ',';
  AppendNanos(out, "endTimeUnixNano", span.end_time);
  out += ',';
  AppendAttributes(out, span.attributes);
  out += ',';
  AppendEvents(out, span.events);
  fmt::format_to(std::back_inserter(out), ",\"status\":{{\"code\":{}",
                 static_cast<int>(span.status.code));
  if (!span.status.message.empty()) {
    out += ",\"message\":";
    AppendString(out, span.status.message);
  }
  out += "}}";
}

// ---- decoding -------------------------------------------------------------------

Error Invalid(const std::string& path, std::string_view what) {
  return Error{ErrorCode::kInvalidArgument, fmt::format("{}: {}", path, what)};
}

// The member `key` of `object`; nullptr when it is absent (or null) and optional.
Result<const json*> Member(const json& object, const char* key, const std::string& path,
                           Presence presence) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    if (presence == Presence::kOptional) return nullptr;
    return Fail(Invalid(path, fmt::format("missing field \"{}\"", key)));
  }
  return &*it;
}

// The array member `key`; an empty array when absent and optional.
Result<const json*> ArrayMember(const json& object, const char* key, const std::string& path,
                                Presence presence) {
  static const json kEmpty = json::array();
  const json* member = HFS_TRY(Member(object, key, path, presence));
  if (member == nullptr) return &kEmpty;
  if (!member->is_array()) return Fail(Invalid(path + "." + key, "expected an array"));
  return member;
}

Result<std::string> StringMember(const json& object, const char* key, const std::string& path,
                                 Presence presence) {
  const json* member = HFS_TRY(Member(object, key, path, presence));
  if (member == nullptr) return std::string();
  if (!member->is_string()) return Fail(Invalid(path + "." + key, "expected a string"));
  return member->get<std::string>();
}

Result<Timestamp> TimeMember(const json& object, const char* key, const std::string& path) {
  const json* member = HFS_TRY(Member(object, key, path, Presence::kRequired));
  int64_t nanos = HFS_TRY(Int64FromJson(*member, path + "." + key));
  return Timestamp(Duration(nanos));
}

// An id of N bytes as 2*N hex characters; all zero when absent/empty and optional.
template <size_t N>
Result<std::array<uint8_t, N>> IdMember(const json& object, const char* key,
                                        const std::string& path, Presence presence) {
  std::string hex = HFS_TRY(StringMember(object, key, path, presence));
  if (hex.empty() && presence == Presence::kOptional) return std::array<uint8_t, N>{};
  std::optional<std::array<uint8_t, N>> id;
  if constexpr (N == 16) id = TraceIdFromHex(hex);
  if constexpr (N == 8) id = SpanIdFromHex(hex);
  if (!id) {
    return Fail(Invalid(path + "." + key,
                        fmt::format("expected {} hex characters, got \"{}\"", 2 * N, hex)));
  }
  return *id;
}

Result<int> EnumMember(const json& object, const char* key, const std::string& path, int max) {
  const json* member = HFS_TRY(Member(object, key, path, Presence::kOptional));
  if (member == nullptr) return 0;
  if (!member->is_number_integer() || *member < 0 || *member > max) {
    return Fail(Invalid(path + "." + key, fmt::format("expected an integer 0..{}", max)));
  }
  return member->get<int>();
}

Result<Attributes> AttributesMember(const json& object, const std::string& path) {
  const json* list = HFS_TRY(ArrayMember(object, "attributes", path, Presence::kOptional));
  return AttributesFromJson(*list, path + ".attributes");
}

Result<SpanEvent> DecodeEvent(const json& event, const std::string& path) {
  if (!event.is_object()) return Fail(Invalid(path, "expected an object"));
  SpanEvent out;
  out.name = HFS_TRY(StringMember(event, "name", path, Presence::kRequired));
  out.time = HFS_TRY(TimeMember(event, "timeUnixNano", path));
  out.attributes = HFS_TRY(AttributesMember(event, path));
  return out;
}

Result<SpanStatus> DecodeStatus(const json& span, const std::string& path) {
  const json* status = HFS_TRY(Member(span, "status", path, Presence::kOptional));
  if (status == nullptr) return SpanStatus{};
  std::string status_path = path + ".status";
  if (!status->is_object()) return Fail(Invalid(status_path, "expected an object"));
  int code = HFS_TRY(EnumMember(*status, "code", status_path, 2));
  std::string message = HFS_TRY(StringMember(*status, "message", status_path, Presence::kOptional));
  return SpanStatus{static_cast<StatusCode>(code), std::move(message)};
}

Result<SpanData> DecodeSpan(const json& span, const std::string& path) {
  if (!span.is_object()) return Fail(Invalid(path, "expected an object"));
  SpanData out;
  out.trace_id = HFS_TRY(IdMember<16>(span, "traceId", path, Presence::kRequired));
  out.span_id = HFS_TRY(IdMember<8>(span, "spanId", path, Presence::kRequired));
  out.parent_span_id = HFS_TRY(IdMember<8>(span, "parentSpanId", path, Presence::kOptional));
  out.name = HFS_TRY(StringMember(span, "name", path, Presence::kRequired));
  int kind = HFS_TRY(EnumMember(span, "kind", path, 5));
  out.kind = kind == 0 ? SpanKind::kInternal : static_cast<SpanKind>(kind);  // 0: unspecified
  out.start_time = HFS_TRY(TimeMember(span, "startTimeUnixNano", path));
  out.end_time = HFS_TRY(TimeMember(span, "endTimeUnixNano", path));
  out.attributes = HFS_TRY(AttributesMember(span, path));
  const json* events = HFS_TRY(ArrayMember(span, "events", path, Presence::kOptional));
  for (size_t i = 0; i < events->size(); ++i) {
    out.events.push_back(HFS_TRY(DecodeEvent((*events)[i], fmt::format("{}.events[{}]", path, i))));
  }
  out.status = HFS_TRY(DecodeStatus(span, path));
  return out;
}

// Appends the spans of every scopeSpans entry of one resourceSpans entry.
Result<void> DecodeResourceSpans(const json& resource_spans, const std::string& path,
                                 std::vector<SpanData>& spans) {
  if (!resource_spans.is_object()) return Fail(Invalid(path, "expected an object"));
  const json* scopes =
      HFS_TRY(ArrayMember(resource_spans, "scopeSpans", path, Presence::kRequired));
  for (size_t i = 0; i < scopes->size(); ++i) {
    std::string scope_path = fmt::format("{}.scopeSpans[{}]", path, i);
    const json& scope = (*scopes)[i];
    if (!scope.is_object()) return Fail(Invalid(scope_path, "expected an object"));
    const json* list = HFS_TRY(ArrayMember(scope, "spans", scope_path, Presence::kOptional));
    for (size_t j = 0; j < list->size(); ++j) {
      spans.push_back(HFS_TRY(DecodeSpan((*list)[j], fmt::format("{}.spans[{}]", scope_path, j))));
    }
  }
  return Ok();
}

// ---- metrics --------------------------------------------------------------------

ordered_json PointHeader(const Attributes& attributes, const MetricsSnapshot& snapshot) {
  return {{"attributes", AttributesToJson(attributes)},
          {"startTimeUnixNano", Nanos(snapshot.start_time)},
          {"timeUnixNano", Nanos(snapshot.time)}};
}

ordered_json SumToJson(const MetricData& metric, const MetricsSnapshot& snapshot) {
  ordered_json points = ordered_json::array();
  for (const SumPoint& point : metric.sum_points) {
    ordered_json out = PointHeader(point.attributes, snapshot);
    if (const int64_t* value = std::get_if<int64_t>(&point.value)) {
      out["asInt"] = std::to_string(*value);
    } else {
      out["asDouble"] = DoubleToJson(std::get<double>(point.value));
    }
    points.push_back(std::move(out));
  }
  return {{"aggregationTemporality", 2}, {"isMonotonic", true}, {"dataPoints", std::move(points)}};
}

ordered_json HistogramToJson(const MetricData& metric, const MetricsSnapshot& snapshot) {
  ordered_json points = ordered_json::array();
  for (const HistogramPoint& point : metric.histogram_points) {
    ordered_json out = PointHeader(point.attributes, snapshot);
    out["count"] = std::to_string(point.count);
    out["sum"] = DoubleToJson(point.sum);
    ordered_json buckets = ordered_json::array();
    for (uint64_t count : point.bucket_counts) buckets.push_back(std::to_string(count));
    out["bucketCounts"] = std::move(buckets);
    out["explicitBounds"] = metric.bounds;
    if (point.count > 0) {
      out["min"] = DoubleToJson(point.min);
      out["max"] = DoubleToJson(point.max);
    }
    points.push_back(std::move(out));
  }
  return {{"aggregationTemporality", 2}, {"dataPoints", std::move(points)}};
}

}  // namespace

std::string EncodeTraces(const Resource& resource, std::span<const SpanData> spans) {
  std::string out = "{\"resourceSpans\":[{\"resource\":";
  out.reserve(spans.size() * 1024);
  out += ResourceToJson(resource).dump(-1, ' ', false, kReplaceInvalidUtf8);
  out += ",\"scopeSpans\":[{\"scope\":";
  out += ScopeToJson(resource).dump(-1, ' ', false, kReplaceInvalidUtf8);
  out += ",\"spans\":[";
  for (size_t i = 0; i < spans.size(); ++i) {
    if (i > 0) out += ',';
    AppendSpan(out, spans[i]);
  }
  out += "]}]}]}";
  return out;
}

Result<std::vector<SpanData>> DecodeTraces(std::string_view text) {
  json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) {
    return Fail(ErrorCode::kDataLoss,
                fmt::format("trace data is not valid JSON ({} bytes starting \"{}\")", text.size(),
                            text.substr(0, 40)));
  }
  if (!document.is_object()) {
    return Fail(ErrorCode::kInvalidArgument,
                "trace data: expected an ExportTraceServiceRequest object");
  }
  const json* list =
      HFS_TRY(ArrayMember(document, "resourceSpans", "trace data", Presence::kRequired));
  std::vector<SpanData> spans;
  for (size_t i = 0; i < list->size(); ++i) {
    HFS_RETURN_IF_ERROR(
        DecodeResourceSpans((*list)[i], fmt::format("resourceSpans[{}]", i), spans));
  }
  return spans;
}

std::string EncodeSpanJson(const SpanData& span) {
  std::string out;
  AppendSpan(out, span);
  return out;
}

Result<SpanData> DecodeSpanJson(std::string_view text) {
  json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) {
    return Fail(ErrorCode::kDataLoss,
                fmt::format("span data is not valid JSON ({} bytes)", text.size()));
  }
  return DecodeSpan(document, "span");
}

std::string EncodeMetrics(const Resource& resource, const MetricsSnapshot& snapshot) {
  ordered_json metrics = ordered_json::array();
  for (const MetricData& metric : snapshot.metrics) {
    ordered_json out = {{"name", metric.name}, {"unit", metric.unit}};
    if (!metric.description.empty()) out["description"] = metric.description;
    if (metric.kind == MetricKind::kCounter) {
      out["sum"] = SumToJson(metric, snapshot);
    } else {
      out["histogram"] = HistogramToJson(metric, snapshot);
    }
    metrics.push_back(std::move(out));
  }
  ordered_json scope_metrics = {{"scope", ScopeToJson(resource)}, {"metrics", std::move(metrics)}};
  ordered_json resource_metrics = {
      {"resource", ResourceToJson(resource)},
      {"scopeMetrics", ordered_json::array({std::move(scope_metrics)})}};
  ordered_json request = {{"resourceMetrics", ordered_json::array({std::move(resource_metrics)})}};
  return request.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace hfs::trace
