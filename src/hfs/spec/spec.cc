#include "hfs/spec/spec.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "hfs/base/try.h"

namespace hfs::spec {
namespace {

Result<int64_t> ToMicros(double value, std::string_view name) {
  if (!(value >= 0.0 && value <= 1.0)) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("{} must be in [0, 1], got {}", name, value));
  }
  return static_cast<int64_t>(std::llround(value * static_cast<double>(kTemperatureScale)));
}

// Claimants, unclaimed, contested: the status a section has outside freezing.
void UpdateStatus(Section& section) {
  if (section.claims.size() == 1) {
    section.status = SectionStatus::kClaimed;
    section.owner = section.claims.front();
  } else {
    section.status = section.claims.empty() ? SectionStatus::kUnclaimed : SectionStatus::kContested;
    section.owner.reset();
  }
}

Result<void> CheckCanNegotiate(const Section& section, std::string_view triad) {
  if (section.status == SectionStatus::kFrozen) {
    return Fail(ErrorCode::kFailedPrecondition,
                fmt::format("section '{}' is frozen", section.name));
  }
  if (!section.IsClaimant(triad)) {
    return Fail(ErrorCode::kFailedPrecondition,
                fmt::format("triad '{}' does not claim section '{}'", triad, section.name));
  }
  return Ok();
}

}  // namespace

std::string_view SpecStatusName(SpecStatus status) {
  switch (status) {
    case SpecStatus::kInitializing:
      return "initializing";
    case SpecStatus::kNegotiating:
      return "negotiating";
    case SpecStatus::kCooling:
      return "cooling";
    case SpecStatus::kFrozen:
      return "frozen";
    case SpecStatus::kExecuting:
      return "executing";
  }
  return "unknown";
}

Result<Spec> Spec::Create(std::vector<std::string> sections, TemperatureOptions temperature) {
  if (sections.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "a spec needs at least one section");
  }
  Spec spec;
  for (std::string& name : sections) {
    if (name.empty()) return Fail(ErrorCode::kInvalidArgument, "a section name is empty");
    if (spec.Find(name) != nullptr) {
      return Fail(ErrorCode::kInvalidArgument, fmt::format("section '{}' is listed twice", name));
    }
    spec.sections_.push_back(Section{.name = std::move(name)});
  }
  spec.initial_micros_ = HFS_TRY(ToMicros(temperature.initial, "the initial temperature"));
  spec.decay_micros_ = HFS_TRY(ToMicros(temperature.decay, "the temperature decay"));
  spec.threshold_micros_ = HFS_TRY(ToMicros(temperature.freeze_threshold, "the freeze threshold"));
  spec.temperature_micros_ = spec.initial_micros_;
  return spec;
}

Result<void> Spec::RegisterClaim(std::string_view triad, std::string_view section,
                                 std::string proposal, std::optional<std::string> justification) {
  if (triad.empty()) return Fail(ErrorCode::kInvalidArgument, "a claim needs a triad id");
  Section* target = HFS_TRY(FindForChange(section));
  std::string id(triad);
  if (target->status == SectionStatus::kFrozen) {
    Record(*target, "claim_rejected", id, {{"reason", "section_frozen"}});
    return Fail(ErrorCode::kFailedPrecondition,
                fmt::format("section '{}' is frozen; triad '{}' cannot claim it", section, triad));
  }
  bool reclaim = target->IsClaimant(id);
  if (!reclaim) target->claims.push_back(id);
  target->proposals[id] = std::move(proposal);
  UpdateStatus(*target);
  std::map<std::string, std::string> details = {
      {"num_claimants", std::to_string(target->claims.size())},
      {"status", std::string(SectionStatusName(target->status))}};
  if (reclaim) details["replaced_proposal"] = "true";
  if (justification.has_value()) details["justification"] = std::move(*justification);
  Record(*target, "claim", id, std::move(details));
  return Ok();
}

Result<void> Spec::Concede(std::string_view triad, std::string_view section) {
  Section* target = HFS_TRY(FindForChange(section));
  std::string id(triad);
  if (target->status == SectionStatus::kFrozen) {
    Record(*target, "concede_rejected", id, {{"reason", "section_frozen"}});
  }
  HFS_RETURN_IF_ERROR(CheckCanNegotiate(*target, triad));
  Withdraw(*target, id, id);
  return Ok();
}

Result<void> Spec::UpdateProposal(std::string_view triad, std::string_view section,
                                  std::string proposal) {
  Section* target = HFS_TRY(FindForChange(section));
  HFS_RETURN_IF_ERROR(CheckCanNegotiate(*target, triad));
  std::string id(triad);
  std::string& current = target->proposals.at(id);
  bool changed = current != proposal;
  current = std::move(proposal);
  Record(*target, "revise", id, {{"changed", changed ? "true" : "false"}});
  return Ok();
}

