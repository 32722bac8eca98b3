// hfs/agent/runner.h
//
// Runner: the agent loop. It calls the agent's model with the instructions, the
// conversation and the agent's tools; runs every tool call of a reply in order and
// appends each result as a tool message with the call's id; and calls the model again,
// until the model answers without tool calls (kCompleted), the turn cap is reached
// (kTurnCap), the budget is spent (kBudgetExhausted), the replies broke the step's
// contract (step_contract.h) more than max_repairs times (kRepairsExhausted), or the model fails
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
// - kRequired or a forced tool is a demand (step_contract.h) until a call of the demanded
//   tool succeeds; later calls use auto, so a forced tool cannot loop forever. Only the
//   demanded tool's success meets it: a reply that calls another tool does not.
// - While the demand stands, every reply is checked. A call printed as text (JSON in the
//   content) is read and run as the call (RunResult::salvaged). Prose, an empty reply, a
//   reply cut off at the token limit, the wrong tool, invalid arguments, the tool's own
//   failure and a provider's 400 tool_use_failed (whose message, with Groq's
//   failed_generation, is quoted) each break the contract: the reply counts as a failed
//   call for escalation (except the tool's own failure) and a user message names the
//   problem; after max_repairs such repairs the run stops with kRepairsExhausted and an
//   error naming the breach.
// - Invalid arguments, unknown tools and handler errors go back to the model as tool
//   messages (see tool.h). A second identical call in one reply is not run again.
// - Tool-call arguments go back into the history as clean JSON ({} when they were not
//   JSON), never as the broken text a server would refuse.
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
#include "hfs/agent/step_contract.h"
#include "hfs/agent/tool.h"
#include "hfs/base/error.h"
#include "hfs/llm/chat.h"
#include "hfs/llm/model.h"

namespace hfs::agent {

inline constexpr int kDefaultMaxTurns = 10;
inline constexpr int kDefaultMaxRepairs = 2;

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
  // Repair prompts sent (one per breach while repairs were left).
  int repairs = 0;
  // Every breach of the step's contract, in order.
  std::vector<Breach> breaches;
  // Tool calls read from a reply's text (the model printed the call instead of making it).
  int salvaged = 0;
  // kModelError: the model's error; kRepairsExhausted: the last breach.
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
