// tools/emulator/response_body.cc
#include "tools/emulator/response_body.h"

#include <nlohmann/json.hpp>

namespace hfs::emulator {
namespace {

using nlohmann::json;

json MessageJson(const Completion& completion, Personality personality) {
  const bool null_content = !completion.tool_calls.empty() || completion.content_null;
  json message = {{"role", "assistant"},
                  {"content", null_content ? json() : json(completion.content)}};
  if (!completion.reasoning.empty()) {
    message[std::string(ReasoningField(personality))] = completion.reasoning;
  }
  if (!completion.tool_calls.empty()) {
    json calls = json::array();
    for (const ToolCall& call : completion.tool_calls) {
      calls.push_back({{"id", call.id},
                       {"type", "function"},
                       {"function", {{"name", call.name}, {"arguments", call.arguments}}}});
    }
    message["tool_calls"] = std::move(calls);
  }
  return message;
}

}  // namespace

std::string Dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

nlohmann::json UsageJson(const Completion& completion) {
  json usage = {{"prompt_tokens", completion.prompt_tokens},
                {"completion_tokens", completion.completion_tokens},
                {"total_tokens", completion.prompt_tokens + completion.completion_tokens}};
  if (completion.reasoning_tokens > 0) {
    usage["completion_tokens_details"] = {{"reasoning_tokens", completion.reasoning_tokens}};
  }
  return usage;
}

std::string_view ReasoningField(Personality personality) {
  switch (personality) {
    case Personality::kGroq:
    case Personality::kCerebras:
    case Personality::kOpenRouter:
      return "reasoning";
    case Personality::kPlain:
    case Personality::kGemini:
      break;
  }
  return "reasoning_content";
}

nlohmann::json GroqExtra(const Completion& completion, const ResponseMeta& meta) {
  json usage = UsageJson(completion);
  usage["queue_time"] = 0.001;
  usage["prompt_time"] = 0.002;
  usage["completion_time"] = 0.01;
  usage["total_time"] = 0.013;
  return {{"id", "req_" + meta.id}, {"usage", usage}};
}

std::string CompletionBody(const Completion& completion, const ResponseMeta& meta) {
  json body = {{"id", meta.id},
               {"object", "chat.completion"},
               {"created", meta.created},
               {"model", meta.model},
               {"choices", json::array({{{"index", 0},
                                         {"message", MessageJson(completion, meta.personality)},
                                         {"logprobs", nullptr},
                                         {"finish_reason", completion.finish_reason}}})},
               {"usage", UsageJson(completion)},
               {"system_fingerprint", "fp_emulator"}};
  if (meta.personality == Personality::kGroq) body["x_groq"] = GroqExtra(completion, meta);
  if (meta.personality == Personality::kCerebras) {
    body["time_info"] = {{"queue_time", 0.0001},
                         {"prompt_time", 0.002},
                         {"completion_time", 0.01},
                         {"total_time", 0.0121},
                         {"created", meta.created}};
  }
  if (meta.personality == Personality::kOpenRouter) body["provider"] = "Emulator";
  return Dump(body);
}

}  // namespace hfs::emulator