Result<void> Spec::Hold(std::string_view triad, std::string_view section) {
  Section* target = HFS_TRY(FindForChange(section));
  HFS_RETURN_IF_ERROR(CheckCanNegotiate(*target, triad));
  Record(*target, "hold", std::string(triad));
  return Ok();
}

Result<void> Spec::Assign(std::string_view section, std::string_view triad, std::string_view reason,
                          std::optional<std::string> proposal) {
  if (triad.empty()) return Fail(ErrorCode::kInvalidArgument, "an assignment needs a triad id");
  if (reason.empty()) return Fail(ErrorCode::kInvalidArgument, "an assignment needs a reason");
  Section* target = HFS_TRY(FindForChange(section));
  if (target->status == SectionStatus::kFrozen) {
    return Fail(ErrorCode::kFailedPrecondition, fmt::format("section '{}' is frozen", section));
  }
  if (!target->claims.empty() && !target->IsClaimant(triad)) {
    return Fail(ErrorCode::kFailedPrecondition,
                fmt::format("section '{}' is claimed by {}; triad '{}' is not a claimant", section,
                            fmt::join(target->claims, ", "), triad));
  }
  GiveTo(*target, std::string(triad), "system", std::move(proposal),
         {{"reason", std::string(reason)}});
  return Ok();
}

Result<void> Spec::TakeOver(std::string_view section, std::string_view triad,
                            std::string_view reason) {
  if (triad.empty()) return Fail(ErrorCode::kInvalidArgument, "a takeover needs a triad id");
  if (reason.empty()) return Fail(ErrorCode::kInvalidArgument, "a takeover needs a reason");
  Section* target = HFS_TRY(FindForChange(section));
  if (target->status != SectionStatus::kFrozen) {
    return Fail(ErrorCode::kFailedPrecondition,
                fmt::format("section '{}' is not frozen; it cannot be taken over", section));
  }
  const std::string from = target->owner.value_or("");
  const std::string id(triad);
  std::string proposal = target->content.value_or("");
  target->proposals.clear();
  target->proposals[id] = std::move(proposal);
  target->claims = {id};
  target->owner = id;
  Record(*target, "taken_over", "system",
         {{"triad", id}, {"from", from}, {"reason", std::string(reason)}});
  return Ok();
}

Result<void> Spec::AdvanceRound() {
  if (IsFrozen()) {
    return Fail(ErrorCode::kFailedPrecondition, "the spec is frozen; no further rounds");
  }
  ++round_;
  temperature_micros_ = std::max<int64_t>(0, initial_micros_ - decay_micros_ * round_);
  if (status_ == SpecStatus::kInitializing) status_ = SpecStatus::kNegotiating;
  if (status_ == SpecStatus::kNegotiating && BelowFreezeThreshold()) {
    status_ = SpecStatus::kCooling;
  }
  return Ok();
}

Result<void> Spec::Freeze() {
  if (IsFrozen()) return Fail(ErrorCode::kFailedPrecondition, "the spec is already frozen");
  std::vector<std::string> problems;
  for (const Section& section : sections_) {
    if (section.status == SectionStatus::kUnclaimed) {
      problems.push_back(fmt::format("'{}' (unclaimed)", section.name));
    } else if (section.status == SectionStatus::kContested) {
      problems.push_back(
          fmt::format("'{}' (contested by {})", section.name, fmt::join(section.claims, ", ")));
    }
  }
  if (!problems.empty()) {
    return Fail(ErrorCode::kFailedPrecondition,
                fmt::format("cannot freeze: every section needs exactly one owner; {}",
                            fmt::join(problems, ", ")));
  }
  for (Section& section : sections_) {
    section.status = SectionStatus::kFrozen;
    section.content = section.proposals.at(*section.owner);
    Record(section, "freeze", "system", {{"final_owner", *section.owner}});
  }
  temperature_micros_ = 0;
  status_ = SpecStatus::kFrozen;
  return Ok();
}

Result<void> Spec::BeginExecution() {
  if (status_ != SpecStatus::kFrozen) {
    return Fail(
        ErrorCode::kFailedPrecondition,
        fmt::format("execution needs a frozen spec; the spec is {}", SpecStatusName(status_)));
  }
  status_ = SpecStatus::kExecuting;
  return Ok();
}

double Spec::Temperature() const {
  return static_cast<double>(temperature_micros_) / static_cast<double>(kTemperatureScale);
}

bool Spec::BelowFreezeThreshold() const { return temperature_micros_ <= threshold_micros_; }

bool Spec::IsFrozen() const {
  return status_ == SpecStatus::kFrozen || status_ == SpecStatus::kExecuting;
}

Section* Spec::Find(std::string_view section) {
  return const_cast<Section*>(std::as_const(*this).Get(section));
}

