#include "hfs/agent/tool.h"

#include <exception>
#include <nlohmann/json.hpp>
#include <utility>

#include "hfs/base/check.h"
#include "hfs/base/json_reply.h"

namespace hfs::agent {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

std::string Dump(const ordered_json& value) {
  return value.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

std::string InvalidArguments(std::vector<std::string> hints) {
  return Dump({{"ok", false},
               {"error", "invalid_arguments"},
               {"hints", std::move(hints)},
               {"retry", true}});
}

std::string UnknownTool(const std::vector<Tool>& tools, const std::string& name) {
  std::string available;
  for (const Tool& tool : tools) available += (available.empty() ? "" : ", ") + tool.name;
  std::string hint = "no tool named '" + name + "'; available tools: " + available;
  return Dump({{"ok", false},
               {"error", "unknown_tool"},
               {"hints", ordered_json::array({std::move(hint)})},
               {"retry", true}});
}

bool IsBlank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

// Parses `text` into `arguments` and validates them; the hints, empty when valid.
std::vector<std::string> ParseArguments(const Tool& tool, const std::string& text,
                                        json& arguments) {
  arguments = IsBlank(text) ? json::object() : json::parse(text, nullptr, false);
  if (arguments.is_discarded()) {
    // Fenced, with text around it, or with a trailing comma: read what the model meant.
    std::optional<std::string> object = JsonObjectText(text);
    if (!object) return {"arguments: not valid JSON; send one JSON object"};
    arguments = json::parse(*object);
  }
  return tool.parameters ? tool.parameters->Validate(arguments)
                         : Schema::Object().Validate(arguments);
}

// The handler's result, or its Error; exceptions become kInternal.
Result<json> CallHandler(const Tool& tool, const json& arguments, ToolContext& context) {
  try {
    return tool.handler(arguments, context);
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kInternal, "tool '" + tool.name + "' failed: " + e.what());
  }
}

}  // namespace

Tool MakeTool(std::string name, std::string description, Schema parameters, ToolHandler handler) {
  return Tool{.name = std::move(name),
              .description = std::move(description),
              .parameters = std::make_shared<const Schema>(std::move(parameters)),
              .handler = std::move(handler)};
}

llm::ToolDefinition ToDefinition(const Tool& tool) {
  std::string parameters =
      tool.parameters ? tool.parameters->ToJsonText() : Schema::Object().ToJsonText();
  return {.name = tool.name, .description = tool.description, .parameters_json = parameters};
}

const Tool* FindTool(const std::vector<Tool>& tools, std::string_view name) {
  for (const Tool& tool : tools) {
    if (tool.name == name) return &tool;
  }
  return nullptr;
}

std::string_view ToolStatusName(ToolStatus status) {
  switch (status) {
    case ToolStatus::kOk:
      return "ok";
    case ToolStatus::kInvalidArguments:
      return "invalid_arguments";
    case ToolStatus::kUnknownTool:
      return "unknown_tool";
    case ToolStatus::kFailed:
      return "failed";
    case ToolStatus::kRefused:
      return "refused";
  }
  return "unknown";
}

ToolOutcome ExecuteToolCall(const std::vector<Tool>& tools, const llm::ToolCall& call,
                            ToolContext context) {
  ToolOutcome outcome{.call_id = call.id, .tool = call.name, .arguments = call.arguments};
  const Tool* tool = FindTool(tools, call.name);
  if (tool == nullptr) {
    outcome.status = ToolStatus::kUnknownTool;
    outcome.content = UnknownTool(tools, call.name);
    return outcome;
  }
  HFS_CHECK(tool->handler != nullptr, "tool '" + tool->name + "' has no handler");
  json arguments;
  std::vector<std::string> hints = ParseArguments(*tool, call.arguments, arguments);
  if (!hints.empty()) {
    outcome.status = ToolStatus::kInvalidArguments;
    outcome.content = InvalidArguments(std::move(hints));
    return outcome;
  }
  context.call_id = outcome.call_id;
  Result<json> result = CallHandler(*tool, arguments, context);
  if (result) {
    outcome.content = result->dump(-1, ' ', false, json::error_handler_t::replace);
    // A handler may answer with its own error envelope ({"success": false, ...}).
    if (result->is_object() && result->value("success", true) == false) {
      outcome.status = ToolStatus::kFailed;
    }
  } else if (result.error().code == ErrorCode::kInvalidArgument) {
    outcome.status = ToolStatus::kInvalidArguments;
    outcome.content = InvalidArguments({result.error().message});
  } else {
    outcome.status = ToolStatus::kFailed;
    outcome.content = Dump({{"ok", false}, {"error", result.error().message}, {"retry", false}});
  }
  return outcome;
}

ToolOutcome DuplicateToolCall(const llm::ToolCall& call, std::string_view first_id) {
  return {
      .call_id = call.id,
      .tool = call.name,
      .arguments = call.arguments,
      .status = ToolStatus::kRefused,
      .content = Dump({{"ok", false},
                       {"error", "duplicate_call"},
                       {"hints", ordered_json::array({"the same call as " + std::string(first_id) +
                                                      ", which ran once"})},
                       {"retry", false}})};
}

ToolOutcome RefusedToolCall(const llm::ToolCall& call) {
  return {.call_id = call.id,
          .tool = call.name,
          .arguments = call.arguments,
          .status = ToolStatus::kRefused,
          .content = Dump({{"ok", false}, {"error", "budget_exhausted"}, {"retry", false}})};
}

}  // namespace hfs::agent
