// tools/emulator/response_body.h
//
// The non-streaming chat.completion JSON body for a Completion, with each personality's
// extras: Groq's x_groq{id, usage}, Cerebras's time_info. Also the shared `usage` object.
// A reasoning model's text goes in `message.reasoning` (Groq, Cerebras, OpenRouter) or
// `message.reasoning_content` (plain, Gemini), its tokens in
// usage.completion_tokens_details.reasoning_tokens.
//
//   ResponseMeta meta{.id = "chatcmpl-emu-1", .created = 1767225600, .model = "llama"};
//   std::string body = CompletionBody(completion, meta);
//
// Thread-safe free functions (pure). Invalid UTF-8 from the request is replaced, never
// thrown.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "tools/emulator/behaviour.h"
#include "tools/emulator/personality.h"

namespace hfs::emulator {

struct ResponseMeta {
  std::string id;
  int64_t created = 0;  // Unix seconds
  std::string model;
  Personality personality = Personality::kPlain;
};

// {"prompt_tokens", "completion_tokens", "total_tokens"}, plus
// "completion_tokens_details": {"reasoning_tokens"} when the model reasoned.
nlohmann::json UsageJson(const Completion& completion);
// "reasoning" or "reasoning_content": where this personality puts reasoning text.
std::string_view ReasoningField(Personality personality);
// Groq's x_groq object: {"id", "usage": {...timings and token counts}}.
nlohmann::json GroqExtra(const Completion& completion, const ResponseMeta& meta);
// json.dump() that replaces invalid UTF-8 instead of throwing.
std::string Dump(const nlohmann::json& value);

std::string CompletionBody(const Completion& completion, const ResponseMeta& meta);

}  // namespace hfs::emulator
