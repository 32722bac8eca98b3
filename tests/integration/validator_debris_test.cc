// Hard stops leave no debris (issue #17, item 19). A process validates a real page whose
// script keeps headless Chromium busy for 30 s, and is stopped mid-render: by SIGKILL, or
// by two interrupts (Ctrl-C, Ctrl-C) while its interrupt callbacks wait. Within a few
// seconds no process it started is left (node, Chromium, its crashpad handlers: this test
// adopts them as a subreaper and reaps them all), and its temporary directory is gone: at
// once after the interrupts, at the next validation after SIGKILL (which keeps a live
// run's). The tools must be installed (`npm ci --prefix tools/validators`, Debian's
// chromium), unless HFS_VALIDATORS_OPTIONAL=1, which skips these tests without them.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "hfs/app/interrupt_watcher.h"
#include "hfs/base/env.h"
#include "hfs/pipeline/external_validators.h"

extern char** environ;

namespace hfs {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

// How long the process's descendants may outlive it.
constexpr milliseconds kDebrisBound{5000};

pipeline::MergedOutput Page(const std::string& script) {
  pipeline::MergedOutput merged;
  merged.files["index.html"] =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Debris</title>"
      "</head>\n<body><main><section id=\"hero\">Hello</section></main>\n<script>" +
      script + "</script>\n</body>\n</html>\n";
  merged.entry_point = "index.html";
  return merged;
}

// Busy for 30 s: the render is still going when the process is stopped.
pipeline::MergedOutput SlowPage() {
  return Page("const end = Date.now() + 30000; while (Date.now() < end) {}");
}

// Every process's parent.
// The text of a /proc file ("" when the process is gone).
std::string ReadProc(const fs::path& path) {
  std::string text;
  if (FILE* file = fopen(path.c_str(), "rb")) {
    char buffer[4096];
    size_t n = 0;
    while ((n = fread(buffer, 1, sizeof(buffer), file)) > 0) text.append(buffer, n);
    fclose(file);
  }
  return text;
}

std::map<pid_t, pid_t> Parents() {
  std::map<pid_t, pid_t> out;
  std::error_code ec;
  for (fs::directory_iterator it("/proc", ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::string stat = ReadProc(it->path() / "stat");
    const size_t paren = stat.rfind(')');
    if (paren == std::string::npos) continue;
    char state = 0;
    pid_t parent = 0;
    if (sscanf(stat.c_str() + paren + 1, " %c %d", &state, &parent) == 2) {
      out[std::stoi(name)] = parent;
    }
  }
  return out;
}

std::string CommandLine(pid_t pid) {
  std::string text = ReadProc("/proc/" + std::to_string(pid) + "/cmdline");
  for (char& c : text) c = c == '\0' ? ' ' : c;
  return text;
}

std::vector<pid_t> Descendants(pid_t root) {
  const std::map<pid_t, pid_t> parents = Parents();
  std::vector<pid_t> out;
  std::vector<pid_t> frontier = {root};
  while (!frontier.empty()) {
    const pid_t parent = frontier.back();
    frontier.pop_back();
    for (const auto& [pid, its_parent] : parents) {
      if (its_parent == parent) out.push_back(pid), frontier.push_back(pid);
    }
  }
  return out;
}

// Waits (up to 60 s) until `root` renders in Chromium: a renderer among its descendants.
bool WaitForRenderer(pid_t root) {
  const auto deadline = SteadyClock::now() + std::chrono::seconds(60);
  while (SteadyClock::now() < deadline) {
    for (pid_t pid : Descendants(root)) {
      if (CommandLine(pid).find("--type=renderer") != std::string::npos) return true;
    }
    std::this_thread::sleep_for(milliseconds(50));
  }
  return false;
}

std::optional<int> Reap(pid_t pid, milliseconds bound) {
  const auto deadline = SteadyClock::now() + bound;
  while (SteadyClock::now() < deadline) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return status;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return std::nullopt;
}

// Reaps every adopted descendant until none is left or `bound` passes; the time it took,
// or nullopt (what is left is listed, killed and reaped).
std::optional<milliseconds> ReapAllDescendants(milliseconds bound) {
  const auto start = SteadyClock::now();
  while (SteadyClock::now() < start + bound) {
    int status = 0;
    const pid_t done = waitpid(-1, &status, WNOHANG);
    if (done < 0 && errno == ECHILD) {
      return std::chrono::duration_cast<milliseconds>(SteadyClock::now() - start);
    }
    if (done == 0) std::this_thread::sleep_for(milliseconds(10));
  }
  for (const auto& [pid, parent] : Parents()) {
    if (parent != getpid()) continue;
    ADD_FAILURE() << "left running: " << pid << " " << CommandLine(pid);
    for (pid_t descendant : Descendants(pid)) kill(descendant, SIGKILL);
    kill(pid, SIGKILL);
  }
  const auto deadline = SteadyClock::now() + milliseconds(5000);
  while (SteadyClock::now() < deadline && !(waitpid(-1, nullptr, WNOHANG) < 0 && errno == ECHILD)) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  return std::nullopt;
}

std::vector<std::string> ScratchDirsOf(const fs::path& parent, pid_t owner) {
  std::vector<std::string> out;
  const std::string prefix = "hfs-validate-" + std::to_string(owner) + "-";
  for (const fs::directory_entry& entry : fs::directory_iterator(parent)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(prefix)) out.push_back(name);
  }
  return out;
}

std::string PidNamespace() {
  const std::string link = fs::read_symlink("/proc/self/ns/pid").string();
  std::string digits;
  for (char c : link) {
    if (c >= '0' && c <= '9') digits += c;
  }
  return digits;
}

class ValidatorDebrisTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const Env env = Env::FromProcess(environ);
    tools_ = pipeline::DetectValidatorTools(pipeline::ValidatorSearchFrom(env, {HFS_SOURCE_DIR}));
    if (!tools_.CanRender()) {
      if (env.GetOr("HFS_VALIDATORS_OPTIONAL", "") == "1") GTEST_SKIP() << tools_.chromium.reason;
      FAIL() << "validator tools missing (" << tools_.chromium.reason
             << "); install them with `npm ci --prefix tools/validators` and Debian's chromium";
    }
    // Orphaned descendants of the validating process come to this process.
    ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
  }
  void TearDown() override { prctl(PR_SET_CHILD_SUBREAPER, 0); }

  pipeline::ToolValidators Validators() const {
    return pipeline::ToolValidators(tools_, {.timeout = std::chrono::seconds(60)});
  }

  pipeline::ValidatorTools tools_;
  // Where the validations make their directories: the system's temp directory, as in a run.
  const fs::path scratch_ = fs::temp_directory_path();
};

