#include "hfs/store/usage_spill.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <system_error>
#include <utility>

#include "hfs/base/file.h"
#include "hfs/base/file_lock.h"
#include "hfs/base/try.h"

namespace hfs::store {
namespace {

using nlohmann::json;

// The format version written in each line ("v"); lines of another version are unreadable.
constexpr int kSpillVersion = 1;

tl::unexpected<Error> FileError(std::string_view what, const std::filesystem::path& path,
                                int error_number) {
  ErrorCode code = error_number == EACCES || error_number == EPERM || error_number == EROFS
                       ? ErrorCode::kPermissionDenied
                       : ErrorCode::kUnavailable;
  return Fail(code, fmt::format("usage spill file {}: cannot {}: {}", path.string(), what,
                                std::strerror(error_number)));
}

// Closes a descriptor when it goes out of scope.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Appends `text` to `path` and fsyncs; starts on a new line when the file ends without one.
Result<void> AppendText(const std::filesystem::path& path, std::string text) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  FileDescriptor file(::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600));
  if (file.get() < 0) return FileError("open it", path, errno);
  struct stat status {};
  if (::fstat(file.get(), &status) != 0) return FileError("read its size", path, errno);
  if (status.st_size > 0) {
    char last = '\n';
    if (::pread(file.get(), &last, 1, status.st_size - 1) != 1) {
      return FileError("read its end", path, errno);
    }
    if (last != '\n') text.insert(text.begin(), '\n');  // closes a cut-short line
  }
  size_t done = 0;
  while (done < text.size()) {
    ssize_t written = ::write(file.get(), text.data() + done, text.size() - done);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return FileError("append to it", path, written < 0 ? errno : ENOSPC);
    done += static_cast<size_t>(written);
  }
  if (::fsync(file.get()) != 0) return FileError("sync it", path, errno);
  return Ok();
}

json ToJson(const UsageRecord& record) {
  return {{"v", kSpillVersion},
          {"request_id", record.request_id},
          {"time_ns", record.time.time_since_epoch().count()},
          {"provider", record.provider},
          {"model_requested", record.model_requested},
          {"model_answered", record.model_answered},
          {"key_id", record.key_id},
          {"scope", record.scope},
          {"status", record.status},
          {"http_status", record.http_status},
          {"prompt_tokens", record.prompt_tokens},
          {"completion_tokens", record.completion_tokens},
          {"latency_ns", record.latency.count()},
          {"run_id", record.run_id},
          {"triad", record.triad},
          {"role", record.role},
          {"phase", record.phase}};
}

// Throws nlohmann::json::exception for a line that is not a usage row of this version.
UsageRecord FromJson(const json& line) {
  if (line.at("v").get<int>() != kSpillVersion) throw std::invalid_argument("version");
  UsageRecord record{.request_id = line.at("request_id").get<std::string>(),
                     .time = Timestamp(Duration(line.at("time_ns").get<int64_t>())),
                     .provider = line.at("provider").get<std::string>(),
                     .model_requested = line.at("model_requested").get<std::string>(),
                     .model_answered = line.at("model_answered").get<std::string>(),
                     .key_id = line.at("key_id").get<std::string>(),
                     .scope = line.at("scope").get<std::string>(),
                     .status = line.at("status").get<std::string>(),
                     .http_status = line.at("http_status").get<int>(),
                     .prompt_tokens = line.at("prompt_tokens").get<int64_t>(),
                     .completion_tokens = line.at("completion_tokens").get<int64_t>(),
                     .latency = Duration(line.at("latency_ns").get<int64_t>()),
                     .run_id = line.at("run_id").get<std::string>(),
                     .triad = line.at("triad").get<std::string>(),
                     .role = line.at("role").get<std::string>(),
                     .phase = line.at("phase").get<std::string>()};
  if (record.request_id.empty()) throw std::invalid_argument("request_id");
  return record;
}

}  // namespace

std::string UsageSpillLine(const UsageRecord& record) {
  // Invalid UTF-8 (a provider's model name, say) is replaced rather than refused.
  return ToJson(record).dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

UsageSpillContents ParseUsageSpill(std::string_view text) {
  UsageSpillContents contents;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      contents.torn_tail = true;
      break;
    }
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    try {
      contents.rows.push_back(FromJson(json::parse(line)));
    } catch (const std::exception&) {
      contents.unreadable_lines.emplace_back(line);
    }
  }
  return contents;
}

Result<void> AppendUsageSpill(const std::filesystem::path& path, std::span<const UsageRecord> rows,
                              std::chrono::milliseconds lock_timeout) {
  if (rows.empty()) return Ok();
  std::string text;
  for (const UsageRecord& record : rows) text += UsageSpillLine(record);
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  FileLock lock = HFS_TRY(FileLock::Acquire(path, lock_timeout));
  return AppendText(path, std::move(text));
}

Result<SpillReplay> ReplayUsageSpill(
    const std::filesystem::path& path,
    const std::function<Result<void>(const std::vector<UsageRecord>&)>& write,
    std::chrono::milliseconds lock_timeout) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return SpillReplay{};
  FileLock lock = HFS_TRY(FileLock::Acquire(path, lock_timeout));
  Result<std::string> text = ReadFile(path);
  if (!text) {
    // Another process replayed it since we looked.
    if (text.error().code == ErrorCode::kNotFound) return SpillReplay{};
    return Fail(text.error());
  }
  UsageSpillContents contents = ParseUsageSpill(*text);
  SpillReplay replay{.rows = contents.rows.size(),
                     .unreadable_lines = contents.unreadable_lines.size(),
                     .torn_tail = contents.torn_tail};
  if (!contents.rows.empty()) HFS_RETURN_IF_ERROR(write(contents.rows));
  if (!contents.unreadable_lines.empty()) {
    replay.rejected_path = path;
    replay.rejected_path += ".rejected";
    std::string rejected;
    for (const std::string& line : contents.unreadable_lines) rejected += line + "\n";
    HFS_RETURN_IF_ERROR(AppendText(replay.rejected_path, std::move(rejected)));
  }
  if (!std::filesystem::remove(path, ec) && ec) {
    return Fail(ErrorCode::kUnavailable,
                fmt::format("usage spill file {}: its rows were written but it cannot be "
                            "removed: {}",
                            path.string(), ec.message()));
  }
  return replay;
}

}  // namespace hfs::store
