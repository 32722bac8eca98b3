// NegotiationEngine: parallel negotiation rounds over a spec snapshot, atomic application
// of the staged decisions, stuck detection and escalation to the arbiter.
#include "hfs/pipeline/negotiation_engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <map>
#include <thread>
#include <utility>

#include "hfs/base/try.h"
#include "hfs/pipeline/triad_span.h"

namespace hfs::pipeline {
namespace {

std::vector<std::string> TriadOrder(const std::vector<triad::Triad*>& triads) {
  std::vector<std::string> order;
  for (const triad::Triad* triad : triads) {
    if (triad != nullptr) order.push_back(triad->options().id);
  }
  return order;
}

std::vector<triad::TriadOptions> TriadOptionsOf(const std::vector<triad::Triad*>& triads) {
  std::vector<triad::TriadOptions> options;
  for (const triad::Triad* triad : triads) {
    if (triad != nullptr) options.push_back(triad->options());
  }
  return options;
}

// The sections of `contested` that `triad` claims in `snapshot`, in spec order.
std::vector<std::string> ClaimedContested(const spec::Spec& snapshot,
                                          const std::vector<std::string>& contested,
                                          const std::string& triad) {
  std::vector<std::string> sections;
  for (const std::string& name : contested) {
    const spec::Section* section = snapshot.Get(name);
    if (section != nullptr && section->IsClaimant(triad)) sections.push_back(name);
  }
  return sections;
}

// One triad's Negotiate call in a round.
struct TriadJob {
  triad::Triad* triad;
  std::string id;
  triad::PhaseInput input;
  triad::PhaseReport report;
};

// A job for every triad claiming one of `contested` in `snapshot`, in config order.
std::vector<TriadJob> PlanJobs(const std::vector<triad::Triad*>& triads, const spec::Spec& snapshot,
                               const std::vector<std::string>& contested,
                               const std::string& request, double freeze_threshold) {
  std::vector<TriadJob> jobs;
  for (triad::Triad* triad : triads) {
    if (triad == nullptr) continue;
    std::string id = triad->options().id;
    std::vector<std::string> sections = ClaimedContested(snapshot, contested, id);
    if (sections.empty()) continue;
    jobs.push_back({.triad = triad,
                    .id = std::move(id),
                    .input = {.spec = &snapshot,
                              .request = request,
                              .freeze_threshold = freeze_threshold,
                              .sections = std::move(sections)}});
  }
  return jobs;
}

// Negotiate, with an escaping exception (a bug in a triad) turned into the phase error.
triad::PhaseReport NegotiateSafely(triad::Triad& triad, const triad::PhaseInput& input) {
  try {
    return triad.Negotiate(input);
  } catch (const std::exception& e) {
    return {.phase = triad::kNegotiation,
            .error = Error{ErrorCode::kInternal, fmt::format("Negotiate threw: {}", e.what())}};
  } catch (...) {
    return {.phase = triad::kNegotiation,
            .error = Error{ErrorCode::kInternal, "Negotiate threw an unknown exception"}};
  }
}

// Moves the decisions `triad` staged for `sections` to `accepted`; any other decision (for
// a section it was not asked about, or in another triad's name) goes to `rejected`.
void CollectDecisions(const std::string& triad, const std::vector<std::string>& sections,
                      std::vector<spec::StagedDecision> staged,
                      std::vector<spec::StagedDecision>& accepted,
                      std::vector<spec::RejectedDecision>& rejected) {
  for (spec::StagedDecision& decision : staged) {
    if (decision.triad != triad) {
      Error error{
          ErrorCode::kInvalidArgument,
          fmt::format("triad '{}' staged a decision in the name of '{}'", triad, decision.triad)};
      rejected.push_back({std::move(decision), std::move(error)});
    } else if (std::find(sections.begin(), sections.end(), decision.section) == sections.end()) {
      Error error{ErrorCode::kFailedPrecondition,
                  fmt::format("section '{}' is not a contested section of triad '{}' this round",
                              decision.section, triad)};
      rejected.push_back({std::move(decision), std::move(error)});
    } else {
      accepted.push_back(std::move(decision));
    }
  }
}

// Counts rounds without progress; returns the sections that reached `threshold`, in the
// order of `results` (spec order).
std::vector<std::string> UpdateStuck(const std::vector<spec::SectionRoundResult>& results,
                                     int threshold, std::map<std::string, int>& stuck) {
  std::vector<std::string> reached;
  for (const spec::SectionRoundResult& result : results) {
    if (result.status != spec::SectionStatus::kContested) {
      stuck.erase(result.section);
    } else if (result.progress) {
      stuck[result.section] = 0;
    } else if (++stuck[result.section] >= std::max(1, threshold)) {
      reached.push_back(result.section);
    }
  }
  return reached;
}

void NoteError(NegotiationReport& report, const Error& error) {
  if (!report.error) report.error = error;
}

// Applies the arbiter's decision for `section`; one that no longer applies (an earlier
// decision of the same batch took its sub-section names) is replaced by the fallback.
// Returns the outcome as applied, or the error when not even the fallback applies.
Result<ArbiterOutcome> ApplyOutcome(spec::Spec& spec, const std::string& section,
                                    const std::vector<triad::TriadOptions>& options,
                                    ArbiterOutcome outcome) {
  Result<void> applied = spec.Apply(outcome.decision, section);
  if (applied) return outcome;
  const spec::Section* current = spec.Get(section);
  if (current == nullptr || current->claims.empty()) return Fail(applied.error());
  outcome.fallback = true;
  outcome.fallback_reason =
      fmt::format("the decision no longer applies: {}", applied.error().message);
  outcome.decision = FallbackDecision(*current, options, outcome.fallback_reason);
  HFS_RETURN_IF_ERROR(spec.Apply(outcome.decision, section));
  return outcome;
}

}  // namespace

NegotiationOptions NegotiationOptionsFrom(const PressureOptions& pressure) {
  return {.max_negotiation_rounds = pressure.max_negotiation_rounds,
          .escalation_threshold = pressure.escalation_threshold,
          .freeze_threshold = pressure.freeze_threshold};
}

std::string_view EscalationCauseName(EscalationCause cause) {
  switch (cause) {
    case EscalationCause::kStuck:
      return "stuck";
    case EscalationCause::kUnresolved:
      return "unresolved";
  }
  return "unknown";
}

NegotiationEngine::NegotiationEngine(const Arbiter& arbiter, NegotiationOptions options,
                                     agent::Budget* arbiter_budget, trace::TraceScope trace,
                                     const std::atomic<bool>* cancelled)
    : arbiter_(arbiter),
      options_(options),
      arbiter_budget_(arbiter_budget),
      trace_(trace),
      cancelled_(cancelled) {}

NegotiationReport NegotiationEngine::Run(spec::Spec& spec, const std::vector<triad::Triad*>& triads,
                                         const std::string& request,
                                         const RoundCallback& on_round) const {
  NegotiationReport report;
  std::map<std::string, int> stuck;
  const int64_t threshold =
      std::llround(options_.freeze_threshold * static_cast<double>(spec::kTemperatureScale));
  while (!spec.IsFrozen() && !spec.Contested().empty() &&
         spec.Round() < options_.max_negotiation_rounds && spec.TemperatureMicros() > threshold &&
         (cancelled_ == nullptr || !cancelled_->load())) {
    RoundSummary summary{
        .round = spec.Round(), .temperature = spec.Temperature(), .contested = spec.Contested()};
    trace::Span round =
        trace_.Start(fmt::format("hfs.negotiation.round {}", summary.round),
                     {{"hfs.negotiation.round", summary.round},
                      {"hfs.spec.temperature", trace::AttributeValue(summary.temperature)},
                      {"hfs.negotiation.contested", trace::AttributeValue(summary.contested)}});
    NegotiateRound(spec, triads, request, round, summary, report);
    std::vector<std::string> reached =
        UpdateStuck(summary.sections, options_.escalation_threshold, stuck);
    summary.escalations =
        Escalate(spec, reached, EscalationCause::kStuck, triads, request, round, report);
    for (const Escalation& escalation : summary.escalations) {
      stuck.erase(escalation.section);
      report.escalations.push_back(escalation);
    }
    ++report.rounds;
    Result<void> advanced = spec.AdvanceRound();
    if (on_round) on_round(summary);
    report.rounds_detail.push_back(std::move(summary));
    if (!advanced) {
      NoteError(report, advanced.error().WithContext("negotiation"));
      break;
    }
  }
  if (!spec.IsFrozen() && !spec.Contested().empty()) {
    trace::Span unresolved =
        trace_.Start("hfs.negotiation.unresolved", {{"hfs.negotiation.round", spec.Round()}});
    for (Escalation& escalation : Escalate(spec, spec.Contested(), EscalationCause::kUnresolved,
                                           triads, request, unresolved, report)) {
      report.escalations.push_back(std::move(escalation));
    }
  }
  report.final_temperature = spec.Temperature();
  return report;
}

void NegotiationEngine::NegotiateRound(spec::Spec& spec, const std::vector<triad::Triad*>& triads,
                                       const std::string& request, trace::Span& round,
                                       RoundSummary& summary, NegotiationReport& report) const {
  const spec::Spec snapshot = spec;
  const trace::TraceScope round_trace = trace_.Under(round);
  std::vector<TriadJob> jobs =
      PlanJobs(triads, snapshot, summary.contested, request, options_.freeze_threshold);
  {
    std::vector<std::jthread> threads;
    threads.reserve(jobs.size());
    for (TriadJob& job : jobs) {
      threads.emplace_back([&job, &round_trace] {
        TriadTrace traced = StartTriadSpan(round_trace, job.triad->options(), triad::kNegotiation);
        job.input.trace = traced.scope;
        job.report = NegotiateSafely(*job.triad, job.input);
        EndTriadSpan(traced, job.report);
      });
    }
  }  // joined
  std::vector<spec::StagedDecision> decisions;
  for (TriadJob& job : jobs) {
    summary.triads.push_back(job.id);
    if (job.report.error) {
      summary.triad_errors.push_back({job.id, *job.report.error});
    }
    CollectDecisions(job.id, job.input.sections, job.triad->outbox().decisions(), decisions,
                     summary.rejected);
    report.triad_reports.push_back(std::move(job.report));
  }
  for (const spec::StagedDecision& decision : decisions) {
    round.AddEvent("negotiation.decision",
                   {{"hfs.section", decision.section},
                    {"hfs.triad.id", decision.triad},
                    {"hfs.decision", spec::DecisionName(decision.decision)}});
  }
  spec::RoundResult result = spec::ApplyDecisions(spec, std::move(decisions), TriadOrder(triads));
  for (const spec::SectionRoundResult& section : result.sections) {
    if (!section.resolved) continue;
    round.AddEvent("negotiation.resolved", {{"hfs.section", section.section},
                                            {"hfs.winner", section.winner.value_or("")},
                                            {"hfs.resolution", "concede"}});
  }
  summary.sections = std::move(result.sections);
  for (spec::RejectedDecision& rejected : result.rejected) {
    summary.rejected.push_back(std::move(rejected));
  }
}

std::vector<Escalation> NegotiationEngine::Escalate(spec::Spec& spec,
                                                    const std::vector<std::string>& sections,
                                                    EscalationCause cause,
                                                    const std::vector<triad::Triad*>& triads,
                                                    const std::string& request, trace::Span& span,
                                                    NegotiationReport& report) const {
  if (sections.empty()) return {};
  const std::vector<triad::TriadOptions> options = TriadOptionsOf(triads);
  const trace::TraceScope arbiter_trace = trace_.Under(span);
  std::vector<Result<ArbiterOutcome>> outcomes(sections.size());
  {
    std::vector<std::jthread> threads;
    threads.reserve(sections.size());
    for (size_t i = 0; i < sections.size(); ++i) {
      threads.emplace_back([&, i] {
        outcomes[i] = arbiter_.Resolve({.spec = &spec,
                                        .section = sections[i],
                                        .triads = options,
                                        .request = request,
                                        .trace = arbiter_trace},
                                       arbiter_budget_);
      });
    }
  }  // joined; the spec is only read until here
  std::vector<Escalation> escalations;
  for (size_t i = 0; i < sections.size(); ++i) {
    Result<ArbiterOutcome> applied =
        outcomes[i] ? ApplyOutcome(spec, sections[i], options, std::move(*outcomes[i]))
                    : Fail(outcomes[i].error());
    span.AddEvent("negotiation.escalated", {{"hfs.section", sections[i]},
                                            {"hfs.escalation.cause", EscalationCauseName(cause)}});
    if (!applied) {
      NoteError(report, applied.error());
      continue;
    }
    const spec::ArbiterDecision& decision = applied->decision;
    span.AddEvent("negotiation.arbiter_decision",
                  {{"hfs.section", sections[i]},
                   {"hfs.arbiter.decision", spec::ArbiterDecisionTypeName(decision.type)},
                   {"hfs.arbiter.winner", decision.type == spec::ArbiterDecision::Type::kMerge
                                              ? decision.assigned_to
                                              : decision.winner},
                   {"hfs.arbiter.fallback", applied->fallback},
                   {"hfs.arbiter.rationale", decision.rationale}});
    escalations.push_back({.section = sections[i],
                           .round = spec.Round(),
                           .cause = cause,
                           .outcome = std::move(*applied)});
  }
  return escalations;
}

}  // namespace hfs::pipeline
