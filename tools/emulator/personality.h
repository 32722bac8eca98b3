// tools/emulator/personality.h
//
// Provider personalities: what each emulated provider puts on the wire besides the
// completion itself (rate-limit headers, 429/401/403/other error bodies), following
// docs/emulator.md and peers-and-protocols §D.4.
//
//   Reply reply = RateLimitedReply(Personality::kGroq, admission, "llama-3.1-8b-instant", now);
//   // reply.status == 429, retry-after header, body "... Please try again in 1m42.653s ..."
//   std::vector<Header> headers = RateLimitHeaders(Personality::kCerebras, admission, now);
//
// Thread-safe free functions (pure).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "hfs/base/clock.h"
#include "tools/emulator/rate_window.h"
#include "tools/emulator/reply.h"

namespace hfs::emulator {

enum class Personality { kPlain, kCerebras, kGroq, kGemini, kOpenRouter };

// "plain", "cerebras", "groq", "gemini", "openrouter".
std::string_view PersonalityName(Personality personality);
// nullopt for an unknown name.
std::optional<Personality> ParsePersonality(std::string_view name);
// "/cerebras/v1", "/groq/openai/v1", "/gemini/v1beta/openai", "/openrouter/api/v1", "/v1".
std::string_view DefaultPrefix(Personality personality);

// Go-style duration as Groq sends it: "6s", "2m59.56s", "1.57s", "1h2m3s".
std::string GoDuration(Duration duration, int decimals = 2);
// Protobuf duration as Gemini sends it: "34.4s", "0.5s".
std::string ProtoDuration(Duration duration);

// Headers sent on every answered request (success or 429) for this personality.
std::vector<Header> RateLimitHeaders(Personality personality, const Admission& admission,
                                     Timestamp now);
// The 429 a provider sends when `admission` was refused, headers included.
Reply RateLimitedReply(Personality personality, const Admission& admission, std::string_view model,
                       Timestamp now);
// 401 for a missing or unknown key.
Reply UnauthorizedReply(Personality personality);
// 403 for a revoked key.
Reply ForbiddenReply(Personality personality);
// Groq-style 400 tool_use_failed carrying the bad output in "failed_generation"; the
// same shape for every personality. `message` defaults to Groq's "Failed to call a
// function. Please adjust your prompt. ..." (kToolUseFailedMessage).
inline constexpr std::string_view kToolUseFailedMessage =
    "Failed to call a function. Please adjust your prompt. See 'failed_generation' for more "
    "details.";
Reply ToolUseFailedReply(std::string_view failed_generation,
                         std::string_view message = kToolUseFailedMessage);
// Any other error (400, 404, 500, 502, 503) in the provider's error shape.
Reply ErrorReply(Personality personality, int status, std::string_view message,
                 std::string_view code);

}  // namespace hfs::emulator
