// hfs/state/internal/state_file_lock.h
//
// StateFileLock: the right to rewrite one shared state file, exclusive across threads and
// processes (docs/state-format.md, "Concurrency"). It holds two flock locks, taken in this
// order by every writer:
//
//   1. on `<state>.lock` beside the file (the lock file of earlier versions, so that a
//      writer of an older build still excludes and is excluded);
//   2. on the state file itself.
//
// Each lock is checked by inode after it is had: when the file at the path is no longer
// the one locked (deleted or replaced while waiting, as every write replaces the state
// file), it is opened and locked again. So deleting `state.md.lock` by hand does not let a
// second writer in while the first holds the lock: the second still waits on the state
// file. Both locks go when the object is destroyed or the process dies.
//
//   StateFileLock lock = HFS_TRY(StateFileLock::Acquire(state_path, 30s));
//   ... read, edit, replace the state file ...
//
// Acquire creates the state file (empty, which reads as the template) and missing
// directories. Failures: kDeadlineExceeded after `timeout`, naming the file still locked;
// kPermissionDenied or kUnavailable when a file cannot be opened or locked. Thread-safe:
// each Acquire opens its own descriptors.
#pragma once

#include <chrono>
#include <filesystem>

#include "hfs/base/error.h"

namespace hfs::state::internal {

class StateFileLock {
 public:
  static Result<StateFileLock> Acquire(const std::filesystem::path& state_path,
                                       std::chrono::milliseconds timeout);

  StateFileLock(StateFileLock&& other) noexcept;
  StateFileLock& operator=(StateFileLock&&) = delete;
  StateFileLock(const StateFileLock&) = delete;
  StateFileLock& operator=(const StateFileLock&) = delete;
  ~StateFileLock();

 private:
  StateFileLock(int lock_fd, int state_fd) : lock_fd_(lock_fd), state_fd_(state_fd) {}

  int lock_fd_ = -1;
  int state_fd_ = -1;
};

}  // namespace hfs::state::internal
