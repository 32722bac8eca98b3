// hfs/state/internal/state_layout.h
//
// StateLayout: where everything is in a shared state file, found in one pass over its
// lines (docs/state-format.md): the section headings (also near misses such as
// `##In Progress` or `## Completed:`, and second headings of a section), the work items
// and registry rows with the section they sit in, the id counter line, and every line
// that looks like part of the format but cannot be placed, with the reason. StateDocument
// reads and repairs the file through it; nothing here edits.
//
//   MarkdownLines lines = MarkdownLines::Split(text);
//   StateLayout layout = ScanState(lines);
//   for (const PlacedItem& placed : layout.items) ...   // placed.line, placed.item
//   for (const UnplacedLine& line : layout.unplaced) ... // kept as it is, reported
//
// A section runs from its heading to the next `## ` line or state heading. Pure
// functions; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/state/agent_registry.h"
#include "hfs/state/internal/markdown_lines.h"
#include "hfs/state/state_section.h"
#include "hfs/state/work_item.h"

namespace hfs::state::internal {

struct HeadingLine {
  size_t line = 0;
  // Nullopt for a section the format does not know ("## Notes").
  std::optional<StateSection> section;
  // Written as the format asks: `## Title`, any case, any spaces around the title.
  bool exact = true;
  // The first heading of its section; a later one is a duplicate.
  bool first = true;
};

struct PlacedItem {
  size_t line = 0;
  StateSection section = StateSection::kAvailable;
  // Under the first heading of `section` (not a duplicate heading).
  bool first = true;
  WorkItem item;
};

struct PlacedRow {
  size_t line = 0;
  // Under the first `## Agent Registry` heading; else it sits in `section` (a status
  // section, or a second registry heading), where a deleted heading left it.
  bool in_registry = true;
  StateSection section = StateSection::kAgentRegistry;
  AgentEntry entry;
};

// A line that looks like part of the format but is neither read nor repaired: it is
// kept as it is and reported.
struct UnplacedLine {
  size_t line = 0;
  std::string reason;
};

struct StateLayout {
  std::vector<HeadingLine> headings;
  // The line of the first heading of each section (indexed by StateSection).
  std::array<std::optional<size_t>, 4> first_heading;
  std::vector<PlacedItem> items;
  std::vector<PlacedRow> rows;
  std::vector<UnplacedLine> unplaced;
  // The `<!-- next item id: w7 -->` line and its number, when it can be read.
  std::optional<size_t> counter_line;
  std::optional<uint64_t> counter;
  // The last line, when the file ends without a line break in a work item whose status
  // disagrees with its section: maybe an item cut short (also in `unplaced`).
  std::optional<size_t> cut_line;
  // The highest number of any `[#w<number>]` token anywhere in the file, even on lines
  // that cannot be read, so that no id is ever handed out twice.
  uint64_t highest_number = 0;
  // Every such number (for the rare file whose highest id leaves no room above).
  std::vector<uint64_t> numbers;

  std::optional<size_t> Heading(StateSection section) const {
    return first_heading[static_cast<size_t>(section)];
  }
};

StateLayout ScanState(const MarkdownLines& lines);

// The section a heading line names (exact or a near miss), or nullopt.
std::optional<StateSection> StateHeading(std::string_view line, bool* exact = nullptr);
// True for a line that ends a section: `## Anything` or a state heading.
bool IsSectionBreak(std::string_view line);
// One past the last line of the section whose heading is at `heading`.
size_t SectionEnd(const MarkdownLines& lines, size_t heading);

// "<!-- next item id: w7 -->".
std::string RenderCounterLine(uint64_t next);

}  // namespace hfs::state::internal
