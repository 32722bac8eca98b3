// hfs/state/agent_memory.h
//
// AgentMemory: one agent's private notes, the file `<memory dir>/<agent id>.md`
// (docs/state-format.md, hfs-original §7.1): a title and three sections.
//
//   # Agent Memory: agent-1
//
//   ## Scratchpad
//
//   ## Subtasks
//
//   ## Notes
//
//   AgentMemory memory = AgentMemory::Parse(text);     // or AgentMemory::Template("agent-1")
//   HFS_RETURN_IF_ERROR(memory.Update(MemorySection::kNotes, "uses CSS grid",
//                                     MemoryWrite::kAppend));
//   std::string body = memory.Section(MemorySection::kNotes);
//
// Like StateDocument, untouched lines render byte for byte. Thread-compatible value type.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "hfs/base/error.h"
#include "hfs/state/internal/markdown_lines.h"

namespace hfs::state {

enum class MemorySection { kScratchpad, kSubtasks, kNotes };
enum class MemoryWrite { kReplace, kAppend };

// "scratchpad", "subtasks", "notes" (the tool's names; headings are capitalised).
std::string_view MemorySectionName(MemorySection section);
std::optional<MemorySection> ParseMemorySection(std::string_view name);

class AgentMemory {
 public:
  static AgentMemory Template(std::string_view agent_id);
  static AgentMemory Parse(std::string_view text);
  std::string Render() const;

  // The section's text without its heading and without blank lines around it; "" when
  // the section is missing or empty.
  std::string Section(MemorySection section) const;
  // Replaces the section's text, or appends to it on a new line (adding the section at
  // the end when missing). kInvalidArgument when a line of `content` starts with "## ",
  // which would start a new section.
  Result<void> Update(MemorySection section, std::string_view content, MemoryWrite mode);

 private:
  explicit AgentMemory(internal::MarkdownLines lines) : lines_(std::move(lines)) {}
  internal::MarkdownLines lines_;
};

}  // namespace hfs::state
