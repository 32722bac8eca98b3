#include "hfs/state/shared_state_manager.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "hfs/base/file.h"
#include "hfs/base/file_lock.h"
#include "hfs/state/testing/fake_process_table.h"
#include "hfs/testing/fake_clock.h"
#include "hfs/testing/temp_dir.h"

namespace hfs::state {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class SharedStateManagerTest : public ::testing::Test {
 protected:
  std::string FileText() { return ReadFile(path_).value(); }

  // Another process of the same run (or a restart), on the same files.
  SharedStateOptions Options(const FakeProcessTable* processes) {
    return {.state_path = path_, .lock_timeout = milliseconds(2000), .processes = processes};
  }

  testing::TempDir dir_;
  std::filesystem::path path_ = dir_.path() / ".hfs" / "state.md";
  testing::FakeClock clock_;
  FakeProcessTable processes_;
  SharedStateManager state_{Options(&processes_), clock_};
};

constexpr char kLease[] = "until=2026-01-01T00:30:00Z pid=4242 host=test-host start=1";

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
  EXPECT_THAT(FileText(), HasSubstr("## In Progress\n- [ ] [#w1] Hero section [IP:agent-1 " +
                                    std::string(kLease) + "]\n"));
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
            "# Shared State\r\n<!-- next item id: w2 -->\r\nOur notes.\r\n\r\n"
            "## Available Work Items\r\n- [ ] [#w1] Hand-written task\r\n\r\n## Decisions\r\nUse "
            "CSS grid.\r\n"
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

TEST_F(SharedStateManagerTest, ClaimsExpireAfterTheLeaseTime) {
  ASSERT_TRUE(state_.AddItem("Hero"));
  ASSERT_TRUE(state_.Claim("w1", "agent-1")->applied());
  clock_.Advance(minutes(30));
  EXPECT_EQ(state_.Claim("w1", "agent-2")->refusal, Refusal::kNotAvailable);
  EXPECT_THAT(state_.StaleClaims().value(), IsEmpty());
  clock_.Advance(seconds(1));
  ASSERT_EQ(state_.StaleClaims()->size(), 1u);
  ItemUpdate taken = state_.Claim("w1", "agent-2").value();
  EXPECT_TRUE(taken.applied());
  EXPECT_EQ(taken.message,
            "Claimed w1 (Hero), taking over the stale claim of agent-1: its lease ran out at "
            "2026-01-01T00:30:00Z");
  EXPECT_EQ(state_.Complete("w1", "agent-1")->refusal, Refusal::kNotOwner);
  EXPECT_TRUE(state_.Complete("w1", "agent-2")->applied());
}

TEST_F(SharedStateManagerTest, ARestartedAgentTakesBackTheClaimsOfItsGoneProcess) {
  ASSERT_TRUE(state_.AddItems({"Hero", "Footer"}));
  ASSERT_TRUE(state_.Claim("w1", "worker").value().applied());
  // Still running: a second claim by the same agent is refused as before.
  EXPECT_EQ(state_.Claim("w1", "worker")->message, "You already claimed w1");
  processes_.Exit(4242);
  FakeProcessTable restarted({.pid = 5000, .host = "test-host", .start = 2});
  restarted.Exit(4242);
  SharedStateManager again(Options(&restarted), clock_);
  ItemUpdate claim = again.Claim("w1", "worker").value();
  EXPECT_TRUE(claim.applied()) << claim.message;
  EXPECT_THAT(claim.message, HasSubstr("process 4242 on test-host is gone"));
  EXPECT_EQ(again.Items(WorkStatus::kInProgress)->front().lease.process->pid, 5000);
}

TEST_F(SharedStateManagerTest, StaleClaimsReadAsAvailableAndTheNextWriteReleasesThem) {
  ASSERT_TRUE(state_.AddItems({"Hero", "Footer"}));
  ASSERT_TRUE(state_.Claim("w1", "agent-1")->applied());
  processes_.Exit(4242);
  FakeProcessTable other({.pid = 6000, .host = "test-host"});
  other.Exit(4242);
  SharedStateManager reader(Options(&other), clock_);
  // What `hfs state` shows: the item as claimed, and the claim as stale.
  StateDocument document = reader.Read().value();
  EXPECT_EQ(document.FindItem("w1")->claimed_by, "agent-1");
  EXPECT_THAT(document.Problems(),
              ElementsAre(HasSubstr("the claim of w1 by agent-1 is stale: process 4242 on "
                                    "test-host is gone")));
  // What agents see: an item they can claim.
  EXPECT_EQ(reader.Items(WorkStatus::kAvailable)->size(), 2u);
  EXPECT_THAT(reader.Items(WorkStatus::kInProgress).value(), IsEmpty());
  // Any write releases it in the file.
  ASSERT_TRUE(reader.RegisterAgent("agent-3"));
  EXPECT_EQ(StateDocument::Parse(FileText()).FindItem("w1")->status(), WorkStatus::kAvailable);
  EXPECT_THAT(FileText(), HasSubstr("| agent-1 | - | - |"));
}

TEST_F(SharedStateManagerTest, RenewClaimsMovesTheLeasesForward) {
  ASSERT_TRUE(state_.AddItems({"Hero", "Footer", "Nav"}));
  ASSERT_TRUE(state_.Claim("w1", "agent-1")->applied());
  ASSERT_TRUE(state_.Claim("w2", "agent-1")->applied());
  ASSERT_TRUE(state_.Claim("w3", "agent-2")->applied());
  clock_.Advance(minutes(20));
  EXPECT_EQ(state_.RenewClaims("agent-1").value(), 2u);
  EXPECT_EQ(state_.RenewClaims("nobody").value(), 0u);
  clock_.Advance(minutes(20));
  std::vector<StaleClaim> stale = state_.StaleClaims().value();
  ASSERT_EQ(stale.size(), 1u);
  EXPECT_EQ(stale[0].item.id, "w3");
  EXPECT_THAT(FileText(), HasSubstr("[IP:agent-1 until=2026-01-01T00:50:00Z pid=4242"));
}

TEST_F(SharedStateManagerTest, ClaimsWrittenBeforeLeasesGetOneOnTheNextWrite) {
  ASSERT_TRUE(WriteFileAtomic(path_,
                              "## Available Work Items\n- [ ] [#w1] Hero\n\n## In Progress\n"
                              "- [ ] [#w2] Footer [IP:old_agent]\n"));
  EXPECT_THAT(state_.StaleClaims().value(), IsEmpty());
  ASSERT_TRUE(state_.RegisterAgent("agent-1"));
  EXPECT_THAT(FileText(), HasSubstr("[IP:old_agent until=2026-01-01T00:30:00Z]"));
  clock_.Advance(minutes(31));
  EXPECT_TRUE(state_.Claim("w2", "agent-1")->applied());
}

TEST_F(SharedStateManagerTest, ZeroLeaseTimeExpiresOnlyWithTheProcess) {
  SharedStateOptions options = Options(&processes_);
  options.lease_time = seconds(0);
  SharedStateManager forever(options, clock_);
  ASSERT_TRUE(forever.AddItem("Hero"));
  ASSERT_TRUE(forever.Claim("w1", "agent-1")->applied());
  EXPECT_THAT(FileText(), HasSubstr("[IP:agent-1 pid=4242 host=test-host start=1]"));
  clock_.Advance(std::chrono::hours(24 * 365));
  EXPECT_EQ(forever.Claim("w1", "agent-2")->refusal, Refusal::kNotAvailable);
  processes_.Exit(4242);
  EXPECT_TRUE(forever.Claim("w1", "agent-2")->applied());
}

TEST_F(SharedStateManagerTest, NotFoundNamesTheUnreadableLineThatHasTheId) {
  ASSERT_TRUE(WriteFileAtomic(path_, "## In Progress\n- [ ] [#w2] Pricing [IP:layo\n"));
  ItemUpdate claim = state_.Claim("w2", "agent-1").value();
  EXPECT_EQ(claim.refusal, Refusal::kNotFound);
  EXPECT_EQ(claim.message,
            "No work item with id 'w2' (line 2 has it but cannot be read: cannot read this work "
            "item: its claim marker '[IP:layo' is cut off or does not end the line)");
}

TEST_F(SharedStateManagerTest, AFileThatEndsInAnItemCutShortIsNotWritten) {
  const std::string text =
      "## Available Work Items\n- [ ] [#w1] Hero\n\n## In Progress\n- [ ] [#w2] Pricing";
  ASSERT_TRUE(WriteFileAtomic(path_, text));
  EXPECT_THAT(state_.Read()->Problems(),
              Contains(HasSubstr("line 5: the file ends in this work item, which reads as "
                                 "available under '## In Progress': it may be cut short")));
  Result<WorkItem> added = state_.AddItem("Footer");
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_THAT(added.error().message, HasSubstr("line 5 may be cut short"));
  EXPECT_EQ(FileText(), text);
  // Ended by hand, the line reads as it stands: an available item, moved by the next write.
  ASSERT_TRUE(WriteFileAtomic(path_, text + "\n"));
  ASSERT_TRUE(state_.AddItem("Footer"));
  EXPECT_EQ(state_.Items(WorkStatus::kAvailable)->size(), 3u);
}

TEST(RefusalTest, Names) {
  EXPECT_EQ(RefusalName(Refusal::kNotFound), "not_found");
  EXPECT_EQ(RefusalName(Refusal::kNotAvailable), "not_available");
  EXPECT_EQ(RefusalName(Refusal::kNotOwner), "not_owner");
  EXPECT_EQ(RefusalName(Refusal::kAlreadyComplete), "already_complete");
}

}  // namespace
}  // namespace hfs::state
