#include "hfs/state/agent_memory.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace hfs::state {
namespace {

using internal::IsBlank;
using internal::IsSectionHeading;

std::string Title(MemorySection section) {
  std::string title(MemorySectionName(section));
  title[0] = static_cast<char>(title[0] - 'a' + 'A');
  return title;
}

// `text` split into lines ("\r\n" or "\n"), without blank lines at either end.
std::vector<std::string> ContentLines(std::string_view text) {
  std::vector<std::string> lines;
  internal::MarkdownLines split = internal::MarkdownLines::Split(text);
  for (const internal::Line& line : split.lines()) {
    lines.push_back(line.text);
  }
  while (!lines.empty() && IsBlank(lines.back())) lines.pop_back();
  auto first = std::find_if(lines.begin(), lines.end(),
                            [](const std::string& line) { return !IsBlank(line); });
  lines.erase(lines.begin(), first);
  return lines;
}

}  // namespace

std::string_view MemorySectionName(MemorySection section) {
  switch (section) {
    case MemorySection::kScratchpad:
      return "scratchpad";
    case MemorySection::kSubtasks:
      return "subtasks";
    case MemorySection::kNotes:
      return "notes";
  }
  return "notes";
}

std::optional<MemorySection> ParseMemorySection(std::string_view name) {
  for (MemorySection section :
       {MemorySection::kScratchpad, MemorySection::kSubtasks, MemorySection::kNotes}) {
    if (MemorySectionName(section) == name) return section;
  }
  return std::nullopt;
}

AgentMemory AgentMemory::Template(std::string_view agent_id) {
  return Parse(
      fmt::format("# Agent Memory: {}\n\n## Scratchpad\n\n## Subtasks\n\n## Notes\n", agent_id));
}

AgentMemory AgentMemory::Parse(std::string_view text) {
  return AgentMemory(internal::MarkdownLines::Split(text));
}

std::string AgentMemory::Render() const { return lines_.Join(); }

std::string AgentMemory::Section(MemorySection section) const {
  std::optional<size_t> heading = lines_.FindHeading(Title(section));
  if (!heading) return "";
  std::string body;
  for (size_t i = *heading + 1, end = lines_.SectionEnd(*heading); i < end; ++i) {
    body += lines_.text(i);
    body += '\n';
  }
  std::string joined;
  for (const std::string& line : ContentLines(body)) joined += (joined.empty() ? "" : "\n") + line;
  return joined;
}

Result<void> AgentMemory::Update(MemorySection section, std::string_view content,
                                 MemoryWrite mode) {
  std::vector<std::string> added = ContentLines(content);
  for (const std::string& line : added) {
    if (IsSectionHeading(line)) {
      return Fail(ErrorCode::kInvalidArgument,
                  "content: a line may not start with '## ' (it would start a new section); use "
                  "'### ' for a sub-heading");
    }
  }
  std::vector<std::string> body;
  if (mode == MemoryWrite::kAppend) body = ContentLines(Section(section));
  body.insert(body.end(), added.begin(), added.end());
  std::optional<size_t> heading = lines_.FindHeading(Title(section));
  if (!heading) {
    if (lines_.size() > 0 && !IsBlank(lines_.text(lines_.size() - 1)))
      lines_.Insert(lines_.size(), "");
    lines_.Insert(lines_.size(), "## " + Title(section));
    heading = lines_.size() - 1;
  }
  size_t end = lines_.SectionEnd(*heading);
  bool last = end == lines_.size();
  for (size_t i = end; i > *heading + 1; --i) lines_.Erase(i - 1);
  size_t position = *heading + 1;
  for (std::string& line : body) lines_.Insert(position++, std::move(line));
  if (!last) lines_.Insert(position, "");
  return Ok();
}

}  // namespace hfs::state
