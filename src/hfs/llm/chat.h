// hfs/llm/chat.h
//
// The provider-neutral vocabulary of one chat-completion call: messages (with tool calls
// and tool results), tool definitions (JSON Schema parameters), the request settings,
// and the response with its finish reason, token usage and the model that answered.
//
//   ChatRequest request{.model = "llama-3.3-70b", .messages = {
//       Message::System("You are the layout triad's orchestrator."),
//       Message::User("Claim the sections you own.")}};
//   request.tools.push_back({.name = "register_claim", .parameters_json = schema.dump()});
//
// Plain value types. JSON Schemas are carried as JSON text, so this header stays light.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hfs::llm {

enum class Role { kSystem, kUser, kAssistant, kTool };

// "system", "user", "assistant", "tool": the OpenAI wire names.
inline const char* RoleName(Role role) {
  switch (role) {
    case Role::kSystem:
      return "system";
    case Role::kUser:
      return "user";
    case Role::kAssistant:
      return "assistant";
    case Role::kTool:
      return "tool";
  }
  return "user";
}

struct ToolCall {
  std::string id;
  std::string name;
  // The arguments exactly as the model sent them: a JSON text that may be invalid.
  std::string arguments;
};

struct Message {
  Role role = Role::kUser;
  std::string content;
  std::vector<ToolCall> tool_calls;  // assistant messages
  std::string tool_call_id;          // tool messages

  static Message System(std::string text) {
    return {.role = Role::kSystem, .content = std::move(text)};
  }
  static Message User(std::string text) {
    return {.role = Role::kUser, .content = std::move(text)};
  }
  static Message Assistant(std::string text) {
    return {.role = Role::kAssistant, .content = std::move(text)};
  }
  static Message ToolResult(std::string call_id, std::string text) {
    return {.role = Role::kTool, .content = std::move(text), .tool_call_id = std::move(call_id)};
  }
};

struct ToolDefinition {
  std::string name;
  std::string description;
  std::string parameters_json;  // a JSON Schema object, as JSON text
};

enum class ToolChoice { kAuto, kNone, kRequired };

struct ChatRequest {
  std::string model;
  std::vector<Message> messages;
  std::vector<ToolDefinition> tools;
  ToolChoice tool_choice = ToolChoice::kAuto;
  // Force one named tool (overrides tool_choice) when set.
  std::optional<std::string> forced_tool;
  std::optional<int> max_tokens;
  std::optional<double> temperature;
  std::optional<int64_t> seed;
  // For reasoning models: "low", "medium" or "high" (nullopt: "low"); see openai_wire.h.
  std::optional<std::string> reasoning_effort;
  // A JSON Schema (JSON text) the reply must match (response_format json_schema).
  std::optional<std::string> response_schema_json;
  std::string response_schema_name = "response";
};

enum class FinishReason { kStop, kLength, kToolCalls, kContentFilter, kUnknown };

struct Usage {
  int64_t prompt_tokens = 0;
  // Includes the reasoning tokens.
  int64_t completion_tokens = 0;
  // Of completion_tokens, those spent on reasoning (completion_tokens_details).
  int64_t reasoning_tokens = 0;
  int64_t total() const { return prompt_tokens + completion_tokens; }
};

struct ChatResponse {
  std::string id;
  // The provider that answered (set by the wrappers).
  std::string provider;
  // The model the provider says answered (may differ from the requested one).
  std::string model;
  std::string content;
  // A reasoning model's reasoning text (`reasoning` or `reasoning_content`), if sent.
  std::string reasoning;
  std::vector<ToolCall> tool_calls;
  FinishReason finish_reason = FinishReason::kUnknown;
  std::optional<Usage> usage;  // nullopt when the provider sent none
};

}  // namespace hfs::llm
