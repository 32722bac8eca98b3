#include "hfs/agent/step_contract.h"

#include <nlohmann/json.hpp>

#include "hfs/base/json_reply.h"

namespace hfs::agent {
namespace {

using nlohmann::json;

std::string Wanted(const Demand& demand) {
  return demand.forced_tool ? "the tool `" + *demand.forced_tool + "`" : "one of your tools";
}

}  // namespace

std::string_view BreachName(Breach breach) {
  switch (breach) {
    case Breach::kProse:
      return "prose";
    case Breach::kEmpty:
      return "empty";
    case Breach::kTruncated:
      return "truncated";
    case Breach::kWrongTool:
      return "wrong_tool";
    case Breach::kInvalidArguments:
      return "invalid_arguments";
    case Breach::kToolUseFailed:
      return "tool_use_failed";
    case Breach::kToolFailed:
      return "tool_failed";
  }
  return "unknown";
}

bool IsModelBreach(Breach breach) { return breach != Breach::kToolFailed; }

Breach TextBreach(const llm::ChatResponse& reply) {
  if (reply.finish_reason == llm::FinishReason::kLength) return Breach::kTruncated;
  if (reply.content.find_first_not_of(" \t\r\n") == std::string::npos) return Breach::kEmpty;
  return Breach::kProse;
}

std::optional<llm::ToolCall> SalvagedCall(const llm::ChatResponse& reply, const Demand& demand,
                                          const std::vector<Tool>& tools, std::string id) {
  if (!demand.active() || !reply.tool_calls.empty()) return std::nullopt;
  std::optional<std::string> text = JsonObjectText(reply.content);
  if (!text) return std::nullopt;
  json object = json::parse(*text);
  const json name = object.value("name", json());
  if (name.is_string() && FindTool(tools, name.get<std::string>()) != nullptr) {
    for (const char* key : {"arguments", "parameters"}) {
      auto arguments = object.find(key);
      if (arguments != object.end() && arguments->is_object()) {
        return llm::ToolCall{
            .id = std::move(id), .name = name.get<std::string>(), .arguments = arguments->dump()};
      }
    }
  }
  if (!demand.forced_tool || FindTool(tools, *demand.forced_tool) == nullptr) return std::nullopt;
  return llm::ToolCall{.id = std::move(id), .name = *demand.forced_tool, .arguments = *text};
}

std::string RepairPrompt(Breach breach, const Demand& demand, std::string_view detail) {
  const std::string wanted = Wanted(demand);
  std::string problem;
  switch (breach) {
    case Breach::kProse:
      problem = "You answered in text, but this step must call " + wanted + ".";
      break;
    case Breach::kEmpty:
      problem = "Your reply was empty, but this step must call " + wanted + ".";
      break;
    case Breach::kTruncated:
      problem = "Your reply was cut off at the token limit before the call to " + wanted +
                " was complete. Send a shorter call: fewer words in each field, no text around it.";
      break;
    case Breach::kWrongTool:
      problem = "You called " + std::string(detail) + ", but this step must call " + wanted + ".";
      detail = {};
      break;
    case Breach::kInvalidArguments:
      problem = "Your call to " + wanted +
                " was rejected: its arguments do not match the tool's parameters (see the tool "
                "result).";
      break;
    case Breach::kToolUseFailed:
      problem = "Your last tool call was malformed and the provider rejected it.";
      break;
    case Breach::kToolFailed:
      problem = "The call to " + wanted + " failed (see the tool result).";
      break;
  }
  std::string prompt = problem;
  if (!detail.empty()) prompt += "\nThe error: " + std::string(detail);
  prompt += "\nCall " + wanted +
            " now. Its arguments must be one valid JSON object that matches the tool's "
            "parameters, with nothing around it.";
  return prompt;
}

}  // namespace hfs::agent
