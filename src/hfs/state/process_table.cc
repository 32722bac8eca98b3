#include "hfs/state/process_table.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <fstream>
#include <optional>
#include <sstream>
#include <string_view>

namespace hfs::state {
namespace {

constexpr size_t kMaxHostChars = 64;

struct ProcStat {
  char state = '?';
  uint64_t start = 0;
};

// The state letter and start time of /proc/<pid>/stat, or nullopt when it cannot be
// read. The command name (field 2) is in parentheses and may hold anything, so the fields
// are counted from the last ')'.
std::optional<ProcStat> ReadProcStat(int64_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  if (!in) return std::nullopt;
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  size_t close = text.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(text.substr(close + 1));
  ProcStat stat;
  std::string field;
  // Field 3 is the state, field 22 the start time.
  for (int number = 3; number <= 22 && fields >> field; ++number) {
    if (number == 3) stat.state = field.empty() ? '?' : field[0];
    if (number == 22) {
      auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), stat.start);
      if (error != std::errc()) return std::nullopt;
      return stat;
    }
  }
  return std::nullopt;
}

std::string HostName() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "";
  return CleanHostName(name);
}

}  // namespace

std::string CleanHostName(std::string_view name) {
  std::string clean;
  for (char c : name) {
    bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '.' || c == '_' || c == '-';
    if (allowed && clean.size() < kMaxHostChars) clean += c;
  }
  return clean;
}

ProcessRef SystemProcessTable::Self() const {
  int64_t pid = ::getpid();
  MutexLock lock(mu_);
  if (self_.pid != pid) {
    std::optional<ProcStat> stat = ReadProcStat(pid);
    self_ = {.pid = pid, .host = HostName(), .start = stat ? stat->start : 0};
  }
  return self_;
}

ProcessState SystemProcessTable::State(const ProcessRef& process) const {
  if (process.pid <= 0 || process.host.empty()) return ProcessState::kUnknown;
  if (process.host != Self().host) return ProcessState::kUnknown;
  if (::kill(static_cast<pid_t>(process.pid), 0) != 0 && errno == ESRCH) {
    return ProcessState::kGone;
  }
  std::optional<ProcStat> stat = ReadProcStat(process.pid);
  if (!stat) {
    // No /proc entry although kill found the pid: /proc is not mounted, or the process
    // just exited. Only a missing /proc/self says which.
    return ReadProcStat(::getpid()) ? ProcessState::kGone : ProcessState::kRunning;
  }
  // A zombie or a dead task no longer works on anything.
  if (stat->state == 'Z' || stat->state == 'X' || stat->state == 'x') return ProcessState::kGone;
  if (process.start != 0 && stat->start != process.start) return ProcessState::kGone;
  return ProcessState::kRunning;
}

}  // namespace hfs::state
