// hfs/tiers/escalation_state_file.h
//
// The escalation state file: which (triad, role) pairs earlier runs moved up a tier, kept
// in `<config dir>/.hfs/escalations.json` so later runs start escalated. The user's config
// file is never written. Every change is a read-modify-write under a FileLock ending in
// an atomic rename, merged with what other processes wrote (the stronger tier wins), so
// two runs escalating at the same time lose no entry.
//
//   std::filesystem::path path = EscalationStatePath("config/standard.yaml");
//   EscalationMap state = HFS_TRY(ReadEscalationState(path));
//   HFS_TRY(MergeEscalation(path, {.triad = "layout", .role = "critic"}, Tier::kGeneral));
//   size_t cleared = HFS_TRY(ClearEscalationState(path));
//
// Thread-safe free functions (the lock serialises threads and processes). Reading a
// missing file gives an empty map; a file that is not a valid state file is kDataLoss,
// naming the file and how to reset it. The writers add FileLock's kDeadlineExceeded and
// WriteFileAtomic's kPermissionDenied / kUnavailable.
#pragma once

#include <chrono>
#include <compare>
#include <cstddef>
#include <filesystem>
#include <map>
#include <string>

#include "hfs/base/error.h"
#include "hfs/tiers/tier_options.h"

namespace hfs::tiers {

// Whose tier escalates: a role in a triad, or a role outside triads (triad "", such as
// the arbiter).
struct RoleKey {
  std::string triad;
  std::string role;
  friend auto operator<=>(const RoleKey&, const RoleKey&) = default;
};

// "layout:critic", or "arbiter" outside a triad: the key form of the config's
// model_tiers.escalation_state.
std::string RoleKeyName(const RoleKey& key);

using EscalationMap = std::map<RoleKey, Tier>;

inline constexpr std::chrono::milliseconds kEscalationLockTimeout = std::chrono::seconds(10);

// `<directory of config_path>/.hfs/escalations.json`.
std::filesystem::path EscalationStatePath(const std::filesystem::path& config_path);

Result<EscalationMap> ReadEscalationState(const std::filesystem::path& path);

// Sets `key` to the stronger of `tier` and the tier the file holds for it, keeping every
// other entry; returns the file's state after the write.
Result<EscalationMap> MergeEscalation(
    const std::filesystem::path& path, const RoleKey& key, Tier tier,
    std::chrono::milliseconds lock_timeout = kEscalationLockTimeout);

// Removes every entry (the file is rewritten empty); returns how many there were.
Result<size_t> ClearEscalationState(
    const std::filesystem::path& path,
    std::chrono::milliseconds lock_timeout = kEscalationLockTimeout);

}  // namespace hfs::tiers
