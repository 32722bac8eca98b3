#include "hfs/base/file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "hfs/base/ids.h"

namespace hfs {
namespace {

Error ErrnoError(std::string_view action, const std::filesystem::path& path, int error) {
  ErrorCode code = error == EACCES || error == EPERM ? ErrorCode::kPermissionDenied
                   : error == ENOENT                 ? ErrorCode::kNotFound
                                                     : ErrorCode::kUnavailable;
  return Error{code, fmt::format("cannot {} {}: {}", action, path.string(), std::strerror(error))};
}

}  // namespace

Result<std::string> ReadFile(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("{} is a directory", path.string()));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrnoError("read", path, errno));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Fail(ErrorCode::kDataLoss, fmt::format("error reading {}", path.string()));
  return buffer.str();
}

Result<void> WriteFileAtomic(const std::filesystem::path& path, std::string_view content) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  std::filesystem::path temp = path;
  temp += fmt::format(".tmp-{}", ToHex(NewSpanId()));
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Fail(ErrnoError("create", temp, errno));
  const char* data = content.data();
  size_t left = content.size();
  while (left > 0) {
    ssize_t written = ::write(fd, data, left);
    if (written < 0) {
      if (errno == EINTR) continue;
      int error = errno;
      ::close(fd);
      ::unlink(temp.c_str());
      return Fail(ErrnoError("write", temp, error));
    }
    data += written;
    left -= static_cast<size_t>(written);
  }
  int sync_result = ::fsync(fd);
  int sync_error = errno;
  int close_result = ::close(fd);
  if (sync_result != 0 || close_result != 0) {
    int error = sync_result != 0 ? sync_error : errno;
    ::unlink(temp.c_str());
    return Fail(ErrnoError("flush", temp, error));
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    int error = errno;
    ::unlink(temp.c_str());
    return Fail(ErrnoError("replace", path, error));
  }
  return Ok();
}

}  // namespace hfs
