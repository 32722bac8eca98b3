// hfs/state/internal/markdown_lines.h
//
// MarkdownLines: a markdown file as lines that remember their own line ending, so that a
// file whose untouched lines are joined again is the same bytes (CRLF, LF, a missing
// final newline). Finds `## Name` sections the way hfs-original §7.1 does: the heading
// matches `^##\s+Name\s*$` (case-insensitive) and the section runs to the next line that
// starts with "## " or to the end.
//
//   MarkdownLines lines = MarkdownLines::Split(text);
//   if (auto heading = lines.FindHeading("In Progress")) {
//     lines.Insert(lines.SectionEnd(*heading), "- [ ] [#w4] Footer");
//   }
//   std::string out = lines.Join();
//
// Thread-compatible value type.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hfs::state::internal {

struct Line {
  // Without its ending.
  std::string text;
  // "\n", "\r\n", or "" for a last line without a newline.
  std::string ending;
};

class MarkdownLines {
 public:
  static MarkdownLines Split(std::string_view text);
  std::string Join() const;

  const std::vector<Line>& lines() const { return lines_; }
  size_t size() const { return lines_.size(); }
  const std::string& text(size_t index) const { return lines_[index].text; }
  // The ending new lines get: "\r\n" when the first line ends so, else "\n".
  const std::string& newline() const { return newline_; }

  // The index of the `## name` heading, or nullopt.
  std::optional<size_t> FindHeading(std::string_view name) const;
  // One past the last line of the section whose heading is at `heading`.
  size_t SectionEnd(size_t heading) const;

  // Inserts a line before `index` (size() appends); the line before it gets an ending
  // when it had none.
  void Insert(size_t index, std::string text);
  // Replaces the text of a line, keeping its ending.
  void Replace(size_t index, std::string text);
  void Erase(size_t index);

 private:
  std::vector<Line> lines_;
  std::string newline_ = "\n";
};

// True for a line that starts a `## ` section.
bool IsSectionHeading(std::string_view line);
// True for an empty or whitespace-only line.
bool IsBlank(std::string_view line);
// `text` without leading and trailing spaces, tabs and carriage returns.
std::string_view TrimSpaces(std::string_view text);

}  // namespace hfs::state::internal
