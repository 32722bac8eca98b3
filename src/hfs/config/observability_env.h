// hfs/config/observability_env.h
//
// Environment overrides of the `observability` config section, applied after the config
// file is loaded: the HFS_OBSERVABILITY_* variables, then the standard OpenTelemetry ones.
//
//   config::Config config = HFS_TRY(config::LoadConfig(path));
//   HFS_RETURN_IF_ERROR(config::ApplyObservabilityEnv(io.env, config.observability));
//
// Variables (an empty variable counts as unset; an HFS_ variable wins over its OTEL_ twin):
//   HFS_OBSERVABILITY_SERVICE_NAME   / OTEL_SERVICE_NAME             service.name
//   HFS_OBSERVABILITY_OTLP_ENDPOINT  / OTEL_EXPORTER_OTLP_ENDPOINT   base URL, "none" = off
//   HFS_OBSERVABILITY_OTLP_HEADERS   / OTEL_EXPORTER_OTLP_HEADERS    "k1=v1,k2=v2" (%-encoded)
//   HFS_OBSERVABILITY_INCLUDE_CONTENT                                 boolean
//   HFS_OBSERVABILITY_SQL_EXPORT                                      boolean
//   HFS_OBSERVABILITY_OTLP_EXIT_TIMEOUT_MS   OTLP deadline at exit, 0..600000 ms
//   HFS_OBSERVABILITY_CONSOLE        boolean, or minimal | standard | verbose (turns it on)
//   OTEL_SDK_DISABLED=true           no OTLP export and no SQL span export (trace.jsonl stays)
// Booleans: true/false, 1/0, yes/no, on/off (any case).
//
// Thread-compatible free functions. Failures: kInvalidArgument naming the variable (a bad
// boolean or verbosity, an endpoint that is not an http(s) URL, a malformed header list);
// header values are never quoted in messages. On failure `options` is left unchanged.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hfs/base/env.h"
#include "hfs/base/error.h"
#include "hfs/trace/observability_options.h"

namespace hfs::config {

Result<void> ApplyObservabilityEnv(const Env& env, trace::ObservabilityOptions& options);

// The OTEL_EXPORTER_OTLP_HEADERS format: comma-separated key=value pairs, whitespace
// around each trimmed, values percent-decoded. `variable` names the source in errors.
Result<std::vector<std::pair<std::string, std::string>>> ParseOtlpHeaders(
    std::string_view text, std::string_view variable);

}  // namespace hfs::config
