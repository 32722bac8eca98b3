// hfs/pipeline/negotiation_engine.h
//
// NegotiationEngine: the negotiation phase (hfs-original §3.2, made deterministic). While
// a section is contested, the round is below max_negotiation_rounds and the temperature
// is above the freeze threshold, each round:
//   1. every triad claiming a contested section runs Negotiate on its own thread, with a
//      snapshot of the spec at round start and only the contested sections it claims;
//   2. after all join, the decisions staged in their outboxes are applied as one step
//      (spec::ApplyDecisions, config order); a triad's decision for a section it was not
//      asked about, or in another triad's name, is rejected;
//   3. a section that made no progress (no concession, no real revision) for
//      escalation_threshold consecutive rounds goes to the Arbiter (in parallel, applied in
//      spec order with Spec::Apply);
//   4. spec.AdvanceRound().
// When the loop ends with sections still contested, each goes to the arbiter, so no
// section is left contested. An arbiter decision that no longer applies (two splits naming
// the same sub-section) is replaced by the fallback assign. Unclaimed sections are left to
// the freeze.
//
//   NegotiationEngine engine(arbiter, NegotiationOptionsFrom(config.pressure));
//   NegotiationReport report = engine.Run(spec, {t1.get(), t2.get()}, request,
//                                         [](const RoundSummary& r) { display.Show(r); });
//   if (report.error) spdlog::warn("a triad failed: {}", report.error->ToString());
//
// Failures are data: a triad whose Negotiate reports an error keeps its staged decisions
// (they came from completed tool calls) and holds on the rest; the error goes in the
// report and the rounds go on. Run never throws and never fails.
// Thread-compatible: Run drives one spec from the calling thread; the triads must not be
// used elsewhere during Run. The arbiter is thread-safe.
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "hfs/agent/budget.h"
#include "hfs/base/error.h"
#include "hfs/pipeline/arbiter.h"
#include "hfs/pipeline/pipeline_options.h"
#include "hfs/spec/spec.h"
#include "hfs/spec/staged.h"
#include "hfs/trace/span.h"
#include "hfs/trace/trace_scope.h"
#include "hfs/triad/triad.h"

namespace hfs::pipeline {

struct NegotiationOptions {
  int max_negotiation_rounds = 10;
  // Consecutive rounds without progress after which a section goes to the arbiter.
  int escalation_threshold = 2;
  // Rounds run while the temperature is above this; it should equal the spec's.
  double freeze_threshold = 0.1;
};

NegotiationOptions NegotiationOptionsFrom(const PressureOptions& pressure);

enum class EscalationCause {
  // No progress for escalation_threshold rounds.
  kStuck,
  // Still contested when the rounds ran out or the spec cooled to the threshold.
  kUnresolved,
};

// "stuck", "unresolved".
std::string_view EscalationCauseName(EscalationCause cause);

struct Escalation {
  std::string section;
  // The spec round the decision was made in (after round `round`'s decisions).
  int round = 0;
  EscalationCause cause = EscalationCause::kStuck;
  // The decision applied; fallback set when it was not the model's.
  ArbiterOutcome outcome;
};

struct TriadError {
  std::string triad;
  Error error;
};

struct RoundSummary {
  // The spec round and temperature at the start of the round.
  int round = 0;
  double temperature = 0;
  // Contested at the start of the round, in spec order.
  std::vector<std::string> contested;
  // The triads that negotiated, in config order.
  std::vector<std::string> triads;
  // Per section, as spec::ApplyDecisions reported it.
  std::vector<spec::SectionRoundResult> sections;
  std::vector<spec::RejectedDecision> rejected;
  std::vector<TriadError> triad_errors;
  // Sections settled by the arbiter after this round's decisions.
  std::vector<Escalation> escalations;
};

struct NegotiationReport {
  // Rounds run by the engine.
  int rounds = 0;
  std::vector<RoundSummary> rounds_detail;
  // Every escalation, the ones after the last round (kUnresolved) included.
  std::vector<Escalation> escalations;
  // Every Negotiate report, round by round, in config order within a round
  // (rounds_detail[i].triads names them).
  std::vector<triad::PhaseReport> triad_reports;
  double final_temperature = 0;
  // The first error of the negotiation itself (applying decisions, advancing the spec),
  // with context. A triad's own failure is only in its round's triad_errors.
  std::optional<Error> error;
};

using RoundCallback = std::function<void(const RoundSummary&)>;

class NegotiationEngine {
 public:
  // `arbiter`, `arbiter_budget` and `cancelled` (both may be null) must outlive the
  // engine. Rounds are traced as `hfs.negotiation.round` spans under `trace` (triads and
  // arbiter calls under them, decisions and escalations as events). No round starts once
  // `cancelled` is set (the contested sections are then left to the arbiter as usual).
  NegotiationEngine(const Arbiter& arbiter, NegotiationOptions options,
                    agent::Budget* arbiter_budget = nullptr, trace::TraceScope trace = {},
                    const std::atomic<bool>* cancelled = nullptr);

  // Negotiates `spec`'s contested sections among `triads` (config order; their ids are
  // the triad order). `on_round` (may be empty) is called after each round.
  NegotiationReport Run(spec::Spec& spec, const std::vector<triad::Triad*>& triads,
                        const std::string& request, const RoundCallback& on_round = {}) const;

 private:
  // Step 1 and 2 of a round.
  void NegotiateRound(spec::Spec& spec, const std::vector<triad::Triad*>& triads,
                      const std::string& request, trace::Span& round, RoundSummary& summary,
                      NegotiationReport& report) const;
  // Sends `sections` to the arbiter in parallel and applies the decisions in order.
  std::vector<Escalation> Escalate(spec::Spec& spec, const std::vector<std::string>& sections,
                                   EscalationCause cause, const std::vector<triad::Triad*>& triads,
                                   const std::string& request, trace::Span& span,
                                   NegotiationReport& report) const;

  const Arbiter& arbiter_;
  const NegotiationOptions options_;
  agent::Budget* const arbiter_budget_;
  const trace::TraceScope trace_;
  const std::atomic<bool>* const cancelled_;
};

}  // namespace hfs::pipeline
