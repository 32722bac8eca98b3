// tools/emulator/history_check.cc
#include "tools/emulator/history_check.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace hfs::emulator {

using nlohmann::json;

std::optional<std::string> BrokenHistoryArguments(const json& request) {
  auto messages = request.find("messages");
  if (messages == request.end() || !messages->is_array()) return std::nullopt;
  for (const json& message : *messages) {
    if (!message.is_object() || message.value("role", "") != "assistant") continue;
    auto calls = message.find("tool_calls");
    if (calls == message.end() || !calls->is_array()) continue;
    for (const json& call : *calls) {
      if (!call.is_object() || !call.contains("function") || !call["function"].is_object()) {
        continue;
      }
      const json& arguments = call["function"].value("arguments", json());
      if (!arguments.is_string()) continue;
      const std::string& text = arguments.get_ref<const std::string&>();
      if (json::accept(text)) continue;
      try {
        json parsed = json::parse(text);
      } catch (const json::parse_error& error) {
        return fmt::format("Failed to parse tool call arguments as JSON: {}", error.what());
      }
    }
  }
  return std::nullopt;
}

}  // namespace hfs::emulator
