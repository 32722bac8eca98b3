// The findings of issue #21 ("Shared state file: a crash, silent loss and stale claims
// found under torture"), one test each, through the public API the way the tester used
// it. Each one failed before the fix.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hfs/base/file.h"
#include "hfs/state/shared_state_manager.h"
#include "hfs/testing/fake_clock.h"
#include "hfs/testing/temp_dir.h"
#ifdef HFS_STATE_OLD_API
#include "hfs/base/file_lock.h"
#else
#include "hfs/state/internal/state_file_lock.h"
#endif

namespace hfs::state {
namespace {

using std::chrono::milliseconds;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kRegistry[] =
    "## Agent Registry\n| Agent ID | Current Task | Started |\n|---|---|---|\n";

class Issue21Test : public ::testing::Test {
 protected:
  void Write(const std::string& text) { ASSERT_TRUE(WriteFileAtomic(path_, text)); }
  std::string Text() { return ReadFile(path_).value(); }
  StateDocument Document() { return state_.Read().value(); }
  std::vector<std::string> Problems() { return Document().Problems(); }

  testing::TempDir dir_;
  std::filesystem::path path_ = dir_.path() / "state.md";
  testing::FakeClock clock_;
  SharedStateManager state_{{.state_path = path_, .lock_timeout = milliseconds(5000)}, clock_};
};

// What `hfs state --json` does with a document: every string must be valid UTF-8.
std::string AsJson(const StateDocument& document) {
  nlohmann::json out = nlohmann::json::object();
  for (const WorkItem& item : document.Items()) {
    out["items"].push_back({item.id, item.description, item.claimed_by.value_or("")});
  }
  for (const AgentEntry& agent : document.Agents()) {
    out["agents"].push_back({agent.agent_id, agent.current_task, agent.started});
  }
  out["problems"] = document.Problems();
  return out.dump();
}

// Forks a child that runs `body` and exits; waits for it.
template <class Body>
void InChildProcess(Body body) {
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    body();
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

// 1. A claim marker that names no agent made every later write die with SIGSEGV.
TEST_F(Issue21Test, Finding1MarkerWithoutAnAgentIdKeepsWritesWorking) {
  for (std::string marker : {"[IP:Agent ID]", "[IP:AGENT ID]", "[IP:-]", "[IP:---]", "[IP::--]"}) {
    std::string line = "- [ ] [#w2] Pricing table " + marker;
    Write(
        "# Shared State\n\n## Available Work Items\n- [ ] [#w1] Hero section\n\n"
        "## In Progress\n" +
        line + "\n\n## Completed\n\n" + kRegistry);
    ASSERT_TRUE(state_.AddItem("Footer")) << marker;
    ASSERT_TRUE(state_.RegisterAgent("layout_leader")) << marker;
    Result<ItemUpdate> claim = state_.Claim("w1", "layout_leader");
    ASSERT_TRUE(claim && claim->applied()) << marker;
    // The line is kept as written, not read as an item, and reported with its number.
    EXPECT_THAT(Text(), HasSubstr("\n" + line + "\n")) << marker;
    StateDocument document = Document();
    EXPECT_FALSE(document.FindItem("w2")) << marker;
    EXPECT_THAT(document.Problems(), Contains(AllOf(HasSubstr("line "), HasSubstr("cannot read"))))
        << marker;
    for (const AgentEntry& agent : document.Agents()) EXPECT_TRUE(CheckAgentId(agent.agent_id));
  }
}

// 2. Invalid UTF-8 was written, and then `hfs state --json` could not print the file.
TEST_F(Issue21Test, Finding2InvalidUtf8IsRefusedAndNeverBreaksReaders) {
  Result<WorkItem> added = state_.AddItem("invalid utf8 \xff\xfe\xc3");
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(added.error().message, HasSubstr("UTF-8"));
  EXPECT_FALSE(std::filesystem::exists(path_));
  EXPECT_FALSE(state_.AddItem("overlong \xc0\xaf and surrogate \xed\xa0\x80"));

  // Written by hand: kept, not read, and reported in valid UTF-8.
  const std::string bad_item = "- [ ] [#w2] caf\xc3 au lait";
  const std::string bad_row = "| agent\xff | - | - |";
  Write(std::string("## Available Work Items\n- [ ] [#w1] Hero\n") + bad_item + "\n" + kRegistry +
        bad_row + "\n| ok | caf\xe9 | - |\n");
  StateDocument document = Document();
  EXPECT_NO_THROW(AsJson(document));
  EXPECT_FALSE(document.FindItem("w2"));
  EXPECT_THAT(document.Problems(), Contains(HasSubstr("UTF-8")));
  ASSERT_TRUE(state_.AddItem("caf\xc3\xa9 cr\xc3\xa8me"));
  EXPECT_THAT(Text(), AllOf(HasSubstr(bad_item + "\n"), HasSubstr(bad_row + "\n")));
  EXPECT_NO_THROW(AsJson(Document()));
}

// 3. The 500-character limit counted only lead bytes: a 1 MB line got through.
TEST_F(Issue21Test, Finding3DescriptionLimitCountsCharactersOfValidText) {
  std::string huge = "a" + std::string(1 << 20, '\x80');
  Result<WorkItem> added = state_.AddItem(huge);
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().code, ErrorCode::kInvalidArgument);
  std::string accents;
  for (int i = 0; i < 500; ++i) accents += "\xc3\xa9";
  EXPECT_TRUE(state_.AddItem(accents));  // 500 characters, 1000 bytes
  EXPECT_FALSE(state_.AddItem(accents + "\xc3\xa9"));

  // Written by hand, it is not an item, so claiming cannot copy it into the registry.
  Write("## Available Work Items\n- [ ] [#w1] Hero\n- [ ] [#w2] " + std::string(1 << 20, 'b') +
        "\n");
  EXPECT_EQ(state_.Claim("w2", "agent-1")->refusal, Refusal::kNotFound);
  ASSERT_TRUE(state_.Claim("w1", "agent-1")->applied());
  EXPECT_LT(Text().size(), (1u << 20) + 4096);
  EXPECT_THAT(Problems(), Contains(HasSubstr("longer than 500 characters")));
}

// 4. With [#w2147483647] in the file, every AddItem returned w-2147483648.
TEST_F(Issue21Test, Finding4IdsCannotOverflow) {
  Write("## Available Work Items\n- [ ] [#w2147483647] Big\n");
  EXPECT_EQ(state_.AddItem("next")->id, "w2147483648");
  EXPECT_EQ(state_.AddItem("after")->id, "w2147483649");
  EXPECT_THAT(Problems(), IsEmpty());
  // No room above the highest id: the smallest free number, never a duplicate.
  Write("## Available Work Items\n- [ ] [#w999999999999999999] Largest\n- [ ] [#w1] One\n");
  EXPECT_EQ(state_.AddItem("next")->id, "w2");
  EXPECT_EQ(state_.AddItem("after")->id, "w3");
  EXPECT_THAT(Problems(), IsEmpty());
}

// 5a. A heading typo or a second heading hid the items under it, with no problem listed.
TEST_F(Issue21Test, Finding5HeadingTyposAndSecondHeadingsKeepItemsVisible) {
  struct Case {
    std::string text;
    std::string id;
  };
  const std::string top = "# Shared State\n\n## Available Work Items\n- [ ] [#w1] Hero\n\n";
  for (const Case& variant :
       {Case{top + "## In Progress\n\n## Completed:\n- [x] [#w3] Navigation\n\n" + kRegistry, "w3"},
        Case{top + "## Completed\n\n" + kRegistry +
                 "\n##In Progress\n- [ ] [#w2] Pricing [IP:bob]\n",
             "w2"},
        Case{top + "## In Progress\n\n## Completed\n\n" + kRegistry +
                 "\n## Available Work Items\n- [ ] [#w4] Footer\n",
             "w4"}}) {
    Write(variant.text);
    StateDocument document = Document();
    ASSERT_TRUE(document.FindItem(variant.id)) << variant.text;
    EXPECT_THAT(document.Problems(), Not(IsEmpty())) << variant.text;
    // The next write repairs the file; nothing is lost.
    ASSERT_TRUE(state_.RegisterAgent("carol"));
    document = Document();
    EXPECT_THAT(document.Problems(), IsEmpty()) << Text();
    EXPECT_TRUE(document.FindItem(variant.id)) << Text();
    EXPECT_EQ(document.Items().size(), 2u) << Text();
  }
}

// 5b. A file cut inside `[IP:layo` turned a claimed item into an available one.
TEST_F(Issue21Test, Finding5FileCutInsideAMarkerKeepsTheLineAndReportsIt) {
  const std::string cut = "- [ ] [#w2] Pricing table [IP:layo";
  Write("## Available Work Items\n- [ ] [#w1] Hero\n\n## In Progress\n" + cut);
  std::vector<WorkItem> available = state_.Items(WorkStatus::kAvailable).value();
  ASSERT_EQ(available.size(), 1u);
  EXPECT_EQ(available[0].id, "w1");
  EXPECT_THAT(Problems(), Contains(AllOf(HasSubstr("line 5"), HasSubstr("[IP:layo"))));
  ItemUpdate claim = state_.Claim("w2", "agent-1").value();
  EXPECT_EQ(claim.refusal, Refusal::kNotFound);
  EXPECT_THAT(claim.message, HasSubstr("line 5"));
  ASSERT_TRUE(state_.Claim("w1", "agent-1")->applied());
  EXPECT_THAT(Text(), HasSubstr("\n" + cut + "\n"));
}

// 5c. A file cut inside `[#w` let the next item reuse a lost item's id.
TEST_F(Issue21Test, Finding5FileCutInsideAnIdNeverReusesTheLostId) {
  ASSERT_TRUE(state_.AddItems({"one", "two", "three", "four", "five"}));
  std::string text = Text();
  size_t last = text.find("[#w5]");
  ASSERT_NE(last, std::string::npos);
  Write(text.substr(0, last + 3));  // "... - [ ] [#w"
  Result<WorkItem> added = state_.AddItem("six");
  ASSERT_TRUE(added);
  EXPECT_EQ(added->id, "w6");
  EXPECT_THAT(Problems(), Contains(HasSubstr("cannot read its id token '[#w'")));
}

// 5d. Two markers on one item: the item and what release answered disagreed.
TEST_F(Issue21Test, Finding5TwoMarkersOnOneItemAreReportedNotGuessed) {
  Write("## Available Work Items\n\n## In Progress\n- [ ] [#w2] Pricing [IP:alice] [IP:bob]\n");
  EXPECT_FALSE(Document().FindItem("w2"));
  EXPECT_EQ(state_.Release("w2", "alice")->refusal, Refusal::kNotFound);
  EXPECT_EQ(state_.Release("w2", "bob")->refusal, Refusal::kNotFound);
  EXPECT_EQ(state_.Claim("w2", "carol")->refusal, Refusal::kNotFound);
  EXPECT_THAT(Problems(), Contains(HasSubstr("more than one claim marker")));
}

// 5e. A registry table whose heading was deleted dropped its agents silently.
TEST_F(Issue21Test, Finding5RegistryRowsWithoutTheirHeadingAreKept) {
  Write(
      "# Shared State\n\n## Available Work Items\n- [ ] [#w1] Hero\n\n## In Progress\n"
      "- [ ] [#w2] Pricing [IP:bob]\n\n## Completed\n\n"
      "| Agent ID | Current Task | Started |\n|---|---|---|\n| alice | - | - |\n"
      "| bob | w2 Pricing | 2026-01-01T00:00:00Z |\n");
  std::vector<AgentEntry> agents = Document().Agents();
  ASSERT_EQ(agents.size(), 2u);
  EXPECT_EQ(agents[0].agent_id, "alice");
  ASSERT_TRUE(state_.AddItem("Footer"));
  StateDocument document = Document();
  EXPECT_THAT(document.Problems(), IsEmpty()) << Text();
  ASSERT_EQ(document.Agents().size(), 2u) << Text();
  EXPECT_THAT(Text(),
              HasSubstr("## Agent Registry\n| Agent ID | Current Task | Started |\n|---|---|"
                        "---|\n| alice | - | - |\n| bob | w2 Pricing | "));
}

// 6. A killed worker's claims stayed forever; restarted, it was refused its own item.
TEST_F(Issue21Test, Finding6ClaimsOfAGoneProcessAreTakenOver) {
  ASSERT_TRUE(state_.AddItems({"Hero", "Footer"}));
  InChildProcess([&] {
    SystemClock clock;
    SharedStateManager worker({.state_path = path_}, clock);
    if (!worker.Claim("w1", "worker-1") || !worker.Claim("w2", "worker-1")) ::_exit(1);
  });
  // The same agent restarted in another process takes its item back...
  ItemUpdate again = state_.Claim("w1", "worker-1").value();
  EXPECT_TRUE(again.applied()) << again.message;
  EXPECT_THAT(again.message, HasSubstr("taking over the stale claim of worker-1"));
  // ... and another agent may take the other one.
  ItemUpdate other = state_.Claim("w2", "worker-2").value();
  EXPECT_TRUE(other.applied()) << other.message;
}

// 7a. Temporary files of killed writers were never removed.
TEST_F(Issue21Test, Finding7LeftoverTemporaryFilesAreRemovedByTheNextWriter) {
  ASSERT_TRUE(state_.AddItem("Hero"));
  std::filesystem::path old_format = dir_.path() / "state.md.tmp-00112233aabbccdd";
  std::filesystem::path dead_writer = dir_.path() / "state.md.tmp-999999999-00112233aabbccdd";
  std::filesystem::path live_writer =
      dir_.path() / ("state.md.tmp-" + std::to_string(::getppid()) + "-00112233aabbccdd");
  for (const auto& temp : {old_format, dead_writer, live_writer}) {
    ASSERT_TRUE(WriteFileAtomic(temp, "partial"));
  }
  ASSERT_TRUE(state_.Claim("w1", "agent-1")->applied());
  EXPECT_FALSE(std::filesystem::exists(old_format));
  EXPECT_FALSE(std::filesystem::exists(dead_writer));
  EXPECT_TRUE(std::filesystem::exists(live_writer));  // its writer still runs
}

// 7b. Deleting state.md.lock by hand let a second writer in while the first held the lock.
TEST_F(Issue21Test, Finding7DeletingTheLockFileDoesNotLetASecondWriterIn) {
  ASSERT_TRUE(state_.AddItem("Hero"));
  int locked[2];
  int release[2];
  ASSERT_EQ(::pipe(locked), 0);
  ASSERT_EQ(::pipe(release), 0);
  pid_t holder = ::fork();
  ASSERT_GE(holder, 0);
  if (holder == 0) {
    ::close(locked[0]);
    ::close(release[1]);
#ifdef HFS_STATE_OLD_API
    Result<FileLock> lock = FileLock::Acquire(path_, milliseconds(5000));
#else
    Result<internal::StateFileLock> lock =
        internal::StateFileLock::Acquire(path_, milliseconds(5000));
#endif
    char byte = lock ? 'y' : 'n';
    if (::write(locked[1], &byte, 1) != 1) ::_exit(1);
    if (::read(release[0], &byte, 1) < 0) ::_exit(1);  // until the test closes its end
    ::_exit(0);
  }
  ::close(locked[1]);
  ::close(release[0]);
  char byte = 0;
  ASSERT_EQ(::read(locked[0], &byte, 1), 1);
  ASSERT_EQ(byte, 'y');
  std::filesystem::path lock_file = path_;
  lock_file += ".lock";
  ASSERT_TRUE(std::filesystem::remove(lock_file));

  SharedStateManager second({.state_path = path_, .lock_timeout = milliseconds(300)}, clock_);
  Result<ItemUpdate> claim = second.Claim("w1", "intruder");
  EXPECT_FALSE(claim);
  if (!claim) {
    EXPECT_EQ(claim.error().code, ErrorCode::kDeadlineExceeded);
  }

  ::close(release[1]);
  int status = 0;
  ASSERT_EQ(::waitpid(holder, &status, 0), holder);
  ::close(locked[0]);
  EXPECT_TRUE(second.Claim("w1", "intruder")->applied());
}

}  // namespace
}  // namespace hfs::state
