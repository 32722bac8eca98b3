// hfs/state/work_item.h
//
// WorkItem: one unit of work in the shared state file (docs/state-format.md), written as
// one checkbox line with a stable id token and, while an agent works on it, a claim
// marker with the claim's lease (hfs/state/claim_lease.h):
//
//   - [ ] [#w3] Build auth module                                   available
//   - [ ] [#w3] Build auth module [IP:agent-1 until=... pid=...]    in progress
//   - [x] [#w3] Build auth module                                   completed
//
//   WorkItemLine line = ReadWorkItemLine("- [ ] [#w3] Build auth [IP:a1]");
//   if (line.kind == WorkItemLine::Kind::kItem) line.item.status();   // kInProgress
//   std::string text = RenderWorkItemLine(line.item);
//
// The status comes from the line: checked is completed, else a claim marker is in
// progress, else available. A line that looks like a work item but breaks a rule (a cut
// id token or marker, two markers, a description that is not UTF-8 or too long) is
// kUnreadable with the reason, never half read. Pure functions and a value type;
// thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "hfs/base/error.h"
#include "hfs/state/claim_lease.h"

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
  // The claim's lease; empty for a claim written without one.
  ClaimLease lease;

  WorkStatus status() const;
  bool operator==(const WorkItem&) const = default;
};

// How one line reads.
struct WorkItemLine {
  enum class Kind {
    // Not a work item line: prose, a table, a heading, a list item without a checkbox.
    kNone,
    kItem,
    // A line that starts like a work item (`- [`) but cannot be read as one.
    kUnreadable,
  };
  Kind kind = Kind::kNone;
  // The item of a kItem line.
  WorkItem item;
  // Why a kUnreadable line cannot be read ("its claim marker '[IP:layo' is cut off").
  std::string problem;
};

WorkItemLine ReadWorkItemLine(std::string_view line);
// The item of a kItem line, or nullopt.
std::optional<WorkItem> ParseWorkItemLine(std::string_view line);
// "- [ ] [#w3] Build auth module [IP:agent-1 ...]" (no id token when the id is empty).
std::string RenderWorkItemLine(const WorkItem& item);

// The largest number of a "w<number>" id the manager hands out (18 digits), so that the
// next number can never overflow.
inline constexpr uint64_t kMaxWorkItemNumber = 999'999'999'999'999'999;
// "w<number>", the ids the manager hands out.
std::string WorkItemId(uint64_t number);
// The number of a "w<number>" id of at most 18 digits, or nullopt for any other id.
std::optional<uint64_t> WorkItemNumber(std::string_view id);

// The description, trimmed, when it fits on a checkbox line: not blank, one line, valid
// UTF-8 without control characters (tabs allowed), at most 500 characters (code points),
// no "[IP:", no leading "[#" and no trailing "[", "[I" or "[IP" (what a line cut inside
// its claim marker ends with). kInvalidArgument naming the rule otherwise.
Result<std::string> CheckDescription(std::string_view description);
// Agent ids name memory files and table cells: 1-64 characters of letters, digits, '_',
// '-' and '.', starting with a letter or digit. kInvalidArgument otherwise.
Result<void> CheckAgentId(std::string_view agent_id);

}  // namespace hfs::state
