// Many writer processes on one state file: every claim lands exactly once, readers always
// see a complete file, a writer killed mid-write leaves the old or the new file (and the
// next writer removes its temporary file), and the claims of exited processes are stale.
// The long runs of issue #21 (8 processes for 30 s, kill and restart for 60 s) are in
// tests/integration/state_torture_test.cc.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "hfs/base/file.h"
#include "hfs/state/shared_state_manager.h"
#include "hfs/testing/temp_dir.h"

namespace hfs::state {
namespace {

using std::chrono::milliseconds;
using ::testing::IsEmpty;

constexpr int kProcesses = 8;
constexpr int kClaimsPerProcess = 200;
constexpr int kItems = 50;

// Writes all of `text` to `fd` (a pipe to the parent).
void WriteAll(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

// The child: 200 claims by "agent-<index>" in an order of its own; reports each claim it
// won as "w<n>\n" and any error as "error: ...\n", then "done\n", and stays alive (so its
// claims hold) until `hold` is closed. Never returns.
[[noreturn]] void ClaimLoop(const std::filesystem::path& path, int index, int report, int hold) {
  SystemClock clock;
  SharedStateManager state({.state_path = path, .lock_timeout = std::chrono::seconds(30)}, clock);
  std::string agent = "agent-" + std::to_string(index);
  for (int i = 0; i < kClaimsPerProcess; ++i) {
    std::string id = WorkItemId((index * 13 + i * 7) % kItems + 1);
    Result<ItemUpdate> update = state.Claim(id, agent);
    if (!update) {
      WriteAll(report, "error: " + update.error().ToString() + "\n");
      ::_exit(1);
    }
    if (update->applied()) WriteAll(report, id + "\n");
  }
  WriteAll(report, "done\n");
  char byte;
  while (::read(hold, &byte, 1) > 0) {
  }
  ::_exit(0);
}

// Temp files left by writers killed before their rename.
int TempFiles(const std::filesystem::path& dir) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().filename().string().find(".tmp-") != std::string::npos) ++count;
  }
  return count;
}

// What a reader must always see: a complete, consistent file with every item.
void ExpectComplete(const std::string& text, size_t items) {
  StateDocument document = StateDocument::Parse(text);
  ASSERT_THAT(document.Problems(), IsEmpty()) << text;
  ASSERT_EQ(document.Items().size(), items) << text;
  StateDocument normalized = document;
  normalized.Normalize();
  ASSERT_EQ(normalized.Render(), text);  // as the manager writes it: nothing cut off
}

