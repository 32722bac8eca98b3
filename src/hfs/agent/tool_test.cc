#include "hfs/agent/tool.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace hfs::agent {
namespace {

using nlohmann::json;

Tool ClaimTool(std::vector<std::string>* claimed) {
  return MakeTool(
      "register_claim", "Claim a section.",
      Schema::Object().Property("section_id", Schema::String().Length(1, 128), Required::kYes),
      [claimed](const json& arguments, ToolContext& context) -> Result<json> {
        std::string section = arguments["section_id"].get<std::string>();
        if (section == "frozen") return Fail(ErrorCode::kFailedPrecondition, "spec is frozen");
        if (section == "nope") return Fail(ErrorCode::kInvalidArgument, "no section 'nope'");
        if (section == "throw") throw std::runtime_error("boom");
        claimed->push_back(std::string(context.agent_name) + ":" + std::string(context.call_id) +
                           ":" + section);
        return json{{"ok", true}, {"section_id", section}};
      });
}

llm::ToolCall Call(std::string arguments, std::string name = "register_claim") {
  return {.id = "call_1", .name = std::move(name), .arguments = std::move(arguments)};
}

TEST(ToolTest, DefinitionCarriesTheSchemaText) {
  std::vector<std::string> claimed;
  llm::ToolDefinition definition = ToDefinition(ClaimTool(&claimed));
  EXPECT_EQ(definition.name, "register_claim");
  EXPECT_EQ(definition.description, "Claim a section.");
  EXPECT_EQ(json::parse(definition.parameters_json),
            json::parse(R"({"type":"object","properties":{"section_id":{"type":"string",
                "minLength":1,"maxLength":128}},"required":["section_id"],
                "additionalProperties":false})"));
  Tool bare{.name = "get_current_claims",
            .handler = [](const json&, ToolContext&) { return Result<json>(json::object()); }};
  EXPECT_EQ(ToDefinition(bare).parameters_json,
            R"({"type":"object","properties":{},"additionalProperties":false})");
}

TEST(ToolTest, RunsTheHandlerWithTheCallContext) {
  std::vector<std::string> claimed;
  std::vector<Tool> tools = {ClaimTool(&claimed)};
  ToolOutcome outcome =
      ExecuteToolCall(tools, Call(R"({"section_id":"layout"})"), {.agent_name = "orchestrator"});
  EXPECT_EQ(outcome.status, ToolStatus::kOk);
  EXPECT_EQ(outcome.call_id, "call_1");
  EXPECT_EQ(json::parse(outcome.content), (json{{"ok", true}, {"section_id", "layout"}}));
  EXPECT_EQ(claimed, std::vector<std::string>{"orchestrator:call_1:layout"});
}

TEST(ToolTest, InvalidArgumentsBecomeRetryableHints) {
  std::vector<std::string> claimed;
  std::vector<Tool> tools = {ClaimTool(&claimed)};
  ToolOutcome not_json = ExecuteToolCall(tools, Call(R"({"section_id": )"), {});
  EXPECT_EQ(not_json.status, ToolStatus::kInvalidArguments);
  EXPECT_EQ(json::parse(not_json.content), json::parse(R"({"ok":false,"error":"invalid_arguments",
                "hints":["arguments: not valid JSON; send one JSON object"],"retry":true})"));
  ToolOutcome empty = ExecuteToolCall(tools, Call(""), {});
  EXPECT_EQ(json::parse(empty.content)["hints"], json::array({"section_id: required"}));
  ToolOutcome rejected = ExecuteToolCall(tools, Call(R"({"section_id":"nope"})"), {});
  EXPECT_EQ(rejected.status, ToolStatus::kInvalidArguments);
  EXPECT_EQ(json::parse(rejected.content)["hints"], json::array({"no section 'nope'"}));
  EXPECT_TRUE(claimed.empty());
}

TEST(ToolTest, UnknownToolsNameTheAvailableOnes) {
  std::vector<std::string> claimed;
  std::vector<Tool> tools = {ClaimTool(&claimed)};
  ToolOutcome outcome = ExecuteToolCall(tools, Call("{}", "claim"), {});
  EXPECT_EQ(outcome.status, ToolStatus::kUnknownTool);
  EXPECT_EQ(json::parse(outcome.content), json::parse(R"({"ok":false,"error":"unknown_tool",
                "hints":["no tool named 'claim'; available tools: register_claim"],"retry":true})"));
}

TEST(ToolTest, HandlerFailuresBecomeResults) {
  std::vector<std::string> claimed;
  std::vector<Tool> tools = {ClaimTool(&claimed)};
  ToolOutcome failed = ExecuteToolCall(tools, Call(R"({"section_id":"frozen"})"), {});
  EXPECT_EQ(failed.status, ToolStatus::kFailed);
  EXPECT_EQ(json::parse(failed.content),
            json::parse(R"({"ok":false,"error":"spec is frozen","retry":false})"));
  ToolOutcome thrown = ExecuteToolCall(tools, Call(R"({"section_id":"throw"})"), {});
  EXPECT_EQ(thrown.status, ToolStatus::kFailed);
  EXPECT_EQ(json::parse(thrown.content)["error"], "tool 'register_claim' failed: boom");
}

TEST(ToolTest, RefusedCallsSayTheBudgetIsSpent) {
  ToolOutcome outcome = RefusedToolCall(Call("{}"));
  EXPECT_EQ(outcome.status, ToolStatus::kRefused);
  EXPECT_EQ(outcome.content, R"({"ok":false,"error":"budget_exhausted","retry":false})");
}

}  // namespace
}  // namespace hfs::agent
