#include "hfs/base/file_lock.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

namespace hfs {

Result<void> LockExclusive(int fd, const std::filesystem::path& path,
                           std::chrono::steady_clock::time_point deadline,
                           std::chrono::milliseconds timeout) {
  auto pause = std::chrono::milliseconds(1);
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int error = errno;
    if (error == EINTR) continue;
    if (error != EWOULDBLOCK) {
      return Fail(ErrorCode::kUnavailable,
                  fmt::format("cannot lock {}: {}", path.string(), std::strerror(error)));
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return Fail(ErrorCode::kDeadlineExceeded,
                  fmt::format("{} is still locked by another writer after {} ms", path.string(),
                              timeout.count()));
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(20));
  }
  return {};
}

Result<FileLock> FileLock::Acquire(const std::filesystem::path& path,
                                   std::chrono::milliseconds timeout) {
  std::filesystem::path lock_path = path;
  lock_path += ".lock";
  std::error_code ec;
  if (lock_path.has_parent_path()) std::filesystem::create_directories(lock_path.parent_path(), ec);
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    int error = errno;
    return Fail(
        error == EACCES || error == EPERM ? ErrorCode::kPermissionDenied : ErrorCode::kUnavailable,
        fmt::format("cannot open lock file {}: {}", lock_path.string(), std::strerror(error)));
  }
  Result<void> locked =
      LockExclusive(fd, lock_path, std::chrono::steady_clock::now() + timeout, timeout);
  if (!locked) {
    ::close(fd);
    return Fail(locked.error());
  }
  return FileLock(fd, std::move(lock_path));
}

FileLock::FileLock(FileLock&& other) noexcept
    : fd_(other.fd_), lock_path_(std::move(other.lock_path_)) {
  other.fd_ = -1;
}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
  if (this != &other) {
    Release();
    fd_ = other.fd_;
    lock_path_ = std::move(other.lock_path_);
    other.fd_ = -1;
  }
  return *this;
}

FileLock::~FileLock() { Release(); }

void FileLock::Release() {
  if (fd_ < 0) return;
  ::flock(fd_, LOCK_UN);
  ::close(fd_);
  fd_ = -1;
}

}  // namespace hfs
