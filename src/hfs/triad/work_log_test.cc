#include "hfs/triad/work_log.h"

#include <gtest/gtest.h>

#include <thread>

#include "hfs/base/file.h"
#include "hfs/testing/fake_clock.h"
#include "hfs/testing/temp_dir.h"

namespace hfs::triad {
namespace {

class WorkLogTest : public ::testing::Test {
 protected:
  std::vector<state::WorkItem> Items() { return state_.Items().value(); }
  // The item whose description names `section`.
  state::WorkItem Item(const std::string& section) {
    for (const state::WorkItem& item : Items()) {
      if (item.description.find("section " + section) != std::string::npos) return item;
    }
    return {};
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  state::SharedStateManager state_{{.state_path = dir_.path() / ".hfs" / "state.md"}, clock_};
};

TEST_F(WorkLogTest, PlannedItemsAreClaimedThenCompletedOrReleased) {
  WorkLog log(&state_, "layout");
  log.Plan("layout_orchestrator", {{"hero", "banner for worker_a"}, {"faq", "for worker_b"}});
  std::vector<state::WorkItem> planned = Items();
  ASSERT_EQ(planned.size(), 2u);
  EXPECT_EQ(planned[0].description, "layout: write section hero (banner for worker_a)");
  EXPECT_EQ(planned[0].status(), state::WorkStatus::kAvailable);

  log.Claim("hero", "layout_worker_a");
  log.Claim("faq", "layout_worker_b");
  EXPECT_EQ(Item("hero").claimed_by, "layout_worker_a");
  EXPECT_EQ(Item("faq").status(), state::WorkStatus::kInProgress);

  log.Finish("hero", "layout_worker_a", WorkOutcome::kDone);
  log.Finish("faq", "layout_worker_b", WorkOutcome::kNotDone);
  EXPECT_EQ(Item("hero").status(), state::WorkStatus::kCompleted);
  EXPECT_EQ(Item("faq").status(), state::WorkStatus::kAvailable);
  EXPECT_EQ(Items().size(), 2u);
  // The agents are in the registry.
  Result<state::StateDocument> document = state_.Read();
  ASSERT_TRUE(document.has_value());
  EXPECT_EQ(document->Agents().size(), 3u);
  EXPECT_FALSE(log.first_error().has_value());
}

TEST_F(WorkLogTest, UnplannedSectionGetsAnItemWhenClaimed) {
  WorkLog log(&state_, "visual");
  log.Claim("theme", "visual_peer_1");
  std::vector<state::WorkItem> items = Items();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].description, "visual: write section theme");
  EXPECT_EQ(items[0].claimed_by, "visual_peer_1");
}

TEST_F(WorkLogTest, ConcurrentWritersEachCompleteTheirOwnItem) {
  WorkLog log(&state_, "layout");
  std::vector<std::pair<std::string, std::string>> tasks;
  for (int i = 0; i < 8; ++i) tasks.emplace_back("s" + std::to_string(i), "");
  log.Plan("layout_orchestrator", tasks);
  std::vector<std::thread> writers;
  for (int w = 0; w < 2; ++w) {
    writers.emplace_back([&, w] {
      const std::string agent = w == 0 ? "layout_worker_a" : "layout_worker_b";
      for (int i = w; i < 8; i += 2) {
        log.Claim("s" + std::to_string(i), agent);
        log.Finish("s" + std::to_string(i), agent, WorkOutcome::kDone);
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  for (const state::WorkItem& item : Items()) {
    EXPECT_EQ(item.status(), state::WorkStatus::kCompleted) << item.description;
  }
}

TEST(WorkItemTextTest, LongTextIsCutAtACharacterBoundaryAndStaysOneLine) {
  std::string task;
  for (int i = 0; i < 100; ++i) task += "é";  // two bytes each
  const std::string text = WorkItemText("design", "page/hero", task + "\tend\x01");
  EXPECT_LE(text.size(), 160u);
  EXPECT_EQ(text.substr(text.size() - 3), "...");
  // Every character whole: no lone lead byte before the ellipsis.
  const unsigned char last = static_cast<unsigned char>(text[text.size() - 4]);
  EXPECT_NE(last & 0xE0, 0xC0);
  EXPECT_EQ(text.find('\t'), std::string::npos);
  EXPECT_EQ(WorkItemText("t", "s", "look [IP:x] here [IP"),
            "t: write section s (look (IP:x] here [IP)");
}

TEST_F(WorkLogTest, WithoutStateNothingHappens) {
  WorkLog log(nullptr, "layout");
  log.Plan("a", {{"hero", ""}});
  log.Claim("hero", "a");
  log.Finish("hero", "a", WorkOutcome::kDone);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / ".hfs" / "state.md"));
}

TEST_F(WorkLogTest, AnUnwritableFileIsNotedNotFatal) {
  // The state file's directory is a file: every write fails.
  ASSERT_TRUE(WriteFileAtomic(dir_.path() / "blocked", "x").has_value());
  state::SharedStateManager blocked({.state_path = dir_.path() / "blocked" / "state.md",
                                     .lock_timeout = std::chrono::milliseconds(200)},
                                    clock_);
  WorkLog log(&blocked, "layout");
  log.Plan("layout_orchestrator", {{"hero", ""}});
  log.Claim("hero", "layout_worker_a");
  EXPECT_TRUE(log.first_error().has_value());
}

}  // namespace
}  // namespace hfs::triad
