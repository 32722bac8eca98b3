#include "hfs/agent/runner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "hfs/testing/fake_clock.h"
#include "hfs/testing/in_memory_exporter.h"
#include "hfs/testing/scripted_model.h"
#include "hfs/trace/simple_processor.h"
#include "hfs/trace/tracer.h"

namespace hfs::agent {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;

constexpr BudgetLimits kPlenty{.tokens = 1'000'000, .tool_calls = 1000, .time_ms = 600'000};

llm::ChatResponse Answer(std::string text, int64_t prompt = 10, int64_t completion = 5) {
  return {.content = std::move(text),
          .finish_reason = llm::FinishReason::kStop,
          .usage = llm::Usage{.prompt_tokens = prompt, .completion_tokens = completion}};
}

llm::ChatResponse Calls(std::vector<llm::ToolCall> calls, int64_t prompt = 10,
                        int64_t completion = 5) {
  return {.tool_calls = std::move(calls),
          .finish_reason = llm::FinishReason::kToolCalls,
          .usage = llm::Usage{.prompt_tokens = prompt, .completion_tokens = completion}};
}

llm::ToolCall Claim(std::string id, std::string section) {
  return {.id = std::move(id),
          .name = "register_claim",
          .arguments = json{{"section_id", std::move(section)}}.dump()};
}

Error ToolUseFailed() {
  return Error{ErrorCode::kInvalidArgument,
               "HTTP 400 tool_use_failed: Failed to call a function. Please adjust your prompt."};
}

// Counts resolutions and hears outcomes, as the tier selector does.
class OutcomeSource final : public ModelSource {
 public:
  explicit OutcomeSource(llm::Model& model) : model_(model) {}
  Result<ModelChoice> Resolve(const ModelQuery& query) override {
    resolved.push_back(std::string(query.triad) + "/" + std::string(query.role) + "/" +
                       std::string(query.phase));
    return ModelChoice{.model = &model_, .model_id = "m" + std::to_string(resolved.size())};
  }
  void Record(const ModelQuery&, CallOutcome outcome) override { outcomes.push_back(outcome); }
  std::vector<std::string> resolved;
  std::vector<CallOutcome> outcomes;

 private:
  llm::Model& model_;
};

class RunnerTest : public ::testing::Test {
 protected:
  RunnerTest() {
    agent_ = Agent{.name = "layout_orchestrator",
                   .role = "orchestrator",
                   .instructions = "You coordinate the layout triad.",
                   .tools = {ClaimTool()},
                   .models = &fixed_};
    conversation_.StartPhase("Claim the sections you own.");
  }

  Tool ClaimTool() {
    return MakeTool(
        "register_claim", "Claim a section of the spec.",
        Schema::Object().Property("section_id", Schema::String().Length(1, 128), Required::kYes),
        [this](const json& arguments, ToolContext& context) -> Result<json> {
          std::string section = arguments["section_id"].get<std::string>();
          if (section == "frozen") return Fail(ErrorCode::kFailedPrecondition, "spec is frozen");
          clock_.Advance(std::chrono::milliseconds(tool_millis_));
          claimed_.push_back(std::string(context.call_id) + ":" + section);
          return json{{"ok", true}, {"section_id", section}};
        });
  }

  RunResult Run(RunOptions options = {}) {
    return Runner(std::move(options)).Run(agent_, conversation_, budget_, context_);
  }

  // The tool messages of a request, as "call id -> content".
  static std::vector<std::pair<std::string, std::string>> ToolMessages(
      const llm::ChatRequest& request) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const llm::Message& message : request.messages) {
      if (message.role == llm::Role::kTool) out.emplace_back(message.tool_call_id, message.content);
    }
    return out;
  }

  testing::ScriptedModel model_;
  testing::FakeClock clock_;
  FixedModel fixed_{model_, "llama-3.3-70b"};
  Budget budget_{"triad layout", kPlenty, Enforcement::kHard, clock_};
  Agent agent_;
  Conversation conversation_;
  llm::CallContext context_{.run_id = "run-1", .triad = "layout", .phase = "deliberation"};
  std::vector<std::string> claimed_;
  int tool_millis_ = 0;
};

