// hfs/keys/rate_limit_signal.h
//
// Reads what a provider's HTTP response says about rate limits, so the key pool can cool
// down exactly the right key and model for exactly the right time:
//   - headers on any response: x-ratelimit-{limit,remaining,reset}-{requests,tokens}
//     (Groq: requests per day, tokens per minute, resets as Go durations), the same with a
//     -minute/-hour/-day suffix (Cerebras, resets in float seconds), and plain
//     x-ratelimit-{limit,remaining,reset} (OpenRouter, reset in epoch milliseconds; also
//     read from an OpenRouter 429 body's error.metadata.headers) or ratelimit-*;
//   - on 429/503/529: retry-after (seconds or HTTP-date);
//   - error bodies (status >= 400): Groq "Please try again in 1m42.653s", its type and the
//     limit a 429 states ("on requests per minute (RPM): Limit 30", a limit no header shows),
//     Gemini QuotaFailure quotaId and RetryInfo retryDelay (array or object shape),
//     OpenRouter's upstream errors and free-models-per-day/-min messages.
//
//   RateLimitSignal signal = ParseRateLimitSignal("groq", response.status, response.headers,
//                                                 response.body, clock.Now());
//   if (std::optional<Duration> wait = signal.CooldownHint()) cool_until = now + *wait;
//   else if (signal.quota_scope == QuotaScope::kPerDay) cool_until = now + long_pause;
//
// Pure function and value types; thread-safe. Nothing throws: malformed, HTML, empty or
// truncated input gives a signal with fewer fields.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "hfs/base/clock.h"
#include "hfs/net/http.h"

namespace hfs::keys {

enum class LimitKind { kRequests, kTokens };

// One limit the provider reported, e.g. Groq "x-ratelimit-remaining-tokens: 5810" with
// "x-ratelimit-reset-tokens: 1.57s".
struct LimitObservation {
  LimitKind kind = LimitKind::kRequests;
  // The limit's window when the provider names it (Cerebras -minute/-hour/-day suffixes,
  // Groq requests = 1 day, Groq tokens = 1 minute); nullopt when unknown (OpenRouter).
  std::optional<Duration> window;
  std::optional<int64_t> limit;
  std::optional<int64_t> remaining;
  // Time from `now` until this limit resets (absolute reset times already converted).
  std::optional<Duration> reset_after;

  friend bool operator==(const LimitObservation&, const LimitObservation&) = default;
};

enum class QuotaScope { kUnknown, kPerMinute, kPerDay };

struct RateLimitSignal {
  // From headers, any status; ordered as the headers first appear. Then, on a 429, the
  // limit its message states with its window (Groq: "on requests per minute (RPM): Limit
  // 30"), unless a header reported the same kind and window.
  std::vector<LimitObservation> observations;
  // 429/503/529 only, first found of: retry-after header; Gemini RetryInfo retryDelay; a
  // "try again in <duration>" / "retry in <duration>" message (an upstream's own words
  // included); the plain x-ratelimit-reset (OpenRouter) unless the limit is upstream.
  std::optional<Duration> retry_after;
  // Gemini quotaId with PerDay/PerMinute; messages naming "per day (RPD)",
  // "tokens per minute (TPM)", "free-models-per-day"; else on a 429 the window of an
  // exhausted observation. A day beats a minute when both are named.
  QuotaScope quota_scope = QuotaScope::kUnknown;
  // The dimension a 429 names when known: Groq type "tokens"/"requests", Gemini quotaId
  // InputTokens vs Requests, the message, else an observation with nothing remaining.
  std::optional<LimitKind> exhausted;
  // The provider behind OpenRouter is rate-limited ("temporarily rate-limited upstream",
  // or a 429 whose error.metadata names a provider_name), not our key.
  bool upstream = false;

  // The earliest moment, from now, the key may be tried again for this model if the
  // response tells: retry_after, else the latest reset among observations with nothing
  // remaining; nullopt when the response does not say.
  std::optional<Duration> CooldownHint() const;

  friend bool operator==(const RateLimitSignal&, const RateLimitSignal&) = default;
};

// `provider` is "groq", "cerebras", "gemini", "openrouter" or a custom name (read with the
// generic OpenAI-style headers). `now` converts absolute reset times into durations.
RateLimitSignal ParseRateLimitSignal(std::string_view provider, int http_status,
                                     const net::Headers& headers, std::string_view body,
                                     Timestamp now);

}  // namespace hfs::keys
