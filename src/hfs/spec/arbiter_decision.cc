// ArbiterDecision names, and Spec::Apply: validating an arbiter decision against the
// section it settles and applying it.
#include "hfs/spec/arbiter_decision.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>
#include <utility>

#include "hfs/base/try.h"
#include "hfs/spec/spec.h"

namespace hfs::spec {
namespace {

Error Invalid(const Section& section, std::string_view problem) {
  return Error{ErrorCode::kInvalidArgument,
               fmt::format("arbiter decision for section '{}': {}", section.name, problem)};
}

Result<void> CheckClaimant(const Section& section, std::string_view role, std::string_view triad) {
  if (section.IsClaimant(triad)) return Ok();
  return Fail(Invalid(section, fmt::format("{} '{}' is not a claimant (claimants: {})", role, triad,
                                           fmt::join(section.claims, ", "))));
}

Result<void> CheckSplit(const ArbiterDecision& decision, const Section& section, const Spec& spec) {
  if (decision.division.size() < 2) {
    return Fail(Invalid(section, "a split needs at least two sub-sections"));
  }
  std::set<std::string_view> names;
  for (const SplitEntry& entry : decision.division) {
    if (entry.sub_section.empty()) return Fail(Invalid(section, "a sub-section name is empty"));
    if (!names.insert(entry.sub_section).second) {
      return Fail(
          Invalid(section, fmt::format("sub-section '{}' is listed twice", entry.sub_section)));
    }
    if (spec.Get(entry.sub_section) != nullptr) {
      return Fail(Invalid(
          section, fmt::format("sub-section '{}' already exists in the spec", entry.sub_section)));
    }
    HFS_RETURN_IF_ERROR(CheckClaimant(section, "split triad", entry.triad));
  }
  return Ok();
}

Result<void> CheckDecision(const ArbiterDecision& decision, const Section& section,
                           const Spec& spec) {
  switch (decision.type) {
    case ArbiterDecision::Type::kAssign:
      return CheckClaimant(section, "winner", decision.winner);
    case ArbiterDecision::Type::kSplit:
      return CheckSplit(decision, section, spec);
    case ArbiterDecision::Type::kMerge:
      if (decision.merged_proposal.empty()) {
        return Fail(Invalid(section, "a merge needs a merged proposal"));
      }
      return CheckClaimant(section, "assigned_to", decision.assigned_to);
  }
  return Fail(Invalid(section, "unknown decision type"));
}

}  // namespace

std::string_view ArbiterDecisionTypeName(ArbiterDecision::Type type) {
  switch (type) {
    case ArbiterDecision::Type::kAssign:
      return "assign";
    case ArbiterDecision::Type::kSplit:
      return "split";
    case ArbiterDecision::Type::kMerge:
      return "merge";
  }
  return "unknown";
}

Result<void> Spec::Apply(const ArbiterDecision& decision, std::string_view section) {
  Section* target = HFS_TRY(FindForChange(section));
  if (target->status == SectionStatus::kFrozen) {
    return Fail(ErrorCode::kFailedPrecondition,
                fmt::format("section '{}' is frozen; the arbiter cannot change it", section));
  }
  HFS_RETURN_IF_ERROR(CheckDecision(decision, *target, *this));
  std::map<std::string, std::string> details = {
      {"reason", "arbiter"},
      {"decision", std::string(ArbiterDecisionTypeName(decision.type))},
      {"rationale", decision.rationale}};
  switch (decision.type) {
    case ArbiterDecision::Type::kAssign:
      GiveTo(*target, decision.winner, "arbiter", std::nullopt, std::move(details));
      break;
    case ArbiterDecision::Type::kMerge:
      GiveTo(*target, decision.assigned_to, "arbiter", decision.merged_proposal,
             std::move(details));
      break;
    case ArbiterDecision::Type::kSplit:
      ApplySplit(decision, target->name);
      break;
  }
  return Ok();
}

void Spec::ApplySplit(const ArbiterDecision& decision, const std::string& section) {
  auto position = std::find_if(sections_.begin(), sections_.end(),
                               [&](const Section& s) { return s.name == section; });
  std::vector<std::string> names;
  for (const SplitEntry& entry : decision.division) names.push_back(entry.sub_section);
  Record(*position, "split", "arbiter",
         {{"sub_sections", fmt::format("{}", fmt::join(names, ", "))},
          {"rationale", decision.rationale}});

  std::vector<Section> parts;
  for (const SplitEntry& entry : decision.division) {
    Section part{.name = entry.sub_section,
                 .status = SectionStatus::kClaimed,
                 .owner = entry.triad,
                 .claims = {entry.triad},
                 .proposals = {{entry.triad, position->proposals.at(entry.triad)}}};
    Record(part, "split_from_arbiter", "arbiter",
           {{"original_section", section}, {"rationale", decision.rationale}});
    parts.push_back(std::move(part));
  }
  for (HistoryEntry& entry : position->history) {
    retired_history_.push_back({section, std::move(entry)});
  }
  split_into_[section] = std::move(names);
  position = sections_.erase(position);
  sections_.insert(position, std::make_move_iterator(parts.begin()),
                   std::make_move_iterator(parts.end()));
}

}  // namespace hfs::spec