TEST_F(RunnerTest, PlainAnswerCompletes) {
  model_.Push(Answer("Layout is mine.", 12, 7));
  RunResult result = Run();
  EXPECT_EQ(result.stop_reason, StopReason::kCompleted);
  EXPECT_EQ(result.final_text, "Layout is mine.");
  EXPECT_EQ(result.turns, 1);
  EXPECT_EQ(result.usage.prompt_tokens, 12);
  EXPECT_EQ(result.usage.completion_tokens, 7);
  EXPECT_EQ(budget_.spent().tokens, 19);

  ASSERT_EQ(model_.requests().size(), 1u);
  const llm::ChatRequest request = model_.requests()[0];
  EXPECT_EQ(request.model, "llama-3.3-70b");
  ASSERT_EQ(request.messages.size(), 2u);
  EXPECT_EQ(request.messages[0].role, llm::Role::kSystem);
  EXPECT_EQ(request.messages[0].content, "You coordinate the layout triad.");
  EXPECT_EQ(request.messages[1].content, "Claim the sections you own.");
  ASSERT_EQ(request.tools.size(), 1u);
  EXPECT_EQ(request.tools[0].name, "register_claim");
  EXPECT_EQ(request.tool_choice, llm::ToolChoice::kAuto);
  const llm::CallContext context = model_.contexts()[0];
  EXPECT_EQ(context.role, "orchestrator");
  EXPECT_EQ(context.triad, "layout");
  EXPECT_EQ(context.phase, "deliberation");
  EXPECT_EQ(context.deadline, clock_.Now() + std::chrono::milliseconds(kPlenty.time_ms));
  ASSERT_EQ(conversation_.size(), 2u);
  EXPECT_EQ(conversation_.messages()[1].role, llm::Role::kAssistant);
}

TEST_F(RunnerTest, ToolCallRunsAndItsResultGoesBackWithTheSameId) {
  model_.Push(Calls({Claim("call_a", "layout")}));
  model_.Push(Answer("Claimed layout."));
  RunResult result = Run();
  EXPECT_EQ(result.stop_reason, StopReason::kCompleted);
  EXPECT_EQ(result.final_text, "Claimed layout.");
  EXPECT_EQ(result.turns, 2);
  EXPECT_EQ(result.usage.total(), 30);
  EXPECT_THAT(claimed_, ElementsAre("call_a:layout"));
  ASSERT_EQ(result.tool_results.size(), 1u);
  EXPECT_EQ(result.tool_results[0].status, ToolStatus::kOk);
  EXPECT_EQ(budget_.spent().tool_calls, 1);

  const llm::ChatRequest second = model_.requests()[1];
  ASSERT_EQ(second.messages.size(), 4u);
  ASSERT_EQ(second.messages[2].tool_calls.size(), 1u);
  EXPECT_EQ(second.messages[2].tool_calls[0].id, "call_a");
  EXPECT_EQ(second.messages[3].role, llm::Role::kTool);
  EXPECT_EQ(second.messages[3].tool_call_id, "call_a");
  EXPECT_EQ(json::parse(second.messages[3].content),
            (json{{"ok", true}, {"section_id", "layout"}}));
}

TEST_F(RunnerTest, ParallelToolCallsRunInCallOrder) {
  model_.Push(Calls({Claim("c1", "layout"), Claim("c2", "visual"), Claim("c3", "motion")}));
  model_.Push(Answer("done"));
  RunResult result = Run();
  EXPECT_EQ(result.stop_reason, StopReason::kCompleted);
  EXPECT_THAT(claimed_, ElementsAre("c1:layout", "c2:visual", "c3:motion"));
  std::vector<std::pair<std::string, std::string>> tools = ToolMessages(model_.requests()[1]);
  ASSERT_EQ(tools.size(), 3u);
  EXPECT_EQ(tools[0].first, "c1");
  EXPECT_EQ(tools[1].first, "c2");
  EXPECT_EQ(tools[2].first, "c3");
  EXPECT_EQ(json::parse(tools[2].second)["section_id"], "motion");
  EXPECT_EQ(result.tool_results.size(), 3u);
}

