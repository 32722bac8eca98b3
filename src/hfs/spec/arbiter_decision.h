// hfs/spec/arbiter_decision.h
//
// ArbiterDecision: how the arbiter settles a deadlocked section. kAssign gives it to one
// claimant, kSplit replaces it with new sub-sections each owned by one claimant, kMerge
// gives it to one claimant with a merged proposal. Spec::Apply (hfs/spec/spec.h)
// validates a decision against the section and applies it.
//
//   ArbiterDecision decision{.type = ArbiterDecision::Type::kSplit,
//                            .division = {{"layout/header", "t1"}, {"layout/body", "t2"}},
//                            .rationale = "both halves are needed"};
//   HFS_RETURN_IF_ERROR(spec.Apply(decision, "layout"));
//
// Plain value types; thread-compatible.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hfs::spec {

// One part of a split: a new section and the claimant that will own it.
struct SplitEntry {
  std::string sub_section;
  std::string triad;

  bool operator==(const SplitEntry&) const = default;
};

struct ArbiterDecision {
  enum class Type { kAssign, kSplit, kMerge };

  Type type = Type::kAssign;
  // kAssign: the claimant that gets the section.
  std::string winner;
  // kSplit: at least two entries, with new, distinct, non-empty section names.
  std::vector<SplitEntry> division;
  // kMerge: the proposal that replaces `assigned_to`'s proposal.
  std::string merged_proposal;
  // kMerge: the claimant that gets the section.
  std::string assigned_to;
  std::string rationale;

  bool operator==(const ArbiterDecision&) const = default;
};

// "assign", "split", "merge".
std::string_view ArbiterDecisionTypeName(ArbiterDecision::Type type);

}  // namespace hfs::spec
