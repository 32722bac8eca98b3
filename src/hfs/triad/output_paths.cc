#include "hfs/triad/output_paths.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>

namespace hfs::triad {
namespace {

struct FormatExtensions {
  std::string_view format;
  std::vector<std::string_view> extensions;
};

const std::array<FormatExtensions, 5>& Formats() {
  static const std::array<FormatExtensions, 5> formats = {{
      {"html", {".html", ".css", ".js", ".json"}},
      {"vanilla", {".html", ".css", ".js", ".json"}},
      {"react", {".tsx", ".ts", ".jsx", ".js", ".css", ".json"}},
      {"vue", {".vue", ".ts", ".js", ".css", ".json"}},
      {"svelte", {".svelte", ".ts", ".js", ".css", ".json"}},
  }};
  return formats;
}

bool AllowedCharacter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '/' || c == '-';
}

bool ControlCharacter(char c) {
  auto byte = static_cast<unsigned char>(c);
  return byte < 0x20 || byte == 0x7f;
}

// The first reason the characters of `path` are refused; empty when they are fine.
std::string CharacterProblem(std::string_view path) {
  if (path.empty()) return "is empty";
  if (path.size() > kMaxOutputPathLength) {
    return fmt::format("is {} characters long (at most {})", path.size(), kMaxOutputPathLength);
  }
  if (std::any_of(path.begin(), path.end(), ControlCharacter)) {
    return "contains a control character";
  }
  if (path.find('\\') != std::string_view::npos) return "contains a backslash; use '/'";
  if (path.front() == '/') return "is absolute; use a path relative to the output directory";
  auto bad = std::find_if_not(path.begin(), path.end(), AllowedCharacter);
  if (bad != path.end()) {
    return fmt::format("contains '{}'; only letters, digits and . _ / - are allowed", *bad);
  }
  return {};
}

// The first reason the segments of `path` are refused; empty when they are fine.
std::string SegmentProblem(std::string_view path) {
  size_t start = 0;
  while (true) {
    size_t end = path.find('/', start);
    std::string_view segment =
        path.substr(start, end == std::string_view::npos ? end : end - start);
    if (segment.empty()) return "has an empty segment ('//' or a trailing '/')";
    if (segment == "..") return "has a '..' segment; paths must stay inside the output directory";
    if (segment == ".") return "has a '.' segment";
    if (end == std::string_view::npos) return {};
    start = end + 1;
  }
}

std::string JoinExtensions(const std::vector<std::string_view>& extensions) {
  return fmt::format("{}", fmt::join(extensions, " "));
}

}  // namespace

std::vector<std::string_view> AllowedExtensions(std::string_view output_format) {
  for (const FormatExtensions& entry : Formats()) {
    if (entry.format == output_format) return entry.extensions;
  }
  return {};
}

std::string KnownOutputFormats() {
  std::vector<std::string_view> names;
  for (const FormatExtensions& entry : Formats()) names.push_back(entry.format);
  return fmt::format("{}", fmt::join(names, ", "));
}

Result<void> CheckOutputPath(std::string_view path, std::string_view output_format) {
  std::vector<std::string_view> extensions = AllowedExtensions(output_format);
  if (extensions.empty()) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("unknown output format '{}' (known: {})",
                                                         output_format, KnownOutputFormats()));
  }
  std::string problem = CharacterProblem(path);
  if (problem.empty()) problem = SegmentProblem(path);
  if (problem.empty()) {
    std::string_view name = path.substr(path.rfind('/') + 1);
    size_t dot = name.rfind('.');
    std::string_view extension = dot == std::string_view::npos ? "" : name.substr(dot);
    if (dot == 0) {
      problem = "has a file name with nothing before the extension";
    } else if (std::find(extensions.begin(), extensions.end(), extension) == extensions.end()) {
      problem = fmt::format("has {} extension; output format '{}' allows {}",
                            extension.empty() ? "no" : fmt::format("the '{}'", extension),
                            output_format, JoinExtensions(extensions));
    }
  }
  if (problem.empty()) return Ok();
  // Control characters are not echoed back.
  std::string shown = std::any_of(path.begin(), path.end(), ControlCharacter)
                          ? std::string("<path with control characters>")
                          : fmt::format("'{}'", path.substr(0, kMaxOutputPathLength));
  return Fail(ErrorCode::kInvalidArgument, fmt::format("path {} {}", shown, problem));
}

}  // namespace hfs::triad
