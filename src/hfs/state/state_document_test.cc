#include "hfs/state/state_document.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace hfs::state {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kTemplate[] =
    "# Shared State\n\n## Available Work Items\n\n## In Progress\n\n## Completed\n\n"
    "## Agent Registry\n| Agent ID | Current Task | Started |\n"
    "|----------|--------------|---------|\n";

// A hand-edited file: prose, an extra section, a checklist outside the status sections,
// a table note, an item without id, CRLF endings and no final newline.
constexpr char kOdd[] =
    "# Shared State\r\n"
    "Intro prose with **markdown**.\r\n"
    "\r\n"
    "## Available Work Items\r\n"
    "Items the planner adds go here.\r\n"
    "- [ ] [#w1] Hero section\r\n"
    "- [ ] Footer without id\r\n"
    "\r\n"
    "## Notes\r\n"
    "- [ ] not a work item: a checklist in notes\r\n"
    "   trailing spaces   \r\n"
    "## in progress  \r\n"
    "- [ ] [#w2] Pricing table [IP:agent-2]\r\n"
    "\r\n"
    "## Agent Registry\r\n"
    "| Agent ID | Current Task | Started |\r\n"
    "|---|---|---|\r\n"
    "| agent-2 | w2 Pricing table | 2026-01-01T00:00:00Z |\r\n"
    "Footnote after the table";

TEST(StateDocumentTest, TemplateIsTheOriginalLayout) {
  StateDocument document = StateDocument::Template();
  EXPECT_EQ(document.Render(), kTemplate);
  EXPECT_THAT(document.Items(), IsEmpty());
  EXPECT_THAT(document.Agents(), IsEmpty());
  EXPECT_THAT(document.Problems(), IsEmpty());
}

TEST(StateDocumentTest, ParseRenderRoundTripsOddInputByteForByte) {
  for (std::string text :
       {std::string(kOdd), std::string(kTemplate), std::string(""), std::string("\n\n"),
        std::string("no newline"), std::string("## Completed\n- [x] done"),
        std::string("\r\n\r\n## In Progress\r\n\n- [ ] mixed endings\r\n"),
        std::string("- [ ] orphan\n\0binary\xff\n", 22)}) {
    EXPECT_EQ(StateDocument::Parse(text).Render(), text);
  }
}

TEST(StateDocumentTest, ItemsComeFromTheStatusSectionsOnly) {
  StateDocument document = StateDocument::Parse(kOdd);
  std::vector<WorkItem> items = document.Items();
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].id, "w1");
  EXPECT_EQ(items[1].description, "Footer without id");
  EXPECT_EQ(items[2].claimed_by, "agent-2");
  EXPECT_EQ(document.FindItem("w2")->description, "Pricing table");
  EXPECT_FALSE(document.FindItem("w9"));
  ASSERT_EQ(document.Agents().size(), 1u);
  EXPECT_EQ(document.Agents()[0].agent_id, "agent-2");
  EXPECT_THAT(document.Problems(),
              ElementsAre("missing section '## Completed'", "line 7: work item has no id"));
}

TEST(StateDocumentTest, NormalizeFixesTheFileAndKeepsUnknownLines) {
  StateDocument document = StateDocument::Parse(kOdd);
  document.Normalize();
  EXPECT_THAT(document.Problems(), IsEmpty());
  EXPECT_EQ(document.Render(),
            "# Shared State\r\n"
            "Intro prose with **markdown**.\r\n"
            "\r\n"
            "## Available Work Items\r\n"
            "Items the planner adds go here.\r\n"
            "- [ ] [#w1] Hero section\r\n"
            "- [ ] [#w3] Footer without id\r\n"
            "\r\n"
            "## Notes\r\n"
            "- [ ] not a work item: a checklist in notes\r\n"
            "   trailing spaces   \r\n"
            "## in progress  \r\n"
            "- [ ] [#w2] Pricing table [IP:agent-2]\r\n"
            "\r\n"
            "## Completed\r\n"
            "\r\n"
            "## Agent Registry\r\n"
            "| Agent ID | Current Task | Started |\r\n"
            "|---|---|---|\r\n"
            "| agent-2 | w2 Pricing table | 2026-01-01T00:00:00Z |\r\n"
            "Footnote after the table");
}

