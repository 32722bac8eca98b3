#include "hfs/state/agent_memory.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace hfs::state {
namespace {

using ::testing::HasSubstr;

TEST(AgentMemoryTest, TemplateHasTheThreeSections) {
  EXPECT_EQ(AgentMemory::Template("a1").Render(),
            "# Agent Memory: a1\n\n## Scratchpad\n\n## Subtasks\n\n## Notes\n");
}

TEST(AgentMemoryTest, ReplaceAndAppend) {
  AgentMemory memory = AgentMemory::Template("a1");
  ASSERT_TRUE(memory.Update(MemorySection::kScratchpad, "first idea\n", MemoryWrite::kReplace));
  ASSERT_TRUE(memory.Update(MemorySection::kScratchpad, "second idea", MemoryWrite::kAppend));
  ASSERT_TRUE(memory.Update(MemorySection::kNotes, "note", MemoryWrite::kAppend));
  EXPECT_EQ(memory.Section(MemorySection::kScratchpad), "first idea\nsecond idea");
  EXPECT_EQ(memory.Render(),
            "# Agent Memory: a1\n\n## Scratchpad\nfirst idea\nsecond idea\n\n## Subtasks\n\n"
            "## Notes\nnote\n");
  ASSERT_TRUE(memory.Update(MemorySection::kScratchpad, "only this", MemoryWrite::kReplace));
  EXPECT_EQ(memory.Section(MemorySection::kScratchpad), "only this");
  EXPECT_EQ(memory.Section(MemorySection::kSubtasks), "");
}

TEST(AgentMemoryTest, UnknownLinesAndCrlfAreKept) {
  std::string text = "# Agent Memory: a1\r\nmy own line\r\n## Notes\r\nold\r\n## Extra\r\nkeep";
  AgentMemory memory = AgentMemory::Parse(text);
  EXPECT_EQ(memory.Render(), text);
  ASSERT_TRUE(memory.Update(MemorySection::kNotes, "new", MemoryWrite::kAppend));
  ASSERT_TRUE(memory.Update(MemorySection::kSubtasks, "- [ ] step", MemoryWrite::kReplace));
  EXPECT_EQ(memory.Render(),
            "# Agent Memory: a1\r\nmy own line\r\n## Notes\r\nold\r\nnew\r\n\r\n## Extra\r\nkeep"
            "\r\n\r\n## Subtasks\r\n- [ ] step\r\n");
}

TEST(AgentMemoryTest, ContentThatWouldStartASectionIsRejected) {
  AgentMemory memory = AgentMemory::Template("a1");
  Result<void> result =
      memory.Update(MemorySection::kNotes, "ok\n## Hijack", MemoryWrite::kReplace);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(result.error().message, HasSubstr("content:"));
  EXPECT_EQ(memory.Render(), AgentMemory::Template("a1").Render());
}

TEST(AgentMemoryTest, SectionNames) {
  EXPECT_EQ(ParseMemorySection("subtasks"), MemorySection::kSubtasks);
  EXPECT_EQ(ParseMemorySection("Subtasks"), std::nullopt);
  EXPECT_EQ(MemorySectionName(MemorySection::kScratchpad), "scratchpad");
}

}  // namespace
}  // namespace hfs::state
