#include "hfs/state/state_document.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "hfs/base/check.h"

namespace hfs::state {
namespace {

using internal::IsBlank;

constexpr StateSection kItemSections[] = {StateSection::kAvailable, StateSection::kInProgress,
                                          StateSection::kCompleted};
constexpr StateSection kAllSections[] = {StateSection::kAvailable, StateSection::kInProgress,
                                         StateSection::kCompleted, StateSection::kAgentRegistry};

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
  return task.empty() ? std::string(kNone) : task;
}

}  // namespace

std::string_view StateSectionTitle(StateSection section) {
  switch (section) {
    case StateSection::kAvailable:
      return "Available Work Items";
    case StateSection::kInProgress:
      return "In Progress";
    case StateSection::kCompleted:
      return "Completed";
    case StateSection::kAgentRegistry:
      return "Agent Registry";
  }
  return "Available Work Items";
}

StateSection SectionFor(WorkStatus status) {
  switch (status) {
    case WorkStatus::kAvailable:
      return StateSection::kAvailable;
    case WorkStatus::kInProgress:
      return StateSection::kInProgress;
    case WorkStatus::kCompleted:
      return StateSection::kCompleted;
  }
  return StateSection::kAvailable;
}

StateDocument StateDocument::Template() { return Parse(kTemplate); }

StateDocument StateDocument::Parse(std::string_view text) {
  return StateDocument(internal::MarkdownLines::Split(text));
}

std::string StateDocument::Render() const { return lines_.Join(); }

std::vector<StateDocument::Located> StateDocument::Locate() const {
  std::vector<Located> located;
  for (StateSection section : kItemSections) {
    std::optional<size_t> heading = lines_.FindHeading(StateSectionTitle(section));
    if (!heading) continue;
    for (size_t i = *heading + 1, end = lines_.SectionEnd(*heading); i < end; ++i) {
      if (auto item = ParseWorkItemLine(lines_.text(i))) {
        located.push_back({i, section, std::move(*item)});
      }
    }
  }
  std::sort(located.begin(), located.end(),
            [](const Located& a, const Located& b) { return a.line < b.line; });
  return located;
}

std::vector<WorkItem> StateDocument::Items() const {
  std::vector<WorkItem> items;
  for (Located& located : Locate()) items.push_back(std::move(located.item));
  return items;
}

std::optional<WorkItem> StateDocument::FindItem(std::string_view id) const {
  for (Located& located : Locate()) {
    if (located.item.id == id) return std::move(located.item);
  }
  return std::nullopt;
}

std::vector<AgentEntry> StateDocument::Agents() const {
  std::vector<AgentEntry> agents;
  std::optional<size_t> heading =
      lines_.FindHeading(StateSectionTitle(StateSection::kAgentRegistry));
  if (!heading) return agents;
  for (size_t i = *heading + 1, end = lines_.SectionEnd(*heading); i < end; ++i) {
    if (auto row = ParseRegistryRow(lines_.text(i))) agents.push_back(std::move(*row));
  }
  return agents;
}