TEST_F(RunnerTest, InvalidArgumentsGoBackAsARetryableErrorThenSucceed) {
  model_.Push(
      Calls({{.id = "bad", .name = "register_claim", .arguments = R"({"section_id":""})"}}));
  model_.Push(Calls({Claim("good", "layout")}));
  model_.Push(Answer("Claimed."));
  RunResult result = Run();
  EXPECT_EQ(result.stop_reason, StopReason::kCompleted);
  EXPECT_THAT(claimed_, ElementsAre("good:layout"));
  std::vector<std::pair<std::string, std::string>> tools = ToolMessages(model_.requests()[1]);
  ASSERT_EQ(tools.size(), 1u);
  EXPECT_EQ(tools[0].first, "bad");
  EXPECT_EQ(json::parse(tools[0].second), json::parse(R"({"ok":false,"error":"invalid_arguments",
                "hints":["section_id: must be 1-128 characters"],"retry":true})"));
  ASSERT_EQ(result.tool_results.size(), 2u);
  EXPECT_EQ(result.tool_results[0].status, ToolStatus::kInvalidArguments);
  EXPECT_EQ(result.tool_results[1].status, ToolStatus::kOk);
}

TEST_F(RunnerTest, FinishAfterToolSuccessStopsOnceACallSucceeded) {
  model_.Push(
      Calls({{.id = "bad", .name = "register_claim", .arguments = R"({"section_id":""})"}}));
  model_.Push(Calls({Claim("good", "layout")}));
  RunResult result = Run({.forced_tool = "register_claim", .finish = Finish::kAfterToolSuccess});
  EXPECT_EQ(result.stop_reason, StopReason::kCompleted);
  EXPECT_EQ(result.turns, 2);
  EXPECT_THAT(claimed_, ElementsAre("good:layout"));
  EXPECT_EQ(model_.remaining(), 0u);
  EXPECT_EQ(model_.requests().size(), 2u);  // no follow-up call after the success
}

TEST_F(RunnerTest, UnknownToolAndBrokenJsonAreReportedToTheModel) {
  model_.Push(Calls({{.id = "x1", .name = "claim_section", .arguments = "{}"},
                     {.id = "x2", .name = "register_claim", .arguments = "{section_id: layout"}}));
  model_.Push(Answer("sorry"));
  RunResult result = Run();
  EXPECT_EQ(result.stop_reason, StopReason::kCompleted);
  std::vector<std::pair<std::string, std::string>> tools = ToolMessages(model_.requests()[1]);
  ASSERT_EQ(tools.size(), 2u);
  EXPECT_EQ(json::parse(tools[0].second)["error"], "unknown_tool");
  EXPECT_EQ(json::parse(tools[1].second)["error"], "invalid_arguments");
  EXPECT_TRUE(claimed_.empty());
}

TEST_F(RunnerTest, HandlerErrorBecomesAToolResult) {
  model_.Push(Calls({Claim("c1", "frozen")}));
  model_.Push(Answer("The spec is frozen; nothing to claim."));
  RunResult result = Run();
  EXPECT_EQ(result.stop_reason, StopReason::kCompleted);
  ASSERT_EQ(result.tool_results.size(), 1u);
  EXPECT_EQ(result.tool_results[0].status, ToolStatus::kFailed);
  EXPECT_EQ(json::parse(ToolMessages(model_.requests()[1])[0].second),
            json::parse(R"({"ok":false,"error":"spec is frozen","retry":false})"));
}

TEST_F(RunnerTest, ToolUseFailedGetsARepairPromptThenSucceeds) {
  model_.Push(ToolUseFailed());
  model_.Push(Calls({Claim("c1", "layout")}));
  model_.Push(Answer("ok"));
  RunResult result = Run();
  EXPECT_EQ(result.stop_reason, StopReason::kCompleted);
  EXPECT_EQ(result.repairs, 1);
  EXPECT_EQ(result.turns, 2);
  const llm::ChatRequest second = model_.requests()[1];
  ASSERT_EQ(second.messages.size(), 3u);
  EXPECT_EQ(second.messages[2].role, llm::Role::kUser);
  EXPECT_NE(second.messages[2].content.find("tool call was malformed"), std::string::npos);
  EXPECT_NE(second.messages[2].content.find("tool_use_failed"), std::string::npos);
}

TEST_F(RunnerTest, StopsAfterTwoRepairs) {
  for (int i = 0; i < 2; ++i) model_.Push(ToolUseFailed());
  model_.Push(Error{ErrorCode::kInvalidArgument, "HTTP 400: tool call validation failed: bad"});
  model_.Push(Answer("never asked"));
  RunResult result = Run();
  EXPECT_EQ(result.stop_reason, StopReason::kRepairsExhausted);
  EXPECT_EQ(result.repairs, 2);
  EXPECT_EQ(result.turns, 0);
  ASSERT_TRUE(result.error.has_value());
  EXPECT_NE(result.error->message.find("tool call validation failed"), std::string::npos);
  EXPECT_EQ(model_.requests().size(), 3u);
  EXPECT_EQ(conversation_.size(), 3u);  // the phase message and two repair prompts
}

