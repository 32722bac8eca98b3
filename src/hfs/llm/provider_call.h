// hfs/llm/provider_call.h
//
// ProviderCall describes one HTTP request RotatingModel made to a provider and how it
// ended: the key (by id, never its text), the models requested and answered, the status,
// tokens and latency, and who asked (run, triad, role, phase). RotatingModel reports each
// one to an observer; the app stores them as usage rows and tracing reads them too.
//
//   RotatingModel model(pool, client, clock, {.on_call = [&](const ProviderCall& call) {
//     usage_store.Record(ToUsageRecord(call));
//   }});
//
// Plain value type.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "hfs/base/clock.h"
#include "hfs/llm/model.h"

namespace hfs::llm {

enum class CallStatus {
  kOk,
  kRateLimited,     // 429
  kUnauthorized,    // the key was refused: 401, or an invalid, suspended or restricted key
  kNoCredit,        // 402, or a spent key limit: the key has no credit left
  kForbidden,       // 403: the key may not use this model
  kClientError,     // other 4xx: the request was refused
  kServerError,     // 5xx
  kTransportError,  // no HTTP response: reset, refused, timeout
  kBadResponse,     // 2xx that could not be decoded, or a stream cut short
};

std::string_view CallStatusName(CallStatus status);

struct ProviderCall {
  std::string request_id;
  Timestamp time;
  std::string provider;
  std::string model_requested;
  std::string model_answered;
  std::string key_id;
  std::string scope;
  CallStatus status = CallStatus::kOk;
  int http_status = 0;
  // What the provider counted of the request, as the key pool counts it: the reply's
  // usage, or for a request that reached a model without an answer HFS could use (no
  // reply, a cut stream, a 5xx) an estimate (docs/providers.md); zero for one refused
  // before it ran (429, 4xx).
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  // The tokens are an estimate: the reply reported no usage.
  bool tokens_estimated = false;
  Duration latency{0};
  CallContext context;
};

using CallObserver = std::function<void(const ProviderCall&)>;

}  // namespace hfs::llm