TEST_F(ValidatorDebrisTest, SigkillMidRenderLeavesNoProcessAndTheNextStartRemovesItsDirectory) {
  const pid_t validating = fork();
  ASSERT_GE(validating, 0);
  if (validating == 0) {
    pipeline::ExternalValidation found =
        Validators().Validate(SlowPage(), {"hero"}, pipeline::OutputFormat::kHtml);
    for (const pipeline::ValidatorRun& run : found.runs) {
      fprintf(stderr, "validator %s: %s %s\n", run.name.c_str(),
              std::string(pipeline::ValidatorStatusName(run.status)).c_str(), run.reason.c_str());
    }
    _exit(0);
  }
  const bool rendering = WaitForRenderer(validating);
  kill(validating, SIGKILL);
  ASSERT_TRUE(Reap(validating, milliseconds(10000)).has_value());
  std::optional<milliseconds> ended = ReapAllDescendants(kDebrisBound);
  ASSERT_TRUE(rendering) << "the page was never rendered";
  ASSERT_TRUE(ended.has_value()) << "processes outlived the killed process";
  std::cout << "descendants ended " << ended->count() << " ms after SIGKILL\n";

  // SIGKILL leaves the directory; the next start removes it, not a live run's.
  ASSERT_EQ(ScratchDirsOf(scratch_, validating).size(), 1u);
  const fs::path live = scratch_ / ("hfs-validate-1-" + PidNamespace() + "-AbCdEf");
  fs::create_directories(live / "site");
  pipeline::ExternalValidation next = Validators().Validate(
      Page("document.title = 'Next';"), {"hero"}, pipeline::OutputFormat::kHtml);
  EXPECT_TRUE(ScratchDirsOf(scratch_, validating).empty());
  EXPECT_TRUE(fs::exists(live / "site"));
  fs::remove_all(live);
  EXPECT_TRUE(ScratchDirsOf(scratch_, getpid()).empty());
  ASSERT_EQ(next.runs.size(), 3u);
  EXPECT_EQ(next.runs[1].status, pipeline::ValidatorRun::Status::kPassed) << next.runs[1].reason;
}

TEST_F(ValidatorDebrisTest, ADoubleInterruptMidRenderLeavesNoProcessNorDirectory) {
  const pid_t validating = fork();
  ASSERT_GE(validating, 0);
  if (validating == 0) {
    app::InterruptWatcher interrupts;
    interrupts.Start();
    // As `hfs run`: the first interrupt waits for the run to write its partial report.
    app::InterruptRegistration graceful =
        interrupts.OnInterrupt([] { std::this_thread::sleep_for(std::chrono::seconds(60)); });
    (void)Validators().Validate(SlowPage(), {"hero"}, pipeline::OutputFormat::kHtml);
    // The run goes on (its output phase) until the interrupt ends it.
    std::this_thread::sleep_for(std::chrono::seconds(30));
    _exit(0);
  }
  const bool rendering = WaitForRenderer(validating);
  kill(validating, SIGINT);
  std::this_thread::sleep_for(milliseconds(300));
  kill(validating, SIGINT);
  std::optional<int> status = Reap(validating, milliseconds(15000));
  if (!status) kill(validating, SIGKILL), Reap(validating, milliseconds(5000));
  std::optional<milliseconds> ended = ReapAllDescendants(kDebrisBound);
  ASSERT_TRUE(rendering) << "the page was never rendered";
  ASSERT_TRUE(status.has_value()) << "the second interrupt did not end the process";
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 130) << *status;
  ASSERT_TRUE(ended.has_value()) << "processes outlived the interrupted process";
  std::cout << "descendants ended " << ended->count() << " ms after the interrupted process\n";
  EXPECT_TRUE(ScratchDirsOf(scratch_, validating).empty());
}

}  // namespace
}  // namespace hfs
