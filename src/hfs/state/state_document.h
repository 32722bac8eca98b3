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
// from its line. A line that looks like part of the format but cannot be read (a cut
// claim marker, a description that is not UTF-8) is never half read: it is kept as it is
// and listed by KeptLines and Problems with its line number. Normalize makes the rest
// consistent: it adds missing sections, rewrites near-miss headings, gives items without
// an id (or with a duplicate one) a fresh id, moves every item to the section of its
// status and rewrites the registry rows of agents whose work changed. Ids come from the
// `<!-- next item id: w<n> -->` line under the title and the highest id in the file, so
// an id is never handed out twice, even after the end of the file was cut off.
// Thread-compatible value type.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/base/clock.h"
#include "hfs/state/agent_registry.h"
#include "hfs/state/claim_lease.h"
#include "hfs/state/internal/markdown_lines.h"
#include "hfs/state/process_table.h"
#include "hfs/state/state_section.h"
#include "hfs/state/work_item.h"

namespace hfs::state {

namespace internal {
struct StateLayout;
}  // namespace internal

// A line that looks like part of the format but cannot be placed: kept as it is.
struct KeptLine {
  // 1-based.
  size_t line = 0;
  std::string text;
  std::string reason;
};

// A claim whose lease ran out or whose process is gone (hfs/state/claim_lease.h).
struct StaleClaim {
  WorkItem item;
  // 1-based.
  size_t line = 0;
  // "process 4242 on build-01 is gone".
  std::string reason;
};

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
  // One row per agent: the rows of the Agent Registry table in table order, then rows
  // that lost their heading and sit in a status section, for agents the table lacks.
  std::vector<AgentEntry> Agents() const;
  // The lines kept as they are because they cannot be read or placed.
  std::vector<KeptLine> KeptLines() const;
  // The last line, when the file ends without a line break in a work item whose status
  // disagrees with its section (`- [ ] [#w2] Pricing` under In Progress: perhaps an item
  // cut short before its claim marker). Any edit would end that line and so turn the guess
  // into the item's status: Normalize leaves such a file as it is, and the manager refuses
  // to write it until someone ends or fixes the line.
  std::optional<KeptLine> CutShortLine() const;
  // What is wrong, one readable line each: what Normalize fixes (a missing section, a
  // near-miss heading, an item in the wrong section, a missing or duplicate id, a stale
  // registry row), the kept lines, and the claims marked stale; empty when consistent.
  std::vector<std::string> Problems() const;

  // The claims in progress that are stale at `now`.
  std::vector<StaleClaim> StaleClaims(Timestamp now, const ProcessTable& processes) const;
  // Remembers stale claims (as found by StaleClaims) for Problems to list; any edit
  // forgets them.
  void MarkStale(std::vector<StaleClaim> stale) { marked_stale_ = std::move(stale); }
  const std::vector<StaleClaim>& marked_stale() const { return marked_stale_; }

  // Appends an available item with the next free id to Available Work Items.
  // `description` must have passed CheckDescription.
  WorkItem AddItem(std::string description);
  // Rewrites the line of the item with `item.id` and moves it to the section of its
  // status. False (and nothing changed) when no item has that id.
  bool UpdateItem(const WorkItem& item);
  // Adds a registry row for the agent when it has none (nothing for an invalid id).
  void RegisterAgent(std::string_view agent_id);
  // Sets the Started cell of the agent's row (adding the row when missing).
  void SetAgentStarted(std::string_view agent_id, std::string started);
  // Makes the stale claims available again; returns them.
  std::vector<StaleClaim> ReleaseStaleClaims(Timestamp now, const ProcessTable& processes);
  // Gives `lease` to every claim in progress that has none (written before leases).
  void StampLeases(const ClaimLease& lease);
  // Does nothing while CutShortLine() is set.
  void Normalize();

 private:
  explicit StateDocument(internal::MarkdownLines lines) : lines_(std::move(lines)) {}
  // Where everything is, scanned once per version of the lines and shared until an edit.
  std::shared_ptr<const internal::StateLayout> Scan() const;
  // Every edit of the lines goes through these, which forget the scan.
  void InsertLine(size_t index, std::string text);
  void ReplaceLine(size_t index, std::string text);
  void EraseLine(size_t index);
  std::optional<size_t> RegistryRowLine(const internal::StateLayout& layout,
                                        std::string_view agent_id) const;
  // The registry rows as they should be: every row and every claiming agent, with the
  // agent's items in progress.
  std::vector<AgentEntry> ExpectedAgents() const;
  void AddItemProblems(const internal::StateLayout& layout,
                       std::vector<std::string>& problems) const;
  void AddRegistryProblems(const internal::StateLayout& layout,
                           std::vector<std::string>& problems) const;

  // Edits (state_document_repair.cc).
  size_t EnsureSection(StateSection section);
  std::optional<size_t> OrphanRegistryTable() const;
  void EnsureRegistryHeader();
  void InsertItemLine(StateSection section, std::string text);
  // Sets the `<!-- next item id -->` line, adding it under the title when missing.
  void WriteCounter(uint64_t next);
  uint64_t GiveIdNumber();
  void AssignMissingIds();
  void MoveMisplacedItems();
  void CanonicalizeHeadings();
  void RemoveEmptyDuplicateHeadings();
  void RepairCounter();
  // The line of the agent's row in the registry table: the row there, a misplaced row
  // moved there, or a new row. Nullopt for an invalid agent id.
  std::optional<size_t> PlaceRow(std::string_view agent_id);
  void MoveMisplacedRows();
  void SyncRegistry();

  internal::MarkdownLines lines_;
  mutable std::shared_ptr<const internal::StateLayout> layout_;
  std::vector<StaleClaim> marked_stale_;
};

}  // namespace hfs::state
