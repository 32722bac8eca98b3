#include "hfs/state/state_document.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "hfs/state/testing/fake_process_table.h"

namespace hfs::state {
namespace {

using ::testing::Contains;
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
            "<!-- next item id: w4 -->\r\n"
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
            "# Shared State\n"
            "<!-- next item id: w3 -->\n\n"
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
            "<!-- next item id: w7 -->\n"
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
            "<!-- next item id: w3 -->\n"
            "## Available Work Items\nIntro\n- [ ] [#w1] One\n- [ ] [#w2] Two\n\nLater prose\n"
            "## In Progress\n");
}

TEST(StateDocumentTest, EmptyFileGetsEverySectionOnNormalize) {
  StateDocument document = StateDocument::Parse("");
  document.AddItem("First");
  document.Normalize();
  EXPECT_EQ(document.Render(),
            "<!-- next item id: w2 -->\n\n"
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

TEST(StateDocumentTest, NearMissAndSecondHeadingsAreReadAndRepaired) {
  StateDocument document = StateDocument::Parse(
      "# Shared State\n"
      "##Available Work Items\n- [ ] [#w1] One\n\n"
      "## In progress:\n- [ ] [#w2] Two [IP:bob]\n\n"
      "### COMPLETED\n- [x] [#w3] Three\n\n"
      "## Agent Registry\n| Agent ID | Current Task | Started |\n|---|---|---|\n"
      "| bob | w2 Two | - |\n\n"
      "## Available Work Items\n- [ ] [#w4] Four\n\n"
      "## Notes\n- [ ] [#w9] Under a heading nobody knows\n- [ ] plain checklist\n");
  EXPECT_EQ(document.Items().size(), 4u);
  EXPECT_THAT(document.Problems(),
              ElementsAre("line 2: heading '##Available Work Items' is read as "
                          "'## Available Work Items'",
                          "line 5: heading '## In progress:' is read as '## In Progress'",
                          "line 8: heading '### COMPLETED' is read as '## Completed'",
                          "line 16: a second '## Available Work Items' heading (the first is on "
                          "line 2)",
                          "line 17: item sits under a second '## Available Work Items' heading",
                          "line 20: work item w9 under '## Notes' is outside the work item "
                          "sections and is not read (kept as it is; fix it by hand)"));
  document.Normalize();
  EXPECT_EQ(document.Render(),
            "# Shared State\n"
            "## Available Work Items\n- [ ] [#w1] One\n- [ ] [#w4] Four\n\n"
            "## In Progress\n- [ ] [#w2] Two [IP:bob]\n\n"
            "## Completed\n- [x] [#w3] Three\n\n"
            "## Agent Registry\n| Agent ID | Current Task | Started |\n|---|---|---|\n"
            "| bob | w2 Two | - |\n\n"
            "## Notes\n- [ ] [#w9] Under a heading nobody knows\n- [ ] plain checklist\n");
  EXPECT_THAT(document.Problems(), ElementsAre(HasSubstr("line 18: work item w9")));
  // w9 is not read, but its number is taken.
  EXPECT_EQ(document.AddItem("Five").id, "w10");
}

TEST(StateDocumentTest, UnreadableLinesAreKeptAndReportedThroughEveryEdit) {
  const std::string cut = "- [ ] [#w2] Pricing [IP:layo";
  StateDocument document = StateDocument::Parse(
      "## Available Work Items\n- [ ] [#w1] One\n"
      "## In Progress\n" +
      cut + "\n| Agent ID |\n| bad agent | x | - |\n");
  std::vector<KeptLine> kept = document.KeptLines();
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].line, 4u);
  EXPECT_EQ(kept[0].text, cut);
  WorkItem one = *document.FindItem("w1");
  one.claimed_by = "agent-1";
  ASSERT_TRUE(document.UpdateItem(one));
  document.AddItem("Two");
  document.Normalize();
  EXPECT_THAT(document.Render(), HasSubstr("\n" + cut + "\n"));
  EXPECT_EQ(document.KeptLines().size(), 1u);
  EXPECT_FALSE(document.UpdateItem({.id = "w2", .description = "Pricing"}));
  StateDocument registry = StateDocument::Parse(std::string(kTemplate) + "| bad agent | x | - |\n");
  EXPECT_THAT(registry.Problems(),
              ElementsAre("line 12: cannot read a registry row whose first cell 'bad agent' is not "
                          "an agent id (kept as it is; fix it by hand)"));
}

TEST(StateDocumentTest, RegistryWithoutHeaderRowGetsItBack) {
  StateDocument document = StateDocument::Parse(
      "## Available Work Items\n\n## In Progress\n\n## Completed\n\n## Agent Registry\n"
      "| alice | - | - |\n| alice | - | - |\n");
  EXPECT_THAT(document.Problems(),
              ElementsAre("line 9: a second registry row of alice (the first is on line 8); kept "
                          "as it is",
                          "line 8: the registry table has no header row"));
  document.Normalize();
  EXPECT_THAT(document.Render(),
              HasSubstr("## Agent Registry\n| Agent ID | Current Task | Started |\n"
                        "|----------|--------------|---------|\n| alice | - | - |\n"));
}

