// The torture runs of issue #21 on the shared state file, through the public API:
//
//   - 8 writer processes for 30 s, adding, claiming, completing and releasing at random;
//   - 8 worker processes for 60 s, killed with SIGKILL at random every 0.2-1 s (at least
//     135 kills) and restarted under the same agent id, with 2 s leases.
//
// Both assert what must always hold: no item is ever held by two agents at once, no item
// is lost, every file a reader sees parses without a problem, and claims of dead workers
// are taken over once they are stale. No assertion depends on timing; every wait is
// bounded.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
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
using std::chrono::seconds;
using std::chrono::steady_clock;
using ::testing::IsEmpty;

constexpr int kProcesses = 8;
constexpr auto kWriteRun = seconds(30);
constexpr auto kKillRun = seconds(60);
constexpr int kMinKills = 135;
constexpr auto kShortLease = seconds(2);

// One line to a worker's log, written at once (a kill may cut only the last line).
void Log(int fd, const std::string& line) {
  std::string text = line + "\n";
  if (::write(fd, text.data(), text.size()) < 0) ::_exit(3);
}

[[noreturn]] void Die(int log, const std::string& message) {
  Log(log, "error: " + message);
  ::_exit(1);
}

int OpenLog(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) ::_exit(2);
  return fd;
}

// The complete lines of every log file in `dir` named `<prefix>*`.
std::vector<std::string> LogLines(const std::filesystem::path& dir, const std::string& prefix) {
  std::vector<std::string> lines;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.path().filename().string().starts_with(prefix)) continue;
    std::string text = ReadFile(entry.path()).value_or("");
    size_t start = 0;
    for (size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
      lines.push_back(text.substr(start, end - start));
    }
  }
  return lines;
}

// What a reader must always see, and what it saw before: a file without problems whose
// items only ever grow.
class Watcher {
 public:
  explicit Watcher(std::filesystem::path path) : path_(std::move(path)) {}

  void Check() {
    Result<std::string> text = ReadFile(path_);
    ASSERT_TRUE(text) << text.error().message;
    StateDocument document = StateDocument::Parse(*text);
    ASSERT_THAT(document.Problems(), IsEmpty()) << *text;
    std::set<std::string> ids;
    for (const WorkItem& item : document.Items()) ids.insert(item.id);
    for (const std::string& id : seen_) ASSERT_TRUE(ids.count(id)) << id << " lost\n" << *text;
    seen_ = std::move(ids);
    ++reads_;
  }
  // Checks the file for `duration`, a read every few milliseconds.
  void CheckFor(steady_clock::duration duration) {
    auto end = steady_clock::now() + duration;
    while (steady_clock::now() < end && !::testing::Test::HasFatalFailure()) {
      Check();
      ::usleep(3000);
    }
  }
  int reads() const { return reads_; }
  const std::set<std::string>& seen() const { return seen_; }

 private:
  std::filesystem::path path_;
  std::set<std::string> seen_;
  int reads_ = 0;
};

// Waits for every child, at most until `deadline`; then kills what is left.
void ReapAll(std::vector<pid_t>& children, steady_clock::time_point deadline) {
  for (pid_t child : children) {
    int status = 0;
    while (::waitpid(child, &status, WNOHANG) == 0) {
      if (steady_clock::now() >= deadline) {
        ADD_FAILURE() << "child " << child << " did not finish in time";
        ::kill(child, SIGKILL);
      }
      ::usleep(10000);
    }
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "child " << child << " status " << status;
  }
  children.clear();
}

// --- 8 writers for 30 s ---------------------------------------------------------------

