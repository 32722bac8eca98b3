#include "hfs/state/internal/state_file_lock.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "hfs/base/file_lock.h"

namespace hfs::state::internal {
namespace {

using Deadline = std::chrono::steady_clock::time_point;
using std::chrono::milliseconds;

Error OpenError(const std::filesystem::path& path, int error) {
  return Error{
      error == EACCES || error == EPERM ? ErrorCode::kPermissionDenied : ErrorCode::kUnavailable,
      fmt::format("cannot open {} to lock it: {}", path.string(), std::strerror(error))};
}

// True while `fd` is still the file at `path` (not deleted, not replaced).
bool StillAtPath(int fd, const std::filesystem::path& path) {
  struct stat held {};
  struct stat named {};
  if (::fstat(fd, &held) != 0 || held.st_nlink == 0) return false;
  if (::stat(path.c_str(), &named) != 0) return false;
  return held.st_dev == named.st_dev && held.st_ino == named.st_ino;
}

// An exclusive flock on the file at `path` (created when missing), checked by inode.
Result<int> LockFileAt(const std::filesystem::path& path, Deadline deadline, milliseconds timeout) {
  while (true) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return Fail(OpenError(path, errno));
    if (Result<void> locked = LockExclusive(fd, path, deadline, timeout); !locked) {
      ::close(fd);
      return Fail(locked.error());
    }
    if (StillAtPath(fd, path)) return fd;
    // Deleted or replaced while we waited: lock the file that is there now.
    ::close(fd);
  }
}

}  // namespace

Result<StateFileLock> StateFileLock::Acquire(const std::filesystem::path& state_path,
                                             std::chrono::milliseconds timeout) {
  std::error_code ec;
  if (state_path.has_parent_path())
    std::filesystem::create_directories(state_path.parent_path(), ec);
  Deadline deadline = std::chrono::steady_clock::now() + timeout;
  std::filesystem::path lock_path = state_path;
  lock_path += ".lock";
  Result<int> lock_fd = LockFileAt(lock_path, deadline, timeout);
  if (!lock_fd) return Fail(lock_fd.error());
  Result<int> state_fd = LockFileAt(state_path, deadline, timeout);
  if (!state_fd) {
    ::close(*lock_fd);
    return Fail(state_fd.error());
  }
  return StateFileLock(*lock_fd, *state_fd);
}

StateFileLock::StateFileLock(StateFileLock&& other) noexcept
    : lock_fd_(other.lock_fd_), state_fd_(other.state_fd_) {
  other.lock_fd_ = -1;
  other.state_fd_ = -1;
}

StateFileLock::~StateFileLock() {
  // Closing the last descriptor of a file releases its flock.
  if (state_fd_ >= 0) ::close(state_fd_);
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

}  // namespace hfs::state::internal
