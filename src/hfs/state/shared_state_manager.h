// hfs/state/shared_state_manager.h
//
// SharedStateManager: the agents' coordination layer over the shared state file
// (`.hfs/state.md`, docs/state-format.md) and the per-agent memory files. Any agent can
// see what is available and what is claimed, add work, claim an item, complete it or
// release it, and keep private notes.
//
//   SystemClock clock;
//   SharedStateManager state({.state_path = ".hfs/state.md"}, clock);
//   std::vector<WorkItem> added = HFS_TRY(state.AddItems({"Hero section", "Footer"}));
//   ItemUpdate claim = HFS_TRY(state.Claim(added[0].id, "layout_leader"));
//   if (!claim.applied()) ...            // claim.refusal, claim.message, claim.hint
//   HFS_TRY(state.Complete(added[0].id, "layout_leader"));
//
// Reads take no lock: the file is only ever replaced whole (write beside it, rename), so a
// read sees the last complete file; a missing or blank file reads as
// StateDocument::Template(). Every edit is one read-modify-write under a lock: first this
// process's WriteQueue (so the writes of one process are applied in arrival order), then
// the file locks (internal/state_file_lock.h: `<state>.lock` and the state file itself,
// each checked by inode, so writers in other processes are excluded even when a lock file
// is deleted by hand), then removal of temporary files dead writers left, read, edit,
// release of stale claims, Normalize and atomic replace. A refused edit writes nothing.
//
// Claims carry a lease (hfs/state/claim_lease.h): the claiming process and a time
// `lease_time` ahead. A claim whose process is gone or whose time ran out is stale:
// Items lists its item as available, Claim takes it over (also for the same agent, as
// after a restart), Read marks it for StateDocument::Problems, and the next write
// releases it. RenewClaims moves an agent's leases forward.
//
// Failures (the Result's Error): kDeadlineExceeded when the lock is not had within
// `lock_timeout` (the message says what holds it up); kInvalidArgument for a bad agent id
// or description; kFailedPrecondition for an edit of a file that ends in a work item cut
// short (StateDocument::CutShortLine); kNotFound, kPermissionDenied, kUnavailable,
// kDataLoss from file I/O.
// Refusals are not errors but data (ItemUpdate::refusal).
//
// Thread-safe; several managers on the same files, in one process or many, exclude each
// other through the file lock.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/base/clock.h"
#include "hfs/base/error.h"
#include "hfs/state/agent_memory.h"
#include "hfs/state/claim_lease.h"
#include "hfs/state/process_table.h"
#include "hfs/state/state_document.h"
#include "hfs/state/work_item.h"
#include "hfs/state/write_queue.h"

namespace hfs::state {

// `.hfs/state.md`, relative to the working directory.
std::filesystem::path DefaultStatePath();

struct SharedStateOptions {
  std::filesystem::path state_path = DefaultStatePath();
  // Where `<agent id>.md` memory files live; empty means `agents/` beside the state file
  // (`.hfs/agents/` for the default state path).
  std::filesystem::path memory_dir;
  // The longest an edit waits for its turn and the file lock together.
  std::chrono::milliseconds lock_timeout = std::chrono::seconds(30);
  // How long a claim holds before another agent may take it over, unless renewed (a
  // claim whose process is gone is stale at once). Zero: claims run out only with their
  // process.
  std::chrono::seconds lease_time = std::chrono::minutes(30);
  // Tells whether a claim's process still runs; null for this machine's process table.
  // Must outlive the manager.
  const ProcessTable* processes = nullptr;
};

// Why an edit was not applied (the tools' error_reason).
enum class Refusal { kNotFound, kNotAvailable, kNotOwner, kAlreadyComplete };

// "not_found", "not_available", "not_owner", "already_complete".
std::string_view RefusalName(Refusal refusal);

struct ItemUpdate {
  // Set when the edit was refused; nothing was written then.
  std::optional<Refusal> refusal;
  // The item after the edit, or as it stands when refused (empty for kNotFound).
  WorkItem item;
  // "Claimed w3 (Hero section)" or why not, for people and models.
  std::string message;
  // What to do instead, when refused.
  std::string hint;

  bool applied() const { return !refusal.has_value(); }
};

class SharedStateManager {
 public:
  // `clock` (for the registry's Started times and the leases) must outlive the manager.
  SharedStateManager(SharedStateOptions options, const Clock& clock);
  SharedStateManager(const SharedStateManager&) = delete;
  SharedStateManager& operator=(const SharedStateManager&) = delete;

  const std::filesystem::path& state_path() const { return options_.state_path; }
  std::filesystem::path MemoryPath(std::string_view agent_id) const;

  // The last complete file, parsed, with its stale claims marked (StateDocument::Problems
  // lists them).
  Result<StateDocument> Read() const;
  // The items with `status`, or all of them, in file order. An item whose claim is stale
  // is listed as available (without claimed_by): any agent may claim it.
  Result<std::vector<WorkItem>> Items(std::optional<WorkStatus> status = std::nullopt) const;
  // The claims that are stale now.
  Result<std::vector<StaleClaim>> StaleClaims() const;

  // Adds available items in one write and returns them with their new ids. Every
  // description must pass CheckDescription (else kInvalidArgument and nothing is added).
  Result<std::vector<WorkItem>> AddItems(const std::vector<std::string>& descriptions);
  Result<WorkItem> AddItem(std::string_view description);
  // Marks an available item in progress by `agent_id`, with a lease of this process, and
  // makes it the agent's current task. An item whose claim is stale counts as available
  // (the message says whose claim was taken over). Refused with kNotAvailable when it is
  // claimed (by anyone, this agent included) and the claim holds, or completed; kNotFound
  // when no item has the id.
  Result<ItemUpdate> Claim(std::string_view item_id, std::string_view agent_id);
  // Checks the box of an item the agent has claimed. kAlreadyComplete, kNotOwner (not
  // claimed by this agent), kNotFound.
  Result<ItemUpdate> Complete(std::string_view item_id, std::string_view agent_id);
  // Makes an item the agent has claimed available again. Refusals as for Complete.
  Result<ItemUpdate> Release(std::string_view item_id, std::string_view agent_id);
  // Adds the agent to the Agent Registry (nothing when it is there).
  Result<void> RegisterAgent(std::string_view agent_id);
  // Gives every item the agent has in progress a new lease (this process, `lease_time`
  // from now), as a heartbeat for long work. Returns how many; writes nothing for none.
  Result<size_t> RenewClaims(std::string_view agent_id);

  // The agent's memory file, or its template when there is none yet.
  Result<std::string> ReadAgentMemory(std::string_view agent_id) const;
  // Replaces or appends to one section of the agent's memory file, under the memory
  // file's own lock, replaced atomically. Returns the section's new text.
  Result<std::string> UpdateAgentMemory(std::string_view agent_id, MemorySection section,
                                        std::string_view content, MemoryWrite mode);

 private:
  // Returns false when nothing is to be written.
  using Edit = std::function<Result<bool>(StateDocument&)>;
  Result<void> Mutate(const Edit& edit);
  Result<ItemUpdate> UpdateItem(std::string_view item_id, std::string_view agent_id,
                                const std::function<ItemUpdate(WorkItem, StateDocument&)>& change);

  // A lease for a claim made now by this process.
  ClaimLease NewLease(Timestamp now) const;

  const SharedStateOptions options_;
  const Clock& clock_;
  const SystemProcessTable system_processes_;
  const ProcessTable& processes_;
  WriteQueue queue_;
};

}  // namespace hfs::state
