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

#include <chrono>
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
  // At the end of a run, everything still to be sent to the collector (spans, the last
  // metrics, their retries and Retry-After waits) shares this one deadline; what is left
  // is counted as not delivered.
  std::chrono::milliseconds otlp_exit_timeout{2000};
  // Prompt and response text in spans (gen_ai.input.messages ...). Off by default.
  bool include_content = false;
  // Also write spans into the usage database's spans table.
  bool sql_export = false;
};

}  // namespace hfs::trace
