#include "hfs/state/internal/markdown_lines.h"

#include "hfs/base/check.h"
#include "hfs/base/text.h"

namespace hfs::state::internal {

MarkdownLines MarkdownLines::Split(std::string_view text) {
  MarkdownLines result;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      result.lines_.push_back({std::string(text.substr(start)), ""});
      break;
    }
    bool crlf = end > start && text[end - 1] == '\r';
    size_t text_end = crlf ? end - 1 : end;
    result.lines_.push_back(
        {std::string(text.substr(start, text_end - start)), crlf ? "\r\n" : "\n"});
    start = end + 1;
  }
  if (!result.lines_.empty() && result.lines_.front().ending == "\r\n") result.newline_ = "\r\n";
  return result;
}

std::string MarkdownLines::Join() const {
  std::string text;
  for (const Line& line : lines_) {
    text += line.text;
    text += line.ending;
  }
  return text;
}

std::optional<size_t> MarkdownLines::FindHeading(std::string_view name) const {
  std::string wanted = AsciiLower(name);
  for (size_t i = 0; i < lines_.size(); ++i) {
    std::string_view line = lines_[i].text;
    if (!IsSectionHeading(line)) continue;
    if (AsciiLower(TrimSpaces(line.substr(2))) == wanted) return i;
  }
  return std::nullopt;
}

size_t MarkdownLines::SectionEnd(size_t heading) const {
  for (size_t i = heading + 1; i < lines_.size(); ++i) {
    if (IsSectionHeading(lines_[i].text)) return i;
  }
  return lines_.size();
}

void MarkdownLines::Insert(size_t index, std::string text) {
  HFS_CHECK(index <= lines_.size(), "MarkdownLines::Insert past the end");
  if (index > 0 && lines_[index - 1].ending.empty()) lines_[index - 1].ending = newline_;
  lines_.insert(lines_.begin() + static_cast<std::ptrdiff_t>(index),
                Line{std::move(text), newline_});
}

void MarkdownLines::Replace(size_t index, std::string text) {
  HFS_CHECK(index < lines_.size(), "MarkdownLines::Replace past the end");
  lines_[index].text = std::move(text);
}

void MarkdownLines::Erase(size_t index) {
  HFS_CHECK(index < lines_.size(), "MarkdownLines::Erase past the end");
  lines_.erase(lines_.begin() + static_cast<std::ptrdiff_t>(index));
}

bool IsSectionHeading(std::string_view line) {
  return line.size() >= 3 && line.substr(0, 2) == "##" && (line[2] == ' ' || line[2] == '\t');
}

bool IsBlank(std::string_view line) { return TrimSpaces(line).empty(); }

std::string_view TrimSpaces(std::string_view text) {
  size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  size_t last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

}  // namespace hfs::state::internal
