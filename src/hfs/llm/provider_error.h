// hfs/llm/provider_error.h
//
// Turns a provider's HTTP error (status and body) into an Error with a canonical code,
// and recognises the errors callers treat specially: Groq's 400 "tool_use_failed" (and
// the newer "tool call validation failed" wording), which goes to the repair-and-retry
// path together with the text the model actually produced.
//
//   Error error = ErrorForStatus(reply.http_status, reply.error_body);
//   if (IsToolUseFailure(reply.http_status, reply.error_body)) {
//     std::optional<std::string> bad = FailedGeneration(reply.error_body);  // for a repair prompt
//   }
//   if (IsRetryable(error)) ...                  // kUnavailable, kDeadlineExceeded
//
// Codes: 400/413/422 kInvalidArgument, 401 kUnauthenticated, 402 kResourceExhausted
// (OpenRouter credits), 403 kPermissionDenied, 404 kNotFound, 408 kDeadlineExceeded,
// 409 kAborted, 429 kResourceExhausted, 5xx kUnavailable, anything else kInternal. The
// message is "HTTP <status>: <the provider's message>", at most ~300 characters; it
// quotes the body only, never request headers. A tool_use_failed message ends with
// " failed_generation: <what the model sent>" (at most ~300 more characters).
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "hfs/base/error.h"

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

}  // namespace hfs::llm
