// hfs/llm/provider_error.h
//
// Turns a provider's HTTP error (status and body) into an Error with a canonical code,
// and recognises the errors callers treat specially: Groq's 400 "tool_use_failed" (and
// the newer "tool call validation failed" wording), which goes to the repair-and-retry
// path together with the text the model actually produced. PolicyForReply is the table
// of docs/providers.md ("How a reply is treated"): what a status means, per provider, for
// the key that sent the request and for the call.
//
//   Error error = ErrorForStatus(reply.http_status, reply.error_body);
//   if (IsToolUseFailure(reply.http_status, reply.error_body)) {
//     std::optional<std::string> bad = FailedGeneration(reply.error_body);  // for a repair prompt
//   }
//   if (IsRetryable(error)) ...                  // kUnavailable, kDeadlineExceeded
//   ReplyPolicy policy = PolicyForReply("gemini", 400, body);  // API_KEY_INVALID: kDisable
//
// Codes: 400/413/422 kInvalidArgument, 401 kUnauthenticated, 402 kFailedPrecondition (no
// credit: waiting does not help), 403 kPermissionDenied, 404 kNotFound, 408
// kDeadlineExceeded, 409 kAborted, 429 kResourceExhausted, 5xx kUnavailable, anything
// else kInternal. The message is "HTTP <status>: <the provider's message>", at most ~300
// characters; it quotes the body only, never request headers. A tool_use_failed message
// ends with " failed_generation: <what the model sent>" (at most ~300 more characters).
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "hfs/base/error.h"
#include "hfs/llm/chat.h"

namespace hfs::llm {

// The most characters of provider text an Error message carries.
inline constexpr size_t kMaxProviderMessage = 300;

Error ErrorForStatus(int http_status, std::string_view body);

// The provider's error text from {"error":{"message":...}}, {"error":"..."},
// {"message":...} or Gemini's [{"error":{...}}], with OpenRouter's metadata.raw appended;
// otherwise the start of the body. Control characters become spaces; trimmed to
// kMaxProviderMessage characters.
std::string ProviderErrorMessage(std::string_view body);

// A 400 whose error code is "tool_use_failed" or whose message says "tool call
// validation failed": the model produced a malformed tool call.
bool IsToolUseFailure(int http_status, std::string_view body);

// error.failed_generation of a tool_use_failed body, when present.
std::optional<std::string> FailedGeneration(std::string_view body);

// Errors worth retrying on the same key after a backoff: kUnavailable, kDeadlineExceeded.
bool IsRetryable(const Error& error);

// What a reply does to the key that sent the request.
enum class KeyAction {
  kCount,     // the request counts against the key's limits; nothing more
  kCool,      // rate limited: the key rests for this model (the reply's hint, else steps)
  kDisable,   // the key is refused (unknown, invalid, suspended, restricted): out for good
  kNoCredit,  // the account or key has no credit left (402, a spent key limit): out for good
  kBarModel,  // the key may not use this model: out for this model for good
};

// What a reply does to the call.
enum class CallAction {
  kRotate,    // another key at once
  kRetry,     // again after the server's Retry-After, else a backoff, a few times
  kFail,      // fail at once: the request is at fault, no provider would take it
  kFailOver,  // fail at once here; the next provider (FallbackModel) may answer
};

struct ReplyPolicy {
  KeyAction key = KeyAction::kCount;
  CallAction call = CallAction::kFail;
  // Why, when the body decided it: "API_KEY_INVALID", "moderation", "key limit", ...
  std::string_view reason;

  friend bool operator==(const ReplyPolicy&, const ReplyPolicy&) = default;
};

// The policy for a reply of `provider` ("cerebras", "groq", "gemini", "openrouter" or any
// other name: generic OpenAI-compatible) with HTTP status `status` (0: no reply at all;
// for a 2xx carrying an error object, the status that error names) and error body `body`.
// Bodies that name a refused key are recognised from any provider: Gemini's ErrorInfo
// reason API_KEY_INVALID, status FAILED_PRECONDITION or PERMISSION_DENIED, Groq's
// "organization_restricted", OpenRouter's "Key limit exceeded".
ReplyPolicy PolicyForReply(std::string_view provider, int status, std::string_view body);

// The usage an error body reports ({"usage": {...}} at the top or inside "error"),
// when it does.
std::optional<Usage> UsageInErrorBody(std::string_view body);

}  // namespace hfs::llm
