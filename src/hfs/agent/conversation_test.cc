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

}  // namespace
}  // namespace hfs::agent
