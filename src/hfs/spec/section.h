// hfs/spec/section.h
//
// One section of the shared spec: its status in the section state machine, its owner,
// the triads claiming it (in registration order), each claimant's proposal, the frozen
// content and the section's history. Sections are read through Spec (hfs/spec/spec.h),
// which alone changes them.
//
//   const Section* layout = spec.Get("layout");
//   if (layout != nullptr && layout->status == SectionStatus::kContested) {
//     for (const std::string& triad : layout->claims) Ask(triad, layout->proposals.at(triad));
//   }
//
// Plain value types; thread-compatible.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hfs::spec {

// unclaimed --claim--> claimed --claim by another triad--> contested; concessions go
// back down; Freeze() moves every (owned) section to frozen.
enum class SectionStatus { kUnclaimed, kClaimed, kContested, kFrozen };

// "unclaimed", "claimed", "contested", "frozen".
std::string_view SectionStatusName(SectionStatus status);

// One change (or rejected change) of a section. Entries are ordered by `round` and then by
// `sequence`, a counter shared by all sections of one spec, so the same calls give the same
// history; there is no wall-clock time in it.
struct HistoryEntry {
  int round = 0;
  int64_t sequence = 0;
  // "claim", "claim_rejected", "concede", "concede_rejected", "revise", "hold",
  // "assigned", "split", "split_from_arbiter", "freeze", "taken_over".
  std::string action;
  // A triad id, "arbiter" or "system".
  std::string by;
  std::map<std::string, std::string> details;

  bool operator==(const HistoryEntry&) const = default;
};

struct Section {
  std::string name;
  SectionStatus status = SectionStatus::kUnclaimed;
  // Set when exactly one triad claims the section (claimed or frozen).
  std::optional<std::string> owner;
  // Claimant triad ids in the order they first claimed.
  std::vector<std::string> claims;
  // Claimant -> its current proposal; has exactly the keys in `claims`.
  std::map<std::string, std::string> proposals;
  // The owner's proposal, set by Freeze().
  std::optional<std::string> content;
  std::vector<HistoryEntry> history;

  bool IsClaimant(std::string_view triad) const;
  bool operator==(const Section&) const = default;
};

}  // namespace hfs::spec