// Replays, one at a time, how real models break a step that forces a tool.
class ContractTest : public RunnerTest {
 protected:
  ContractTest() {
    agent_.models = &source_;
    agent_.tools.push_back(MakeTool("get_current_claims", "Claims.", Schema::Object(),
                                    [this](const json&, ToolContext&) -> Result<json> {
                                      ++reads_;
                                      return json{{"claims", json::array()}};
                                    }));
  }
  RunResult RunForced() {
    return Run({.forced_tool = "register_claim", .finish = Finish::kAfterToolSuccess});
  }
  // The last user message of request `i`.
  std::string LastUser(size_t i) const {
    std::string text;
    const std::vector<llm::ChatRequest> requests = model_.requests();
    for (const llm::Message& message : requests.at(i).messages) {
      if (message.role == llm::Role::kUser) text = message.content;
    }
    return text;
  }
  OutcomeSource source_{model_};
  int reads_ = 0;
};

TEST_F(ContractTest, ProseIsRepairedOnceThenSucceeds) {
  model_.Push(Answer("I'll take the layout section, it is central to my scope."));
  model_.Push(Calls({Claim("c1", "layout")}));
  RunResult result = RunForced();
  EXPECT_EQ(result.stop_reason, StopReason::kCompleted);
  EXPECT_EQ(result.repairs, 1);
  EXPECT_THAT(result.breaches, ElementsAre(Breach::kProse));
  EXPECT_FALSE(result.error.has_value());
  EXPECT_THAT(claimed_, ElementsAre("c1:layout"));
  EXPECT_NE(LastUser(1).find("You answered in text"), std::string::npos);
  EXPECT_EQ(model_.requests()[1].forced_tool, "register_claim");
  // The prose reply is a failure for escalation.
  EXPECT_THAT(source_.outcomes, ElementsAre(CallOutcome::kFailed, CallOutcome::kSucceeded));
}

TEST_F(ContractTest, ProseEveryTimeFailsTheStepCleanly) {
  for (int i = 0; i < 4; ++i) model_.Push(Answer("I hold my position."));
  RunResult result = RunForced();
  EXPECT_EQ(result.stop_reason, StopReason::kRepairsExhausted);
  EXPECT_EQ(result.turns, 3);
  EXPECT_EQ(model_.requests().size(), 3u);
  ASSERT_TRUE(result.error.has_value());
  EXPECT_NE(result.error->message.find("(prose)"), std::string::npos);
  EXPECT_THAT(source_.outcomes,
              ElementsAre(CallOutcome::kFailed, CallOutcome::kFailed, CallOutcome::kFailed));
}

TEST_F(ContractTest, EmptyAndTruncatedRepliesAreNamed) {
  model_.Push(Answer(""));
  model_.Push(llm::ChatResponse{.content = "{\"section_id\": \"lay",
                                .finish_reason = llm::FinishReason::kLength,
                                .usage = llm::Usage{.prompt_tokens = 1, .completion_tokens = 1}});
  model_.Push(Calls({Claim("c1", "layout")}));
  RunResult result = RunForced();
  EXPECT_EQ(result.stop_reason, StopReason::kCompleted);
  EXPECT_THAT(result.breaches, ElementsAre(Breach::kEmpty, Breach::kTruncated));
  EXPECT_NE(LastUser(1).find("was empty"), std::string::npos);
  EXPECT_NE(LastUser(2).find("token limit"), std::string::npos);
}

TEST_F(ContractTest, CallPrintedAsFencedJsonIsRunAsTheCall) {
  model_.Push(Answer("Claiming now.\n```json\n{\"section_id\": \"layout\"}\n```"));
  RunResult result = RunForced();
  EXPECT_EQ(result.stop_reason, StopReason::kCompleted);
  EXPECT_EQ(result.salvaged, 1);
  EXPECT_EQ(result.repairs, 0);
  EXPECT_THAT(claimed_, ElementsAre("salvaged_1:layout"));
  // The history pairs the salvaged call with its result.
  ASSERT_EQ(conversation_.size(), 3u);
  ASSERT_EQ(conversation_.messages()[1].tool_calls.size(), 1u);
  EXPECT_EQ(conversation_.messages()[1].tool_calls[0].id, "salvaged_1");
  EXPECT_EQ(conversation_.messages()[2].tool_call_id, "salvaged_1");
}

