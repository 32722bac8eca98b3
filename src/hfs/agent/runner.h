// hfs/agent/runner.h
//
// Runner: the agent loop. It calls the agent's model with the instructions, the
// conversation and the agent's tools; runs every tool call of a reply in order and
// appends each result as a tool message with the call's id; and calls the model again,
// until the model answers without tool calls (kCompleted), the turn cap is reached
// (kTurnCap), the budget is spent (kBudgetExhausted), the provider rejected malformed
// tool calls more than max_repairs times (kRepairsExhausted), or the model fails
// (kModelError), or the run was interrupted (kCancelled: CallContext::cancelled was set
// before a model call). Expected endings are data in RunResult, never an Error.
//
//   Runner runner({.forced_tool = "negotiate_response"});
//   conversation.StartPhase("Section 'layout' is contested. Decide.");
//   RunResult result = runner.Run(agent, conversation, triad_budget, context);
//   if (result.stop_reason != StopReason::kCompleted) Report(result);
//
// The loop in detail:
// - Before each model call and each tool call the budget is checked; under a hard limit
//   the remaining tool calls of the reply get {"ok":false,"error":"budget_exhausted"}
//   results (so the history stays well formed) and the run stops.
// - Tokens are charged from the usage in each reply; each executed tool call is charged
//   as one tool call. The call's deadline is capped by the budget's Deadline().
// - A turn is one model reply; the cap counts replies (default 10).
// - kRequired or a forced tool applies until a tool call succeeds; later calls use
//   auto, so a forced tool cannot loop forever.
// - Invalid arguments, unknown tools and handler errors go back to the model as tool
//   messages (see tool.h) and the loop goes on.
// - A provider's 400 tool_use_failed (kInvalidArgument whose message says
//   "tool_use_failed" or "tool call validation failed") adds a user message asking the
//   model to repeat the call with valid JSON, at most max_repairs times per Run.
// - CallContext::role is set to the agent's role.
//
// Thread-safe: Run is const; it uses the conversation and budget it is given (a
// conversation belongs to one thread at a time). Tool handlers run on the calling
// thread, one after another in call order.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hfs/agent/agent.h"
#include "hfs/agent/budget.h"
#include "hfs/agent/conversation.h"
#include "hfs/agent/tool.h"
#include "hfs/base/error.h"
#include "hfs/llm/chat.h"
#include "hfs/llm/model.h"

namespace hfs::agent {

inline constexpr int kDefaultMaxTurns = 10;
inline constexpr int kDefaultMaxRepairs = 3;

// When a run is done: when the model answers without tool calls, or as soon as a reply's
// tool calls include one that succeeded (decision steps: a vote, a negotiation response,
// a summary, where the model's follow-up text adds nothing).
enum class Finish { kOnAnswer, kAfterToolSuccess };

struct RunOptions {
  llm::ToolChoice tool_choice = llm::ToolChoice::kAuto;
  // A tool the model must call (overrides tool_choice) until one tool call succeeds.
  std::optional<std::string> forced_tool;
  Finish finish = Finish::kOnAnswer;
  int max_turns = kDefaultMaxTurns;
  int max_repairs = kDefaultMaxRepairs;
  std::optional<int> max_tokens;
  std::optional<double> temperature;
};

enum class StopReason {
  kCompleted,
  kTurnCap,
  kBudgetExhausted,
  kRepairsExhausted,
  kModelError,
  kCancelled,
};

// "completed", "turn_cap", "budget_exhausted", "repairs_exhausted", "model_error",
// "cancelled".
std::string_view StopReasonName(StopReason reason);

struct RunResult {
  StopReason stop_reason = StopReason::kCompleted;
  // The text of the last model reply (the answer when kCompleted).
  std::string final_text;
  // Every tool call of the run, in order.
  std::vector<ToolOutcome> tool_results;
  // Summed from the replies that reported usage, plus the model calls the agent's tools
  // made (ToolContext::usage).
  llm::Usage usage;
  // Model replies received.
  int turns = 0;
  // Repair prompts sent after tool_use_failed.
  int repairs = 0;
  // kModelError: the model's error; kRepairsExhausted: the last tool_use_failed error.
  std::optional<Error> error;
  // kBudgetExhausted: the limit that stopped the run.
  std::optional<BudgetOverrun> overrun;
};

// Whether a Model error is the provider rejecting a malformed tool call (Groq's 400
// tool_use_failed, or "tool call validation failed").
bool IsToolUseFailure(const Error& error);

class Runner {
 public:
  explicit Runner(RunOptions options = {}) : options_(std::move(options)) {}

  RunResult Run(const Agent& agent, Conversation& conversation, Budget& budget,
                const llm::CallContext& context) const;

  const RunOptions& options() const { return options_; }

 private:
  RunOptions options_;
};

}  // namespace hfs::agent
