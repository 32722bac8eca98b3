#include "hfs/state/state_document.h"

#include <fmt/format.h>

#include <set>

#include "hfs/state/internal/state_layout.h"
#include "hfs/state/internal/utf8.h"

namespace hfs::state {
namespace {

using internal::PlacedItem;
using internal::PlacedRow;
using internal::StateLayout;

constexpr std::string_view kTemplate =
    "# Shared State\n"
    "\n"
    "## Available Work Items\n"
    "\n"
    "## In Progress\n"
    "\n"
    "## Completed\n"
    "\n"
    "## Agent Registry\n"
    "| Agent ID | Current Task | Started |\n"
    "|----------|--------------|---------|\n";

std::string Heading(StateSection section) {
  return "## " + std::string(StateSectionTitle(section));
}

// "w3 Build auth module; w7 Footer" for the agent's items in progress, or "-".
std::string CurrentTask(const std::vector<WorkItem>& items, const std::string& agent_id) {
  std::string task;
  for (const WorkItem& item : items) {
    if (item.status() != WorkStatus::kInProgress || item.claimed_by != agent_id) continue;
    if (!task.empty()) task += "; ";
    task += item.id.empty() ? item.description : item.id + " " + item.description;
  }
  // A registry cell holds no control characters (a description may have a tab).
  for (char& c : task) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  }
  return task.empty() ? std::string(kNone) : task;
}

// The rows that count, one per agent: those in the registry table first (in table order),
// then rows that sit elsewhere, for agents the table does not have.
std::vector<const PlacedRow*> CountedRows(const StateLayout& layout) {
  std::vector<const PlacedRow*> rows;
  std::set<std::string> seen;
  for (bool in_registry : {true, false}) {
    for (const PlacedRow& row : layout.rows) {
      if (row.in_registry == in_registry && seen.insert(row.entry.agent_id).second) {
        rows.push_back(&row);
      }
    }
  }
  return rows;
}

const PlacedRow* FirstRow(const StateLayout& layout, std::string_view agent_id) {
  for (const PlacedRow* row : CountedRows(layout)) {
    if (row->entry.agent_id == agent_id) return row;
  }
  return nullptr;
}

}  // namespace

StateDocument StateDocument::Template() { return Parse(kTemplate); }

StateDocument StateDocument::Parse(std::string_view text) {
  return StateDocument(internal::MarkdownLines::Split(text));
}

std::string StateDocument::Render() const { return lines_.Join(); }

std::shared_ptr<const StateLayout> StateDocument::Scan() const {
  if (!layout_) layout_ = std::make_shared<const StateLayout>(internal::ScanState(lines_));
  return layout_;
}

void StateDocument::InsertLine(size_t index, std::string text) {
  layout_.reset();
  lines_.Insert(index, std::move(text));
}

void StateDocument::ReplaceLine(size_t index, std::string text) {
  layout_.reset();
  lines_.Replace(index, std::move(text));
}

void StateDocument::EraseLine(size_t index) {
  layout_.reset();
  lines_.Erase(index);
}

std::vector<WorkItem> StateDocument::Items() const {
  std::vector<WorkItem> items;
  for (const PlacedItem& placed : Scan()->items) items.push_back(placed.item);
  return items;
}

std::optional<WorkItem> StateDocument::FindItem(std::string_view id) const {
  if (id.empty()) return std::nullopt;
  for (const PlacedItem& placed : Scan()->items) {
    if (placed.item.id == id) return placed.item;
  }
  return std::nullopt;
}

std::vector<AgentEntry> StateDocument::Agents() const {
  std::shared_ptr<const StateLayout> layout = Scan();
  std::vector<AgentEntry> agents;
  for (const PlacedRow* row : CountedRows(*layout)) agents.push_back(row->entry);
  return agents;
}

std::vector<KeptLine> StateDocument::KeptLines() const {
  std::vector<KeptLine> kept;
  for (const internal::UnplacedLine& line : Scan()->unplaced) {
    kept.push_back({line.line + 1, lines_.text(line.line), line.reason});
  }
  return kept;
}

std::optional<KeptLine> StateDocument::CutShortLine() const {
  std::shared_ptr<const StateLayout> layout = Scan();
  if (!layout->cut_line) return std::nullopt;
  for (const internal::UnplacedLine& line : layout->unplaced) {
    if (line.line == *layout->cut_line) {
      return KeptLine{line.line + 1, lines_.text(line.line), line.reason};
    }
  }
  return std::nullopt;
}

