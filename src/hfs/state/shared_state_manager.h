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
// Reads take no lock: the file is only ever replaced whole (WriteFileAtomic), so a read
// sees the last complete file; a missing or blank file reads as StateDocument::Template().
// Every edit is one read-modify-write under a lock: first this process's WriteQueue (so
// the writes of one process are applied in arrival order), then the FileLock on
// `<state>.lock` (so writers in other processes are excluded), then read, edit, Normalize
// and atomic replace. A refused edit writes nothing.
//
// Failures (the Result's Error): kDeadlineExceeded when the lock is not had within
// `lock_timeout` (the message says what holds it up); kInvalidArgument for a bad agent id
// or description; kNotFound, kPermissionDenied, kUnavailable, kDataLoss from file I/O.
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
  // `clock` (for the registry's Started times) must outlive the manager.
  SharedStateManager(SharedStateOptions options, const Clock& clock);
  SharedStateManager(const SharedStateManager&) = delete;
  SharedStateManager& operator=(const SharedStateManager&) = delete;

  const std::filesystem::path& state_path() const { return options_.state_path; }
  std::filesystem::path MemoryPath(std::string_view agent_id) const;

  // The last complete file, parsed.
  Result<StateDocument> Read() const;
  // The items with `status`, or all of them, in file order.
  Result<std::vector<WorkItem>> Items(std::optional<WorkStatus> status = std::nullopt) const;

  // Adds available items in one write and returns them with their new ids. Every
  // description must pass CheckDescription (else kInvalidArgument and nothing is added).
  Result<std::vector<WorkItem>> AddItems(const std::vector<std::string>& descriptions);
  Result<WorkItem> AddItem(std::string_view description);
  // Marks an available item in progress by `agent_id` and makes it the agent's current
  // task. Refused with kNotAvailable when it is claimed (by anyone, this agent included)
  // or completed, kNotFound when no item has the id.
  Result<ItemUpdate> Claim(std::string_view item_id, std::string_view agent_id);
  // Checks the box of an item the agent has claimed. kAlreadyComplete, kNotOwner (not
  // claimed by this agent), kNotFound.
  Result<ItemUpdate> Complete(std::string_view item_id, std::string_view agent_id);
  // Makes an item the agent has claimed available again. Refusals as for Complete.
  Result<ItemUpdate> Release(std::string_view item_id, std::string_view agent_id);
  // Adds the agent to the Agent Registry (nothing when it is there).
  Result<void> RegisterAgent(std::string_view agent_id);

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

  const SharedStateOptions options_;
  const Clock& clock_;
  WriteQueue queue_;
};

}  // namespace hfs::state
