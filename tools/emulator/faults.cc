// tools/emulator/faults.cc
#include "tools/emulator/faults.h"

#include <nlohmann/json.hpp>

#include "tools/emulator/schema_validator.h"
#include "tools/emulator/seeded.h"

namespace hfs::emulator {

std::string_view FaultName(Fault fault) {
  switch (fault) {
    case Fault::kNone:
      return "none";
    case Fault::kError500:
      return "error_500";
    case Fault::kError502:
      return "error_502";
    case Fault::kError503:
      return "error_503";
    case Fault::kHang:
      return "hang";
    case Fault::kReset:
      return "reset";
    case Fault::kStreamCut:
      return "stream_cut";
    case Fault::kMalformedJson:
      return "malformed_json";
    case Fault::kArgumentsNotJson:
      return "arguments_not_json";
    case Fault::kArgumentsViolateSchema:
      return "arguments_violate_schema";
    case Fault::kToolUseFailed:
      return "tool_use_failed";
  }
  return "none";
}

Fault DrawFault(const FaultOptions& options, uint64_t draw) {
  const std::pair<double, Fault> table[] = {
      {options.error_500, Fault::kError500},
      {options.error_502, Fault::kError502},
      {options.error_503, Fault::kError503},
      {options.hang, Fault::kHang},
      {options.reset, Fault::kReset},
      {options.stream_cut, Fault::kStreamCut},
      {options.malformed_json, Fault::kMalformedJson},
      {options.arguments_not_json, Fault::kArgumentsNotJson},
      {options.arguments_violate_schema, Fault::kArgumentsViolateSchema},
      {options.tool_use_failed, Fault::kToolUseFailed}};
  const double u = UnitInterval(Mix(draw));
  double cumulative = 0;
  for (const auto& [probability, fault] : table) {
    cumulative += probability;
    if (u < cumulative) return fault;
  }
  return Fault::kNone;
}

std::string BreakJson(std::string_view json_text) {
  std::string broken(json_text.substr(0, json_text.size() / 2));
  return broken + "{\"";
}

std::string ViolateSchema(std::string_view arguments, const nlohmann::json& schema) {
  using nlohmann::json;
  json value = json::parse(arguments, nullptr, /*allow_exceptions=*/false);
  if (value.is_object() && schema.is_object()) {
    const json required = schema.value("required", json::array());
    if (required.is_array() && !required.empty() && required[0].is_string()) {
      value.erase(required[0].get<std::string>());
    } else if (schema.contains("properties") && schema["properties"].is_object() &&
               !schema["properties"].empty()) {
      value[schema["properties"].begin().key()] = json::array({json::array()});
    }
    if (ValidateAgainstSchema(value, schema)) return value.dump();
  }
  return "[\"not the expected arguments\"]";
}

}  // namespace hfs::emulator
