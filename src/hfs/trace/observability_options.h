// hfs/trace/observability_options.h
//
// What the `observability` section of the config controls: the service name on every
// exported span and metric, the console summary, the OTLP/HTTP endpoint, whether prompt
// and response content may enter spans, and the SQL span store.
//
//   ObservabilityOptions options;               // defaults equal the original HFS
//   options.otlp_endpoint = "http://127.0.0.1:4318";
//
// Plain value type.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace hfs::trace {

enum class ConsoleVerbosity { kMinimal, kStandard, kVerbose };

struct ObservabilityOptions {
  std::string service_name = "hfs";
  bool console_enabled = true;
  ConsoleVerbosity console_verbosity = ConsoleVerbosity::kStandard;
  // Base URL of an OTLP/HTTP receiver ("/v1/traces" is appended); empty = off.
  std::string otlp_endpoint;
  // Extra headers of every OTLP request (OTEL_EXPORTER_OTLP_HEADERS); may hold secrets,
  // so never printed.
  std::vector<std::pair<std::string, std::string>> otlp_headers;
  // Prompt and response text in spans (gen_ai.input.messages ...). Off by default.
  bool include_content = false;
  // Also write spans into the usage database's spans table.
  bool sql_export = false;
};

}  // namespace hfs::trace
