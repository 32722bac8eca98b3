// tools/emulator/sse.h
//
// The streaming (stream: true) form of a Completion as SSE events: a role chunk, a
// reasoning model's reasoning split across chunks (delta.reasoning or
// delta.reasoning_content, see response_body.h), the content split across chunks, each tool call as
// a first chunk with id/type/name and then argument fragments, a finish_reason chunk (with Groq's
// x_groq.usage), a usage chunk with choices: [] when stream_options.include_usage is set, and
// `data: [DONE]`. OpenRouter streams start with, and interleave, `: OPENROUTER PROCESSING`
// comments. Splits never cut a UTF-8 character. SseErrorEvent is the event of a
// mid-stream error.
//
//   std::vector<std::string> events = SseEvents(completion, meta, {.include_usage = true});
//   for (const auto& e : events) Write(e);   // each ends with "\n\n"
//
// Thread-safe free functions (pure).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "tools/emulator/response_body.h"

namespace hfs::emulator {

inline constexpr char kSseDone[] = "data: [DONE]\n\n";
inline constexpr char kOpenRouterComment[] = ": OPENROUTER PROCESSING\n\n";

struct SseOptions {
  bool include_usage = false;
  size_t content_chunk_bytes = 16;
  size_t reasoning_chunk_bytes = 64;
  size_t argument_chunk_bytes = 12;
};

std::vector<std::string> SseEvents(const Completion& completion, const ResponseMeta& meta,
                                   const SseOptions& options);

// A mid-stream error as OpenRouter sends one while the status is already 200: a chunk with
// a top-level `error` {code, message} and a choice whose finish_reason is "error".
std::string SseErrorEvent(const ResponseMeta& meta, int code, const std::string& message);

// Pieces of at most `bytes` bytes (at least one code point each) of `text`.
std::vector<std::string> SplitUtf8(const std::string& text, size_t bytes);

}  // namespace hfs::emulator
