#include "hfs/base/subprocess.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "hfs/base/mutex.h"
#include "hfs/base/text.h"

extern char** environ;

namespace hfs {
namespace {

using SteadyClock = std::chrono::steady_clock;

// The programs RunSubprocess runs now, by pid (their process group), with their stop
// signal. Process-wide, as the processes are.
struct RunningPrograms {
  Mutex mu;
  CondVar ended;
  std::map<pid_t, int> stop_signals HFS_GUARDED_BY(mu);
};

RunningPrograms& Running() {
  static RunningPrograms* running = new RunningPrograms;  // never destroyed: used at exit
  return *running;
}

// Lists `pid` while it runs.
class RunningEntry {
 public:
  RunningEntry(pid_t pid, int stop_signal) : pid_(pid) {
    RunningPrograms& running = Running();
    MutexLock lock(running.mu);
    running.stop_signals[pid] = stop_signal;
  }
  ~RunningEntry() {
    RunningPrograms& running = Running();
    MutexLock lock(running.mu);
    running.stop_signals.erase(pid_);
    running.ended.NotifyAll();
  }
  RunningEntry(const RunningEntry&) = delete;
  RunningEntry& operator=(const RunningEntry&) = delete;

 private:
  pid_t pid_;
};

// "scheme://user:password@...".
bool HoldsUrlPassword(std::string_view value) {
  size_t scheme = value.find("://");
  if (scheme == std::string_view::npos) return false;
  std::string_view authority = value.substr(scheme + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  size_t at = authority.rfind('@');
  return at != std::string_view::npos &&
         authority.substr(0, at).find(':') != std::string_view::npos;
}

// The child's "NAME=value" environment: this process's without its secrets, with
// `overrides` replacing or added.
std::vector<std::string> ChildEnvironment(const std::map<std::string, std::string>& overrides) {
  std::vector<std::string> out;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    size_t equals = text.find('=');
    if (equals == std::string_view::npos) continue;
    std::string name(text.substr(0, equals));
    if (overrides.count(name) == 0 && !IsSecretVariable(name, text.substr(equals + 1))) {
      out.emplace_back(text);
    }
  }
  for (const auto& [name, value] : overrides) out.push_back(name + "=" + value);
  return out;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

struct Pipe {
  int read = -1;
  int write = -1;
};

void Close(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

// Reads what is available from `fd` into `out`; closes `fd` at end of stream.
void Drain(int& fd, std::string& out, size_t limit, bool& truncated) {
  char buffer[65536];
  ssize_t n = read(fd, buffer, sizeof(buffer));
  if (n > 0) {
    size_t room = out.size() < limit ? limit - out.size() : 0;
    size_t take = std::min(room, static_cast<size_t>(n));
    out.append(buffer, take);
    if (take < static_cast<size_t>(n)) truncated = true;
  } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
    Close(fd);
  }
}

int ExitCodeOf(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Stops a child's group at its deadline: the stop signal, then SIGKILL kStopGrace later.
class Stopper {
 public:
  Stopper(pid_t pid, const SubprocessOptions& options, SteadyClock::time_point deadline)
      : pid_(pid), stop_signal_(options.stop_signal), deadline_(deadline) {}

  // Signals the group as its time has come; true once it got SIGKILL.
  bool Check(SubprocessResult& result) {
    const SteadyClock::time_point now = SteadyClock::now();
    if (!result.timed_out && now >= deadline_) {
      result.timed_out = true;
      kill(-pid_, stop_signal_);
      if (stop_signal_ != SIGKILL)
        kill_at_ = now + kStopGrace;
      else
        killed_ = true;
    }
    if (kill_at_ && !killed_ && now >= *kill_at_) {
      kill(-pid_, SIGKILL);
      killed_ = true;
    }
    return killed_;
  }
  // Until the next step.
  std::chrono::milliseconds Left() const {
    const SteadyClock::time_point next = kill_at_.value_or(deadline_);
    return std::max(
        std::chrono::milliseconds(0),
        std::chrono::duration_cast<std::chrono::milliseconds>(next - SteadyClock::now()));
  }

 private:
  pid_t pid_;
  int stop_signal_;
  SteadyClock::time_point deadline_;
  std::optional<SteadyClock::time_point> kill_at_;
  bool killed_ = false;
};

// Waits for the child, stopping its group at the deadline; reads both pipes meanwhile.
void Supervise(pid_t pid, Pipe& out, Pipe& err, const SubprocessOptions& options,
               SubprocessResult& result) {
  const SteadyClock::time_point start = SteadyClock::now();
  Stopper stopper(pid, options, start + options.timeout);
  while (out.read >= 0 || err.read >= 0) {
    if (stopper.Check(result)) break;
    pollfd fds[2] = {{out.read, POLLIN, 0}, {err.read, POLLIN, 0}};
    int ready = poll(fds, 2, static_cast<int>(std::min<int64_t>(stopper.Left().count(), 1000)));
    if (ready < 0 && errno != EINTR) break;
    if (out.read >= 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      Drain(out.read, result.stdout_text, options.max_output_bytes, result.truncated);
    }
    if (err.read >= 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      Drain(err.read, result.stderr_text, options.max_output_bytes, result.truncated);
    }
  }
  Close(out.read);
  Close(err.read);
  int status = 0;
  // The pipes closed: the program has ended (or closed them); bound the wait all the same.
  while (true) {
    pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) break;
    stopper.Check(result);
    usleep(10000);
  }
  // Whatever the program left running in its group goes with it.
  kill(-pid, SIGKILL);
  result.exit_code = result.timed_out ? -1 : ExitCodeOf(status);
  result.elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - start);
}

}  // namespace

bool IsSecretVariable(std::string_view name, std::string_view value) {
  const std::string lower = AsciiLower(name);
  for (std::string_view part :
       {"api_key", "token", "secret", "password", "passwd", "credential", "otlp_headers"}) {
    if (lower.find(part) != std::string::npos) return true;
  }
  if (lower.starts_with("num_")) return true;
  if (lower.starts_with("hfs_") && lower.find("_key", 3) != std::string::npos) return true;
  return HoldsUrlPassword(value);
}

std::filesystem::path FindExecutable(const std::string& name, const std::string& path_variable) {
  if (name.empty()) return {};
  if (name.find('/') != std::string::npos) {
    return access(name.c_str(), X_OK) == 0 ? std::filesystem::path(name) : std::filesystem::path();
  }
  size_t begin = 0;
  while (begin <= path_variable.size()) {
    size_t end = path_variable.find(':', begin);
    if (end == std::string::npos) end = path_variable.size();
    std::string dir = path_variable.substr(begin, end - begin);
    if (!dir.empty()) {
      std::filesystem::path candidate = std::filesystem::path(dir) / name;
      std::error_code ec;
      if (std::filesystem::is_regular_file(candidate, ec) && access(candidate.c_str(), X_OK) == 0) {
        return candidate;
      }
    }
    begin = end + 1;
  }
  return {};
}

Result<SubprocessResult> RunSubprocess(const SubprocessOptions& options) {
  if (options.argv.empty()) return Fail(ErrorCode::kInvalidArgument, "no program to run");
  std::vector<std::string> argv = options.argv;
  std::vector<std::string> env = ChildEnvironment(options.env);
  std::string program = argv[0];
  if (program.find('/') == std::string::npos) {
    auto path = options.env.find("PATH");
    const char* inherited = getenv("PATH");
    program = FindExecutable(program, path != options.env.end() ? path->second
                                      : inherited != nullptr    ? inherited
                                                                : "/usr/bin:/bin")
                  .string();
  }
  if (program.empty() || access(program.c_str(), X_OK) != 0) {
    return Fail(ErrorCode::kNotFound,
                fmt::format("cannot run {}: not found or not executable", options.argv[0]));
  }
  std::vector<char*> argv_pointers = Pointers(argv);
  std::vector<char*> env_pointers = Pointers(env);
  const std::string working_dir = options.working_dir.string();
  Pipe out, err;
  int out_fds[2], err_fds[2];
  if (pipe2(out_fds, O_CLOEXEC) != 0) {
    return Fail(ErrorCode::kInternal, fmt::format("pipe: {}", std::strerror(errno)));
  }
  if (pipe2(err_fds, O_CLOEXEC) != 0) {
    close(out_fds[0]);
    close(out_fds[1]);
    return Fail(ErrorCode::kInternal, fmt::format("pipe: {}", std::strerror(errno)));
  }
  out = {out_fds[0], out_fds[1]};
  err = {err_fds[0], err_fds[1]};
  const int stop_signal = options.stop_signal;
  const pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    Close(out.read), Close(out.write), Close(err.read), Close(err.write);
    return Fail(ErrorCode::kInternal, fmt::format("fork: {}", std::strerror(errno)));
  }
  if (pid == 0) {
    // The child: only async-signal-safe calls until exec.
    setpgid(0, 0);
    // Ends with this process (kept across exec). Had the parent died before, the signal
    // would never come: then the child is already an orphan.
    prctl(PR_SET_PDEATHSIG, stop_signal);
    if (getppid() != parent) _exit(127);
    // Signals this process blocks (the interrupt watcher's) are not the program's to block.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    dup2(out.write, STDOUT_FILENO);
    dup2(err.write, STDERR_FILENO);
    if (!working_dir.empty() && chdir(working_dir.c_str()) != 0) _exit(127);
    execve(program.c_str(), argv_pointers.data(), env_pointers.data());
    _exit(127);
  }
  setpgid(pid, pid);  // also here, so the group exists before any kill
  Close(out.write);
  Close(err.write);
  SubprocessResult result;
  {
    RunningEntry running(pid, stop_signal);
    Supervise(pid, out, err, options, result);
  }
  return result;
}

bool StopSubprocesses() {
  RunningPrograms& running = Running();
  MutexLock lock(running.mu);
  const auto none = [&running]()
                        HFS_NO_THREAD_SAFETY_ANALYSIS { return running.stop_signals.empty(); };
  for (const auto& [pid, signal] : running.stop_signals) kill(-pid, signal);
  if (running.ended.WaitUntil(running.mu, SteadyClock::now() + kStopGrace, none)) return true;
  for (const auto& [pid, signal] : running.stop_signals) kill(-pid, SIGKILL);
  return running.ended.WaitUntil(running.mu, SteadyClock::now() + kStopGrace, none);
}

}  // namespace hfs
