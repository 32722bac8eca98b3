// hfs/state/state_document.h
//
// StateDocument: the shared state file `.hfs/state.md` (docs/state-format.md,
// hfs-original §7.1) as a document: work items in the Available Work Items, In Progress
// and Completed sections, and the Agent Registry table. Parse never fails and Render gives
// back the same bytes until something is edited: lines it does not understand (prose,
// other sections, checklists elsewhere, CRLF endings, a missing final newline) are kept
// byte for byte, and an edit rewrites only the lines it concerns.
//
//   StateDocument doc = StateDocument::Parse(text);      // or StateDocument::Template()
//   WorkItem item = doc.AddItem("Build auth module");    // [#w1], in Available
//   item.claimed_by = "agent-1";
//   doc.UpdateItem(item);                                // moves it to In Progress
//   doc.Normalize();                                     // sections, ids, registry
//   std::string out = doc.Render();
//
// Work items are the checkbox lines of the three status sections; an item's status comes
// from its line. Normalize makes the file consistent: it adds missing sections, gives
// items without an id (or with a duplicate one) a fresh id, moves every item to the
// section of its status and rewrites the registry rows of agents whose work changed.
// Thread-compatible value type.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/state/agent_registry.h"
#include "hfs/state/internal/markdown_lines.h"
#include "hfs/state/work_item.h"

namespace hfs::state {

enum class StateSection { kAvailable, kInProgress, kCompleted, kAgentRegistry };

// "Available Work Items", "In Progress", "Completed", "Agent Registry".
std::string_view StateSectionTitle(StateSection section);
// The section that holds items of `status`.
StateSection SectionFor(WorkStatus status);

class StateDocument {
 public:
  // The empty file of hfs-original §7.1: a title, the four sections and the table header.
  static StateDocument Template();
  static StateDocument Parse(std::string_view text);
  std::string Render() const;

  // Every work item, in file order.
  std::vector<WorkItem> Items() const;
  // The first item with this id, or nullopt.
  std::optional<WorkItem> FindItem(std::string_view id) const;
  // The rows of the Agent Registry table, in table order.
  std::vector<AgentEntry> Agents() const;
  // What Normalize would fix, one readable line each (a missing section, an item in the
  // wrong section, a missing or duplicate id, a stale registry row); empty when consistent.
  std::vector<std::string> Problems() const;

  // Appends an available item with the next free id ("w<max+1>") to Available Work Items.
  // `description` must have passed CheckDescription.
  WorkItem AddItem(std::string description);
  // Rewrites the line of the item with `item.id` (which must exist) and moves it to the
  // section of its status.
  void UpdateItem(const WorkItem& item);
  // Adds a registry row for the agent when it has none.
  void RegisterAgent(std::string_view agent_id);
  // Sets the Started cell of the agent's row (adding the row when missing).
  void SetAgentStarted(std::string_view agent_id, std::string started);
  void Normalize();

 private:
  struct Located {
    size_t line;
    StateSection section;
    WorkItem item;
  };

  explicit StateDocument(internal::MarkdownLines lines) : lines_(std::move(lines)) {}
  std::vector<Located> Locate() const;
  std::optional<size_t> RegistryRowLine(std::string_view agent_id) const;
  // The registry rows as they should be: every row and every claiming agent, with the
  // agent's items in progress.
  std::vector<AgentEntry> ExpectedAgents() const;
  size_t EnsureSection(StateSection section);
  void EnsureRegistryHeader();
  void InsertItemLine(StateSection section, std::string text);
  void AssignMissingIds();
  void MoveMisplacedItems();
  void SyncRegistry();
  int NextIdNumber() const;

  internal::MarkdownLines lines_;
};

}  // namespace hfs::state
