#include "hfs/state/shared_state_manager.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "hfs/base/file.h"
#include "hfs/base/file_lock.h"
#include "hfs/base/try.h"
#include "hfs/state/internal/replace_file.h"
#include "hfs/state/internal/state_file_lock.h"

namespace hfs::state {
namespace {

using std::chrono::milliseconds;

constexpr std::string_view kPickAnother =
    "Pick another item: get_work_items with status 'available' lists them.";

// Reads `path` with `parse`; `fallback` when the file is missing or blank.
template <class Document, class Parse, class Fallback>
Result<Document> ReadOr(const std::filesystem::path& path, Parse parse, Fallback fallback) {
  Result<std::string> text = ReadFile(path);
  if (!text) {
    if (text.error().code == ErrorCode::kNotFound) return fallback();
    return Fail(text.error());
  }
  if (text->find_first_not_of(" \t\r\n") == std::string::npos) return fallback();
  return parse(*text);
}

Result<StateDocument> ReadState(const std::filesystem::path& path) {
  return ReadOr<StateDocument>(path, StateDocument::Parse, StateDocument::Template);
}

milliseconds Remaining(std::chrono::steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
  return std::max(left, milliseconds(0));
}

ItemUpdate Refused(Refusal refusal, WorkItem item, std::string message, std::string hint) {
  return {.refusal = refusal,
          .item = std::move(item),
          .message = std::move(message),
          .hint = std::move(hint)};
}

// The refusal for completing or releasing `item`, which `agent_id` must hold; nullopt
// when it may.
std::optional<ItemUpdate> CheckHolder(const WorkItem& item, std::string_view agent_id,
                                      std::string_view verb) {
  if (item.status() == WorkStatus::kCompleted) {
    return Refused(Refusal::kAlreadyComplete, item, fmt::format("{} is already completed", item.id),
                   std::string(kPickAnother));
  }
  if (item.claimed_by != agent_id) {
    std::string holder = item.claimed_by ? "claimed by " + *item.claimed_by : "not claimed";
    return Refused(Refusal::kNotOwner, item,
                   fmt::format("Cannot {} {}: it is {}, not by you", verb, item.id, holder),
                   fmt::format("Only the agent that claimed an item can {} it; claim it first "
                               "when it is available.",
                               verb));
  }
  return std::nullopt;
}

// "No work item with id 'w3'", saying which kept line has the id when one does.
std::string NotFoundMessage(const StateDocument& document, std::string_view item_id) {
  std::string message = fmt::format("No work item with id '{}'", item_id);
  std::string token = fmt::format("[#{}]", item_id);
  for (const KeptLine& kept : document.KeptLines()) {
    if (kept.text.find(token) == std::string::npos) continue;
    message += fmt::format(" (line {} has it but cannot be read: {})", kept.line, kept.reason);
    break;
  }
  return message;
}

}  // namespace

std::filesystem::path DefaultStatePath() { return std::filesystem::path(".hfs") / "state.md"; }

std::string_view RefusalName(Refusal refusal) {
  switch (refusal) {
    case Refusal::kNotFound:
      return "not_found";
    case Refusal::kNotAvailable:
      return "not_available";
    case Refusal::kNotOwner:
      return "not_owner";
    case Refusal::kAlreadyComplete:
      return "already_complete";
  }
  return "not_found";
}

SharedStateManager::SharedStateManager(SharedStateOptions options, const Clock& clock)
    : options_(std::move(options)),
      clock_(clock),
      processes_(options_.processes != nullptr ? *options_.processes : system_processes_) {}

std::filesystem::path SharedStateManager::MemoryPath(std::string_view agent_id) const {
  std::filesystem::path dir = options_.memory_dir.empty()
                                  ? options_.state_path.parent_path() / "agents"
                                  : options_.memory_dir;
  return dir / (std::string(agent_id) + ".md");
}

Result<StateDocument> SharedStateManager::Read() const {
  StateDocument document = HFS_TRY(ReadState(options_.state_path));
  document.MarkStale(document.StaleClaims(clock_.Now(), processes_));
  return document;
}

Result<std::vector<StaleClaim>> SharedStateManager::StaleClaims() const {
  StateDocument document = HFS_TRY(ReadState(options_.state_path));
  return document.StaleClaims(clock_.Now(), processes_);
}

Result<std::vector<WorkItem>> SharedStateManager::Items(std::optional<WorkStatus> status) const {
  StateDocument document = HFS_TRY(ReadState(options_.state_path));
  std::vector<StaleClaim> stale = document.StaleClaims(clock_.Now(), processes_);
  std::vector<WorkItem> items = document.Items();
  for (WorkItem& item : items) {
    bool is_stale = std::any_of(stale.begin(), stale.end(),
                                [&](const StaleClaim& claim) { return claim.item == item; });
    if (!is_stale) continue;
    item.claimed_by.reset();
    item.lease = {};
  }
  if (status) {
    std::erase_if(items, [&](const WorkItem& item) { return item.status() != *status; });
  }
  return items;
}

Result<void> SharedStateManager::Mutate(const Edit& edit) {
  std::string path = options_.state_path.string();
  auto deadline = std::chrono::steady_clock::now() + options_.lock_timeout;
  auto timeout = [&](const Error& error) {
    return Error{error.code, fmt::format("shared state {}: lock timeout after {} ms: {}", path,
                                         options_.lock_timeout.count(), error.message)};
  };
  Result<WriteQueue::Turn> turn = queue_.Wait(deadline);
  if (!turn) return Fail(timeout(turn.error()));
  Result<internal::StateFileLock> lock =
      internal::StateFileLock::Acquire(options_.state_path, Remaining(deadline));
  if (!lock) {
    if (lock.error().code == ErrorCode::kDeadlineExceeded) return Fail(timeout(lock.error()));
    return Fail(lock.error());
  }
  internal::RemoveLeftoverTemps(options_.state_path, processes_);
  StateDocument document = HFS_TRY(ReadState(options_.state_path));
  if (std::optional<KeptLine> cut = document.CutShortLine()) {
    return Fail(ErrorCode::kFailedPrecondition,
                fmt::format("shared state {}: line {} may be cut short ({}); end it with a line "
                            "break or fix it by hand, then write again",
                            path, cut->line, cut->text));
  }
  if (!HFS_TRY(edit(document))) return Ok();
  Timestamp now = clock_.Now();
  document.ReleaseStaleClaims(now, processes_);
  // Claims written before leases (or by hand) run out `lease_time` from now.
  if (options_.lease_time > std::chrono::seconds(0)) {
    document.StampLeases(LeaseFrom(now, options_.lease_time, ProcessRef{}));
  }
  document.Normalize();
  return internal::ReplaceFile(options_.state_path, document.Render(), processes_.Self());
}

ClaimLease SharedStateManager::NewLease(Timestamp now) const {
  return LeaseFrom(now, options_.lease_time, processes_.Self());
}

Result<std::vector<WorkItem>> SharedStateManager::AddItems(
    const std::vector<std::string>& descriptions) {
  std::vector<std::string> checked;
  for (const std::string& description : descriptions) {
    checked.push_back(HFS_TRY(CheckDescription(description)));
  }
  std::vector<WorkItem> added;
  HFS_RETURN_IF_ERROR(Mutate([&](StateDocument& document) -> Result<bool> {
    added.clear();
    for (std::string& description : checked) added.push_back(document.AddItem(description));
    return !added.empty();
  }));
  return added;
}

Result<WorkItem> SharedStateManager::AddItem(std::string_view description) {
  std::vector<WorkItem> added = HFS_TRY(AddItems({std::string(description)}));
  return added.front();
}

Result<ItemUpdate> SharedStateManager::UpdateItem(
    std::string_view item_id, std::string_view agent_id,
    const std::function<ItemUpdate(WorkItem, StateDocument&)>& change) {
  HFS_RETURN_IF_ERROR(CheckAgentId(agent_id));
  ItemUpdate update;
  HFS_RETURN_IF_ERROR(Mutate([&](StateDocument& document) -> Result<bool> {
    std::optional<WorkItem> item = document.FindItem(item_id);
    if (!item) {
      update = Refused(Refusal::kNotFound, {}, NotFoundMessage(document, item_id),
                       "Use an id listed by get_work_items, such as \"w1\".");
      return false;
    }
    update = change(std::move(*item), document);
    if (update.applied() && !document.UpdateItem(update.item)) {
      return Fail(ErrorCode::kInternal, fmt::format("work item {} vanished while edited", item_id));
    }
    return update.applied();
  }));
  return update;
}

Result<ItemUpdate> SharedStateManager::Claim(std::string_view item_id, std::string_view agent_id) {
  Timestamp now = clock_.Now();
  return UpdateItem(item_id, agent_id, [&](WorkItem item, StateDocument& document) {
    if (item.status() == WorkStatus::kCompleted) {
      return Refused(Refusal::kNotAvailable, std::move(item),
                     fmt::format("{} is already completed", item_id), std::string(kPickAnother));
    }
    std::string taken_over;
    if (item.claimed_by) {
      std::optional<std::string> stale = StaleReason(item.lease, now, processes_);
      if (!stale && item.claimed_by == agent_id) {
        return Refused(Refusal::kNotAvailable, std::move(item),
                       fmt::format("You already claimed {}", item_id),
                       "Complete it or release it with update_work_item.");
      }
      if (!stale) {
        std::string holder = *item.claimed_by;
        return Refused(Refusal::kNotAvailable, std::move(item),
                       fmt::format("{} is already claimed by {}", item_id, holder),
                       std::string(kPickAnother));
      }
      taken_over = fmt::format(", taking over the stale claim of {}: {}", *item.claimed_by, *stale);
    }
    item.claimed_by = std::string(agent_id);
    item.lease = NewLease(now);
    document.SetAgentStarted(agent_id, FormatUtc(now));
    std::string message = fmt::format("Claimed {} ({}){}", item.id, item.description, taken_over);
    return ItemUpdate{.item = std::move(item), .message = std::move(message)};
  });
}

Result<ItemUpdate> SharedStateManager::Complete(std::string_view item_id,
                                                std::string_view agent_id) {
  return UpdateItem(item_id, agent_id, [&](WorkItem item, StateDocument&) {
    if (std::optional<ItemUpdate> refused = CheckHolder(item, agent_id, "complete")) {
      return std::move(*refused);
    }
    item.checked = true;
    item.claimed_by.reset();
    item.lease = {};
    std::string message = fmt::format("Completed {} ({})", item.id, item.description);
    return ItemUpdate{.item = std::move(item), .message = std::move(message)};
  });
}

Result<ItemUpdate> SharedStateManager::Release(std::string_view item_id,
                                               std::string_view agent_id) {
  return UpdateItem(item_id, agent_id, [&](WorkItem item, StateDocument&) {
    if (std::optional<ItemUpdate> refused = CheckHolder(item, agent_id, "release")) {
      return std::move(*refused);
    }
    item.claimed_by.reset();
    item.lease = {};
    std::string message = fmt::format("Released {} ({})", item.id, item.description);
    return ItemUpdate{.item = std::move(item), .message = std::move(message)};
  });
}

Result<void> SharedStateManager::RegisterAgent(std::string_view agent_id) {
  HFS_RETURN_IF_ERROR(CheckAgentId(agent_id));
  return Mutate([&](StateDocument& document) -> Result<bool> {
    for (const AgentEntry& entry : document.Agents()) {
      if (entry.agent_id == agent_id) return false;
    }
    document.RegisterAgent(agent_id);
    return true;
  });
}

Result<size_t> SharedStateManager::RenewClaims(std::string_view agent_id) {
  HFS_RETURN_IF_ERROR(CheckAgentId(agent_id));
  size_t renewed = 0;
  HFS_RETURN_IF_ERROR(Mutate([&](StateDocument& document) -> Result<bool> {
    renewed = 0;
    ClaimLease lease = NewLease(clock_.Now());
    for (WorkItem& item : document.Items()) {
      if (item.status() != WorkStatus::kInProgress || item.claimed_by != agent_id) continue;
      item.lease = lease;
      if (document.UpdateItem(item)) ++renewed;
    }
    return renewed > 0;
  }));
  return renewed;
}

Result<std::string> SharedStateManager::ReadAgentMemory(std::string_view agent_id) const {
  HFS_RETURN_IF_ERROR(CheckAgentId(agent_id));
  AgentMemory memory = HFS_TRY(ReadOr<AgentMemory>(
      MemoryPath(agent_id), AgentMemory::Parse, [&] { return AgentMemory::Template(agent_id); }));
  return memory.Render();
}

Result<std::string> SharedStateManager::UpdateAgentMemory(std::string_view agent_id,
                                                          MemorySection section,
                                                          std::string_view content,
                                                          MemoryWrite mode) {
  HFS_RETURN_IF_ERROR(CheckAgentId(agent_id));
  std::filesystem::path path = MemoryPath(agent_id);
  FileLock lock = HFS_TRY(FileLock::Acquire(path, options_.lock_timeout));
  AgentMemory memory = HFS_TRY(ReadOr<AgentMemory>(
      path, AgentMemory::Parse, [&] { return AgentMemory::Template(agent_id); }));
  HFS_RETURN_IF_ERROR(memory.Update(section, content, mode));
  HFS_RETURN_IF_ERROR(WriteFileAtomic(path, memory.Render()));
  return memory.Section(section);
}

}  // namespace hfs::state