std::optional<size_t> StateDocument::RegistryRowLine(const StateLayout& layout,
                                                     std::string_view agent_id) const {
  for (const PlacedRow& row : layout.rows) {
    if (row.in_registry && row.entry.agent_id == agent_id) return row.line;
  }
  return std::nullopt;
}

std::vector<AgentEntry> StateDocument::ExpectedAgents() const {
  std::vector<WorkItem> items = Items();
  std::vector<AgentEntry> expected;
  auto add = [&](const std::string& agent_id, const std::string& started) {
    for (const AgentEntry& entry : expected) {
      if (entry.agent_id == agent_id) return;
    }
    std::string task = CurrentTask(items, agent_id);
    expected.push_back({.agent_id = agent_id,
                        .current_task = task,
                        .started = task == kNone ? std::string(kNone) : started});
  };
  for (const AgentEntry& row : Agents()) add(row.agent_id, row.started);
  for (const WorkItem& item : items) {
    if (item.status() == WorkStatus::kInProgress) add(*item.claimed_by, std::string(kNone));
  }
  return expected;
}

void StateDocument::AddItemProblems(const StateLayout& layout,
                                    std::vector<std::string>& problems) const {
  std::set<std::string> ids;
  for (const PlacedItem& placed : layout.items) {
    size_t line = placed.line + 1;
    if (placed.item.id.empty()) {
      problems.push_back(fmt::format("line {}: work item has no id", line));
    } else if (!ids.insert(placed.item.id).second) {
      problems.push_back(fmt::format("line {}: duplicate id {}", line, placed.item.id));
    }
    StateSection wanted = SectionFor(placed.item.status());
    if (placed.section != wanted) {
      problems.push_back(fmt::format("line {}: item is {} but sits under '{}'", line,
                                     WorkStatusName(placed.item.status()),
                                     Heading(placed.section)));
    } else if (!placed.first) {
      problems.push_back(
          fmt::format("line {}: item sits under a second '{}' heading", line, Heading(wanted)));
    }
  }
}

void StateDocument::AddRegistryProblems(const StateLayout& layout,
                                        std::vector<std::string>& problems) const {
  for (const PlacedRow& row : layout.rows) {
    size_t line = row.line + 1;
    const PlacedRow* counted = FirstRow(layout, row.entry.agent_id);
    if (counted != &row) {
      problems.push_back(
          fmt::format("line {}: a second registry row of {} (the first is on line "
                      "{}); kept as it is",
                      line, row.entry.agent_id, counted->line + 1));
    } else if (!row.in_registry) {
      problems.push_back(fmt::format(
          "line {}: registry row of {} sits under {}", line, row.entry.agent_id,
          row.section == StateSection::kAgentRegistry ? "a second '## Agent Registry' heading"
                                                      : "'" + Heading(row.section) + "'"));
    }
  }
  if (std::optional<size_t> heading = layout.Heading(StateSection::kAgentRegistry)) {
    std::optional<size_t> first_table;
    bool header = false;
    for (size_t i = *heading + 1, end = internal::SectionEnd(lines_, *heading); i < end; ++i) {
      if (!IsTableLine(lines_.text(i))) continue;
      if (!first_table) first_table = i;
      header = header || ReadRegistryLine(lines_.text(i)).kind == RegistryLine::Kind::kHeader;
    }
    if (first_table && !header) {
      problems.push_back(
          fmt::format("line {}: the registry table has no header row", *first_table + 1));
    }
  }
  for (const AgentEntry& entry : ExpectedAgents()) {
    const PlacedRow* row = FirstRow(layout, entry.agent_id);
    if (row == nullptr) {
      problems.push_back(fmt::format("agent {} has no registry row", entry.agent_id));
    } else if (row->entry.current_task != entry.current_task) {
      problems.push_back(fmt::format("registry row of {} is out of date", entry.agent_id));
    }
  }
}

