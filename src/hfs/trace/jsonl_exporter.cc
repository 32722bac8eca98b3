#include "hfs/trace/jsonl_exporter.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <string_view>

#include "hfs/base/file.h"
#include "hfs/base/try.h"
#include "hfs/trace/otlp_json.h"

namespace hfs::trace {
namespace {

Error ErrnoError(std::string_view action, const std::filesystem::path& path, int error) {
  ErrorCode code = error == EACCES || error == EPERM ? ErrorCode::kPermissionDenied
                   : error == ENOENT                 ? ErrorCode::kNotFound
                                                     : ErrorCode::kUnavailable;
  return Error{code, fmt::format("cannot {} {}: {}", action, path.string(), std::strerror(error))};
}

}  // namespace

Result<std::unique_ptr<JsonlExporter>> JsonlExporter::Open(const std::filesystem::path& path,
                                                           Resource resource) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) {
    return Fail(ErrnoError("create the directory of", path, ec.value()));
  }
  std::FILE* file = std::fopen(path.c_str(), "ae");  // append, close-on-exec
  if (file == nullptr) return Fail(ErrnoError("open", path, errno));
  return std::unique_ptr<JsonlExporter>(new JsonlExporter(path, std::move(resource), file));
}

JsonlExporter::JsonlExporter(std::filesystem::path path, Resource resource, std::FILE* file)
    : path_(std::move(path)), resource_(std::move(resource)), file_(file) {}

JsonlExporter::~JsonlExporter() { Shutdown(); }

Result<void> JsonlExporter::Export(std::span<const SpanData> spans) {
  if (spans.empty()) return Ok();
  std::string line = EncodeTraces(resource_, spans);
  line += '\n';
  MutexLock lock(mu_);
  if (file_ == nullptr) {
    return Fail(ErrorCode::kFailedPrecondition,
                fmt::format("trace file {} is already closed", path_.string()));
  }
  if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() || std::fflush(file_) != 0) {
    int error = errno;
    std::clearerr(file_);
    return Fail(ErrnoError("write", path_, error));
  }
  return Ok();
}

void JsonlExporter::Shutdown() {
  MutexLock lock(mu_);
  if (file_ != nullptr) {
    std::fclose(file_);
    file_ = nullptr;
  }
}

Result<std::vector<SpanData>> ReadJsonlTraces(const std::filesystem::path& path) {
  std::string text = HFS_TRY(ReadFile(path));
  std::vector<SpanData> spans;
  std::string_view rest = text;
  for (int line_number = 1; !rest.empty(); ++line_number) {
    size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    Result<std::vector<SpanData>> decoded = DecodeTraces(line);
    if (!decoded) {
      return Fail(decoded.error().WithContext(fmt::format("{}:{}", path.string(), line_number)));
    }
    spans.insert(spans.end(), std::make_move_iterator(decoded->begin()),
                 std::make_move_iterator(decoded->end()));
  }
  return spans;
}

}  // namespace hfs::trace
