#include "hfs/agent/runner.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "hfs/agent/step_contract.h"
#include "hfs/base/json_reply.h"
#include "hfs/trace/instruments.h"
#include "hfs/trace/tracer.h"

namespace hfs::agent {
namespace {

bool ContainsNoCase(std::string_view text, std::string_view needle) {
  auto it = std::search(text.begin(), text.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
  return it != text.end();
}

// Arguments as they go back into the history: a clean JSON object, or {} when the model's
// text was not one (a server may reject a request that carries broken arguments).
std::string HistoryArguments(const std::string& arguments) {
  if (arguments.find_first_not_of(" \t\r\n") == std::string::npos) return "{}";
  return JsonObjectText(arguments).value_or("{}");
}

// The state of one Runner::Run.
class RunLoop {
 public:
  RunLoop(const Agent& agent, Conversation& conversation, Budget& budget,
          const llm::CallContext& context, const RunOptions& options)
      : agent_(agent),
        conversation_(conversation),
        budget_(budget),
        options_(options),
        call_(context) {
    call_.role = agent.role;
    call_.deadline = std::min(call_.deadline, budget.Deadline());
    span_ =
        call_.trace.Start("invoke_agent " + agent.name, {{"gen_ai.operation.name", "invoke_agent"},
                                                         {"gen_ai.agent.name", agent.name},
                                                         {"hfs.agent.role", agent.role},
                                                         {"hfs.triad.id", call_.triad},
                                                         {"hfs.phase.name", call_.phase},
                                                         {"hfs.run.id", call_.run_id}});
    call_.trace = call_.trace.Under(span_);
  }

  RunResult Run();

 private:
  ModelQuery Query() const {
    return {.triad = call_.triad, .role = agent_.role, .phase = call_.phase};
  }
  Result<ModelChoice> ResolveModel() const;
  void RecordOutcome(CallOutcome outcome) const { agent_.models->Record(Query(), outcome); }
  // Whether every tool call from result_.tool_results[first] on was malformed (invalid
  // arguments or an unknown tool): a reply with no usable output.
  bool AllToolCallsInvalidSince(size_t first) const;
  llm::ChatRequest Request() const;
  void Record(const llm::ChatResponse& reply);
  // Runs the calls in order; the overrun when the budget stopped some of them.
  std::optional<BudgetOverrun> RunToolCalls(const std::vector<llm::ToolCall>& calls);
  RunResult Stop(StopReason reason, std::optional<Error> error = std::nullopt);

  // Ends the agent span with the run's totals and records the agent metrics.
  void EndSpan();
  // Records a breach of the step's contract; false when the repair budget is spent (the
  // run must stop), else the repair prompt has been appended.
  bool Repair(Breach breach, std::string_view detail);
  // The breach of a reply whose tool calls (from result_.tool_results[first] on) did not
  // meet the demand.
  Breach CallBreach(const llm::ChatResponse& reply, size_t first) const;

  const Agent& agent_;
  Conversation& conversation_;
  Budget& budget_;
  const RunOptions& options_;
  llm::CallContext call_;
  ModelChoice model_;
  std::vector<llm::ToolDefinition> tools_;
  // What the step demands until a call meets it; then later calls use ToolChoice::kAuto.
  Demand demand_;
  bool tool_choice_released_ = false;
  RunResult result_;
  trace::Span span_;
};

RunResult RunLoop::Run() {
  tools_.reserve(agent_.tools.size());
  for (const Tool& tool : agent_.tools) tools_.push_back(ToDefinition(tool));
  if (!tools_.empty()) {
    demand_ = {.forced_tool = options_.forced_tool,
               .any_tool = options_.tool_choice == llm::ToolChoice::kRequired};
  }
  while (true) {
    if (std::optional<BudgetOverrun> overrun = budget_.Check()) {
      result_.overrun = std::move(overrun);
      return Stop(StopReason::kBudgetExhausted);
    }
    if (result_.turns >= options_.max_turns) return Stop(StopReason::kTurnCap);
    if (call_.cancelled != nullptr && call_.cancelled->load()) {
      return Stop(StopReason::kCancelled, Error{ErrorCode::kAborted, "the run was interrupted"});
    }
    Result<ModelChoice> choice = ResolveModel();
    if (!choice) return Stop(StopReason::kModelError, choice.error());
    model_ = std::move(*choice);
    Result<llm::ChatResponse> reply = model_.model->Complete(Request(), call_);
    if (!reply) {
      if (!IsToolUseFailure(reply.error())) {
        RecordOutcome(CallOutcome::kFailed);
        return Stop(StopReason::kModelError, reply.error());
      }
      result_.error = reply.error();
      if (!Repair(Breach::kToolUseFailed, reply.error().message)) {
        return Stop(StopReason::kRepairsExhausted, reply.error());
      }
      continue;
    }
    const bool demanded = demand_.active() && !tool_choice_released_;
    if (demanded) {
      if (std::optional<llm::ToolCall> call = SalvagedCall(
              *reply, demand_, agent_.tools, "salvaged_" + std::to_string(result_.turns + 1))) {
        reply->tool_calls.push_back(std::move(*call));
        ++result_.salvaged;
      }
    }
    Record(*reply);
    if (reply->tool_calls.empty()) {
      if (!demanded) {
        RecordOutcome(CallOutcome::kSucceeded);
        return Stop(StopReason::kCompleted);
      }
      if (!Repair(TextBreach(*reply), ""))
        return Stop(StopReason::kRepairsExhausted, result_.error);
      continue;
    }
    const size_t first_result = result_.tool_results.size();
    std::optional<BudgetOverrun> overrun = RunToolCalls(reply->tool_calls);
    if (overrun) {
      RecordOutcome(CallOutcome::kSucceeded);
      result_.overrun = std::move(overrun);
      return Stop(StopReason::kBudgetExhausted);
    }
    if (demanded && !tool_choice_released_) {
      Breach breach = CallBreach(*reply, first_result);
      std::string detail;
      if (breach == Breach::kWrongTool) {
        for (const llm::ToolCall& call : reply->tool_calls) {
          detail += (detail.empty() ? "`" : ", `") + call.name + "`";
        }
      }
      if (!Repair(breach, detail)) return Stop(StopReason::kRepairsExhausted, result_.error);
      continue;
    }
    RecordOutcome(AllToolCallsInvalidSince(first_result) ? CallOutcome::kFailed
                                                         : CallOutcome::kSucceeded);
    if (options_.finish == Finish::kAfterToolSuccess && tool_choice_released_) {
      return Stop(StopReason::kCompleted);
    }
  }
}

bool RunLoop::Repair(Breach breach, std::string_view detail) {
  RecordOutcome(IsModelBreach(breach) ? CallOutcome::kFailed : CallOutcome::kSucceeded);
  result_.breaches.push_back(breach);
  span_.AddEvent("hfs.agent.breach", {{"hfs.agent.breach", std::string(BreachName(breach))}});
  std::string message = RepairPrompt(breach, demand_, detail);
  if (breach != Breach::kToolUseFailed) {
    result_.error = Error{ErrorCode::kInvalidArgument,
                          agent_.name + " broke the contract of its step (" +
                              std::string(BreachName(breach)) + "): " + message.substr(0, 160)};
  }
  if (result_.repairs >= options_.max_repairs) return false;
  ++result_.repairs;
  conversation_.Append(llm::Message::User(std::move(message)));
  return true;
}

Breach RunLoop::CallBreach(const llm::ChatResponse& reply, size_t first) const {
  bool called = false;
  bool failed = false;
  for (size_t i = first; i < result_.tool_results.size(); ++i) {
    const ToolOutcome& outcome = result_.tool_results[i];
    if (!demand_.MetBy(outcome.tool)) continue;
    called = true;
    failed = failed || outcome.status == ToolStatus::kFailed;
  }
  if (!called) return Breach::kWrongTool;
  if (reply.finish_reason == llm::FinishReason::kLength) return Breach::kTruncated;
  return failed ? Breach::kToolFailed : Breach::kInvalidArguments;
}

Result<ModelChoice> RunLoop::ResolveModel() const {
  if (agent_.models == nullptr) {
    return Fail(ErrorCode::kFailedPrecondition, "agent '" + agent_.name + "' has no model source");
  }
  Result<ModelChoice> choice = agent_.models->Resolve(Query());
  if (choice && choice->model == nullptr) {
    return Fail(ErrorCode::kInternal, "the model source gave agent '" + agent_.name + "' no model");
  }
  return choice;
}

bool RunLoop::AllToolCallsInvalidSince(size_t first) const {
  for (size_t i = first; i < result_.tool_results.size(); ++i) {
    ToolStatus status = result_.tool_results[i].status;
    if (status != ToolStatus::kInvalidArguments && status != ToolStatus::kUnknownTool) return false;
  }
  return true;
}

llm::ChatRequest RunLoop::Request() const {
  llm::ChatRequest request{.model = model_.model_id,
                           .tools = tools_,
                           .max_tokens = options_.max_tokens,
                           .temperature = options_.temperature,
                           .reasoning_effort = model_.reasoning_effort};
  request.messages.reserve(conversation_.size() + 1);
  if (!agent_.instructions.empty()) {
    request.messages.push_back(llm::Message::System(agent_.instructions));
  }
  const std::vector<llm::Message>& history = conversation_.messages();
  request.messages.insert(request.messages.end(), history.begin(), history.end());
  if (!tools_.empty() && !tool_choice_released_) {
    request.tool_choice = options_.tool_choice;
    request.forced_tool = options_.forced_tool;
  }
  return request;
}

void RunLoop::Record(const llm::ChatResponse& reply) {
  ++result_.turns;
  if (reply.usage) {
    result_.usage.prompt_tokens += reply.usage->prompt_tokens;
    result_.usage.completion_tokens += reply.usage->completion_tokens;
    budget_.ChargeTokens(reply.usage->total());
  }
  result_.final_text = reply.content;
  std::vector<llm::ToolCall> calls = reply.tool_calls;
  for (llm::ToolCall& call : calls) call.arguments = HistoryArguments(call.arguments);
  conversation_.Append(
      {.role = llm::Role::kAssistant, .content = reply.content, .tool_calls = std::move(calls)});
}

std::optional<BudgetOverrun> RunLoop::RunToolCalls(const std::vector<llm::ToolCall>& calls) {
  std::optional<BudgetOverrun> overrun;
  for (size_t index = 0; index < calls.size(); ++index) {
    const llm::ToolCall& call = calls[index];
    if (!overrun) overrun = budget_.Check();
    ToolOutcome outcome;
    const llm::ToolCall* same = nullptr;
    for (size_t earlier = 0; earlier < index && same == nullptr; ++earlier) {
      if (calls[earlier].name == call.name && calls[earlier].arguments == call.arguments) {
        same = &calls[earlier];
      }
    }
    if (overrun) {
      outcome = RefusedToolCall(call);
    } else if (same != nullptr) {
      outcome = DuplicateToolCall(call, same->id);
    } else {
      budget_.ChargeToolCall();
      trace::Span tool_span =
          call_.trace.Start("execute_tool " + call.name, {{"gen_ai.operation.name", "execute_tool"},
                                                          {"gen_ai.tool.name", call.name},
                                                          {"gen_ai.tool.call.id", call.id},
                                                          {"gen_ai.agent.name", agent_.name}});
      llm::CallContext tool_call = call_;
      tool_call.trace = call_.trace.Under(tool_span);
      outcome =
          ExecuteToolCall(agent_.tools, call,
                          {.agent_name = agent_.name, .call = &tool_call, .usage = &result_.usage});
      tool_span.SetAttribute("hfs.tool.status", ToolStatusName(outcome.status));
      if (outcome.status != ToolStatus::kOk) {
        tool_span.SetAttribute("error.type", ToolStatusName(outcome.status));
        tool_span.SetStatus(trace::StatusCode::kError, outcome.content);
      }
      if (outcome.status == ToolStatus::kOk && demand_.MetBy(call.name)) {
        tool_choice_released_ = true;
      }
    }
    conversation_.Append(llm::Message::ToolResult(outcome.call_id, outcome.content));
    result_.tool_results.push_back(std::move(outcome));
  }
  return overrun;
}

RunResult RunLoop::Stop(StopReason reason, std::optional<Error> error) {
  result_.stop_reason = reason;
  result_.error = std::move(error);
  EndSpan();
  return std::move(result_);
}

void RunLoop::EndSpan() {
  if (!span_.IsRecording()) return;
  span_.SetAttribute("gen_ai.request.model", model_.model_id);
  span_.SetAttribute("gen_ai.usage.input_tokens", result_.usage.prompt_tokens);
  span_.SetAttribute("gen_ai.usage.output_tokens", result_.usage.completion_tokens);
  span_.SetAttribute("hfs.agent.turns", result_.turns);
  span_.SetAttribute("hfs.agent.stop_reason", StopReasonName(result_.stop_reason));
  if (result_.repairs > 0) span_.SetAttribute("hfs.agent.repairs", result_.repairs);
  if (result_.salvaged > 0) span_.SetAttribute("hfs.agent.salvaged", result_.salvaged);
  if (result_.overrun) span_.SetAttribute("hfs.agent.overrun", result_.overrun->ToString());
  if (result_.error) span_.RecordError(*result_.error);
  const Timestamp started = span_.data().start_time;
  const Timestamp now = call_.trace.tracer->clock().Now();
  span_.End();
  trace::RecordAgent(call_.trace.metrics, {.agent = agent_.name,
                                           .role = agent_.role,
                                           .triad = call_.triad,
                                           .phase = call_.phase,
                                           .duration = now - started,
                                           .prompt_tokens = result_.usage.prompt_tokens,
                                           .completion_tokens = result_.usage.completion_tokens});
}

}  // namespace

std::string_view StopReasonName(StopReason reason) {
  switch (reason) {
    case StopReason::kCompleted:
      return "completed";
    case StopReason::kTurnCap:
      return "turn_cap";
    case StopReason::kBudgetExhausted:
      return "budget_exhausted";
    case StopReason::kRepairsExhausted:
      return "repairs_exhausted";
    case StopReason::kModelError:
      return "model_error";
    case StopReason::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

bool IsToolUseFailure(const Error& error) {
  return error.code == ErrorCode::kInvalidArgument &&
         (ContainsNoCase(error.message, "tool_use_failed") ||
          ContainsNoCase(error.message, "tool call validation failed"));
}

RunResult Runner::Run(const Agent& agent, Conversation& conversation, Budget& budget,
                      const llm::CallContext& context) const {
  return RunLoop(agent, conversation, budget, context, options_).Run();
}

}  // namespace hfs::agent