TEST(StateDocumentTest, StatusChangesMoveItemsBetweenSections) {
  StateDocument document = StateDocument::Template();
  WorkItem hero = document.AddItem("Hero section");
  WorkItem footer = document.AddItem("Footer");
  EXPECT_EQ(hero.id, "w1");
  EXPECT_EQ(footer.id, "w2");
  hero.claimed_by = "agent-1";
  document.UpdateItem(hero);
  document.SetAgentStarted("agent-1", "2026-01-01T00:00:00Z");
  footer.checked = true;
  document.UpdateItem(footer);
  document.Normalize();
  EXPECT_EQ(document.Render(),
            "# Shared State\n\n"
            "## Available Work Items\n\n"
            "## In Progress\n"
            "- [ ] [#w1] Hero section [IP:agent-1]\n\n"
            "## Completed\n"
            "- [x] [#w2] Footer\n\n"
            "## Agent Registry\n"
            "| Agent ID | Current Task | Started |\n"
            "|----------|--------------|---------|\n"
            "| agent-1 | w1 Hero section | 2026-01-01T00:00:00Z |\n");
  hero.claimed_by.reset();
  document.UpdateItem(hero);
  document.Normalize();
  EXPECT_THAT(document.Render(),
              HasSubstr("## Available Work Items\n- [ ] [#w1] Hero section\n\n"));
  EXPECT_THAT(document.Render(), HasSubstr("| agent-1 | - | - |\n"));
  EXPECT_THAT(document.Problems(), IsEmpty());
}

TEST(StateDocumentTest, NormalizeMovesHandEditedItemsAndRenumbersDuplicates) {
  StateDocument document = StateDocument::Parse(
      "## Available Work Items\n"
      "- [x] [#w1] Done but listed as available\n"
      "- [ ] [#w1] Duplicate id\n"
      "- [ ] [#w5] Claimed by hand [IP:bob]\n");
  EXPECT_EQ(document.Problems().size(), 7u);  // 3 sections, 1 duplicate, 2 misplaced, bob
  document.Normalize();
  EXPECT_THAT(document.Problems(), IsEmpty());
  EXPECT_EQ(document.Render(),
            "## Available Work Items\n"
            "- [ ] [#w6] Duplicate id\n"
            "\n"
            "## In Progress\n"
            "- [ ] [#w5] Claimed by hand [IP:bob]\n"
            "\n"
            "## Completed\n"
            "- [x] [#w1] Done but listed as available\n"
            "\n"
            "## Agent Registry\n"
            "| Agent ID | Current Task | Started |\n"
            "|----------|--------------|---------|\n"
            "| bob | w5 Claimed by hand | - |\n");
}

TEST(StateDocumentTest, NewItemsGoAfterTheLastItemAndBeforeTrailingProse) {
  StateDocument document = StateDocument::Parse(
      "## Available Work Items\nIntro\n- [ ] [#w1] One\n\nLater prose\n## In Progress\n");
  document.AddItem("Two");
  EXPECT_EQ(document.Render(),
            "## Available Work Items\nIntro\n- [ ] [#w1] One\n- [ ] [#w2] Two\n\nLater prose\n"
            "## In Progress\n");
}

TEST(StateDocumentTest, EmptyFileGetsEverySectionOnNormalize) {
  StateDocument document = StateDocument::Parse("");
  document.AddItem("First");
  document.Normalize();
  EXPECT_EQ(document.Render(),
            "## Available Work Items\n- [ ] [#w1] First\n\n## In Progress\n\n## Completed\n\n"
            "## Agent Registry\n| Agent ID | Current Task | Started |\n"
            "|----------|--------------|---------|\n");
}

TEST(StateDocumentTest, RegisterAgentAddsOneRow) {
  StateDocument document = StateDocument::Template();
  document.RegisterAgent("a1");
  document.RegisterAgent("a1");
  document.RegisterAgent("a2");
  ASSERT_EQ(document.Agents().size(), 2u);
  EXPECT_EQ(document.Agents()[1].agent_id, "a2");
  EXPECT_EQ(document.Agents()[1].current_task, "-");
}

}  // namespace
}  // namespace hfs::state
