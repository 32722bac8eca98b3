// hfs/app/provider_probe.h
//
// What an OpenAI-compatible server honours, found by asking it (`hfs doctor --provider`).
// ProbeProvider sends a few small requests through the run's own client
// (llm::ProviderClient), with the provider's capabilities switched on so that each request
// carries the form under test, and decides from each reply:
//   - named_tool_choice: two tools, tool_choice names pick_blue, the prompt asks for red;
//     honoured only when every attempt (up to named_attempts) calls pick_blue;
//   - required_tool_choice: one tool, "required", a chit-chat message; honoured when a
//     tool call comes back;
//   - strict_json_schema: a strict response_format; honoured when the request is accepted
//     and the content is JSON matching the schema;
//   - streaming_usage: a stream with stream_options.include_usage; honoured when usage
//     arrives;
//   - parallel_tool_calls: two independent calls asked for in one reply; one call is "not
//     honoured", none is "not probed";
//   - reasoning_effort: a top-level "low"; accepted is top_level, a 400 naming the field is
//     none. Only for reasoning models (llm::IsReasoningModel): HFS sends no effort to
//     others, so for them it is "not probed".
// A capability that is not probed keeps the value the provider had.
//
//   ProbeTarget target{.provider = status.provider, .key_id = key.id(), .key = &key.secret,
//                      .model = "qwen3-8b"};
//   Result<ProbeReport> report = ProbeProvider(target, transport, clock);
//   if (report) std::cout << CapabilitiesYaml(report->probed);
//
// ProbeProvider stops at the first reply that makes probing pointless: kUnavailable (no
// HTTP answer; the message names the URL), kUnauthenticated / kPermissionDenied (401 /
// 403), kNotFound (404: an unknown model, or a wrong base URL), kResourceExhausted ("rate
// limited, try later", once Retry-After asks for more than max_rate_limit_wait in all);
// also the client's own failures (llm::ProviderClient::Send). No message, evidence or
// field of a report holds the key's text. The verdict functions are pure.
// Thread-compatible.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/base/clock.h"
#include "hfs/base/error.h"
#include "hfs/keys/key_discovery.h"
#include "hfs/llm/chat.h"
#include "hfs/llm/provider_options.h"
#include "hfs/net/transport.h"

namespace hfs::app {

enum class Verdict { kHonoured, kNotHonoured, kNotProbed };
// "honoured", "not honoured", "not probed".
std::string_view VerdictName(Verdict verdict);

struct CapabilityVerdict {
  // The key under providers.<name>.capabilities: "named_tool_choice", ...
  std::string name;
  Verdict verdict = Verdict::kNotProbed;
  // A few words: "asked for pick_blue, got pick_red".
  std::string evidence;
};

// What one probe request came back with.
struct ProbeReply {
  // 0 when no HTTP answer arrived.
  int http_status = 0;
  // Set for a 2xx reply that decoded (a stream that reached [DONE]).
  std::optional<llm::ChatResponse> response;
  // Otherwise what went wrong ("HTTP 400: unknown field ...").
  std::string error;
};

// The verdict of each probe from its replies (the named probe: every attempt, in order).
CapabilityVerdict NamedToolChoiceVerdict(const std::vector<ProbeReply>& attempts);
CapabilityVerdict RequiredToolChoiceVerdict(const ProbeReply& reply);
CapabilityVerdict StrictJsonSchemaVerdict(const ProbeReply& reply);
CapabilityVerdict StreamingUsageVerdict(const ProbeReply& reply);
CapabilityVerdict ParallelToolCallsVerdict(const ProbeReply& reply);
CapabilityVerdict ReasoningEffortVerdict(const ProbeReply& reply);

// `before` with each honoured / not honoured verdict applied (reasoning_effort: honoured
// is top_level, not honoured is none); "not probed" keeps the value of `before`.
llm::Capabilities ApplyVerdicts(const llm::Capabilities& before,
                                const std::vector<CapabilityVerdict>& verdicts);

// The block to paste under providers.<name> in a config, with every key config/load.cc
// reads: "capabilities:\n  named_tool_choice: true\n  ...\n  reasoning_effort: none\n".
std::string CapabilitiesYaml(const llm::Capabilities& capabilities);
// {"named_tool_choice": true, ..., "reasoning_effort": "none"}.
nlohmann::json CapabilitiesJson(const llm::Capabilities& capabilities);

struct ProbeTarget {
  // As the run uses it: HFS_<P>_BASE_URL applied, capabilities as configured.
  llm::ProviderOptions provider;
  // "local#1:3fa9c1d2"; "" without a key.
  std::string key_id;
  // Null for a provider that needs none. Must outlive the call.
  const keys::Secret* key = nullptr;
  std::string model;
};

struct ProbeOptions {
  Duration request_timeout = std::chrono::seconds(60);
  // The most time spent waiting out 429s (their Retry-After) over the whole probe.
  Duration max_rate_limit_wait = std::chrono::seconds(30);
  int named_attempts = 3;
};

struct ProbeReport {
  std::string provider;
  std::string model;
  std::string url;     // the chat-completions URL probed
  std::string key_id;  // "" without a key
  // In the order of the capabilities' config keys.
  std::vector<CapabilityVerdict> verdicts;
  llm::Capabilities before;  // as configured (or the defaults)
  llm::Capabilities probed;  // ApplyVerdicts(before, verdicts)
};

// `transport` and `clock` are used only during the call.
Result<ProbeReport> ProbeProvider(const ProbeTarget& target, net::Transport& transport,
                                  Clock& clock, const ProbeOptions& options = {});

}  // namespace hfs::app
