// hfs/spec/staged.h
//
// Staged effects: what triads produce during a phase instead of editing the spec. Each
// triad fills its own outbox with StagedClaim (deliberation) or StagedDecision
// (negotiation) values; once the phase has joined, the orchestrator applies them all with
// ApplyClaims / ApplyDecisions in a fixed order, so the resulting spec does not depend on
// which thread finished first.
//
//   std::vector<StagedClaim> claims = CollectOutboxes(triads);       // any order
//   std::vector<ClaimOutcome> outcomes = ApplyClaims(spec, claims, {"t1", "t2", "t3"});
//   RoundResult round = ApplyDecisions(spec, decisions, {"t1", "t2", "t3"});
//   for (const SectionRoundResult& s : round.sections) if (!s.progress) ++stuck[s.section];
//
// Both functions never fail as a whole: each rejected claim or decision comes back with
// its Error (kNotFound unknown section, kFailedPrecondition frozen section or not a
// claimant, kInvalidArgument unknown triad or malformed decision) and changes nothing.
//
// Thread-compatible: the values are built on triad threads and moved to the orchestrator.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/base/error.h"
#include "hfs/spec/spec.h"

namespace hfs::spec {

struct StagedClaim {
  std::string triad;
  std::string section;
  std::string proposal;
  std::optional<std::string> justification;

  bool operator==(const StagedClaim&) const = default;
};

enum class Decision { kConcede, kRevise, kHold };

// "concede", "revise", "hold".
std::string_view DecisionName(Decision decision);

struct StagedDecision {
  std::string triad;
  std::string section;
  Decision decision = Decision::kHold;
  // kRevise: the new proposal; a revise without one is rejected.
  std::string revised_proposal;

  bool operator==(const StagedDecision&) const = default;
};

struct ClaimOutcome {
  StagedClaim claim;
  // Why the claim was not applied; nullopt when it was.
  std::optional<Error> rejection;

  bool Accepted() const { return !rejection.has_value(); }
};

// Registers the claims ordered by section (spec order; unknown sections last, by name),
// then by triad (`triad_order`, the configured order). Claims of one triad for one section
// keep their staging order, so a later one replaces the earlier proposal. A claim from a
// triad not in `triad_order` is rejected. Outcomes come back in the order applied.
std::vector<ClaimOutcome> ApplyClaims(Spec& spec, std::vector<StagedClaim> claims,
                                      const std::vector<std::string>& triad_order);

// The effect of one negotiation round on one section.
struct SectionRoundResult {
  std::string section;
  // The status after the round.
  SectionStatus status = SectionStatus::kUnclaimed;
  // No longer contested (claimed by one triad, or unclaimed after everyone conceded).
  bool resolved = false;
  // The owner when one claimant is left.
  std::optional<std::string> winner;
  // Someone conceded or revised to a different proposal this round.
  bool progress = false;

  bool operator==(const SectionRoundResult&) const = default;
};

struct RejectedDecision {
  StagedDecision decision;
  Error error;
};

struct RoundResult {
  // Every section contested before the round or touched by an applied decision, in spec
  // order. A contested section whose claimants staged nothing held.
  std::vector<SectionRoundResult> sections;
  std::vector<RejectedDecision> rejected;
};

// Applies one round's decisions as one step: every decision is checked against the spec
// as it was before the round (the triad must be a claimant of the section then), then the
// accepted ones are applied section by section in spec order, and within a section in the
// order of its claims list. A triad decides at most once per section and round: later
// decisions of the same triad for the same section are rejected.
RoundResult ApplyDecisions(Spec& spec, std::vector<StagedDecision> decisions,
                           const std::vector<std::string>& triad_order);

}  // namespace hfs::spec
