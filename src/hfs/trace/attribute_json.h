// hfs/trace/attribute_json.h
//
// Module-internal: attributes <-> the OTLP/JSON KeyValue list
// [{"key": k, "value": {"stringValue"|"boolValue"|"intValue"|"doubleValue"|"arrayValue"}}],
// shared by the trace and metric encoders and the decoder.
//
//   nlohmann::json list = AttributesToJson(span.attributes);
//   Attributes back = HFS_TRY(AttributesFromJson(list, "spans[0].attributes"));
//
// Thread-compatible free functions. AttributesFromJson returns kInvalidArgument naming
// the JSON path of the first bad element.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "hfs/base/error.h"
#include "hfs/trace/attributes.h"

namespace hfs::trace {

// intValue is a decimal string; non-finite doubles are "NaN", "Infinity", "-Infinity".
// Encoders build ordered_json so that fields keep the order written.
nlohmann::ordered_json DoubleToJson(double value);
nlohmann::ordered_json AttributeValueToJson(const AttributeValue& value);
nlohmann::ordered_json AttributesToJson(const Attributes& attributes);

// A 64-bit integer written as a decimal string (proto3 JSON) or as a JSON number.
Result<int64_t> Int64FromJson(const nlohmann::json& value, const std::string& path);

// Accepts intValue as a string or a number; arrays must be homogeneous.
Result<AttributeValue> AttributeValueFromJson(const nlohmann::json& any_value,
                                              const std::string& path);
Result<Attributes> AttributesFromJson(const nlohmann::json& list, const std::string& path);

}  // namespace hfs::trace