std::vector<std::string> StateDocument::Problems() const {
  std::shared_ptr<const StateLayout> scan = Scan();
  const StateLayout& layout = *scan;
  std::vector<std::string> problems;
  for (StateSection section : kAllSections) {
    if (!layout.Heading(section)) {
      problems.push_back(fmt::format("missing section '{}'", Heading(section)));
    }
  }
  for (const internal::HeadingLine& heading : layout.headings) {
    if (!heading.section) continue;
    size_t line = heading.line + 1;
    if (!heading.exact) {
      problems.push_back(fmt::format("line {}: heading '{}' is read as '{}'", line,
                                     internal::QuoteForMessage(lines_.text(heading.line), 60),
                                     Heading(*heading.section)));
    }
    if (!heading.first) {
      problems.push_back(fmt::format("line {}: a second '{}' heading (the first is on line {})",
                                     line, Heading(*heading.section),
                                     *layout.Heading(*heading.section) + 1));
    }
  }
  if (layout.counter_line && !layout.counter) {
    problems.push_back(
        fmt::format("line {}: cannot read the next item id; the next write "
                    "rewrites it",
                    *layout.counter_line + 1));
  }
  AddItemProblems(layout, problems);
  AddRegistryProblems(layout, problems);
  for (const internal::UnplacedLine& line : layout.unplaced) {
    problems.push_back(
        fmt::format("line {}: {} (kept as it is; fix it by hand)", line.line + 1, line.reason));
  }
  for (const StaleClaim& stale : marked_stale_) {
    problems.push_back(
        fmt::format("line {}: the claim of {} by {} is stale: {}; another agent "
                    "may take it over",
                    stale.line, stale.item.id.empty() ? "an item" : stale.item.id,
                    stale.item.claimed_by.value_or("-"), stale.reason));
  }
  return problems;
}

std::vector<StaleClaim> StateDocument::StaleClaims(Timestamp now,
                                                   const ProcessTable& processes) const {
  std::vector<StaleClaim> stale;
  std::shared_ptr<const StateLayout> layout = Scan();
  for (const PlacedItem& placed : layout->items) {
    if (placed.item.status() != WorkStatus::kInProgress) continue;
    std::optional<std::string> reason = StaleReason(placed.item.lease, now, processes);
    if (reason) stale.push_back({placed.item, placed.line + 1, std::move(*reason)});
  }
  return stale;
}

WorkItem StateDocument::AddItem(std::string description) {
  marked_stale_.clear();
  WorkItem item{.id = WorkItemId(GiveIdNumber()), .description = std::move(description)};
  InsertItemLine(StateSection::kAvailable, RenderWorkItemLine(item));
  return item;
}

bool StateDocument::UpdateItem(const WorkItem& item) {
  marked_stale_.clear();
  if (item.id.empty()) return false;
  std::shared_ptr<const StateLayout> layout = Scan();
  for (const PlacedItem& placed : layout->items) {
    if (placed.item.id != item.id) continue;
    std::string text = RenderWorkItemLine(item);
    if (placed.section == SectionFor(item.status()) && placed.first) {
      ReplaceLine(placed.line, std::move(text));
    } else {
      EraseLine(placed.line);
      InsertItemLine(SectionFor(item.status()), std::move(text));
    }
    return true;
  }
  return false;
}

void StateDocument::RegisterAgent(std::string_view agent_id) {
  marked_stale_.clear();
  PlaceRow(agent_id);
}

void StateDocument::SetAgentStarted(std::string_view agent_id, std::string started) {
  marked_stale_.clear();
  std::optional<size_t> line = PlaceRow(agent_id);
  if (!line) return;
  std::optional<AgentEntry> row = ParseRegistryRow(lines_.text(*line));
  if (!row) return;
  row->started = std::move(started);
  ReplaceLine(*line, RenderRegistryRow(*row));
}

std::vector<StaleClaim> StateDocument::ReleaseStaleClaims(Timestamp now,
                                                          const ProcessTable& processes) {
  std::vector<StaleClaim> stale = StaleClaims(now, processes);
  marked_stale_.clear();
  for (const StaleClaim& claim : stale) {
    WorkItem item = claim.item;
    item.claimed_by.reset();
    item.lease = {};
    ReplaceLine(claim.line - 1, RenderWorkItemLine(item));
  }
  MoveMisplacedItems();
  return stale;
}

void StateDocument::StampLeases(const ClaimLease& lease) {
  marked_stale_.clear();
  std::shared_ptr<const StateLayout> layout = Scan();
  for (const PlacedItem& placed : layout->items) {
    if (placed.item.status() != WorkStatus::kInProgress || placed.item.lease != ClaimLease{}) {
      continue;
    }
    WorkItem item = placed.item;
    item.lease = lease;
    ReplaceLine(placed.line, RenderWorkItemLine(item));
  }
}

}  // namespace hfs::state
