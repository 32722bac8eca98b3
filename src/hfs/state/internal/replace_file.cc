#include "hfs/state/internal/replace_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "hfs/base/ids.h"

namespace hfs::state::internal {
namespace {

constexpr std::string_view kTempInfix = ".tmp-";

Error ErrnoError(std::string_view action, const std::filesystem::path& path, int error) {
  ErrorCode code = error == EACCES || error == EPERM ? ErrorCode::kPermissionDenied
                   : error == ENOENT                 ? ErrorCode::kNotFound
                                                     : ErrorCode::kUnavailable;
  return Error{code, fmt::format("cannot {} {}: {}", action, path.string(), std::strerror(error))};
}

Result<void> WriteAll(int fd, std::string_view content, const std::filesystem::path& path) {
  while (!content.empty()) {
    ssize_t written = ::write(fd, content.data(), content.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return Fail(ErrnoError("write", path, errno));
    }
    content.remove_prefix(static_cast<size_t>(written));
  }
  if (::fsync(fd) != 0) return Fail(ErrnoError("flush", path, errno));
  return Ok();
}

// The directory entry of the rename reaches the disk; failure here loses nothing that a
// reader could see, so it is not an error.
void SyncDirectory(const std::filesystem::path& path) {
  std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

// The pid in a temporary file name "<pid>-<hex>", or 0 for another name.
int64_t TempPid(std::string_view suffix) {
  size_t dash = suffix.find('-');
  if (dash == std::string_view::npos) return 0;
  int64_t pid = 0;
  auto [end, error] = std::from_chars(suffix.data(), suffix.data() + dash, pid);
  if (error != std::errc() || end != suffix.data() + dash) return 0;
  return pid;
}

}  // namespace

Result<void> ReplaceFile(const std::filesystem::path& path, std::string_view content,
                         const ProcessRef& self) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  std::filesystem::path temp = path;
  temp += fmt::format("{}{}-{}", kTempInfix, self.pid, ToHex(NewSpanId()));
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return Fail(ErrnoError("create", temp, errno));
  Result<void> written = WriteAll(fd, content, temp);
  if (::close(fd) != 0 && written) written = Fail(ErrnoError("flush", temp, errno));
  if (!written) {
    ::unlink(temp.c_str());
    return written;
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    int error = errno;
    ::unlink(temp.c_str());
    return Fail(ErrnoError("replace", path, error));
  }
  SyncDirectory(path);
  return Ok();
}

std::vector<std::filesystem::path> RemoveLeftoverTemps(const std::filesystem::path& path,
                                                       const ProcessTable& processes) {
  std::vector<std::filesystem::path> removed;
  std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
  std::string prefix = path.filename().string() + std::string(kTempInfix);
  std::error_code ec;
  std::filesystem::directory_iterator entries(dir, ec);
  if (ec) return removed;
  ProcessRef self = processes.Self();
  for (const std::filesystem::directory_entry& entry : entries) {
    std::string name = entry.path().filename().string();
    if (!name.starts_with(prefix)) continue;
    int64_t pid = TempPid(std::string_view(name).substr(prefix.size()));
    // Only the writer holding the lock (this one) writes a temporary file, so any other
    // one is left over; the pid check spares a writer that got in while the lock was
    // bypassed.
    bool other_writer = pid > 0 && pid != self.pid &&
                        processes.State({.pid = pid, .host = self.host}) != ProcessState::kGone;
    if (other_writer) continue;
    if (std::filesystem::remove(entry.path(), ec)) removed.push_back(entry.path());
  }
  return removed;
}

}  // namespace hfs::state::internal
