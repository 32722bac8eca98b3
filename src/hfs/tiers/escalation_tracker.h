// hfs/tiers/escalation_tracker.h
//
// EscalationTracker counts consecutive failed model calls per (triad, role). At the
// threshold (3) the role moves one tier up from the tier the failing call used (fast ->
// general -> reasoning; reasoning is the cap) and the count starts again; a success resets
// the count. The new tier applies to that role's very next model call in this run and is
// merged into the escalation state file (escalation_state_file.h), so later runs start
// escalated. Each change is kept as an Escalation (for the run report) and passed to
// `on_escalation` (for traces and progress).
//
//   auto tracker = HFS_TRY(EscalationTracker::Open({.state_path = EscalationStatePath(config)}));
//   if (auto up = tracker->RecordFailure("layout", "critic", "negotiation", Tier::kGeneral))
//     Log(up->to);                                   // on the third failure in a row
//   std::optional<Tier> tier = tracker->EscalatedTier("layout", "critic");
//
// Thread-safe (triads record concurrently). `on_escalation` runs on the recording thread,
// outside the tracker's lock. Open fails as ReadEscalationState does (kDataLoss for a
// corrupt file). A failure to save the state file does not undo the in-run escalation; it
// is logged and kept in Escalation::persist_error.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/base/error.h"
#include "hfs/base/mutex.h"
#include "hfs/tiers/escalation_state_file.h"
#include "hfs/tiers/tier_options.h"

namespace hfs::tiers {

inline constexpr int kEscalationThreshold = 3;

// One tier change of one role.
struct Escalation {
  std::string triad;  // "" outside triads
  std::string role;
  // The phase of the call that reached the threshold.
  std::string phase;
  Tier from = Tier::kFast;
  Tier to = Tier::kGeneral;
  // The consecutive failures that caused it (the threshold).
  int failures = 0;
  // Why the state file was not updated; "" when it was (or when nothing is persisted).
  std::string persist_error;
};

// "layout:critic: general -> reasoning after 3 failures in a row (negotiation)".
std::string DescribeEscalation(const Escalation& escalation);

struct EscalationTrackerOptions {
  // The state file; empty keeps escalations in memory only.
  std::filesystem::path state_path;
  int threshold = kEscalationThreshold;
  std::chrono::milliseconds lock_timeout = kEscalationLockTimeout;
  std::function<void(const Escalation&)> on_escalation;
};

class EscalationTracker {
 public:
  // Starts from the state file (a missing file escalates nothing).
  static Result<std::unique_ptr<EscalationTracker>> Open(EscalationTrackerOptions options);
  // Starts from `start` without reading a file.
  explicit EscalationTracker(EscalationTrackerOptions options = {}, EscalationMap start = {});
  EscalationTracker(const EscalationTracker&) = delete;
  EscalationTracker& operator=(const EscalationTracker&) = delete;

  // The tier the role was escalated to, by an earlier run or this one.
  std::optional<Tier> EscalatedTier(std::string_view triad, std::string_view role) const;

  // One failed call, served from tier `used`. Returns the escalation it caused, if any.
  std::optional<Escalation> RecordFailure(std::string_view triad, std::string_view role,
                                          std::string_view phase, Tier used);
  void RecordSuccess(std::string_view triad, std::string_view role);

  int ConsecutiveFailures(std::string_view triad, std::string_view role) const;
  // Every escalated role: the start state plus this run's escalations.
  EscalationMap State() const;
  // This run's escalations, in order.
  std::vector<Escalation> Escalations() const;
  const std::filesystem::path& state_path() const { return options_.state_path; }

 private:
  const EscalationTrackerOptions options_;
  mutable Mutex mu_;
  EscalationMap state_ HFS_GUARDED_BY(mu_);
  std::map<RoleKey, int> failures_ HFS_GUARDED_BY(mu_);
  std::vector<Escalation> escalations_ HFS_GUARDED_BY(mu_);
};

}  // namespace hfs::tiers
