#include "hfs/state/shared_state_manager.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "hfs/base/file.h"
#include "hfs/base/file_lock.h"
#include "hfs/testing/fake_clock.h"
#include "hfs/testing/temp_dir.h"

namespace hfs::state {
namespace {

using std::chrono::milliseconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class SharedStateManagerTest : public ::testing::Test {
 protected:
  std::string FileText() { return ReadFile(path_).value(); }

  testing::TempDir dir_;
  std::filesystem::path path_ = dir_.path() / ".hfs" / "state.md";
  testing::FakeClock clock_;
  SharedStateManager state_{{.state_path = path_, .lock_timeout = milliseconds(2000)}, clock_};
};

TEST_F(SharedStateManagerTest, MissingFileReadsAsTheTemplate) {
  Result<StateDocument> document = state_.Read();
  ASSERT_TRUE(document) << document.error().message;
  EXPECT_EQ(document->Render(), StateDocument::Template().Render());
  EXPECT_FALSE(std::filesystem::exists(path_));
  EXPECT_EQ(DefaultStatePath(), std::filesystem::path(".hfs/state.md"));
}

TEST_F(SharedStateManagerTest, ClaimCompleteReleaseLifecycle) {
  std::vector<WorkItem> added = state_.AddItems({"Hero section", " Footer "}).value();
  ASSERT_EQ(added.size(), 2u);
  EXPECT_EQ(added[0].id, "w1");
  EXPECT_EQ(added[1].description, "Footer");

  ItemUpdate claim = state_.Claim("w1", "agent-1").value();
  EXPECT_TRUE(claim.applied());
  EXPECT_EQ(claim.message, "Claimed w1 (Hero section)");
  EXPECT_EQ(claim.item.claimed_by, "agent-1");
  EXPECT_EQ(state_.Items(WorkStatus::kInProgress)->size(), 1u);
  EXPECT_THAT(FileText(), HasSubstr("## In Progress\n- [ ] [#w1] Hero section [IP:agent-1]\n"));
  EXPECT_THAT(FileText(), HasSubstr("| agent-1 | w1 Hero section | 2026-01-01T00:00:00Z |"));

  ItemUpdate taken = state_.Claim("w1", "agent-2").value();
  EXPECT_EQ(taken.refusal, Refusal::kNotAvailable);
  EXPECT_EQ(taken.message, "w1 is already claimed by agent-1");
  EXPECT_THAT(taken.hint, HasSubstr("available"));
  EXPECT_EQ(state_.Claim("w1", "agent-1")->refusal, Refusal::kNotAvailable);
  EXPECT_EQ(state_.Complete("w1", "agent-2")->refusal, Refusal::kNotOwner);
  EXPECT_EQ(state_.Release("w2", "agent-2")->refusal, Refusal::kNotOwner);
  EXPECT_EQ(state_.Claim("w9", "agent-2")->refusal, Refusal::kNotFound);

  ItemUpdate done = state_.Complete("w1", "agent-1").value();
  EXPECT_TRUE(done.applied());
  EXPECT_EQ(done.item.status(), WorkStatus::kCompleted);
  EXPECT_EQ(state_.Complete("w1", "agent-1")->refusal, Refusal::kAlreadyComplete);
  EXPECT_EQ(state_.Claim("w1", "agent-2")->refusal, Refusal::kNotAvailable);

  ASSERT_TRUE(state_.Claim("w2", "agent-2")->applied());
  ItemUpdate released = state_.Release("w2", "agent-2").value();
  EXPECT_TRUE(released.applied());
  EXPECT_EQ(released.item.status(), WorkStatus::kAvailable);

  StateDocument document = state_.Read().value();
  EXPECT_THAT(document.Problems(), IsEmpty());
  EXPECT_EQ(state_.Items(WorkStatus::kCompleted)->front().id, "w1");
  EXPECT_EQ(state_.Items(WorkStatus::kAvailable)->front().id, "w2");
  std::vector<AgentEntry> agents = document.Agents();
  ASSERT_EQ(agents.size(), 2u);
  EXPECT_EQ(agents[0], (AgentEntry{.agent_id = "agent-1"}));
  EXPECT_EQ(agents[1], (AgentEntry{.agent_id = "agent-2"}));
}

TEST_F(SharedStateManagerTest, RefusedEditsWriteNothing) {
  ASSERT_TRUE(state_.AddItem("Hero"));
  ASSERT_TRUE(state_.Claim("w1", "a1"));
  auto before = std::filesystem::last_write_time(path_);
  std::string text = FileText();
  ASSERT_FALSE(state_.Claim("w1", "a2")->applied());
  EXPECT_EQ(FileText(), text);
  EXPECT_EQ(std::filesystem::last_write_time(path_), before);
}

TEST_F(SharedStateManagerTest, BadArgumentsAreInvalidArgument) {
  EXPECT_EQ(state_.AddItem("two\nlines").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(state_.AddItems({"ok", ""}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(std::filesystem::exists(path_));  // nothing added
  EXPECT_EQ(state_.Claim("w1", "../evil").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(state_.ReadAgentMemory("a/b").error().code, ErrorCode::kInvalidArgument);
}

TEST_F(SharedStateManagerTest, LockTimeoutIsAClearError) {
  ASSERT_TRUE(state_.AddItem("Hero"));
  FileLock held = FileLock::Acquire(path_, milliseconds(100)).value();
  SharedStateManager impatient({.state_path = path_, .lock_timeout = milliseconds(50)}, clock_);
  Result<ItemUpdate> claim = impatient.Claim("w1", "a1");
  ASSERT_FALSE(claim);
  EXPECT_EQ(claim.error().code, ErrorCode::kDeadlineExceeded);
  EXPECT_THAT(claim.error().message, HasSubstr("lock timeout after 50 ms"));
  EXPECT_THAT(claim.error().message, HasSubstr("state.md.lock"));
  // Reads need no lock.
  EXPECT_EQ(impatient.Items()->size(), 1u);
}

TEST_F(SharedStateManagerTest, EditsKeepHandWrittenContent) {
  ASSERT_TRUE(WriteFileAtomic(path_,
                              "# Shared State\r\nOur notes.\r\n\r\n## Available Work Items\r\n"
                              "- [ ] Hand-written task\r\n\r\n## Decisions\r\nUse CSS grid.\r\n"));
  std::vector<WorkItem> items = state_.Items().value();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].id, "");
  ASSERT_TRUE(state_.RegisterAgent("a1"));
  EXPECT_EQ(FileText(),
            "# Shared State\r\nOur notes.\r\n\r\n## Available Work Items\r\n"
            "- [ ] [#w1] Hand-written task\r\n\r\n## Decisions\r\nUse CSS grid.\r\n"
            "\r\n## In Progress\r\n\r\n## Completed\r\n\r\n## Agent Registry\r\n"
            "| Agent ID | Current Task | Started |\r\n|----------|--------------|---------|\r\n"
            "| a1 | - | - |\r\n");
  EXPECT_TRUE(state_.Claim("w1", "a1")->applied());
}

TEST_F(SharedStateManagerTest, ThreadsClaimEachItemOnce) {
  std::vector<std::string> descriptions;
  for (int i = 0; i < 20; ++i) descriptions.push_back("item " + std::to_string(i));
  ASSERT_TRUE(state_.AddItems(descriptions));
  std::atomic<int> claimed = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        Result<ItemUpdate> update = state_.Claim(WorkItemId(i + 1), "agent-" + std::to_string(t));
        ASSERT_TRUE(update) << update.error().message;
        if (update->applied()) ++claimed;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(claimed.load(), 20);
  EXPECT_EQ(state_.Items(WorkStatus::kInProgress)->size(), 20u);
  EXPECT_THAT(state_.Read()->Problems(), IsEmpty());
}

TEST_F(SharedStateManagerTest, AgentMemory) {
  EXPECT_EQ(state_.MemoryPath("a1"), dir_.path() / ".hfs" / "agents" / "a1.md");
  EXPECT_EQ(state_.ReadAgentMemory("a1").value(), AgentMemory::Template("a1").Render());
  EXPECT_EQ(state_.UpdateAgentMemory("a1", MemorySection::kNotes, "one", MemoryWrite::kReplace),
            "one");
  EXPECT_EQ(state_.UpdateAgentMemory("a1", MemorySection::kNotes, "two", MemoryWrite::kAppend),
            "one\ntwo");
  EXPECT_THAT(state_.ReadAgentMemory("a1").value(), HasSubstr("## Notes\none\ntwo\n"));
  EXPECT_EQ(state_.UpdateAgentMemory("a1", MemorySection::kNotes, "## x", MemoryWrite::kAppend)
                .error()
                .code,
            ErrorCode::kInvalidArgument);
  SharedStateManager elsewhere({.state_path = path_, .memory_dir = dir_.path() / "mem"}, clock_);
  EXPECT_EQ(elsewhere.MemoryPath("a1"), dir_.path() / "mem" / "a1.md");
}

TEST(RefusalTest, Names) {
  EXPECT_EQ(RefusalName(Refusal::kNotFound), "not_found");
  EXPECT_EQ(RefusalName(Refusal::kNotAvailable), "not_available");
  EXPECT_EQ(RefusalName(Refusal::kNotOwner), "not_owner");
  EXPECT_EQ(RefusalName(Refusal::kAlreadyComplete), "already_complete");
}

}  // namespace
}  // namespace hfs::state
