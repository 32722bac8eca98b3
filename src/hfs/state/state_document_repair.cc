// The edits behind StateDocument::Normalize and the write path: sections, ids, items in
// the section of their status, and the Agent Registry table. Every edit works from a
// fresh scan of the lines and skips what the scan did not find.
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <set>

#include "hfs/state/internal/state_layout.h"
#include "hfs/state/state_document.h"

namespace hfs::state {
namespace {

using internal::IsBlank;
using internal::PlacedItem;
using internal::PlacedRow;
using internal::StateLayout;

std::string Heading(StateSection section) {
  return "## " + std::string(StateSectionTitle(section));
}

// Hands out id numbers for one scan of the file: above the highest id anywhere in it and
// the counter line; when no number fits above (18 digits), the smallest one no id uses.
class IdNumbers {
 public:
  explicit IdNumbers(const StateLayout& layout)
      : used_(layout.numbers.begin(), layout.numbers.end()),
        next_(std::max<uint64_t>(layout.highest_number + 1, layout.counter.value_or(0))),
        counter_(layout.counter.value_or(0)) {}

  uint64_t Take() {
    uint64_t number = next_;
    if (number < 1 || number > kMaxWorkItemNumber) {
      number = 1;
      while (used_.count(number) > 0) ++number;
    }
    used_.insert(number);
    next_ = std::max(next_, number + 1);
    counter_ = std::max(counter_, number + 1);
    return number;
  }
  // What the counter line says after the numbers taken.
  uint64_t counter() const { return counter_; }