TEST_F(ContractTest, AnotherToolDoesNotCompleteAForcedStep) {
  // A server that ignores the named tool_choice lets the model call another tool.
  model_.Push(Calls({{.id = "r1", .name = "get_current_claims", .arguments = "{}"}}));
  model_.Push(Calls({Claim("c1", "layout")}));
  RunResult result = RunForced();
  EXPECT_EQ(result.stop_reason, StopReason::kCompleted);
  EXPECT_EQ(reads_, 1);
  EXPECT_THAT(result.breaches, ElementsAre(Breach::kWrongTool));
  EXPECT_NE(LastUser(1).find("You called `get_current_claims`"), std::string::npos);
  EXPECT_THAT(claimed_, ElementsAre("c1:layout"));
}

TEST_F(ContractTest, ToolThatWasNeverOfferedIsAWrongTool) {
  model_.Push(Calls({{.id = "x", .name = "json", .arguments = R"({"section_id":"layout"})"}}));
  model_.Push(Calls({{.id = "y", .name = "submit", .arguments = "{}"}}));
  model_.Push(Calls({{.id = "z", .name = "json", .arguments = "{}"}}));
  RunResult result = RunForced();
  EXPECT_EQ(result.stop_reason, StopReason::kRepairsExhausted);
  EXPECT_THAT(result.breaches,
              ElementsAre(Breach::kWrongTool, Breach::kWrongTool, Breach::kWrongTool));
  EXPECT_TRUE(claimed_.empty());
}

