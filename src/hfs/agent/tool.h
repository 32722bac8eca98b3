// hfs/agent/tool.h
//
// Tool: a value an agent carries: a name, a description written for the model, the
// parameters Schema (shared, so many agents carry the same tool without copying it) and a
// handler. ExecuteToolCall runs one tool call from a model reply: it finds the tool,
// parses and validates the arguments and calls the handler, and always produces the text
// of the tool message that goes back to the model.
//
//   Tool claim = MakeTool("register_claim", "Claim a section ...",
//       Schema::Object().Property("section_id", Schema::String().Length(1, 128), Required::kYes),
//       [&outbox](const nlohmann::json& args, ToolContext&) -> Result<nlohmann::json> {
//         outbox.Claim(args["section_id"].get<std::string>());
//         return nlohmann::json{{"ok", true}};
//       });
//   request.tools.push_back(ToDefinition(claim));
//
// Tool messages: the handler's JSON on success; otherwise
//   {"ok":false,"error":"invalid_arguments","hints":[...],"retry":true}  (not JSON, schema
//       violations, or a handler Error with kInvalidArgument; hints as in schema.h)
//   {"ok":false,"error":"unknown_tool","hints":["available tools: a, b"],"retry":true}
//   {"ok":false,"error":"<the handler's message>","retry":false}  (any other handler Error)
// A handler's JSON with "success": false is passed on as it is but counts as a failed
// call (ToolStatus::kFailed). An empty argument text counts as {}; arguments that are not
// strict JSON are read as JsonObjectText reads a reply (fences, text around, trailing
// commas). A handler that throws is
// reported like a handler Error (kInternal) rather than crashing the run.
//
// Tool is a thread-compatible value; handlers run on the thread that runs the agent.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/agent/schema.h"
#include "hfs/base/error.h"
#include "hfs/llm/chat.h"
#include "hfs/llm/model.h"

namespace hfs::agent {

// What a handler knows about the call it serves. Valid for the duration of the call.
struct ToolContext {
  std::string_view call_id;
  std::string_view agent_name;
  // Who is calling (run, triad, role, phase, deadline): for tools that call a model.
  const llm::CallContext* call = nullptr;
  // Where a tool that calls a model adds the tokens of those calls, so they count as the
  // calling agent's (null when nobody keeps count).
  llm::Usage* usage = nullptr;
};

// Returns the JSON result for the model, or an Error (see the file comment).
using ToolHandler =
    std::function<Result<nlohmann::json>(const nlohmann::json& arguments, ToolContext& context)>;

struct Tool {
  std::string name;
  std::string description;
  // Null means "takes no arguments" (an empty object).
  std::shared_ptr<const Schema> parameters;
  ToolHandler handler;
};

// A tool whose parameters are moved into shared storage.
Tool MakeTool(std::string name, std::string description, Schema parameters, ToolHandler handler);

// The definition sent in llm::ChatRequest::tools.
llm::ToolDefinition ToDefinition(const Tool& tool);

// The tool named `name` among `tools`, or null.
const Tool* FindTool(const std::vector<Tool>& tools, std::string_view name);

enum class ToolStatus { kOk, kInvalidArguments, kUnknownTool, kFailed, kRefused };

// "ok", "invalid_arguments", "unknown_tool", "failed", "refused".
std::string_view ToolStatusName(ToolStatus status);

// One tool call and what came of it.
struct ToolOutcome {
  std::string call_id;
  std::string tool;
  // The arguments exactly as the model sent them.
  std::string arguments;
  ToolStatus status = ToolStatus::kOk;
  // The tool message text sent back to the model (JSON).
  std::string content;
};

// Runs `call` against `tools`. Never fails: every problem becomes the outcome's content.
// `context.call_id` is set from the call.
ToolOutcome ExecuteToolCall(const std::vector<Tool>& tools, const llm::ToolCall& call,
                            ToolContext context);

// The outcome for a second identical call (same tool, same arguments) in one reply, which
// is not run again: {"ok":false,"error":"duplicate_call","hints":[...],"retry":false},
// status kRefused.
ToolOutcome DuplicateToolCall(const llm::ToolCall& call, std::string_view first_id);

// The outcome for a call that is not run because the budget is spent:
// {"ok":false,"error":"budget_exhausted","retry":false}.
ToolOutcome RefusedToolCall(const llm::ToolCall& call);

}  // namespace hfs::agent