TEST(StateDocumentTest, IdsComeFromTheCounterAndTheHighestIdAnywhere) {
  StateDocument document = StateDocument::Parse(
      "# Shared State\n<!-- next item id: w40 -->\n## Available Work Items\n- [ ] [#w7] Seven\n"
      "Notes mention [#w55] in passing.\n");
  EXPECT_EQ(document.AddItem("A").id, "w56");
  EXPECT_THAT(document.Render(), HasSubstr("<!-- next item id: w57 -->\n"));
  // A counter that cannot be read is reported and rewritten by the next write.
  document = StateDocument::Parse(
      "<!-- next item id: w?? -->\n## Available Work Items\n"
      "- [ ] [#w3] Three\n");
  EXPECT_THAT(document.Problems(),
              Contains("line 1: cannot read the next item id; the next write rewrites it"));
  document.Normalize();
  EXPECT_THAT(document.Render(), HasSubstr("<!-- next item id: w4 -->\n"));
}

TEST(StateDocumentTest, StaleClaimsAreFoundMarkedReleasedAndStamped) {
  FakeProcessTable processes;
  Timestamp now = ParseUtc("2026-01-01T01:00:00Z").value();
  StateDocument document = StateDocument::Parse(
      "## Available Work Items\n\n## In Progress\n"
      "- [ ] [#w1] Gone [IP:a1 pid=7 host=test-host]\n"
      "- [ ] [#w2] Late [IP:a2 until=2026-01-01T00:59:59Z]\n"
      "- [ ] [#w3] Fresh [IP:a3 until=2026-01-01T01:30:00Z pid=8 host=test-host]\n"
      "- [ ] [#w4] Old style [IP:a4]\n\n## Completed\n\n## Agent Registry\n");
  processes.Exit(7);
  std::vector<StaleClaim> stale = document.StaleClaims(now, processes);
  ASSERT_EQ(stale.size(), 2u);
  EXPECT_EQ(stale[0].item.id, "w1");
  EXPECT_EQ(stale[0].reason, "process 7 on test-host is gone");
  EXPECT_EQ(stale[1].reason, "its lease ran out at 2026-01-01T00:59:59Z");
  document.MarkStale(stale);
  EXPECT_THAT(document.Problems(),
              Contains("line 5: the claim of w2 by a2 is stale: its lease ran out at "
                       "2026-01-01T00:59:59Z; another agent may take it over"));
  document.ReleaseStaleClaims(now, processes);
  document.StampLeases({.until = ParseUtc("2026-01-01T01:30:00Z")});
  document.Normalize();
  EXPECT_EQ(document.FindItem("w1")->status(), WorkStatus::kAvailable);
  EXPECT_EQ(document.FindItem("w2")->status(), WorkStatus::kAvailable);
  EXPECT_EQ(document.FindItem("w3")->lease.process->pid, 8);
  EXPECT_EQ(document.FindItem("w4")->lease.until, ParseUtc("2026-01-01T01:30:00Z"));
  EXPECT_THAT(document.Problems(), IsEmpty());
}

TEST(StateDocumentTest, EveryCutOfAWrittenFileKeepsStatusesAndIds) {
  StateDocument written = StateDocument::Template();
  for (const char* description : {"Hero", "Pricing", "Navigation", "Footer", "FAQ"}) {
    written.AddItem(description);
  }
  WorkItem pricing = *written.FindItem("w2");
  pricing.claimed_by = "layout_leader";
  pricing.lease = {.until = ParseUtc("2026-01-01T00:30:00Z"),
                   .process = ProcessRef{.pid = 42, .host = "h", .start = 7}};
  written.UpdateItem(pricing);
  WorkItem navigation = *written.FindItem("w3");
  navigation.checked = true;
  written.UpdateItem(navigation);
  written.Normalize();
  const std::string text = written.Render();
  const size_t counter_end = text.find("-->\n") + 4;
  // A file cut at any byte (a copy interrupted, a disk full): an item is read with its
  // status or not at all, and no id is handed out again.
  for (size_t cut = 0; cut <= text.size(); ++cut) {
    std::string prefix = text.substr(0, cut);
    StateDocument document = StateDocument::Parse(prefix);
    ASSERT_EQ(document.Render(), prefix);
    for (const WorkItem& item : document.Items()) {
      std::optional<WorkItem> original = written.FindItem(item.id);
      ASSERT_TRUE(original) << prefix;
      EXPECT_EQ(item.status(), original->status()) << prefix;
    }
    document.Normalize();
    if (cut >= counter_end) {
      EXPECT_EQ(document.AddItem("Next").id, "w6") << prefix;
    }
  }
}

}  // namespace
}  // namespace hfs::state