TEST_F(ContractTest, TruncatedArgumentsNeverGoBackVerbatim) {
  model_.Push(llm::ChatResponse{
      .tool_calls = {{.id = "t1", .name = "register_claim", .arguments = R"({"section_id": "lay)"}},
      .finish_reason = llm::FinishReason::kLength,
      .usage = llm::Usage{.prompt_tokens = 1, .completion_tokens = 1}});
  model_.Push(Calls({Claim("c1", "layout")}));
  RunResult result = RunForced();
  EXPECT_EQ(result.stop_reason, StopReason::kCompleted);
  EXPECT_THAT(result.breaches, ElementsAre(Breach::kTruncated));
  const llm::ChatRequest second = model_.requests()[1];
  ASSERT_EQ(second.messages[2].tool_calls.size(), 1u);
  EXPECT_EQ(second.messages[2].tool_calls[0].arguments, "{}");
}

TEST_F(ContractTest, ArgumentsWithATrailingCommaAreRead) {
  model_.Push(Calls({{.id = "c1",
                      .name = "register_claim",
                      .arguments = "```json\n{\"section_id\": \"layout\",}\n```"}}));
  RunResult result = RunForced();
  EXPECT_EQ(result.stop_reason, StopReason::kCompleted);
  EXPECT_TRUE(result.breaches.empty());
  EXPECT_THAT(claimed_, ElementsAre("c1:layout"));
}

TEST_F(ContractTest, TheSameCallTwiceRunsOnce) {
  model_.Push(Calls({Claim("c1", "layout"), Claim("c2", "layout")}));
  RunResult result = RunForced();
  EXPECT_EQ(result.stop_reason, StopReason::kCompleted);
  EXPECT_THAT(claimed_, ElementsAre("c1:layout"));
  ASSERT_EQ(result.tool_results.size(), 2u);
  EXPECT_EQ(result.tool_results[1].status, ToolStatus::kRefused);
  EXPECT_EQ(json::parse(result.tool_results[1].content)["error"], "duplicate_call");
}

TEST_F(ContractTest, GroqFailedGenerationIsShownInTheRepair) {
  model_.Push(Error{ErrorCode::kInvalidArgument,
                    "HTTP 400: tool_use_failed: Failed to call a function. failed_generation: "
                    "<function=register_claim>{\"section\": layout}</function>"});
  model_.Push(Calls({Claim("c1", "layout")}));
  RunResult result = RunForced();
  EXPECT_EQ(result.stop_reason, StopReason::kCompleted);
  EXPECT_THAT(result.breaches, ElementsAre(Breach::kToolUseFailed));
  EXPECT_NE(LastUser(1).find("<function=register_claim>"), std::string::npos);
}

TEST_F(ContractTest, AToolThatFailsIsRepairedWithoutBlamingTheModel) {
  model_.Push(Calls({Claim("c1", "frozen")}));
  model_.Push(Calls({Claim("c2", "frozen")}));
  model_.Push(Calls({Claim("c3", "frozen")}));
  RunResult result = RunForced();
  EXPECT_EQ(result.stop_reason, StopReason::kRepairsExhausted);
  EXPECT_THAT(result.breaches,
              ElementsAre(Breach::kToolFailed, Breach::kToolFailed, Breach::kToolFailed));
  EXPECT_THAT(source_.outcomes, ElementsAre(CallOutcome::kSucceeded, CallOutcome::kSucceeded,
                                            CallOutcome::kSucceeded));
}

TEST_F(RunnerTest, TurnCapStopsAToolLoop) {
  model_.Push(Calls({Claim("c1", "a")}));
  model_.Push(Calls({Claim("c2", "b")}));
  model_.Push(Answer("never asked"));
  RunResult result = Run({.max_turns = 2});
  EXPECT_EQ(result.stop_reason, StopReason::kTurnCap);
  EXPECT_EQ(result.turns, 2);
  EXPECT_EQ(model_.requests().size(), 2u);
  EXPECT_THAT(claimed_, ElementsAre("c1:a", "c2:b"));
}

TEST_F(RunnerTest, ForcedToolHoldsUntilACallSucceeds) {
  model_.Push(Calls({{.id = "bad", .name = "register_claim", .arguments = "{}"}}));
  model_.Push(Calls({Claim("c1", "layout")}));
  model_.Push(Answer("done"));
  RunResult result = Run({.forced_tool = "register_claim"});
  EXPECT_EQ(result.stop_reason, StopReason::kCompleted);
  std::vector<llm::ChatRequest> requests = model_.requests();
  EXPECT_EQ(requests[0].forced_tool, "register_claim");
  EXPECT_EQ(requests[1].forced_tool, "register_claim");
  EXPECT_FALSE(requests[2].forced_tool.has_value());
  EXPECT_EQ(requests[2].tool_choice, llm::ToolChoice::kAuto);
}

TEST_F(RunnerTest, HardBudgetStopsOnceRealUsageReachesTheLimit) {
  Budget small("triad layout", {.tokens = 100, .tool_calls = 50, .time_ms = 60000},
               Enforcement::kHard, clock_);
  model_.Push(Calls({Claim("c1", "layout")}, 40, 20));
  model_.Push(Calls({Claim("c2", "visual"), Claim("c3", "motion")}, 50, 10));
  model_.Push(Answer("never asked"));
  RunResult result = Runner().Run(agent_, conversation_, small, context_);
  EXPECT_EQ(result.stop_reason, StopReason::kBudgetExhausted);
  ASSERT_TRUE(result.overrun.has_value());
  EXPECT_EQ(result.overrun->resource, BudgetResource::kTokens);
  EXPECT_EQ(result.overrun->spent, 120);
  EXPECT_EQ(result.usage.total(), 120);
  EXPECT_THAT(claimed_, ElementsAre("c1:layout"));
  ASSERT_EQ(result.tool_results.size(), 3u);
  EXPECT_EQ(result.tool_results[1].status, ToolStatus::kRefused);
  EXPECT_EQ(result.tool_results[2].status, ToolStatus::kRefused);
  // Every tool call of the last reply still has a tool message.
  EXPECT_EQ(conversation_.messages().back().tool_call_id, "c3");
  EXPECT_EQ(model_.requests().size(), 2u);
}

TEST_F(RunnerTest, HardTimeBudgetStopsBeforeTheNextModelCall) {
  Budget quick("triad layout", {.tokens = 1000, .tool_calls = 50, .time_ms = 1000},
               Enforcement::kHard, clock_);
  tool_millis_ = 1500;
  model_.Push(Calls({Claim("c1", "layout")}));
  RunResult result = Runner().Run(agent_, conversation_, quick, context_);
  EXPECT_EQ(result.stop_reason, StopReason::kBudgetExhausted);
  EXPECT_EQ(result.overrun->resource, BudgetResource::kTime);
  EXPECT_EQ(model_.requests().size(), 1u);
}

TEST_F(RunnerTest, SoftBudgetWarnsAndContinues) {
  Budget soft("triad layout", {.tokens = 10, .tool_calls = 0, .time_ms = 60000}, Enforcement::kSoft,
              clock_);
  model_.Push(Calls({Claim("c1", "layout")}, 40, 20));
  model_.Push(Answer("done", 40, 20));
  RunResult result = Runner().Run(agent_, conversation_, soft, context_);
  EXPECT_EQ(result.stop_reason, StopReason::kCompleted);
  EXPECT_THAT(claimed_, ElementsAre("c1:layout"));
  EXPECT_EQ(soft.spent().tokens, 120);
}

TEST_F(RunnerTest, ParentBudgetIsChargedAndEnforced) {
  Budget run("run", {.tokens = 100, .tool_calls = 500, .time_ms = 60000}, Enforcement::kHard,
             clock_);
  Budget triad("triad layout", kPlenty, Enforcement::kHard, clock_, &run);
  model_.Push(Calls({Claim("c1", "layout")}, 30, 10));
  model_.Push(Answer("done", 30, 10));
  RunResult first = Runner().Run(agent_, conversation_, triad, context_);
  EXPECT_EQ(first.stop_reason, StopReason::kCompleted);
  EXPECT_EQ(run.spent().tokens, 80);
  EXPECT_EQ(run.spent().tool_calls, 1);

  conversation_.StartPhase("Again.");
  model_.Push(Answer("more", 30, 10));
  model_.Push(Answer("never asked"));
  RunResult second = Runner().Run(agent_, conversation_, triad, context_);
  EXPECT_EQ(second.stop_reason, StopReason::kCompleted);
  RunResult third = Runner().Run(agent_, conversation_, triad, context_);
  EXPECT_EQ(third.stop_reason, StopReason::kBudgetExhausted);
  EXPECT_EQ(third.overrun->budget, "run");
  EXPECT_EQ(model_.requests().size(), 3u);
}

TEST_F(RunnerTest, SecondPhaseSeesTheFirstPhase) {
  model_.Push(Calls({Claim("c1", "layout")}));
  model_.Push(Answer("I claimed layout."));
  ASSERT_EQ(Run().stop_reason, StopReason::kCompleted);
  conversation_.StartPhase("'layout' is contested. CONCEDE, REVISE or HOLD?");
  model_.Push(Answer("HOLD"));
  context_.phase = "negotiation";
  RunResult result = Run();
  EXPECT_EQ(result.final_text, "HOLD");
  EXPECT_EQ(result.turns, 1);
  const llm::ChatRequest last = model_.requests().back();
  ASSERT_EQ(last.messages.size(), 6u);
  EXPECT_EQ(last.messages[0].role, llm::Role::kSystem);
  EXPECT_EQ(last.messages[1].content, "Claim the sections you own.");
  EXPECT_EQ(last.messages[2].tool_calls[0].id, "c1");
  EXPECT_EQ(last.messages[3].tool_call_id, "c1");
  EXPECT_EQ(last.messages[4].content, "I claimed layout.");
  EXPECT_EQ(last.messages[5].content, "'layout' is contested. CONCEDE, REVISE or HOLD?");
  EXPECT_EQ(model_.contexts().back().phase, "negotiation");
}

TEST_F(RunnerTest, ModelErrorStopsWithTheError) {
  model_.Push(Error{ErrorCode::kUnavailable, "HTTP 503: overloaded"});
  RunResult result = Run();
  EXPECT_EQ(result.stop_reason, StopReason::kModelError);
  ASSERT_TRUE(result.error.has_value());
  EXPECT_EQ(result.error->code, ErrorCode::kUnavailable);
  EXPECT_EQ(result.error->message, "HTTP 503: overloaded");
}

TEST_F(RunnerTest, OtherInvalidArgumentErrorsAreNotRepaired) {
  model_.Push(Error{ErrorCode::kInvalidArgument, "HTTP 400: context length exceeded"});
  RunResult result = Run();
  EXPECT_EQ(result.stop_reason, StopReason::kModelError);
  EXPECT_EQ(result.repairs, 0);
}

TEST_F(RunnerTest, AgentWithoutModelSourceIsAModelError) {
  agent_.models = nullptr;
  RunResult result = Run();
  EXPECT_EQ(result.stop_reason, StopReason::kModelError);
  EXPECT_EQ(result.error->code, ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(model_.requests().empty());
}

TEST(ToolUseFailureTest, RecognisesBothWordings) {
  EXPECT_TRUE(IsToolUseFailure(ToolUseFailed()));
  EXPECT_TRUE(IsToolUseFailure({ErrorCode::kInvalidArgument, "Tool call validation failed: x"}));
  EXPECT_FALSE(IsToolUseFailure({ErrorCode::kUnavailable, "tool_use_failed"}));
  EXPECT_FALSE(IsToolUseFailure({ErrorCode::kInvalidArgument, "bad request"}));
}

TEST_F(RunnerTest, ModelIsResolvedBeforeEveryCallAndHearsEachOutcome) {
  OutcomeSource source(model_);
  agent_.models = &source;
  model_.Push(Calls({{.id = "c1", .name = "register_claim", .arguments = "{not json"}}));
  model_.Push(Calls({Claim("c2", "layout")}));
  model_.Push(Answer("done"));
  model_.Push(Error{ErrorCode::kUnavailable, "provider down"});
  RunResult result = Run();
  EXPECT_EQ(result.stop_reason, StopReason::kCompleted);
  EXPECT_THAT(source.resolved,
              ElementsAre("layout/orchestrator/deliberation", "layout/orchestrator/deliberation",
                          "layout/orchestrator/deliberation"));
  // A reply with only invalid tool calls is a failure; valid calls and answers succeed.
  EXPECT_THAT(source.outcomes,
              ElementsAre(CallOutcome::kFailed, CallOutcome::kSucceeded, CallOutcome::kSucceeded));
  // Each call used the model resolved just before it.
  ASSERT_EQ(model_.requests().size(), 3u);
  EXPECT_EQ(model_.requests()[2].model, "m3");
  conversation_.StartPhase("again");
  EXPECT_EQ(Run().stop_reason, StopReason::kModelError);
  EXPECT_EQ(source.outcomes.back(), CallOutcome::kFailed);
}

TEST_F(RunnerTest, AgentAndToolSpansNestUnderTheCallersSpan) {
  auto exporter = std::make_shared<testing::InMemoryExporter>();
  trace::Tracer tracer(clock_, trace::Resource{.service_name = "hfs"});
  tracer.AddProcessor(std::make_shared<trace::SimpleProcessor>(exporter));
  trace::Span triad = tracer.StartSpan("hfs.triad.layout");
  context_.trace = {.tracer = &tracer, .parent = triad.context()};
  trace::SpanContext seen_by_tool;
  agent_.tools.push_back(MakeTool("probe", "Probe.", Schema::Object(),
                                  [&](const json&, ToolContext& context) -> Result<json> {
                                    seen_by_tool = context.call->trace.parent;
                                    return json{{"ok", true}};
                                  }));
  model_.Push(
      Calls({Claim("c1", "layout"), {.id = "c2", .name = "probe", .arguments = "{}"}}, 40, 8));
  model_.Push(Answer("done", 50, 2));
  Run();
  const trace::SpanData* agent = exporter->FindByName("invoke_agent layout_orchestrator");
  ASSERT_NE(agent, nullptr);
  EXPECT_EQ(agent->parent_span_id, triad.data().span_id);
  EXPECT_EQ(*trace::FindAttribute(agent->attributes, "gen_ai.usage.input_tokens"),
            trace::AttributeValue(int64_t{90}));
  EXPECT_EQ(*trace::FindAttribute(agent->attributes, "hfs.agent.stop_reason"),
            trace::AttributeValue("completed"));
  const trace::SpanData* claim = exporter->FindByName("execute_tool register_claim");
  const trace::SpanData* probe = exporter->FindByName("execute_tool probe");
  ASSERT_NE(claim, nullptr);
  ASSERT_NE(probe, nullptr);
  EXPECT_EQ(claim->parent_span_id, agent->span_id);
  // A tool that calls a model puts its spans under the tool's span.
  EXPECT_EQ(seen_by_tool.span_id, probe->span_id);
  // The model calls carry the agent span as their parent.
  EXPECT_EQ(model_.contexts()[0].trace.parent.span_id, agent->span_id);
}

}  // namespace
}  // namespace hfs::agent