TEST(SharedStateProcessesTest, EightProcessesClaimEveryItemExactlyOnce) {
  testing::TempDir dir;
  auto path = dir.path() / ".hfs" / "state.md";
  SystemClock clock;
  SharedStateManager state({.state_path = path}, clock);
  std::vector<std::string> descriptions;
  for (int i = 0; i < kItems; ++i) descriptions.push_back("section " + std::to_string(i));
  ASSERT_TRUE(state.AddItems(descriptions));

  int hold[2];
  ASSERT_EQ(::pipe(hold), 0);
  std::vector<pid_t> children;
  std::vector<int> reports;
  for (int index = 0; index < kProcesses; ++index) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(fds[0]);
      ::close(hold[1]);
      ClaimLoop(path, index, fds[1], hold[0]);
    }
    ::close(fds[1]);
    ::fcntl(fds[0], F_SETFL, O_NONBLOCK);
    children.push_back(child);
    reports.push_back(fds[0]);
  }
  ::close(hold[0]);

  // Read continuously while the children write: every read is a complete file.
  int reads = 0;
  std::vector<std::string> report_text(children.size());
  auto all_done = [&] {
    bool done = true;
    for (size_t i = 0; i < reports.size(); ++i) {
      char buffer[4096];
      ssize_t n;
      while ((n = ::read(reports[i], buffer, sizeof buffer)) > 0) {
        report_text[i].append(buffer, static_cast<size_t>(n));
      }
      bool finished = report_text[i].find("done\n") != std::string::npos ||
                      report_text[i].find("error") != std::string::npos;
      done = done && finished;
    }
    return done;
  };
  auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(3);
  while (!all_done() && std::chrono::steady_clock::now() < deadline) {
    Result<std::string> text = ReadFile(path);
    ASSERT_TRUE(text) << text.error().message;
    ExpectComplete(*text, kItems);
    ++reads;
  }
  EXPECT_GT(reads, 10);
  // Every claim is held by a running process: none is stale yet.
  EXPECT_THAT(state.StaleClaims().value(), IsEmpty());
  ::close(hold[1]);
  for (size_t i = 0; i < children.size(); ++i) {
    int status = 0;
    if (std::chrono::steady_clock::now() >= deadline) ::kill(children[i], SIGKILL);
    ASSERT_EQ(::waitpid(children[i], &status, 0), children[i]);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child " << i;
    ::close(reports[i]);
  }

  std::map<std::string, std::string> winner;  // item id -> agent
  int wins = 0;
  for (size_t i = 0; i < report_text.size(); ++i) {
    const std::string& report = report_text[i];
    EXPECT_EQ(report.find("error"), std::string::npos) << report;
    size_t start = 0;
    for (size_t end; (end = report.find('\n', start)) != std::string::npos; start = end + 1) {
      std::string id = report.substr(start, end - start);
      if (id == "done") continue;
      ++wins;
      EXPECT_TRUE(winner.emplace(id, "agent-" + std::to_string(i)).second) << id << " twice";
    }
  }
  EXPECT_EQ(wins, kItems);
  StateDocument document = state.Read().value();
  ASSERT_EQ(document.Items().size(), static_cast<size_t>(kItems));
  for (const WorkItem& item : document.Items()) {
    EXPECT_EQ(item.status(), WorkStatus::kInProgress) << item.id;
    EXPECT_EQ(item.claimed_by, winner[item.id]) << item.id;
  }
  // The children have exited: every claim is stale now, and any agent may take it over.
  EXPECT_EQ(state.StaleClaims()->size(), static_cast<size_t>(kItems));
  EXPECT_TRUE(state.Claim("w1", "agent-after")->applied());
}

TEST(SharedStateProcessesTest, WriterKilledMidWriteLeavesTheOldOrTheNewFile) {
  testing::TempDir dir;
  auto path = dir.path() / "state.md";
  SystemClock clock;
  SharedStateManager state({.state_path = path}, clock);
  // Big items make each write take long enough to be hit by the kill.
  const std::string filler(480, 'x');
  std::vector<std::string> descriptions(400, filler);
  ASSERT_TRUE(state.AddItems(descriptions));
  std::mt19937 random(42);
  size_t items = descriptions.size();
  // Kill writers at random moments until one was caught between creating its temp
  // file and the rename (the temp file stays behind), at most 80 times.
  int interrupted = 0;
  for (int round = 0; round < 80 && interrupted == 0; ++round) {
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      SharedStateManager writer({.state_path = path}, clock);
      for (int i = 0;; ++i) {
        if (!writer.AddItem(filler + std::to_string(i))) ::_exit(1);
      }
    }
    ::usleep(std::uniform_int_distribution<useconds_t>(2000, 40000)(random));
    ::kill(child, SIGKILL);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the writer stopped by itself";
    std::string text = ReadFile(path).value();
    size_t now = StateDocument::Parse(text).Items().size();
    ASSERT_GE(now, items);
    items = now;
    ExpectComplete(text, items);
    interrupted = TempFiles(dir.path());
  }
  EXPECT_GE(interrupted, 1) << "no kill landed inside a write";
  RecordProperty("interrupted_writes", interrupted);
  // The killed writers' locks died with them: a new writer gets in at once, and removes
  // the temporary files they left.
  SharedStateManager after({.state_path = path, .lock_timeout = milliseconds(500)}, clock);
  EXPECT_TRUE(after.Claim("w1", "survivor")->applied());
  EXPECT_EQ(TempFiles(dir.path()), 0);
}

}  // namespace
}  // namespace hfs::state
