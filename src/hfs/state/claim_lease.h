// hfs/state/claim_lease.h
//
// The claim marker of a work item in progress (docs/state-format.md): the agent that
// claimed it and the claim's lease, until when it holds and which process made it.
//
//   [IP:layout_leader]                                            a claim without a lease
//   [IP:layout_leader until=2026-01-01T00:30:00Z pid=4242 host=build-01 start=918273]
//
//   Result<ClaimMarker> marker = ParseClaimMarker("layout_leader until=...");  // inside [IP:]
//   std::string text = RenderClaimMarker(*marker);                 // "[IP:layout_leader ...]"
//   std::optional<std::string> why = StaleReason(marker->lease, clock.Now(), processes);
//
// A claim is stale when its lease ran out or its process is gone; another agent may then
// take the item over. A claim without `until` never runs out, one without a process
// (pid and host) is judged by time alone. Pure functions and value types; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "hfs/base/clock.h"
#include "hfs/base/error.h"
#include "hfs/state/process_table.h"

namespace hfs::state {

struct ClaimLease {
  // When the claim runs out (whole seconds, UTC); nullopt: never by time.
  std::optional<Timestamp> until;
  // The process that claimed the item; nullopt when unknown.
  std::optional<ProcessRef> process;
  bool operator==(const ClaimLease&) const = default;
};

struct ClaimMarker {
  std::string agent_id;
  ClaimLease lease;
  bool operator==(const ClaimMarker&) const = default;
};

// The marker's text between "[IP:" and "]": an agent id (CheckAgentId), then optional
// space-separated `until=<UTC>`, `pid=<n>`, `host=<name>`, `start=<n>`, each at most once
// (pid and host together). kInvalidArgument naming what is wrong otherwise.
Result<ClaimMarker> ParseClaimMarker(std::string_view inside);
// "[IP:agent until=... pid=... host=... start=...]", leaving out what is unknown.
std::string RenderClaimMarker(const ClaimMarker& marker);

// A lease that runs until `now + lease_time` (rounded up to a whole second; at most ten
// years), held by `process`; no `until` when `lease_time` is zero.
ClaimLease LeaseFrom(Timestamp now, std::chrono::seconds lease_time, const ProcessRef& process);

// Why the claim is stale ("process 4242 on build-01 is gone", "its lease ran out at
// 2026-01-01T00:30:00Z"), or nullopt while it holds.
std::optional<std::string> StaleReason(const ClaimLease& lease, Timestamp now,
                                       const ProcessTable& processes);

}  // namespace hfs::state
