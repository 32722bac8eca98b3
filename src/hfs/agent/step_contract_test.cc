#include "hfs/agent/step_contract.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace hfs::agent {
namespace {

using nlohmann::json;

std::vector<Tool> Tools() {
  auto ok = [](const json&, ToolContext&) -> Result<json> { return json{{"ok", true}}; };
  return {MakeTool("register_claim", "Claim.",
                   Schema::Object().Property("section_id", Schema::String(), Required::kYes), ok),
          MakeTool("get_current_claims", "Claims.", Schema::Object(), ok)};
}

llm::ChatResponse Text(std::string content, llm::FinishReason finish = llm::FinishReason::kStop) {
  return {.content = std::move(content), .finish_reason = finish};
}

TEST(StepContractTest, ForcedArgumentsPrintedAsFencedJsonAreSalvaged) {
  std::optional<llm::ToolCall> call =
      SalvagedCall(Text("I'll claim it:\n```json\n{\"section_id\": \"hero\",}\n```"),
                   {.forced_tool = "register_claim"}, Tools(), "salvaged_1");
  ASSERT_TRUE(call.has_value());
  EXPECT_EQ(call->id, "salvaged_1");
  EXPECT_EQ(call->name, "register_claim");
  EXPECT_EQ(json::parse(call->arguments), (json{{"section_id", "hero"}}));
}

TEST(StepContractTest, NamedCallPrintedAsTextIsSalvagedWithItsName) {
  std::optional<llm::ToolCall> call =
      SalvagedCall(Text(R"({"name": "get_current_claims", "parameters": {}})"), {.any_tool = true},
                   Tools(), "s");
  ASSERT_TRUE(call.has_value());
  EXPECT_EQ(call->name, "get_current_claims");
  EXPECT_EQ(call->arguments, "{}");
}

TEST(StepContractTest, NothingIsSalvagedFromProseOrWithoutADemand) {
  EXPECT_FALSE(SalvagedCall(Text("I claim the hero section."), {.forced_tool = "register_claim"},
                            Tools(), "s"));
  EXPECT_FALSE(SalvagedCall(Text(R"({"section_id": "hero"})"), {}, Tools(), "s"));
  // Any tool demanded, but the object does not say which.
  EXPECT_FALSE(SalvagedCall(Text(R"({"section_id": "hero"})"), {.any_tool = true}, Tools(), "s"));
  // A name that is not offered.
  EXPECT_FALSE(SalvagedCall(Text(R"({"name": "submit", "arguments": {}})"), {.any_tool = true},
                            Tools(), "s"));
}

TEST(StepContractTest, TextBreachTellsTruncationEmptinessAndProseApart) {
  EXPECT_EQ(TextBreach(Text("{\"section_id\": \"he", llm::FinishReason::kLength)),
            Breach::kTruncated);
  EXPECT_EQ(TextBreach(Text(" \n")), Breach::kEmpty);
  EXPECT_EQ(TextBreach(Text("I hold.")), Breach::kProse);
}

TEST(StepContractTest, RepairPromptNamesTheProblemTheToolAndTheDetail) {
  std::string prompt = RepairPrompt(Breach::kToolUseFailed, {.forced_tool = "register_claim"},
                                    "failed_generation: <function=register_claim>{bad}");
  EXPECT_NE(prompt.find("rejected"), std::string::npos);
  EXPECT_NE(prompt.find("`register_claim`"), std::string::npos);
  EXPECT_NE(prompt.find("<function=register_claim>{bad}"), std::string::npos);
  EXPECT_NE(
      RepairPrompt(Breach::kWrongTool, {.forced_tool = "register_claim"}, "`get_current_claims`")
          .find("You called `get_current_claims`"),
      std::string::npos);
  EXPECT_NE(RepairPrompt(Breach::kTruncated, {.any_tool = true}, "").find("token limit"),
            std::string::npos);
  EXPECT_FALSE(IsModelBreach(Breach::kToolFailed));
  EXPECT_TRUE(IsModelBreach(Breach::kProse));
}

}  // namespace
}  // namespace hfs::agent
