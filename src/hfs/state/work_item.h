// hfs/state/work_item.h
//
// WorkItem: one unit of work in the shared state file (docs/state-format.md), written as
// one checkbox line with a stable id token and, while an agent works on it, an IP marker:
//
//   - [ ] [#w3] Build auth module              available
//   - [ ] [#w3] Build auth module [IP:agent-1] in progress, claimed by agent-1
//   - [x] [#w3] Build auth module              completed
//
//   std::optional<WorkItem> item = ParseWorkItemLine("- [ ] [#w3] Build auth [IP:a1]");
//   item->status();                       // WorkStatus::kInProgress
//   std::string line = RenderWorkItemLine(*item);
//
// The status comes from the line: checked is completed, else an IP marker is in
// progress, else available. Pure functions and a value type; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "hfs/base/error.h"

namespace hfs::state {

enum class WorkStatus { kAvailable, kInProgress, kCompleted };

// "available", "in_progress", "completed".
std::string_view WorkStatusName(WorkStatus status);
std::optional<WorkStatus> ParseWorkStatus(std::string_view name);

struct WorkItem {
  // "w3"; empty for a hand-written line that has no id yet (the next write gives it one).
  std::string id;
  std::string description;
  bool checked = false;
  // The agent of the `[IP:agent]` marker.
  std::optional<std::string> claimed_by;

  WorkStatus status() const;
  bool operator==(const WorkItem&) const = default;
};

// The item on a checkbox line (`- [ ]`, `- [x]`, `- [X]`, any indentation), or nullopt
// when the line is not one.
std::optional<WorkItem> ParseWorkItemLine(std::string_view line);
// "- [ ] [#w3] Build auth module [IP:agent-1]" (no id token when the id is empty).
std::string RenderWorkItemLine(const WorkItem& item);

// "w<number>", the ids the manager hands out.
std::string WorkItemId(int number);
// The number of a "w<number>" id, or nullopt for any other id.
std::optional<int> WorkItemNumber(std::string_view id);

// The description, trimmed, when it fits on a checkbox line: not blank, at most 500
// characters, no line break, no "[IP:" and no leading "[#". kInvalidArgument otherwise.
Result<std::string> CheckDescription(std::string_view description);
// Agent ids name memory files and table cells: 1-64 characters of letters, digits, '_',
// '-' and '.', starting with a letter or digit. kInvalidArgument otherwise.
Result<void> CheckAgentId(std::string_view agent_id);

}  // namespace hfs::state
