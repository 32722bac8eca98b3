// tools/emulator/behaviour.h
//
// The emulated "model": a deterministic function of the request, the seed and a
// steering word. When tools are offered (and tool_choice is not "none") it calls one
// tool with arguments generated from that tool's JSON Schema, unless the last message
// is a tool result and tool_choice is not "required" (then it answers in text, so tool
// loops end). With a json_schema response_format it returns a conforming object: HFS's
// "page_outline" call gets the outline planned from the request (outline.h) and its
// "generated_code" call the section's files as a real model writes them, per output
// format and with real-model habits (section_code.h); with json_object a small object;
// otherwise text. Without HFS's code-call header, code for a section is an isolated HTML
// fragment, or TSX when the conversation mentions react/tsx.
//
//   ModelName name = ParseModelName("llama-3.3-70b:concede", /*header=*/"");
//   Completion c = Respond(request_json, {.seed = 42, .steering = name.steering});
//   // c.tool_calls[0].arguments is a JSON string valid against the tool's parameters
//
// Thread-safe free functions (pure); never throw.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace hfs::emulator {

// kBroken: a region's code carries a syntax error (an unclosed function in its script)
// until the conversation holds HFS's build-repair instructions ("failed HFS's build").
// kStubborn: every second region of the page (the 2nd, 4th, ...) carries it even then.
enum class Steering { kNone, kConcede, kHold, kRevise, kReject, kBroken, kStubborn };

// "", "concede", "hold", "revise", "reject", "broken", "stubborn".
std::string_view SteeringWord(Steering steering);

struct ModelName {
  std::string model;  // without steering suffixes; ":free" and other suffixes stay
  Steering steering = Steering::kNone;
};

// Strips trailing ":concede", ":hold", ":revise", ":reject" from `model`; a non-empty
// X-Emulator-Behaviour `header` value (one of those words) overrides the suffix.
ModelName ParseModelName(std::string_view model, std::string_view header);

struct ToolCall {
  std::string id;
  std::string name;
  std::string arguments;  // JSON text
};

struct Completion {
  std::string content;
  std::vector<ToolCall> tool_calls;
  std::string finish_reason = "stop";  // stop | length | tool_calls
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;  // reasoning tokens included
  // The realistic profile only (realism.h): a reasoning model's reasoning text (empty
  // when the request hid it), its tokens, and a reply whose content is null.
  std::string reasoning;
  int64_t reasoning_tokens = 0;
  bool content_null = false;
};

struct BehaviourOptions {
  uint64_t seed = 0;
  Steering steering = Steering::kNone;
};

// `request` is a parsed chat-completions body; missing or odd fields are tolerated.
Completion Respond(const nlohmann::json& request, const BehaviourOptions& options);

// Completion tokens for `completion` (see tokens.h).
int64_t CompletionTokens(const Completion& completion);

}  // namespace hfs::emulator
