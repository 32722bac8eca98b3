// tools/emulator/tokens.h
//
// The emulator's token estimate: tokens = ceil(characters / 4). Prompt characters are
// the message contents (text parts of multi-part contents included), the arguments of
// earlier tool calls, plus the serialized `tools` and `response_format`, plus 4 tokens
// of overhead per message. Completion characters are the reply text plus the tool-call
// names and arguments.
//
//   int64_t prompt = PromptTokens(request_json);
//   int64_t completion = EstimateTokens(text.size());
//
// Thread-safe free functions (pure).
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>

namespace hfs::emulator {

inline constexpr int64_t kCharsPerToken = 4;
inline constexpr int64_t kTokensPerMessage = 4;

// ceil(chars / 4).
int64_t EstimateTokens(size_t chars);
// Prompt tokens of an OpenAI chat-completions request (see the file comment).
int64_t PromptTokens(const nlohmann::json& request);

}  // namespace hfs::emulator
