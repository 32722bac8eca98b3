// hfs/spec/spec.h
//
// Spec: the shared document the triads negotiate over. It holds the configured sections
// in order (each a state machine, hfs/spec/section.h), the negotiation round, the
// temperature and the spec status, and records every change in the sections' history.
// Pure: no I/O, no clock, no threads; the same calls always give the same spec.
//
//   Spec spec = HFS_TRY(Spec::Create({"layout", "hero", "faq"}, {.decay = 0.2}));
//   HFS_RETURN_IF_ERROR(spec.RegisterClaim("t1", "layout", "a 12-column grid"));
//   HFS_RETURN_IF_ERROR(spec.AdvanceRound());        // temperature 1.0 -> 0.8
//   HFS_RETURN_IF_ERROR(spec.Assign("hero", "t2", "coverage"));
//   HFS_RETURN_IF_ERROR(spec.Freeze());              // every section needs one owner
//
// Temperature is kept in integer millionths (kTemperatureScale): the options are rounded
// to the nearest millionth once, and after round r the temperature is exactly
// max(0, initial - decay * r). So decay 0.1 from 1.0 reaches 0 after exactly 10 rounds,
// 0.15 after 7 (ceil(1 / 0.15)), 0.2 after 5 and 0.3 after 4, with no float drift.
//
// Failures: a section that does not exist gives kNotFound; a change to a frozen section,
// by a triad that is not a claimant, or to a spec in the wrong status gives
// kFailedPrecondition; malformed arguments (empty ids, invalid arbiter decisions) give
// kInvalidArgument. A failed call changes nothing, except that a claim or concession on
// a frozen section is recorded in its history as rejected.
//
// Thread-compatible: owned by the orchestrator thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/base/error.h"
#include "hfs/spec/arbiter_decision.h"
#include "hfs/spec/section.h"

namespace hfs::spec {

// Temperatures are stored as integer multiples of 1 / kTemperatureScale.
inline constexpr int64_t kTemperatureScale = 1'000'000;

// Each value in [0, 1].
struct TemperatureOptions {
  double initial = 1.0;
  // Subtracted once per round.
  double decay = 0.15;
  // At or below this temperature a negotiating spec is cooling.
  double freeze_threshold = 0.1;
};

// initializing --AdvanceRound--> negotiating --(temperature <= threshold)--> cooling;
// any of those --Freeze--> frozen --BeginExecution--> executing.
enum class SpecStatus { kInitializing, kNegotiating, kCooling, kFrozen, kExecuting };

// "initializing", "negotiating", "cooling", "frozen", "executing".
std::string_view SpecStatusName(SpecStatus status);

// Section names are in spec order.
struct CoverageReport {
  int total = 0;
  std::vector<std::string> unclaimed;
  std::vector<std::string> contested;
  std::vector<std::string> claimed;
  std::vector<std::string> frozen;
  // Section -> owner, for every claimed or frozen section.
  std::map<std::string, std::string> ownership;
  // The number of unclaimed sections.
  int coverage_gaps = 0;
  // The number of contested sections.
  int unresolved_conflicts = 0;

  // True when every section has an owner.
  bool Complete() const { return coverage_gaps == 0 && unresolved_conflicts == 0; }
};

// A history entry tagged with its section.
struct SectionHistoryEntry {
  std::string section;
  HistoryEntry entry;

  bool operator==(const SectionHistoryEntry&) const = default;
};

class Spec {
 public:
  // Section names must be non-empty and distinct, and there must be at least one;
  // otherwise kInvalidArgument. Temperature options outside [0, 1] give kInvalidArgument.
  static Result<Spec> Create(std::vector<std::string> sections,
                             TemperatureOptions temperature = {});

  // --- Claims and negotiation (section state machine, hfs-original §2.2-2.3) ---

  // Adds `triad` as a claimant of `section` (first claim -> claimed with owner `triad`;
  // a second triad -> contested without owner) or, when it already claims it, replaces
  // its proposal. kNotFound for a section not in the spec; kFailedPrecondition (recorded
  // as "claim_rejected") for a frozen section; kInvalidArgument for an empty triad id.
  Result<void> RegisterClaim(std::string_view triad, std::string_view section, std::string proposal,
                             std::optional<std::string> justification = std::nullopt);
  // CONCEDE: withdraws the claim and its proposal. One claimant left -> claimed by it;
  // none -> unclaimed. kNotFound; kFailedPrecondition (recorded as "concede_rejected")
  // for a frozen section, or when `triad` is not a claimant.
  Result<void> Concede(std::string_view triad, std::string_view section);
  // REVISE: replaces the claimant's proposal. kNotFound; kFailedPrecondition when the
  // section is frozen or `triad` is not a claimant.
  Result<void> UpdateProposal(std::string_view triad, std::string_view section,
                              std::string proposal);
  // HOLD: changes nothing but the history. Errors as UpdateProposal.
  Result<void> Hold(std::string_view triad, std::string_view section);

