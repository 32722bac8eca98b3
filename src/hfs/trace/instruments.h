// hfs/trace/instruments.h
//
// The metrics HFS records, in one place so names, units, descriptions and bucket bounds
// stay consistent: the original HFS instruments (phase, triad and agent durations, phase
// outcomes, tokens per triad) with real values, the OpenTelemetry GenAI client metrics
// (gen_ai.client.token.usage, gen_ai.client.operation.duration), and counters for
// rate-limit responses.
//
//   RecordPhase(scope.metrics, "claims", took, PhaseOutcome::kSucceeded);
//   RecordChat(scope.metrics, {.provider = "groq", .request_model = "llama-3.3-70b",
//                              .duration = latency, .input_tokens = 812, .output_tokens = 90});
//
// Every function does nothing when `metrics` is null. Thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "hfs/base/clock.h"

namespace hfs::trace {

class MetricsRegistry;

enum class PhaseOutcome { kSucceeded, kFailed };

void RecordPhase(MetricsRegistry* metrics, const std::string& phase, Duration duration,
                 PhaseOutcome outcome);

struct TriadMeasurement {
  std::string triad;
  std::string phase;
  Duration duration{};
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
};
void RecordTriad(MetricsRegistry* metrics, const TriadMeasurement& triad);

struct AgentMeasurement {
  std::string agent;
  std::string role;
  std::string triad;
  std::string phase;
  Duration duration{};
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
};
void RecordAgent(MetricsRegistry* metrics, const AgentMeasurement& agent);

struct ChatMeasurement {
  std::string provider;
  std::string request_model;
  std::string response_model;
  std::string server_address;
  Duration duration{};
  int64_t input_tokens = 0;
  int64_t output_tokens = 0;
  // Empty on success; else the error type ("429", "timeout", ...).
  std::string error_type;
  bool rate_limited = false;
};
void RecordChat(MetricsRegistry* metrics, const ChatMeasurement& chat);

}  // namespace hfs::trace
