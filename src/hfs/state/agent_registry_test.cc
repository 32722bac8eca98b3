#include "hfs/state/agent_registry.h"

#include <gtest/gtest.h>

namespace hfs::state {
namespace {

TEST(AgentRegistryTest, ParsesRowsAndSkipsHeaderAndSeparator) {
  EXPECT_FALSE(ParseRegistryRow(kRegistryHeader));
  EXPECT_FALSE(ParseRegistryRow(kRegistrySeparator));
  EXPECT_FALSE(ParseRegistryRow("|:---|---:|---|"));
  EXPECT_FALSE(ParseRegistryRow("not a table"));
  EXPECT_FALSE(ParseRegistryRow("| only | two |"));
  std::optional<AgentEntry> row =
      ParseRegistryRow("|a1|w3 Hero \\| banner| 2026-01-01T00:00:00Z |");
  ASSERT_TRUE(row);
  EXPECT_EQ(row->agent_id, "a1");
  EXPECT_EQ(row->current_task, "w3 Hero | banner");
  EXPECT_EQ(row->started, "2026-01-01T00:00:00Z");
}

TEST(AgentRegistryTest, RenderEscapesPipesAndFillsEmptyCells) {
  AgentEntry entry{.agent_id = "a1", .current_task = "w3 a|b", .started = ""};
  std::string line = RenderRegistryRow(entry);
  EXPECT_EQ(line, "| a1 | w3 a\\|b | - |");
  entry.started = "-";
  EXPECT_EQ(ParseRegistryRow(line), entry);
}

TEST(AgentRegistryTest, FormatUtc) {
  EXPECT_EQ(FormatUtc(Timestamp(std::chrono::seconds(1767225600))), "2026-01-01T00:00:00Z");
}

}  // namespace
}  // namespace hfs::state