  // Makes `triad` the only claimant and owner of `section` (the other claimants concede,
  // recorded as by "system"); `reason` says why ("arbiter", "coverage", "fallback", ...)
  // and is recorded in an "assigned" entry. `proposal`, when given, replaces the triad's
  // proposal; a triad that did not claim the section starts with an empty proposal
  // otherwise. An unclaimed section can go to any triad, a claimed or contested one only
  // to one of its claimants. kNotFound; kFailedPrecondition for a frozen section or a
  // non-claimant; kInvalidArgument for an empty triad id or reason.
  Result<void> Assign(std::string_view section, std::string_view triad, std::string_view reason,
                      std::optional<std::string> proposal = std::nullopt);

  // A frozen section changes hands because its owner failed or left it without code:
  // `triad` becomes claimant and owner, the frozen content stays, and a "taken_over"
  // entry records the old owner and `reason`. kNotFound; kFailedPrecondition unless the
  // section is frozen; kInvalidArgument for an empty triad id or reason.
  Result<void> TakeOver(std::string_view section, std::string_view triad, std::string_view reason);

  // Applies an arbiter decision to `section` (see hfs/spec/arbiter_decision.h).
  // kAssign/kMerge: the other claimants concede (by "arbiter") and the chosen claimant owns
  // the section (kMerge first replaces its proposal). kSplit: the section is replaced, at
  // its position, by the sub-sections, each claimed by its triad with that triad's old
  // proposal. kNotFound; kFailedPrecondition for a frozen section; kInvalidArgument when
  // the decision does not fit the section (a winner that is not a claimant, fewer than two
  // split entries, a sub-section name that is empty, repeated or already in the spec, an
  // empty merged proposal). Nothing changes on failure.
  Result<void> Apply(const ArbiterDecision& decision, std::string_view section);

  // --- Rounds and status ---

  // round += 1 and the temperature decays; initializing -> negotiating, then
  // negotiating -> cooling once the temperature is at or below the freeze threshold.
  // kFailedPrecondition once frozen.
  Result<void> AdvanceRound();
  // Freezes every section (content = the owner's proposal), the temperature drops to 0
  // and the status becomes frozen. Requires every section to have exactly one owner:
  // otherwise kFailedPrecondition naming each unclaimed or contested section, and nothing
  // changes. kFailedPrecondition when already frozen.
  Result<void> Freeze();
  // frozen -> executing; kFailedPrecondition in any other status.
  Result<void> BeginExecution();

  int Round() const { return round_; }
  SpecStatus Status() const { return status_; }
  // In [0, 1]; exactly TemperatureMicros() / kTemperatureScale.
  double Temperature() const;
  int64_t TemperatureMicros() const { return temperature_micros_; }
  // True while the temperature is at or below the freeze threshold.
  bool BelowFreezeThreshold() const;
  // Frozen or executing.
  bool IsFrozen() const;

  // --- Queries (names in spec order) ---

  const std::vector<Section>& Sections() const { return sections_; }
  std::vector<std::string> SectionNames() const;
  // nullptr when there is no such section.
  const Section* Get(std::string_view section) const;
  std::vector<std::string> Contested() const;
  std::vector<std::string> Unclaimed() const;
  std::vector<std::string> Claimed() const;
  std::vector<std::string> Frozen() const;
  // nullopt when the section is missing or has no owner.
  std::optional<std::string> Owner(std::string_view section) const;
  // Empty when the section is missing.
  std::vector<std::string> Claimants(std::string_view section) const;
  std::map<std::string, std::string> Proposals(std::string_view section) const;
  CoverageReport Coverage() const;
  // Every entry of every section, including sections replaced by a split, ordered by
  // (round, sequence).
  std::vector<SectionHistoryEntry> FullHistory() const;

  bool operator==(const Spec&) const = default;

 private:
  Spec() = default;

  Section* Find(std::string_view section);
  Result<Section*> FindForChange(std::string_view section);
  void Record(Section& section, std::string action, std::string by,
              std::map<std::string, std::string> details = {});
  // Removes `triad`'s claim, updates the status and records "concede" by `by`.
  void Withdraw(Section& section, const std::string& triad, const std::string& by);
  // Makes `triad` (a claimant, or anyone on an unclaimed section) the sole owner.
  // `proposal` replaces the triad's proposal when given.
  void GiveTo(Section& section, const std::string& triad, const std::string& by,
              std::optional<std::string> proposal, std::map<std::string, std::string> details);
  void ApplySplit(const ArbiterDecision& decision, const std::string& section);

  std::vector<Section> sections_;
  // Sections replaced by a split: name -> sub-section names, and their history.
  std::map<std::string, std::vector<std::string>, std::less<>> split_into_;
  std::vector<SectionHistoryEntry> retired_history_;
  int64_t initial_micros_ = kTemperatureScale;
  int64_t decay_micros_ = 0;
  int64_t threshold_micros_ = 0;
  int64_t temperature_micros_ = kTemperatureScale;
  int round_ = 0;
  SpecStatus status_ = SpecStatus::kInitializing;
  int64_t next_sequence_ = 1;
};

}  // namespace hfs::spec
