// hfs/llm/provider_capabilities.h
//
// What an OpenAI-compatible server honours, so HFS sends each server a form it obeys.
// The built-in providers have a table (docs/providers.md gives the public source of each
// entry); a custom provider gets conservative defaults unless its config declares
// `capabilities`. Whatever is sent, the agent loop still checks every reply against what
// it asked for (agent/step_contract.h): a server that ignores a setting is caught there.
//
//   Capabilities caps = BuiltinCapabilities("groq");
//   if (!caps.named_tool_choice) ...  // send only the forced tool, with "required"
//
// Reasoning models (gpt-oss, GLM 4.x, DeepSeek R1, QwQ, "thinking" models) spend part of
// max_tokens on reasoning before they answer. ReasoningAllowance says how many tokens to
// add to a request's max_tokens so the answer still fits.
//
// Plain value types and pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hfs::llm {

// How a server takes a reasoning effort.
enum class EffortForm {
  kNone,      // not sent
  kTopLevel,  // "reasoning_effort": "low" (Groq, Cerebras, Gemini, vLLM)
  kNested,    // "reasoning": {"effort": "low"} (OpenRouter)
};

struct Capabilities {
  // tool_choice {"type":"function","function":{"name":...}}. Without it a forced tool is
  // sent as the only tool, with "required" (or "auto" when that is not honoured either).
  bool named_tool_choice = false;
  // tool_choice "required".
  bool required_tool_choice = true;
  // response_format json_schema with "strict": true.
  bool strict_json_schema = false;
  // stream_options.include_usage.
  bool streaming_usage = true;
  // More than one tool call in one reply.
  bool parallel_tool_calls = true;
  EffortForm reasoning_effort = EffortForm::kNone;
  // "stream": true (server-sent events). Without it each call is one plain request and
  // reply, and only the whole-call timeout bounds it.
  bool streaming = true;

  friend bool operator==(const Capabilities&, const Capabilities&) = default;
};

// The table of a built-in provider; for any other name, the conservative defaults above.
Capabilities BuiltinCapabilities(std::string_view provider);

// Whether `model` reasons before it answers (by its name).
bool IsReasoningModel(std::string_view model);

// "low", "medium", "high"; nullopt for anything else.
std::optional<std::string> ParseEffort(std::string_view effort);

// Tokens a reasoning model spends on reasoning at `effort` ("low" when empty), with
// headroom: 2048 for low, 6144 for medium, 16384 for high.
int ReasoningAllowance(std::string_view effort);

}  // namespace hfs::llm
