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
  EXPECT_EQ(ParseWorkItemLine("- [ ] \t[#w1]\tTabs\taround [IP:a1]")->description, "Tabs\taround");
}

TEST(WorkItemTest, NonItemsAreRejected) {
  for (const char* line : {"", "text", "- plain bullet", "- [y] odd box", "- [ ]", "- [ ]   ",
                           "* [ ] star bullet", "| a | b |"}) {
    EXPECT_FALSE(ParseWorkItemLine(line)) << line;
  }
}

TEST(WorkItemTest, LinesThatStartLikeItemsButBreakARuleAreUnreadable) {
  struct Case {
    const char* line;
    const char* problem;
  };
  for (const Case& c : {
           Case{"- [ ] [#not an id] thing", "cannot read its id token '[#not an id]'"},
           Case{"- [ ] [#w", "cannot read its id token '[#w'"},
           Case{"- [ ] [", "cannot read its id token '['"},
           Case{"- [ ] [#w2] Pricing [IP", "ends like a claim marker cut short"},
           Case{"- [ ] [#w2] Pricing [", "ends like a claim marker cut short"},
           Case{"- [ ] [#w2] Pricing [IP:layo", "its claim marker '[IP:layo' is cut off"},
           Case{"- [ ] [#w2] Pricing [IP:alice] [IP:bob]", "more than one claim marker"},
           Case{"- [ ] [#w2] Pricing [IP:bob] later", "does not end the line"},
           Case{"- [ ] [#w2] Pricing [IP:Agent ID]", "'Agent ID' is not an agent id"},
           Case{"- [ ] [#w2] Pricing [IP:-]", "'-' is not an agent id"},
           Case{"- [ ] [#w2] caf\xc3 au lait", "not valid UTF-8"},
           Case{"- [ ] [#w2] bell \x07", "control character"},
           Case{"- [ ] [#w2] [#w3] twice", "starts with '[#'"},
           Case{"- [ ] [#w2]", "has no description"},
           Case{"- [ ]", "has no description"},
           Case{"- [y] odd box", "no checkbox"},
           Case{"- [#w3] box deleted", "no checkbox"},
           Case{"- [", "no checkbox"},
           Case{"* [ ] star bullet", "starts with '- '"},
       }) {
    WorkItemLine read = ReadWorkItemLine(c.line);
    EXPECT_EQ(read.kind, WorkItemLine::Kind::kUnreadable) << c.line;
    EXPECT_NE(read.problem.find(c.problem), std::string::npos) << c.line << ": " << read.problem;
  }
  std::string long_line = "- [ ] [#w2] " + std::string(501, 'b');
  EXPECT_NE(ReadWorkItemLine(long_line).problem.find("longer than 500"), std::string::npos);
  for (const char* prose : {"", "text", "- plain bullet", "- [link](https://example.com)",
                            "| a | b |", "## In Progress"}) {
    EXPECT_EQ(ReadWorkItemLine(prose).kind, WorkItemLine::Kind::kNone) << prose;
  }
}

TEST(WorkItemTest, RenderRoundTrips) {
  WorkItem item{.id = "w12", .description = "Hero | banner", .claimed_by = "layout_leader"};
  std::string line = RenderWorkItemLine(item);
  EXPECT_EQ(line, "- [ ] [#w12] Hero | banner [IP:layout_leader]");
  EXPECT_EQ(ParseWorkItemLine(line), item);
  item.lease = LeaseFrom(Timestamp(std::chrono::seconds(1767225600)), std::chrono::minutes(30),
                         {.pid = 42, .host = "h", .start = 9});
  line = RenderWorkItemLine(item);
  EXPECT_EQ(line,
            "- [ ] [#w12] Hero | banner [IP:layout_leader until=2026-01-01T00:30:00Z pid=42 host=h "
            "start=9]");
  EXPECT_EQ(ParseWorkItemLine(line), item);
  item.lease = {};
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
  EXPECT_EQ(WorkItemNumber("w42"), 42u);
  EXPECT_EQ(WorkItemNumber("w2147483648"), 2147483648u);
  EXPECT_EQ(WorkItemNumber("w999999999999999999"), kMaxWorkItemNumber);
  EXPECT_EQ(WorkItemNumber("w1000000000000000000"), std::nullopt);  // 19 digits: not numbered
  EXPECT_EQ(WorkItemNumber("w-1"), std::nullopt);
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
  // Characters, not bytes, and only of valid UTF-8.
  std::string snowmen;
  for (int i = 0; i < 500; ++i) snowmen += "\xe2\x98\x83";
  EXPECT_TRUE(CheckDescription(snowmen));
  EXPECT_EQ(CheckDescription(snowmen + "!").error().message,
            "description: must be at most 500 characters");
  EXPECT_EQ(CheckDescription("invalid utf8 \xff\xfe\xc3").error().message,
            "description: must be valid UTF-8 (byte 13 is not)");
  EXPECT_FALSE(CheckDescription("a" + std::string(1 << 20, '\x80')));
  EXPECT_FALSE(CheckDescription("escape \x1b[2J"));
  EXPECT_TRUE(CheckDescription("tab\tinside"));
  EXPECT_FALSE(CheckDescription("cut [I"));
  EXPECT_TRUE(CheckDescription("[beta] feature"));
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
