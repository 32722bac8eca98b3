// tools/emulator/tokens.cc
#include "tools/emulator/tokens.h"

#include <nlohmann/json.hpp>

namespace hfs::emulator {
namespace {

size_t ContentChars(const nlohmann::json& content) {
  if (content.is_string()) return content.get_ref<const std::string&>().size();
  size_t chars = 0;
  if (content.is_array()) {
    for (const auto& part : content) {
      if (part.is_object() && part.contains("text") && part["text"].is_string()) {
        chars += part["text"].get_ref<const std::string&>().size();
      }
    }
  }
  return chars;
}

}  // namespace

int64_t EstimateTokens(size_t chars) {
  return static_cast<int64_t>((chars + kCharsPerToken - 1) / kCharsPerToken);
}

int64_t PromptTokens(const nlohmann::json& request) {
  size_t chars = 0;
  int64_t overhead = 0;
  if (request.contains("messages") && request["messages"].is_array()) {
    for (const auto& message : request["messages"]) {
      overhead += kTokensPerMessage;
      if (!message.is_object()) continue;
      if (message.contains("content")) chars += ContentChars(message["content"]);
      if (message.contains("tool_calls") && message["tool_calls"].is_array()) {
        for (const auto& call : message["tool_calls"]) {
          if (!call.is_object() || !call.contains("function")) continue;
          const auto& function = call["function"];
          if (function.is_object() && function.contains("arguments") &&
              function["arguments"].is_string()) {
            chars += function["arguments"].get_ref<const std::string&>().size();
          }
        }
      }
    }
  }
  for (const char* extra : {"tools", "response_format"}) {
    if (request.contains(extra)) chars += request[extra].dump().size();
  }
  return EstimateTokens(chars) + overhead;
}

}  // namespace hfs::emulator