// One writer: random operations until `end`. Logs "claim w3", "complete w3",
// "release w3", "add w9", and at the end "held w3" for what it still holds and "ops N";
// then it stays alive, so that its claims hold, until `hold` is closed.
[[noreturn]] void Writer(const std::filesystem::path& path, const std::filesystem::path& log_path,
                         int index, steady_clock::time_point end, int hold) {
  int log = OpenLog(log_path);
  SystemClock clock;
  // Leases far longer than the run: no claim may be taken from a running writer.
  SharedStateManager state({.state_path = path, .lease_time = std::chrono::hours(1)}, clock);
  std::string agent = "agent-" + std::to_string(index);
  std::mt19937 random(static_cast<unsigned>(index) * 7919u + 1u);
  auto percent = [&] { return std::uniform_int_distribution<int>(0, 99)(random); };
  std::vector<std::string> held;
  int ops = 0;
  for (; steady_clock::now() < end; ++ops) {
    int roll = percent();
    if (roll < 8) {
      Result<WorkItem> added = state.AddItem(agent + " item " + std::to_string(ops));
      if (!added) Die(log, added.error().ToString());
      Log(log, "add " + added->id);
    } else if (roll < 45 || held.empty()) {
      Result<std::vector<WorkItem>> available = state.Items(WorkStatus::kAvailable);
      if (!available) Die(log, available.error().ToString());
      if (available->empty()) continue;
      std::string id =
          (*available)[std::uniform_int_distribution<size_t>(0, available->size() - 1)(random)].id;
      Result<ItemUpdate> claim = state.Claim(id, agent);
      if (!claim) Die(log, claim.error().ToString());
      bool mine = std::find(held.begin(), held.end(), id) != held.end();
      if (claim->applied() && mine) Die(log, "claimed " + id + " a second time");
      if (!claim->applied() && !mine && claim->message.starts_with("You already claimed")) {
        Die(log, "the file says I hold " + id + ", I do not");
      }
      if (claim->applied()) {
        held.push_back(id);
        Log(log, "claim " + id);
      }
    } else if (roll < 85) {
      size_t at = std::uniform_int_distribution<size_t>(0, held.size() - 1)(random);
      std::string id = held[at];
      bool complete = percent() < 60;
      Result<ItemUpdate> done = complete ? state.Complete(id, agent) : state.Release(id, agent);
      if (!done) Die(log, done.error().ToString());
      if (!done->applied()) Die(log, "lost my claim of " + id + ": " + done->message);
      held.erase(held.begin() + static_cast<std::ptrdiff_t>(at));
      Log(log, (complete ? "complete " : "release ") + id);
    } else {
      Result<std::vector<WorkItem>> mine = state.Items(WorkStatus::kInProgress);
      if (!mine) Die(log, mine.error().ToString());
      size_t count = 0;
      for (const WorkItem& item : *mine) {
        if (item.claimed_by != agent) continue;
        ++count;
        if (std::find(held.begin(), held.end(), item.id) == held.end()) {
          Die(log, "the file says I hold " + item.id);
        }
      }
      if (count != held.size()) Die(log, "the file lost one of my claims");
    }
  }
  for (const std::string& id : held) Log(log, "held " + id);
  Log(log, "ops " + std::to_string(ops));
  char byte;
  while (::read(hold, &byte, 1) > 0) {
  }
  ::_exit(0);
}

