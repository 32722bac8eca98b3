#include "hfs/spec/staged.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <set>
#include <tuple>
#include <utility>

#include "hfs/base/check.h"

namespace hfs::spec {
namespace {

constexpr size_t kUnlisted = std::numeric_limits<size_t>::max();

size_t IndexOf(const std::vector<std::string>& list, std::string_view value) {
  auto it = std::find(list.begin(), list.end(), value);
  return it == list.end() ? kUnlisted : static_cast<size_t>(it - list.begin());
}

// A sort key: the position in `list`; values not in it come after, ordered by value.
std::pair<size_t, std::string_view> RankIn(const std::vector<std::string>& list,
                                           std::string_view value) {
  size_t index = IndexOf(list, value);
  return {index, index == kUnlisted ? value : std::string_view()};
}

Error UnknownTriad(std::string_view triad) {
  return Error{ErrorCode::kInvalidArgument,
               fmt::format("triad '{}' is not one of the configured triads", triad)};
}

using DecidedSet = std::set<std::pair<std::string, std::string>>;

// Checks a decision against the spec as it was before the round.
std::optional<Error> CheckDecision(const Spec& spec, const StagedDecision& staged,
                                   const std::vector<std::string>& triad_order,
                                   const DecidedSet& decided) {
  if (IndexOf(triad_order, staged.triad) == kUnlisted) return UnknownTriad(staged.triad);
  const Section* section = spec.Get(staged.section);
  if (section == nullptr) {
    return Error{ErrorCode::kNotFound, fmt::format("no section '{}' in the spec", staged.section)};
  }
  if (section->status == SectionStatus::kFrozen) {
    return Error{ErrorCode::kFailedPrecondition,
                 fmt::format("section '{}' is frozen", staged.section)};
  }
  if (!section->IsClaimant(staged.triad)) {
    return Error{ErrorCode::kFailedPrecondition,
                 fmt::format("triad '{}' does not claim section '{}'; its {} is ignored",
                             staged.triad, staged.section, DecisionName(staged.decision))};
  }
  if (staged.decision == Decision::kRevise && staged.revised_proposal.empty()) {
    return Error{ErrorCode::kInvalidArgument,
                 fmt::format("triad '{}' revised section '{}' without a proposal", staged.triad,
                             staged.section)};
  }
  if (decided.contains({staged.triad, staged.section})) {
    return Error{ErrorCode::kInvalidArgument,
                 fmt::format("triad '{}' already decided on section '{}' this round", staged.triad,
                             staged.section)};
  }
  return std::nullopt;
}

// Applies a checked decision; true when it moved the negotiation forward.
bool ApplyDecision(Spec& spec, const StagedDecision& staged) {
  Result<void> applied;
  bool progress = false;
  switch (staged.decision) {
    case Decision::kConcede:
      applied = spec.Concede(staged.triad, staged.section);
      progress = true;
      break;
    case Decision::kRevise:
      progress = spec.Proposals(staged.section).at(staged.triad) != staged.revised_proposal;
      applied = spec.UpdateProposal(staged.triad, staged.section, staged.revised_proposal);
      break;
    case Decision::kHold:
      applied = spec.Hold(staged.triad, staged.section);
      break;
  }
  HFS_CHECK(applied.has_value(), applied.error().ToString());
  return progress;
}

SectionRoundResult SectionResult(const Section& section, bool progress) {
  return SectionRoundResult{.section = section.name,
                            .status = section.status,
                            .resolved = section.status != SectionStatus::kContested,
                            .winner = section.owner,
                            .progress = progress};
}

}  // namespace

std::string_view DecisionName(Decision decision) {
  switch (decision) {
    case Decision::kConcede:
      return "concede";
    case Decision::kRevise:
      return "revise";
    case Decision::kHold:
      return "hold";
  }
  return "unknown";
}

std::vector<ClaimOutcome> ApplyClaims(Spec& spec, std::vector<StagedClaim> claims,
                                      const std::vector<std::string>& triad_order) {
  std::vector<std::string> sections = spec.SectionNames();
  auto key = [&](const StagedClaim& claim) {
    return std::tuple(RankIn(sections, claim.section), RankIn(triad_order, claim.triad));
  };
  std::stable_sort(claims.begin(), claims.end(),
                   [&](const StagedClaim& a, const StagedClaim& b) { return key(a) < key(b); });

  std::vector<ClaimOutcome> outcomes;
  outcomes.reserve(claims.size());
  for (StagedClaim& claim : claims) {
    ClaimOutcome outcome;
    if (IndexOf(triad_order, claim.triad) == kUnlisted) {
      outcome.rejection = UnknownTriad(claim.triad);
    } else if (Result<void> registered = spec.RegisterClaim(claim.triad, claim.section,
                                                            claim.proposal, claim.justification);
               !registered.has_value()) {
      outcome.rejection = std::move(registered).error();
    }
    outcome.claim = std::move(claim);
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

RoundResult ApplyDecisions(Spec& spec, std::vector<StagedDecision> decisions,
                           const std::vector<std::string>& triad_order) {
  std::vector<std::string> sections = spec.SectionNames();
  auto key = [&](const StagedDecision& staged) {
    const Section* section = spec.Get(staged.section);
    size_t claimant = section == nullptr ? kUnlisted : IndexOf(section->claims, staged.triad);
    return std::tuple(RankIn(sections, staged.section), claimant,
                      RankIn(triad_order, staged.triad));
  };
  std::stable_sort(
      decisions.begin(), decisions.end(),
      [&](const StagedDecision& a, const StagedDecision& b) { return key(a) < key(b); });

  RoundResult result;
  std::vector<StagedDecision> accepted;
  DecidedSet decided;
  for (StagedDecision& staged : decisions) {
    if (std::optional<Error> error = CheckDecision(spec, staged, triad_order, decided)) {
      result.rejected.push_back({std::move(staged), std::move(*error)});
    } else {
      decided.insert({staged.triad, staged.section});
      accepted.push_back(std::move(staged));
    }
  }

  std::vector<std::string> contested_before = spec.Contested();
  std::set<std::string> touched;
  std::set<std::string> progressed;
  for (const StagedDecision& staged : accepted) {
    touched.insert(staged.section);
    if (ApplyDecision(spec, staged)) progressed.insert(staged.section);
  }
  for (const std::string& name : sections) {
    if (touched.contains(name) || IndexOf(contested_before, name) != kUnlisted) {
      result.sections.push_back(SectionResult(*spec.Get(name), progressed.contains(name)));
    }
  }
  return result;
}

}  // namespace hfs::spec
