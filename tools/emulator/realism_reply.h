// tools/emulator/realism_reply.h
//
// Applies the realism profile (realism.h) to the kind model's Completion for one request
// (internal to tools/emulator): the server flag ignores_named_tool_choice, then at most
// one misbehaviour (forced by the X-Emulator-Realism header, else a seeded draw among
// those that apply), then reasoning for reasoning models, with max_tokens spent on the
// reasoning first. On Groq some misbehaviours become its 400 tool_use_failed instead.
//
//   RealismOutcome out = ApplyRealism(request, std::move(kind_completion),
//                                     {.settings = settings, .model = "openai/gpt-oss-20b",
//                                      .personality = Personality::kGroq, .seed = 42,
//                                      .sequence = 7});
//   if (out.rejection) return *out.rejection;   // 400 tool_use_failed
//   // out.served: {"reasoning", "fenced_json"}
//
// Thread-safe free functions (pure); never throw.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/emulator/behaviour.h"
#include "tools/emulator/personality.h"
#include "tools/emulator/realism.h"
#include "tools/emulator/reply.h"

namespace hfs::emulator {

struct RealismInput {
  RealismSettings settings;  // disabled: the kind profile (only `force` applies)
  RealismForce force;        // from the X-Emulator-Realism header
  std::string model;         // without steering suffixes
  Personality personality = Personality::kPlain;
  uint64_t seed = 0;
  uint64_t sequence = 0;       // the request number, which seeds the draws
  BehaviourOptions behaviour;  // how the kind answer was made, to answer again
};

struct RealismOutcome {
  Completion completion;
  std::optional<Reply> rejection;   // Groq's 400 tool_use_failed, sent instead
  std::vector<std::string> served;  // "ignores_named_tool_choice", a misbehaviour, "reasoning"
};

// `kind` is Respond(request, input.behaviour). Returns it unchanged in the kind profile
// without a forced behaviour.
RealismOutcome ApplyRealism(const nlohmann::json& request, Completion kind,
                            const RealismInput& input);

// --- Shared by realism_reply.cc and reasoning.cc ---

// max_completion_tokens, else max_tokens, else 0.
int64_t MaxTokens(const nlohmann::json& request);
// Cuts `text` to at most `bytes` bytes, never inside a UTF-8 character.
void CutUtf8(std::string& text, size_t bytes);

// How long a reasoning model reasons for `request`: reasoning_effort "minimal" ≈ 50
// tokens, "low" ≈ 150, "medium" (the default) ≈ 600, "high" ≈ 1500, with a seeded
// jitter of ±25%; OpenRouter's reasoning {"effort"} or {"max_tokens"} likewise. 0 for
// effort "none" or reasoning {"enabled": false}.
int64_t ReasoningTokens(const nlohmann::json& request, uint64_t seed);
// Whether the request hides the reasoning text (Groq include_reasoning: false or
// reasoning_format "hidden", OpenRouter reasoning {"exclude": true}); tokens still count.
bool ReasoningHidden(const nlohmann::json& request);
// Puts `tokens` tokens of reasoning before `completion`'s answer and spends max_tokens on
// them first: the answer (content, or a tool call's arguments) is cut when the two do not
// fit (finish_reason "length"), and there is no answer at all when the reasoning alone
// reaches it. Sets reasoning, reasoning_tokens and completion_tokens.
void AddReasoning(const nlohmann::json& request, int64_t tokens, bool hidden, uint64_t seed,
                  Completion& completion);

}  // namespace hfs::emulator
