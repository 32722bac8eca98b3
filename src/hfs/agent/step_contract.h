// hfs/agent/step_contract.h
//
// The contract of a step that demands a tool: a forced tool (RunOptions::forced_tool) or
// any tool (ToolChoice::kRequired). A reply keeps it when it calls the demanded tool with
// valid arguments. Real models break it in known ways: they answer in prose, print the
// call as JSON text, call another tool, send arguments that do not parse or do not match
// the schema, stop at the token limit mid-call, or send nothing. The Runner checks every
// reply of such a step against this contract (Breach), reads a call the model printed as
// text (SalvagedCall), and sends one repair turn with the exact problem (RepairPrompt)
// until its repair budget is spent.
//
//   Demand demand{.forced_tool = "register_claim"};
//   if (std::optional<llm::ToolCall> call = SalvagedCall(reply, demand, tools)) ...
//   Breach breach = TextBreach(reply);                      // no tool call at all
//   conversation.Append(llm::Message::User(RepairPrompt(breach, demand, "")));
//
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/agent/tool.h"
#include "hfs/llm/chat.h"

namespace hfs::agent {

// What a step demands of a reply.
struct Demand {
  // The tool the reply must call; nullopt with any_tool: any offered tool.
  std::optional<std::string> forced_tool;
  bool any_tool = false;

  bool active() const { return forced_tool.has_value() || any_tool; }
  // Whether a call of `tool` meets the demand.
  bool MetBy(std::string_view tool) const { return !forced_tool || *forced_tool == tool; }
};

enum class Breach {
  kProse,             // text where a tool call was demanded
  kEmpty,             // no text and no tool call
  kTruncated,         // cut off at the token limit (finish_reason "length")
  kWrongTool,         // a tool other than the demanded one
  kInvalidArguments,  // the demanded tool with arguments that fail its schema
  kToolUseFailed,     // the provider rejected the model's malformed call (Groq's 400)
  kToolFailed,        // the demanded tool ran and answered with an error
};

// "prose", "empty", "truncated", "wrong_tool", "invalid_arguments", "tool_use_failed",
// "tool_failed".
std::string_view BreachName(Breach breach);

// Whether the breach is the model's fault (counts as a failed call for escalation).
// kToolFailed is not: the tool, not the caller, failed.
bool IsModelBreach(Breach breach);

// The breach of a reply without tool calls: kTruncated, kEmpty or kProse.
Breach TextBreach(const llm::ChatResponse& reply);

// A tool call the model printed as text instead of calling it: a JSON object in the
// content (plain, fenced or with text around it) that is either {"name": <offered tool>,
// "arguments"|"parameters": {...}} or, when a tool is forced, the forced tool's
// arguments. Its id is `id`. Nullopt when the content holds no such object.
std::optional<llm::ToolCall> SalvagedCall(const llm::ChatResponse& reply, const Demand& demand,
                                          const std::vector<Tool>& tools, std::string id);

// The user message of a repair turn: what was wrong (with `detail`, e.g. the provider's
// error or the tool's hints) and what to send instead.
std::string RepairPrompt(Breach breach, const Demand& demand, std::string_view detail);

}  // namespace hfs::agent
