// hfs/base/file_lock.h
//
// FileLock: an exclusive advisory lock (flock) on `<path>.lock`, shared between threads
// and processes, held for a whole read-modify-write of `path`. The lock lives on a
// separate file so that replacing `path` by rename (WriteFileAtomic) keeps it valid.
//
//   FileLock lock = HFS_TRY(FileLock::Acquire(state_path, std::chrono::seconds(10)));
//   std::string text = HFS_TRY(ReadFile(state_path));
//   HFS_RETURN_IF_ERROR(WriteFileAtomic(state_path, Edit(text)));
//   // released when `lock` goes out of scope (or when the process dies)
//
// Thread-safe: each Acquire opens its own descriptor, so two threads of one process
// exclude each other as two processes do. Acquire fails with kDeadlineExceeded when the
// lock is still held after `timeout`, naming the lock file, and kPermissionDenied or
// kUnavailable when the lock file cannot be created.
#pragma once

#include <chrono>
#include <filesystem>

#include "hfs/base/error.h"

namespace hfs {

// Takes an exclusive flock on the open descriptor `fd` (of the file at `path`, for
// messages), waiting until `deadline`: flock has no timed wait, so it tries, then sleeps
// with a growing pause (1 ms up to 20 ms). kDeadlineExceeded ("<path> is still locked by
// another writer after <timeout> ms") or kUnavailable; `fd` stays open either way.
Result<void> LockExclusive(int fd, const std::filesystem::path& path,
                           std::chrono::steady_clock::time_point deadline,
                           std::chrono::milliseconds timeout);

class FileLock {
 public:
  static Result<FileLock> Acquire(const std::filesystem::path& path,
                                  std::chrono::milliseconds timeout);

  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

  const std::filesystem::path& lock_path() const { return lock_path_; }

 private:
  FileLock(int fd, std::filesystem::path lock_path) : fd_(fd), lock_path_(std::move(lock_path)) {}
  void Release();

  int fd_ = -1;
  std::filesystem::path lock_path_;
};

}  // namespace hfs
