#include "hfs/agent/conversation.h"

#include <gtest/gtest.h>

namespace hfs::agent {
namespace {

TEST(ConversationTest, PhasesKeepEarlierMessages) {
  Conversation conversation;
  EXPECT_EQ(conversation.phases(), 0);
  conversation.StartPhase("deliberate");
  conversation.Append(llm::Message::Assistant("I claim layout"));
  EXPECT_EQ(conversation.phase_start(), 0u);
  conversation.StartPhase("negotiate");
  ASSERT_EQ(conversation.size(), 3u);
  EXPECT_EQ(conversation.phases(), 2);
  EXPECT_EQ(conversation.phase_start(), 2u);
  EXPECT_EQ(conversation.messages()[0].content, "deliberate");
  EXPECT_EQ(conversation.messages()[1].role, llm::Role::kAssistant);
  EXPECT_EQ(conversation.messages()[2].role, llm::Role::kUser);
  EXPECT_EQ(conversation.messages()[2].content, "negotiate");
}

// One step: the prompt, an assistant tool call of `size` characters and its result.
void Step(Conversation& conversation, const std::string& prompt, size_t size) {
  conversation.StartPhase(prompt);
  llm::Message call = llm::Message::Assistant("");
  call.tool_calls.push_back(
      {.id = "c-" + prompt, .name = "t", .arguments = std::string(size, 'x')});
  conversation.Append(std::move(call));
  conversation.Append(llm::Message::ToolResult("c-" + prompt, "ok"));
}

TEST(ConversationTest, TheWindowDropsTheOldestWholeStepsAndNeverTheCurrentOne) {
  Conversation conversation;
  Step(conversation, "round 1", 4000);  // about 1000 tokens
  Step(conversation, "round 2", 4000);
  Step(conversation, "round 3", 4000);
  EXPECT_GT(conversation.EstimatedTokens(), 3000u);
  EXPECT_EQ(conversation.KeepWithin(100000), 0);
  EXPECT_EQ(conversation.size(), 9u);
  // Room for two steps: round 1 goes, with its call and its result.
  EXPECT_EQ(conversation.KeepWithin(2100), 1);
  ASSERT_EQ(conversation.size(), 6u);
  EXPECT_EQ(conversation.messages()[0].content, "round 2");
  EXPECT_EQ(conversation.phase_start(), 3u);
  EXPECT_EQ(conversation.messages()[conversation.phase_start()].content, "round 3");
  // Even a window smaller than the current step keeps the current step whole.
  EXPECT_EQ(conversation.KeepWithin(10), 1);
  ASSERT_EQ(conversation.size(), 3u);
  EXPECT_EQ(conversation.messages()[0].content, "round 3");
  EXPECT_EQ(conversation.messages()[2].tool_call_id, "c-round 3");
  EXPECT_EQ(conversation.phase_start(), 0u);
  EXPECT_EQ(conversation.phases(), 3);
  // A step after the window keeps counting from where the history is.
  Step(conversation, "round 4", 10);
  EXPECT_EQ(conversation.phase_start(), 3u);
  EXPECT_EQ(conversation.KeepWithin(10), 1);
  EXPECT_EQ(conversation.messages()[0].content, "round 4");
}

TEST(ConversationTest, ClearDropsEverything) {
  Conversation conversation;
  Step(conversation, "deliberate", 100);
  conversation.Clear();
  EXPECT_EQ(conversation.size(), 0u);
  EXPECT_EQ(conversation.EstimatedTokens(), 0u);
  conversation.StartPhase("negotiate");
  EXPECT_EQ(conversation.phase_start(), 0u);
  EXPECT_EQ(conversation.KeepWithin(0), 0);
}

}  // namespace
}  // namespace hfs::agent
