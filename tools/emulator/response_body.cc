// tools/emulator/response_body.cc
#include "tools/emulator/response_body.h"

#include <nlohmann/json.hpp>

namespace hfs::emulator {
namespace {

using nlohmann::json;

json MessageJson(const Completion& completion) {
  json message = {{"role", "assistant"},
                  {"content", completion.tool_calls.empty() ? json(completion.content) : json()}};
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
  return {{"prompt_tokens", completion.prompt_tokens},
          {"completion_tokens", completion.completion_tokens},
          {"total_tokens", completion.prompt_tokens + completion.completion_tokens}};
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
                                         {"message", MessageJson(completion)},
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
