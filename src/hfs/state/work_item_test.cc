#include "hfs/state/work_item.h"

#include <gtest/gtest.h>

#include <string>

namespace hfs::state {
namespace {

TEST(WorkItemTest, ParsesTheThreeStatuses) {
  std::optional<WorkItem> available = ParseWorkItemLine("- [ ] [#w3] Build auth module");
  ASSERT_TRUE(available);
  EXPECT_EQ(available->id, "w3");
  EXPECT_EQ(available->description, "Build auth module");
  EXPECT_EQ(available->status(), WorkStatus::kAvailable);

  std::optional<WorkItem> claimed = ParseWorkItemLine("- [ ] [#w3] Build auth module [IP:agent-1]");
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->claimed_by, "agent-1");
  EXPECT_EQ(claimed->description, "Build auth module");
  EXPECT_EQ(claimed->status(), WorkStatus::kInProgress);

  std::optional<WorkItem> done = ParseWorkItemLine("- [X] [#w3] Build auth module");
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status(), WorkStatus::kCompleted);
}

TEST(WorkItemTest, ParsesOriginalLinesWithoutIdAndOddSpacing) {
  std::optional<WorkItem> item = ParseWorkItemLine("  -[x]   Build auth module  [IP: a1 ]  \r");
  ASSERT_TRUE(item);
  EXPECT_EQ(item->id, "");
  EXPECT_EQ(item->description, "Build auth module");
  EXPECT_EQ(item->claimed_by, "a1");
  EXPECT_TRUE(item->checked);
}

TEST(WorkItemTest, NonItemsAreRejected) {
  for (const char* line : {"", "text", "- plain bullet", "- [y] odd box", "- [ ]", "- [ ]   ",
                           "* [ ] star bullet", "| a | b |"}) {
    EXPECT_FALSE(ParseWorkItemLine(line)) << line;
  }
}

TEST(WorkItemTest, BadIdTokenStaysInTheDescription) {
  std::optional<WorkItem> item = ParseWorkItemLine("- [ ] [#not an id] thing");
  ASSERT_TRUE(item);
  EXPECT_EQ(item->id, "");
  EXPECT_EQ(item->description, "[#not an id] thing");
}

TEST(WorkItemTest, RenderRoundTrips) {
  WorkItem item{.id = "w12", .description = "Hero | banner", .claimed_by = "layout_leader"};
  std::string line = RenderWorkItemLine(item);
  EXPECT_EQ(line, "- [ ] [#w12] Hero | banner [IP:layout_leader]");
  EXPECT_EQ(ParseWorkItemLine(line), item);
  item.checked = true;
  item.claimed_by.reset();
  EXPECT_EQ(RenderWorkItemLine(item), "- [x] [#w12] Hero | banner");
}

TEST(WorkItemTest, StatusNames) {
  EXPECT_EQ(WorkStatusName(WorkStatus::kInProgress), "in_progress");
  EXPECT_EQ(ParseWorkStatus("completed"), WorkStatus::kCompleted);
  EXPECT_EQ(ParseWorkStatus("done"), std::nullopt);
}

TEST(WorkItemTest, IdNumbers) {
  EXPECT_EQ(WorkItemId(7), "w7");
  EXPECT_EQ(WorkItemNumber("w42"), 42);
  EXPECT_EQ(WorkItemNumber("x42"), std::nullopt);
  EXPECT_EQ(WorkItemNumber("w"), std::nullopt);
  EXPECT_EQ(WorkItemNumber("w4a"), std::nullopt);
}

TEST(WorkItemTest, CheckDescription) {
  EXPECT_EQ(CheckDescription("  Hero section \t").value(), "Hero section");
  EXPECT_EQ(CheckDescription("   ").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(CheckDescription("two\nlines").error().message, "description: must be one line");
  EXPECT_FALSE(CheckDescription("sneaky [IP:agent-9]"));
  EXPECT_FALSE(CheckDescription("[#w1] fake id"));
  EXPECT_FALSE(CheckDescription(std::string(501, 'a')));
  EXPECT_TRUE(CheckDescription(std::string(500, 'a')));
}

TEST(WorkItemTest, CheckAgentId) {
  EXPECT_TRUE(CheckAgentId("layout_leader"));
  EXPECT_TRUE(CheckAgentId("agent-1.b"));
  for (const char* bad : {"", "../etc", ".hidden", "a b", "a|b", "a]b", "a/b"}) {
    EXPECT_FALSE(CheckAgentId(bad)) << bad;
  }
  EXPECT_FALSE(CheckAgentId(std::string(65, 'a')));
}

}  // namespace
}  // namespace hfs::state