TEST(StateTortureTest, EightWritersForThirtySeconds) {
  testing::TempDir dir;
  auto path = dir.path() / ".hfs" / "state.md";
  SystemClock clock;
  SharedStateManager setup({.state_path = path}, clock);
  std::vector<std::string> descriptions;
  for (int i = 0; i < 40; ++i) descriptions.push_back("section " + std::to_string(i));
  ASSERT_TRUE(setup.AddItems(descriptions));

  auto end = steady_clock::now() + kWriteRun;
  int hold[2];
  ASSERT_EQ(::pipe(hold), 0);
  std::vector<pid_t> children;
  for (int index = 0; index < kProcesses; ++index) {
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(hold[1]);
      Writer(path, dir.path() / ("log-" + std::to_string(index)), index, end, hold[0]);
    }
    children.push_back(child);
  }
  ::close(hold[0]);
  Watcher watcher(path);
  watcher.CheckFor(kWriteRun);
  // Every writer has finished (its log ends with "ops" or an error) before any exits.
  auto finished = [&] {
    int count = 0;
    for (const std::string& line : LogLines(dir.path(), "log-")) {
      count += line.starts_with("ops ") || line.starts_with("error") ? 1 : 0;
    }
    return count >= kProcesses;
  };
  auto wait_until = steady_clock::now() + seconds(90);
  while (!finished() && steady_clock::now() < wait_until) watcher.CheckFor(milliseconds(50));
  ::close(hold[1]);
  ReapAll(children, steady_clock::now() + seconds(30));
  ASSERT_FALSE(HasFatalFailure());

  // Replay the logs: every item's claims are matched by one finish or still held.
  std::map<std::string, int> claims, finishes, completes;
  std::map<std::string, std::string> holder;
  std::vector<std::string> added;
  long ops = 0;
  for (int index = 0; index < kProcesses; ++index) {
    std::string agent = "agent-" + std::to_string(index);
    for (const std::string& line : LogLines(dir.path(), "log-" + std::to_string(index))) {
      ASSERT_FALSE(line.starts_with("error")) << agent << ": " << line;
      std::string id = line.substr(line.find(' ') + 1);
      if (line.starts_with("claim ")) ++claims[id];
      if (line.starts_with("complete ")) ++finishes[id], ++completes[id];
      if (line.starts_with("release ")) ++finishes[id];
      if (line.starts_with("add ")) added.push_back(id);
      if (line.starts_with("ops ")) ops += std::stol(id);
      if (line.starts_with("held ")) {
        EXPECT_TRUE(holder.emplace(id, agent).second) << id << " held by two agents";
      }
    }
  }
  RecordProperty("operations", static_cast<int>(ops));
  RecordProperty("reads", watcher.reads());
  EXPECT_GE(ops, kProcesses * 10);
  StateDocument final_state = StateDocument::Parse(ReadFile(path).value());
  EXPECT_THAT(final_state.Problems(), IsEmpty());
  std::vector<WorkItem> items = final_state.Items();
  EXPECT_EQ(items.size(), descriptions.size() + added.size());
  std::set<std::string> unique_added(added.begin(), added.end());
  EXPECT_EQ(unique_added.size(), added.size()) << "an id was handed out twice";
  for (const WorkItem& item : items) {
    const std::string& id = item.id;
    EXPECT_LE(completes[id], 1) << id << " completed twice";
    EXPECT_EQ(claims[id], finishes[id] + (holder.count(id) ? 1 : 0)) << id;
    if (completes[id] == 1) {
      EXPECT_EQ(item.status(), WorkStatus::kCompleted) << id;
    } else if (holder.count(id)) {
      EXPECT_EQ(item.claimed_by, holder[id]) << id;
    } else {
      EXPECT_EQ(item.status(), WorkStatus::kAvailable) << id;
    }
  }
}

// --- kill and restart for 60 s ----------------------------------------------------------

// A process table that places this process on another host: its claims can only run out
// by time, as for a worker on another machine sharing the file.
class RemoteHost final : public ProcessTable {
 public:
  ProcessRef Self() const override {
    ProcessRef self = system_.Self();
    self.host = "elsewhere";
    self.start = 0;
    return self;
  }
  ProcessState State(const ProcessRef& process) const override { return system_.State(process); }

 private:
  SystemProcessTable system_;
};

using SteadyTime = steady_clock::time_point;