Result<Section*> Spec::FindForChange(std::string_view section) {
  if (Section* found = Find(section)) return found;
  auto split = split_into_.find(section);
  if (split != split_into_.end()) {
    return Fail(ErrorCode::kNotFound,
                fmt::format("section '{}' no longer exists: the arbiter split it into '{}'",
                            section, fmt::join(split->second, "', '")));
  }
  return Fail(ErrorCode::kNotFound, fmt::format("no section '{}' in the spec", section));
}

void Spec::Record(Section& section, std::string action, std::string by,
                  std::map<std::string, std::string> details) {
  section.history.push_back(HistoryEntry{.round = round_,
                                         .sequence = next_sequence_++,
                                         .action = std::move(action),
                                         .by = std::move(by),
                                         .details = std::move(details)});
}

void Spec::Withdraw(Section& section, const std::string& triad, const std::string& by) {
  section.claims.erase(std::find(section.claims.begin(), section.claims.end(), triad));
  section.proposals.erase(triad);
  UpdateStatus(section);
  std::map<std::string, std::string> details = {
      {"triad", triad},
      {"remaining_claimants", std::to_string(section.claims.size())},
      {"status", std::string(SectionStatusName(section.status))}};
  if (section.owner.has_value()) details["new_owner"] = *section.owner;
  Record(section, "concede", by, std::move(details));
}

void Spec::GiveTo(Section& section, const std::string& triad, const std::string& by,
                  std::optional<std::string> proposal, std::map<std::string, std::string> details) {
  std::vector<std::string> others;
  std::copy_if(section.claims.begin(), section.claims.end(), std::back_inserter(others),
               [&](const std::string& claimant) { return claimant != triad; });
  for (const std::string& other : others) Withdraw(section, other, by);
  if (section.claims.empty()) section.claims.push_back(triad);
  std::string& current = section.proposals[triad];
  if (proposal.has_value()) current = std::move(*proposal);
  UpdateStatus(section);
  details["triad"] = triad;
  if (!others.empty()) details["conceded"] = fmt::format("{}", fmt::join(others, ", "));
  Record(section, "assigned", by, std::move(details));
}

std::vector<std::string> Spec::SectionNames() const {
  std::vector<std::string> names;
  for (const Section& section : sections_) names.push_back(section.name);
  return names;
}

const Section* Spec::Get(std::string_view section) const {
  auto it = std::find_if(sections_.begin(), sections_.end(),
                         [&](const Section& s) { return s.name == section; });
  return it == sections_.end() ? nullptr : &*it;
}

namespace {
std::vector<std::string> NamesWith(const std::vector<Section>& sections, SectionStatus status) {
  std::vector<std::string> names;
  for (const Section& section : sections) {
    if (section.status == status) names.push_back(section.name);
  }
  return names;
}
}  // namespace

std::vector<std::string> Spec::Contested() const {
  return NamesWith(sections_, SectionStatus::kContested);
}
std::vector<std::string> Spec::Unclaimed() const {
  return NamesWith(sections_, SectionStatus::kUnclaimed);
}
std::vector<std::string> Spec::Claimed() const {
  return NamesWith(sections_, SectionStatus::kClaimed);
}
std::vector<std::string> Spec::Frozen() const {
  return NamesWith(sections_, SectionStatus::kFrozen);
}

std::optional<std::string> Spec::Owner(std::string_view section) const {
  const Section* found = Get(section);
  return found == nullptr ? std::nullopt : found->owner;
}

std::vector<std::string> Spec::Claimants(std::string_view section) const {
  const Section* found = Get(section);
  return found == nullptr ? std::vector<std::string>{} : found->claims;
}

std::map<std::string, std::string> Spec::Proposals(std::string_view section) const {
  const Section* found = Get(section);
  return found == nullptr ? std::map<std::string, std::string>{} : found->proposals;
}

CoverageReport Spec::Coverage() const {
  CoverageReport report;
  report.total = static_cast<int>(sections_.size());
  report.unclaimed = Unclaimed();
  report.contested = Contested();
  report.claimed = Claimed();
  report.frozen = Frozen();
  for (const Section& section : sections_) {
    if (section.owner.has_value()) report.ownership[section.name] = *section.owner;
  }
  report.coverage_gaps = static_cast<int>(report.unclaimed.size());
  report.unresolved_conflicts = static_cast<int>(report.contested.size());
  return report;
}

std::vector<SectionHistoryEntry> Spec::FullHistory() const {
  std::vector<SectionHistoryEntry> all = retired_history_;
  for (const Section& section : sections_) {
    for (const HistoryEntry& entry : section.history) all.push_back({section.name, entry});
  }
  std::sort(all.begin(), all.end(), [](const SectionHistoryEntry& a, const SectionHistoryEntry& b) {
    return std::pair(a.entry.round, a.entry.sequence) < std::pair(b.entry.round, b.entry.sequence);
  });
  return all;
}

}  // namespace hfs::spec
