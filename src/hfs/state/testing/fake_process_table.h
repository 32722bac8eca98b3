// hfs/state/testing/fake_process_table.h
//
// FakeProcessTable: a ProcessTable for tests of claim leases. This process is
// `{pid 4242, host "test-host", start 1}` unless told otherwise; any process of the host
// runs until Exit names it; a process of another host is kUnknown.
//
//   FakeProcessTable processes;
//   SharedStateManager state({.state_path = path, .processes = &processes}, clock);
//   processes.Exit(4242);                      // this "process" is gone now
//
// Thread-safe.
#pragma once

#include <set>

#include "hfs/base/mutex.h"
#include "hfs/state/process_table.h"

namespace hfs::state {

class FakeProcessTable final : public ProcessTable {
 public:
  explicit FakeProcessTable(ProcessRef self = {.pid = 4242, .host = "test-host", .start = 1})
      : self_(std::move(self)) {}

  ProcessRef Self() const override {
    MutexLock lock(mu_);
    return self_;
  }
  ProcessState State(const ProcessRef& process) const override {
    MutexLock lock(mu_);
    if (process.host != self_.host) return ProcessState::kUnknown;
    return gone_.count(process.pid) > 0 ? ProcessState::kGone : ProcessState::kRunning;
  }

  void SetSelf(ProcessRef self) {
    MutexLock lock(mu_);
    self_ = std::move(self);
  }
  void Exit(int64_t pid) {
    MutexLock lock(mu_);
    gone_.insert(pid);
  }

 private:
  mutable Mutex mu_;
  ProcessRef self_ HFS_GUARDED_BY(mu_);
  std::set<int64_t> gone_ HFS_GUARDED_BY(mu_);
};

}  // namespace hfs::state