// One worker, until killed (or until `give_up`, should the test itself be gone). Even
// slots run on this host (their claims go stale when they die), odd ones "elsewhere"
// (their claims run out after the lease). Logs "claim w3", "takeover w3", "renew w3",
// "complete w3", "release w3", "lost w3" (taken over after the lease ran out).
[[noreturn]] void Worker(const std::filesystem::path& path, const std::filesystem::path& log_path,
                         int slot, int generation, SteadyTime give_up) {
  int log = OpenLog(log_path);
  SystemClock clock;
  SystemProcessTable here;
  RemoteHost elsewhere;
  bool local = slot % 2 == 0;
  SharedStateManager state({.state_path = path,
                            .lease_time = kShortLease,
                            .processes = local ? static_cast<const ProcessTable*>(&here)
                                               : static_cast<const ProcessTable*>(&elsewhere)},
                           clock);
  std::string agent = "worker-" + std::to_string(slot);
  std::mt19937 random(static_cast<unsigned>(slot * 1000 + generation));
  std::vector<std::pair<std::string, SteadyTime>> held;

  auto claim = [&](const std::string& id, bool own) {
    SteadyTime asked = steady_clock::now();
    Result<ItemUpdate> update = state.Claim(id, agent);
    if (!update) Die(log, update.error().ToString());
    if (update->applied()) {
      // A claim of this worker that ran out (a slow turn under load) is listed as
      // available to everyone, this worker included; claiming it again renews it.
      auto mine =
          std::find_if(held.begin(), held.end(), [&](const auto& h) { return h.first == id; });
      if (mine != held.end()) {
        mine->second = asked;
        Log(log, "renew " + id);
        return;
      }
      held.emplace_back(id, asked);
      bool took = update->message.find("taking over") != std::string::npos;
      Log(log, (took ? "takeover " : "claim ") + id);
    } else if (own && local && update->message.starts_with("You already claimed")) {
      // The predecessor was killed and reaped: its claim must be stale.
      Die(log, "refused my own claim of " + id + " after a restart: " + update->message);
    }
  };
  // A restarted worker first takes back what its predecessor held.
  Result<StateDocument> start = state.Read();
  if (!start) Die(log, start.error().ToString());
  for (const WorkItem& item : start->Items()) {
    if (item.status() == WorkStatus::kInProgress && item.claimed_by == agent) claim(item.id, true);
  }
  while (steady_clock::now() < give_up) {
    if (held.size() < 2) {
      Result<std::vector<WorkItem>> available = state.Items(WorkStatus::kAvailable);
      if (!available) Die(log, available.error().ToString());
      if (available->size() < 3) {
        if (!state.AddItems({agent + " task a", agent + " task b", agent + " task c"})) {
          Die(log, "cannot add items");
        }
        continue;
      }
      claim(
          (*available)[std::uniform_int_distribution<size_t>(0, available->size() - 1)(random)].id,
          false);
      continue;
    }
    ::usleep(std::uniform_int_distribution<useconds_t>(0, 30000)(random));
    auto [id, asked] = held.front();
    held.erase(held.begin());
    bool complete = std::uniform_int_distribution<int>(0, 9)(random) < 7;
    Result<ItemUpdate> done = complete ? state.Complete(id, agent) : state.Release(id, agent);
    if (!done) Die(log, done.error().ToString());
    if (done->applied()) {
      Log(log, (complete ? "complete " : "release ") + id);
    } else if (done->refusal == Refusal::kNotOwner || done->refusal == Refusal::kAlreadyComplete) {
      // Taken over (and maybe completed by the new holder): only allowed once the lease
      // ran out, as while this worker waited for the lock behind the others.
      if (steady_clock::now() - asked < kShortLease) {
        Die(log, id + " was taken from a running worker before its lease ran out");
      }
      Log(log, "lost " + id);
    } else {
      Die(log, "cannot finish " + id + ": " + done->message);
    }
  }
  ::_exit(0);
}

