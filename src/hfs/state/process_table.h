// hfs/state/process_table.h
//
// ProcessTable: tells whether the process that claimed a work item still runs, so a
// claim whose process is gone can be taken over (docs/state-format.md, "Leases"). A
// process is named by its pid, its host, and its start time in clock ticks after boot,
// which tells a reused pid from the process that first had it.
//
//   SystemProcessTable processes;
//   ProcessRef me = processes.Self();                 // {pid, host, start}
//   if (processes.State(lease_process) == ProcessState::kGone) ...   // take the claim over
//
// Tests inject their own ProcessTable (a fake host, processes that are gone).
// SystemProcessTable reads this machine's process table (kill(pid, 0) and /proc); a
// process on another host is kUnknown. Thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "hfs/base/mutex.h"

namespace hfs::state {

struct ProcessRef {
  int64_t pid = 0;
  // The host name, as letters, digits, '.', '_' and '-'; empty when unknown.
  std::string host;
  // Start time in clock ticks after boot (/proc/<pid>/stat); 0 when unknown.
  uint64_t start = 0;
  bool operator==(const ProcessRef&) const = default;
};

enum class ProcessState {
  kRunning,
  // The process exited (or the pid now belongs to a process started later).
  kGone,
  // Another host's process, or one this host cannot look up.
  kUnknown,
};

class ProcessTable {
 public:
  virtual ~ProcessTable() = default;
  // The calling process.
  virtual ProcessRef Self() const = 0;
  virtual ProcessState State(const ProcessRef& process) const = 0;
};

class SystemProcessTable final : public ProcessTable {
 public:
  ProcessRef Self() const override;
  ProcessState State(const ProcessRef& process) const override;

 private:
  // Self() of the last pid that asked: a forked child gets its own.
  mutable Mutex mu_;
  mutable ProcessRef self_ HFS_GUARDED_BY(mu_);
};

// `name` with every character other than letters, digits, '.', '_' and '-' dropped, at
// most 64 characters: the host names leases carry.
std::string CleanHostName(std::string_view name);

}  // namespace hfs::state