std::optional<size_t> StateDocument::RegistryRowLine(std::string_view agent_id) const {
  std::optional<size_t> heading =
      lines_.FindHeading(StateSectionTitle(StateSection::kAgentRegistry));
  if (!heading) return std::nullopt;
  for (size_t i = *heading + 1, end = lines_.SectionEnd(*heading); i < end; ++i) {
    std::optional<AgentEntry> row = ParseRegistryRow(lines_.text(i));
    if (row && row->agent_id == agent_id) return i;
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

std::vector<std::string> StateDocument::Problems() const {
  std::vector<std::string> problems;
  for (StateSection section : kAllSections) {
    if (!lines_.FindHeading(StateSectionTitle(section))) {
      problems.push_back(fmt::format("missing section '{}'", Heading(section)));
    }
  }
  std::set<std::string> ids;
  for (const Located& located : Locate()) {
    size_t line = located.line + 1;
    if (located.item.id.empty()) {
      problems.push_back(fmt::format("line {}: work item has no id", line));
    } else if (!ids.insert(located.item.id).second) {
      problems.push_back(fmt::format("line {}: duplicate id {}", line, located.item.id));
    }
    StateSection wanted = SectionFor(located.item.status());
    if (located.section != wanted) {
      problems.push_back(fmt::format("line {}: item is {} but sits under '{}'", line,
                                     WorkStatusName(located.item.status()),
                                     Heading(located.section)));
    }
  }
  for (const AgentEntry& entry : ExpectedAgents()) {
    std::optional<size_t> line = RegistryRowLine(entry.agent_id);
    std::optional<AgentEntry> row = line ? ParseRegistryRow(lines_.text(*line)) : std::nullopt;
    if (!row) {
      problems.push_back(fmt::format("agent {} has no registry row", entry.agent_id));
    } else if (row->current_task != entry.current_task) {
      problems.push_back(fmt::format("registry row of {} is out of date", entry.agent_id));
    }
  }
  return problems;
}

size_t StateDocument::EnsureSection(StateSection section) {
  if (auto heading = lines_.FindHeading(StateSectionTitle(section))) return *heading;
  size_t heading = lines_.size();
  for (StateSection later : kAllSections) {
    if (later <= section) continue;
    if (auto next = lines_.FindHeading(StateSectionTitle(later))) {
      lines_.Insert(*next, "");
      lines_.Insert(*next, Heading(section));
      heading = *next;
      break;
    }
  }
  if (heading == lines_.size()) {
    if (heading > 0 && !IsBlank(lines_.text(heading - 1))) lines_.Insert(heading++, "");
    lines_.Insert(heading, Heading(section));
  }
  if (section == StateSection::kAgentRegistry) EnsureRegistryHeader();
  return heading;
}

void StateDocument::EnsureRegistryHeader() {
  size_t heading = EnsureSection(StateSection::kAgentRegistry);
  for (size_t i = heading + 1, end = lines_.SectionEnd(heading); i < end; ++i) {
    if (IsTableLine(lines_.text(i))) return;
  }
  lines_.Insert(heading + 1, std::string(kRegistrySeparator));
  lines_.Insert(heading + 1, std::string(kRegistryHeader));
}

void StateDocument::InsertItemLine(StateSection section, std::string text) {
  size_t heading = EnsureSection(section);
  size_t end = lines_.SectionEnd(heading);
  size_t position = heading + 1;
  bool after_item = false;
  for (size_t i = heading + 1; i < end; ++i) {
    bool item = ParseWorkItemLine(lines_.text(i)).has_value();
    if (item || (!after_item && !IsBlank(lines_.text(i)))) position = i + 1;
    after_item = after_item || item;
  }
  lines_.Insert(position, std::move(text));
}

int StateDocument::NextIdNumber() const {
  int highest = 0;
  for (const internal::Line& line : lines_.lines()) {
    std::optional<WorkItem> item = ParseWorkItemLine(line.text);
    if (!item) continue;
    highest = std::max(highest, WorkItemNumber(item->id).value_or(0));
  }
  return highest + 1;
}

WorkItem StateDocument::AddItem(std::string description) {
  WorkItem item{.id = WorkItemId(NextIdNumber()), .description = std::move(description)};
  InsertItemLine(StateSection::kAvailable, RenderWorkItemLine(item));
  return item;
}

void StateDocument::UpdateItem(const WorkItem& item) {
  for (const Located& located : Locate()) {
    if (located.item.id != item.id) continue;
    std::string text = RenderWorkItemLine(item);
    if (located.section == SectionFor(item.status())) {
      lines_.Replace(located.line, std::move(text));
    } else {
      lines_.Erase(located.line);
      InsertItemLine(SectionFor(item.status()), std::move(text));
    }
    return;
  }
  HFS_CHECK(false, "StateDocument::UpdateItem: no item " + item.id);
}

void StateDocument::RegisterAgent(std::string_view agent_id) {
  if (RegistryRowLine(agent_id)) return;
  size_t heading = EnsureSection(StateSection::kAgentRegistry);
  EnsureRegistryHeader();
  size_t position = heading + 1;
  for (size_t i = heading + 1, end = lines_.SectionEnd(heading); i < end; ++i) {
    if (IsTableLine(lines_.text(i))) position = i + 1;
  }
  lines_.Insert(position, RenderRegistryRow({.agent_id = std::string(agent_id)}));
}

void StateDocument::SetAgentStarted(std::string_view agent_id, std::string started) {
  RegisterAgent(agent_id);
  size_t line = *RegistryRowLine(agent_id);
  AgentEntry row = *ParseRegistryRow(lines_.text(line));
  row.started = std::move(started);
  lines_.Replace(line, RenderRegistryRow(row));
}

void StateDocument::AssignMissingIds() {
  std::set<std::string> seen;
  for (Located& located : Locate()) {
    if (!located.item.id.empty() && seen.insert(located.item.id).second) continue;
    located.item.id = WorkItemId(NextIdNumber());
    seen.insert(located.item.id);
    lines_.Replace(located.line, RenderWorkItemLine(located.item));
  }
}

void StateDocument::MoveMisplacedItems() {
  while (true) {
    std::vector<Located> located = Locate();
    auto misplaced = std::find_if(located.begin(), located.end(), [](const Located& l) {
      return l.section != SectionFor(l.item.status());
    });
    if (misplaced == located.end()) return;
    std::string text = lines_.text(misplaced->line);
    lines_.Erase(misplaced->line);
    InsertItemLine(SectionFor(misplaced->item.status()), std::move(text));
  }
}

void StateDocument::SyncRegistry() {
  for (const AgentEntry& entry : ExpectedAgents()) {
    RegisterAgent(entry.agent_id);
    size_t line = *RegistryRowLine(entry.agent_id);
    if (ParseRegistryRow(lines_.text(line)) != entry) {
      lines_.Replace(line, RenderRegistryRow(entry));
    }
  }
}

void StateDocument::Normalize() {
  for (StateSection section : kAllSections) EnsureSection(section);
  AssignMissingIds();
  MoveMisplacedItems();
  SyncRegistry();
}

}  // namespace hfs::state