 private:
  std::set<uint64_t> used_;
  uint64_t next_;
  uint64_t counter_;
};

}  // namespace

size_t StateDocument::EnsureSection(StateSection section) {
  std::shared_ptr<const StateLayout> layout = Scan();
  if (std::optional<size_t> heading = layout->Heading(section)) return *heading;
  if (section == StateSection::kAgentRegistry) {
    // A registry table whose heading was deleted gets its heading back.
    if (std::optional<size_t> table = OrphanRegistryTable()) {
      InsertLine(*table, Heading(section));
      if (*table > 0 && !IsBlank(lines_.text(*table - 1))) InsertLine(*table, "");
      EnsureRegistryHeader();
      return Scan()->Heading(section).value_or(*table);
    }
  }
  size_t heading = lines_.size();
  for (StateSection later : kAllSections) {
    if (later <= section) continue;
    if (std::optional<size_t> next = layout->Heading(later)) {
      InsertLine(*next, "");
      InsertLine(*next, Heading(section));
      heading = *next;
      break;
    }
  }
  if (heading == lines_.size()) {
    if (heading > 0 && !IsBlank(lines_.text(heading - 1))) InsertLine(heading++, "");
    InsertLine(heading, Heading(section));
  }
  if (section == StateSection::kAgentRegistry) EnsureRegistryHeader();
  return heading;
}

std::optional<size_t> StateDocument::OrphanRegistryTable() const {
  std::shared_ptr<const StateLayout> layout = Scan();
  for (const PlacedRow& row : layout->rows) {
    if (row.in_registry || row.section == StateSection::kAgentRegistry) continue;
    size_t start = row.line;
    while (start > 0 && IsTableLine(lines_.text(start - 1))) --start;
    // Only a table that ends its section: a heading above it must not take in more.
    size_t end = row.line + 1;
    while (end < lines_.size() && IsTableLine(lines_.text(end))) ++end;
    bool last = true;
    for (size_t i = end; i < lines_.size() && !internal::IsSectionBreak(lines_.text(i)); ++i) {
      last = last && IsBlank(lines_.text(i));
    }
    if (last) return start;
  }
  return std::nullopt;
}

void StateDocument::EnsureRegistryHeader() {
  size_t heading = EnsureSection(StateSection::kAgentRegistry);
  std::optional<size_t> first_table;
  for (size_t i = heading + 1, end = internal::SectionEnd(lines_, heading); i < end; ++i) {
    if (!IsTableLine(lines_.text(i))) continue;
    if (!first_table) first_table = i;
    if (ReadRegistryLine(lines_.text(i)).kind == RegistryLine::Kind::kHeader) return;
  }
  size_t at = first_table.value_or(heading + 1);
  bool separator = first_table && ReadRegistryLine(lines_.text(*first_table)).kind ==
                                      RegistryLine::Kind::kSeparator;
  if (!separator) InsertLine(at, std::string(kRegistrySeparator));
  InsertLine(at, std::string(kRegistryHeader));
}

void StateDocument::InsertItemLine(StateSection section, std::string text) {
  size_t heading = EnsureSection(section);
  size_t end = internal::SectionEnd(lines_, heading);
  size_t position = heading + 1;
  bool after_item = false;
  for (size_t i = heading + 1; i < end; ++i) {
    bool item = ReadWorkItemLine(lines_.text(i)).kind != WorkItemLine::Kind::kNone;
    if (item || (!after_item && !IsBlank(lines_.text(i)))) position = i + 1;
    after_item = after_item || item;
  }
  InsertLine(position, std::move(text));
}

void StateDocument::WriteCounter(uint64_t next) {
  std::shared_ptr<const StateLayout> layout = Scan();
  std::string counter = internal::RenderCounterLine(next);
  if (layout->counter_line) {
    ReplaceLine(*layout->counter_line, std::move(counter));
    return;
  }
  // Under the title, where a file cut short keeps it.
  bool title = lines_.size() > 0 && lines_.text(0).starts_with("# ") &&
               !internal::StateHeading(lines_.text(0));
  InsertLine(title ? 1 : 0, std::move(counter));
}

uint64_t StateDocument::GiveIdNumber() {
  IdNumbers numbers(*Scan());
  uint64_t number = numbers.Take();
  WriteCounter(numbers.counter());
  return number;
}

void StateDocument::RepairCounter() {
  std::shared_ptr<const StateLayout> layout = Scan();
  if (!layout->counter_line || layout->counter) return;
  WriteCounter(layout->highest_number + 1);
}

void StateDocument::AssignMissingIds() {
  std::shared_ptr<const StateLayout> layout = Scan();
  IdNumbers numbers(*layout);
  std::set<std::string> seen;
  bool given = false;
  for (const PlacedItem& placed : layout->items) {
    if (!placed.item.id.empty() && seen.insert(placed.item.id).second) continue;
    WorkItem item = placed.item;
    item.id = WorkItemId(numbers.Take());
    ReplaceLine(placed.line, RenderWorkItemLine(item));
    given = true;
  }
  if (given) WriteCounter(numbers.counter());
}

void StateDocument::MoveMisplacedItems() {
  for (size_t pass = 0, passes = lines_.size() + 1; pass < passes; ++pass) {
    std::vector<PlacedItem> items = Scan()->items;
    auto misplaced = std::find_if(items.begin(), items.end(), [](const PlacedItem& placed) {
      return placed.section != SectionFor(placed.item.status()) || !placed.first;
    });
    if (misplaced == items.end()) return;
    std::string text = lines_.text(misplaced->line);
    EraseLine(misplaced->line);
    InsertItemLine(SectionFor(misplaced->item.status()), std::move(text));
  }
}

void StateDocument::CanonicalizeHeadings() {
  std::shared_ptr<const StateLayout> layout = Scan();
  for (const internal::HeadingLine& heading : layout->headings) {
    if (heading.section && !heading.exact) ReplaceLine(heading.line, Heading(*heading.section));
  }
}

void StateDocument::RemoveEmptyDuplicateHeadings() {
  std::vector<internal::HeadingLine> headings = Scan()->headings;
  // From the end, so that erasing keeps the earlier line numbers.
  for (auto heading = headings.rbegin(); heading != headings.rend(); ++heading) {
    if (!heading->section || heading->first) continue;
    size_t end = internal::SectionEnd(lines_, heading->line);
    bool empty = true;
    for (size_t i = heading->line + 1; i < end && empty; ++i) {
      RegistryLine::Kind kind = ReadRegistryLine(lines_.text(i)).kind;
      bool table_frame =
          *heading->section == StateSection::kAgentRegistry &&
          (kind == RegistryLine::Kind::kHeader || kind == RegistryLine::Kind::kSeparator);
      empty = IsBlank(lines_.text(i)) || table_frame;
    }
    if (!empty) continue;
    for (size_t i = end; i > heading->line; --i) EraseLine(i - 1);
  }
}

std::optional<size_t> StateDocument::PlaceRow(std::string_view agent_id) {
  if (!CheckAgentId(agent_id)) return std::nullopt;
  // First, so that a table whose heading was deleted gets it back with all its rows.
  size_t heading = EnsureSection(StateSection::kAgentRegistry);
  std::shared_ptr<const StateLayout> layout = Scan();
  if (std::optional<size_t> line = RegistryRowLine(*layout, agent_id)) return line;
  std::string text = RenderRegistryRow({.agent_id = std::string(agent_id)});
  for (const PlacedRow& row : layout->rows) {
    if (row.entry.agent_id != agent_id) continue;
    text = lines_.text(row.line);
    EraseLine(row.line);
    break;
  }
  EnsureRegistryHeader();
  heading = Scan()->Heading(StateSection::kAgentRegistry).value_or(heading);
  if (heading >= lines_.size()) return std::nullopt;
  size_t position = heading + 1;
  for (size_t i = heading + 1, end = internal::SectionEnd(lines_, heading); i < end; ++i) {
    if (IsTableLine(lines_.text(i))) position = i + 1;
  }
  InsertLine(position, std::move(text));
  return RegistryRowLine(*Scan(), agent_id);
}

void StateDocument::MoveMisplacedRows() {
  std::set<std::string> placed;
  std::shared_ptr<const StateLayout> layout = Scan();
  for (const PlacedRow& row : layout->rows) {
    if (row.in_registry) placed.insert(row.entry.agent_id);
  }
  for (const PlacedRow& row : layout->rows) {
    if (!row.in_registry && placed.insert(row.entry.agent_id).second) PlaceRow(row.entry.agent_id);
  }
}

void StateDocument::SyncRegistry() {
  for (const AgentEntry& entry : ExpectedAgents()) {
    std::optional<size_t> line = PlaceRow(entry.agent_id);
    if (!line) continue;
    if (ParseRegistryRow(lines_.text(*line)) != entry) {
      ReplaceLine(*line, RenderRegistryRow(entry));
    }
  }
}

void StateDocument::Normalize() {
  marked_stale_.clear();
  if (CutShortLine()) return;
  CanonicalizeHeadings();
  for (StateSection section : kAllSections) EnsureSection(section);
  RepairCounter();
  AssignMissingIds();
  MoveMisplacedItems();
  MoveMisplacedRows();
  RemoveEmptyDuplicateHeadings();
  EnsureRegistryHeader();
  SyncRegistry();
}

}  // namespace hfs::state