TEST(StateTortureTest, KillAndRestartForSixtySeconds) {
  testing::TempDir dir;
  auto path = dir.path() / ".hfs" / "state.md";
  SystemClock clock;
  SharedStateManager setup({.state_path = path}, clock);
  std::vector<std::string> descriptions;
  for (int i = 0; i < 30; ++i) descriptions.push_back("page part " + std::to_string(i));
  ASSERT_TRUE(setup.AddItems(descriptions));

  SteadyTime begin = steady_clock::now();
  SteadyTime give_up = begin + kKillRun + seconds(120);
  std::vector<pid_t> workers(kProcesses, -1);
  int generation = 0;
  auto start = [&](int slot) {
    ++generation;
    std::string log = "log-" + std::to_string(slot) + "-" + std::to_string(generation);
    pid_t child = ::fork();
    if (child == 0) Worker(path, dir.path() / log, slot, generation, give_up);
    workers[static_cast<size_t>(slot)] = child;
  };
  for (int slot = 0; slot < kProcesses; ++slot) start(slot);
  for (pid_t worker : workers) ASSERT_GT(worker, 0);

  Watcher watcher(path);
  std::mt19937 random(2121);
  int kills = 0;
  SteadyTime kill_until = begin + kKillRun + seconds(60);
  while ((steady_clock::now() - begin < kKillRun || kills < kMinKills) &&
         steady_clock::now() < kill_until) {
    watcher.CheckFor(milliseconds(std::uniform_int_distribution<int>(200, 1000)(random)));
    ASSERT_FALSE(HasFatalFailure());
    int victims = std::uniform_int_distribution<int>(1, 2)(random);
    for (int v = 0; v < victims; ++v) {
      int slot = std::uniform_int_distribution<int>(0, kProcesses - 1)(random);
      pid_t worker = workers[static_cast<size_t>(slot)];
      ::kill(worker, SIGKILL);
      int status = 0;
      ASSERT_EQ(::waitpid(worker, &status, 0), worker);
      // A worker that stopped by itself found an error (in its log).
      EXPECT_TRUE(WIFSIGNALED(status)) << "worker " << slot << " exited with " << status;
      ++kills;
      start(slot);
      ASSERT_GT(workers[static_cast<size_t>(slot)], 0);
    }
  }
  for (pid_t worker : workers) {
    ::kill(worker, SIGKILL);
    ::waitpid(worker, nullptr, 0);
  }
  watcher.Check();
  RecordProperty("kills", kills);
  RecordProperty("reads", watcher.reads());
  EXPECT_GE(kills, kMinKills);

  int takeovers = 0;
  for (const std::string& line : LogLines(dir.path(), "log-")) {
    EXPECT_FALSE(line.starts_with("error")) << line;
    if (line.starts_with("takeover ")) ++takeovers;
  }
  RecordProperty("takeovers", takeovers);

  // Every worker is dead: once the leases ran out, every claim left is stale and is
  // taken over, those of this host's workers at once, the others' by time.
  ::usleep(static_cast<useconds_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(kShortLease + seconds(1)).count()));
  SharedStateManager sweeper(
      {.state_path = path, .lock_timeout = milliseconds(2000), .lease_time = kShortLease}, clock);
  StateDocument left = sweeper.Read().value();
  std::vector<WorkItem> in_progress;
  for (const WorkItem& item : left.Items()) {
    if (item.status() == WorkStatus::kInProgress) in_progress.push_back(item);
  }
  RecordProperty("stale_claims_at_the_end", static_cast<int>(in_progress.size()));
  EXPECT_EQ(sweeper.StaleClaims()->size(), in_progress.size());
  for (const WorkItem& item : in_progress) {
    Result<ItemUpdate> claim = sweeper.Claim(item.id, "sweeper");
    ASSERT_TRUE(claim) << claim.error().message;
    EXPECT_TRUE(claim->applied()) << item.id << ": " << claim->message;
  }
  watcher.Check();
  // No lock stayed held (the sweeper got in at once), and no temporary file is left.
  for (const auto& entry : std::filesystem::directory_iterator(path.parent_path())) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos) << entry.path();
  }
}

}  // namespace
}  // namespace hfs::state
