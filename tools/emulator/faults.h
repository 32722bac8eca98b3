// tools/emulator/faults.h
//
// Fault injection: one seeded draw per request picks at most one fault, with the
// probabilities of FaultOptions (their sum is at most 1; the rest is "no fault"). Also the
// helpers that spoil tool-call arguments, and the replies of the refusal faults in each
// provider's real shape: a key refused (KeyRefusal) and OpenRouter's moderation 403.
//
//   Fault fault = DrawFault(provider.faults, SeedFor(seed, request_number));
//   if (fault == Fault::kArgumentsNotJson) call.arguments = BreakJson(call.arguments);
//   if (key.refusal != KeyRefusal::kNone) return KeyRefusalReply(personality, key.refusal);
//
// Thread-safe free functions (pure).
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "tools/emulator/config.h"
#include "tools/emulator/personality.h"
#include "tools/emulator/reply.h"

namespace hfs::emulator {

enum class Fault {
  kNone,
  kError500,
  kError502,
  kError503,
  kHang,
  kReset,
  kStreamCut,
  kMalformedJson,
  kArgumentsNotJson,
  kArgumentsViolateSchema,
  kToolUseFailed,
  kStreamStall,
  kStreamError,
  kModeration,
};

// "none", "error_500", ... (the config key of the fault).
std::string_view FaultName(Fault fault);

// The fault for a request whose seeded draw is `draw` (any 64-bit value).
Fault DrawFault(const FaultOptions& options, uint64_t draw);

// Text that is not valid JSON (a truncated copy of `json_text` with a stray brace).
std::string BreakJson(std::string_view json_text);

// Arguments (JSON text) changed so that they fail `schema`: a required property removed,
// else a property given the wrong type, else a value of the wrong type.
std::string ViolateSchema(std::string_view arguments, const nlohmann::json& schema);

// The reply to every request made with a key configured with `refusal` (not kNone).
Reply KeyRefusalReply(Personality personality, KeyRefusal refusal);

// OpenRouter's 403 for a prompt its moderation flagged: {"error":{"code":403,"message":
// "<model> requires moderation on OpenAI. Your input was flagged for \"violence\". ...",
// "metadata":{"reasons":["violence"],"flagged_input":<at most 100 characters>,
// "provider_name":"OpenAI","model_slug":<model>}}}.
Reply ModerationReply(std::string_view model, std::string_view prompt);

// Adds `Retry-After` to a server-error fault's reply when options.retry_after_seconds > 0.
void AddRetryAfter(const FaultOptions& options, Reply& reply);

}  // namespace hfs::emulator
