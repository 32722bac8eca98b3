// Many writer processes on one state file: every claim lands exactly once, readers always
// see a complete file, and a writer killed mid-write leaves the old or the new file.
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

std::string ReadAll(int fd) {
  std::string text;
  char buffer[4096];
  ssize_t n;
  while ((n = ::read(fd, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<size_t>(n));
  return text;
}

// The child: 200 claims by "agent-<index>" in an order of its own; reports each claim it
// won as "w<n>\n" and any error as "error: ...\n". Never returns.
[[noreturn]] void ClaimLoop(const std::filesystem::path& path, int index, int report) {
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

  std::vector<pid_t> children;
  std::vector<int> reports;
  for (int index = 0; index < kProcesses; ++index) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(fds[0]);
      ClaimLoop(path, index, fds[1]);
    }
    ::close(fds[1]);
    children.push_back(child);
    reports.push_back(fds[0]);
  }

  // Read continuously while the children write: every read is a complete file.
  int reads = 0;
  size_t running = children.size();
  std::vector<bool> done(children.size(), false);
  while (running > 0) {
    Result<std::string> text = ReadFile(path);
    ASSERT_TRUE(text) << text.error().message;
    ExpectComplete(*text, kItems);
    ++reads;
    for (size_t i = 0; i < children.size(); ++i) {
      int status = 0;
      if (done[i] || ::waitpid(children[i], &status, WNOHANG) != children[i]) continue;
      done[i] = true;
      --running;
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child " << i;
    }
  }
  EXPECT_GT(reads, 10);

  std::map<std::string, std::string> winner;  // item id -> agent
  int wins = 0;
  for (size_t i = 0; i < reports.size(); ++i) {
    std::string report = ReadAll(reports[i]);
    ::close(reports[i]);
    EXPECT_EQ(report.find("error"), std::string::npos) << report;
    size_t start = 0;
    for (size_t end; (end = report.find('\n', start)) != std::string::npos; start = end + 1) {
      ++wins;
      std::string id = report.substr(start, end - start);
      EXPECT_TRUE(winner.emplace(id, "agent-" + std::to_string(i)).second) << id << " twice";
    }
  }
  EXPECT_EQ(wins, kItems);
  std::vector<WorkItem> items = state.Items().value();
  ASSERT_EQ(items.size(), static_cast<size_t>(kItems));
  for (const WorkItem& item : items) {
    EXPECT_EQ(item.status(), WorkStatus::kInProgress) << item.id;
    EXPECT_EQ(item.claimed_by, winner[item.id]) << item.id;
  }
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
  // The killed writers' locks died with them: a new writer gets in at once.
  SharedStateManager after({.state_path = path, .lock_timeout = milliseconds(500)}, clock);
  EXPECT_TRUE(after.Claim("w1", "survivor")->applied());
}

}  // namespace
}  // namespace hfs::state
