#include "hfs/pipeline/orchestrator.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <thread>

#include "hfs/base/check.h"
#include "hfs/pipeline/run_budgets.h"
#include "hfs/pipeline/triad_span.h"
#include "hfs/trace/instruments.h"
#include "hfs/triad/code_generator.h"
#include "hfs/triad/triad_factory.h"

namespace hfs::pipeline {
namespace {

bool Contains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

// Runs `step(i)` for every triad index in parallel and joins.
template <class Step>
void ForEachTriadInParallel(size_t count, const Step& step) {
  std::vector<std::jthread> threads;
  threads.reserve(count);
  for (size_t i = 0; i < count; ++i) threads.emplace_back([&step, i] { step(i); });
}

bool EveryTriadFailed(const std::vector<triad::PhaseReport>& reports) {
  return !reports.empty() && std::all_of(reports.begin(), reports.end(),
                                         [](const triad::PhaseReport& r) { return r.error; });
}

void KeepFirstError(std::optional<Error>& first, const std::optional<Error>& error,
                    const std::string& context) {
  if (error && !first) first = error->WithContext(context);
}

}  // namespace

struct Orchestrator::RunState {
  std::string request;
  PipelineResult result;
  std::optional<spec::Spec> spec;  // set by the input phase
  std::unique_ptr<RunBudgets> budgets;
  std::unique_ptr<triad::CodeGenerator> code;
  std::vector<std::unique_ptr<triad::Triad>> triads;
  std::vector<std::string> order;  // triad ids in config order
  // The current phase's span and scope.
  trace::Span* phase_span = nullptr;
  trace::TraceScope phase_trace;
  // Set by a phase after which nothing more can be done.
  bool stop = false;
};

Orchestrator::Orchestrator(PipelineSetup setup, PipelineDeps deps)
    : setup_(std::move(setup)), deps_(std::move(deps)) {
  HFS_CHECK(deps_.models != nullptr && deps_.prompts != nullptr && deps_.clock != nullptr,
            "the orchestrator needs a model source, prompts and a clock");
}

bool Orchestrator::Cancelled() const {
  return deps_.cancelled != nullptr && deps_.cancelled->load();
}

bool Orchestrator::Phase(RunState& state, const std::string& name,
                         void (Orchestrator::*step)(RunState&)) {
  if (Cancelled()) {
    KeepFirstError(state.result.error, Error{ErrorCode::kAborted, "the run was interrupted"},
                   "before " + name);
    return false;
  }
  if (deps_.on_phase_start) deps_.on_phase_start(name);
  trace::Span span = deps_.trace.Start("hfs.phase." + name, {{"hfs.phase.name", name}});
  state.phase_span = &span;
  state.phase_trace = deps_.trace.Under(span);
  const bool had_error = state.result.error.has_value();
  const Timestamp start = deps_.clock->Now();
  (this->*step)(state);
  const Duration took = deps_.clock->Now() - start;
  state.result.timings.push_back({name, took});
  const bool failed = state.stop || (!had_error && state.result.error.has_value());
  span.SetAttribute("hfs.phase.duration_s", Seconds(took));
  span.SetAttribute("hfs.phase.success", !failed);
  if (failed && state.result.error) span.RecordError(*state.result.error);
  trace::RecordPhase(deps_.trace.metrics, name, took,
                     failed ? trace::PhaseOutcome::kFailed : trace::PhaseOutcome::kSucceeded);
  span.End();
  state.phase_span = nullptr;
  if (deps_.on_phase) deps_.on_phase(name);
  return !state.stop && !Cancelled();
}

PipelineResult Orchestrator::Run(const std::string& request) {
  RunState state{.request = request, .result = {.run_id = setup_.run_id}};
  const bool completed = Phase(state, "input", &Orchestrator::Input) &&
                         Phase(state, "spawn", &Orchestrator::Spawn) &&
                         Phase(state, "deliberation", &Orchestrator::Deliberate) &&
                         Phase(state, "claims", &Orchestrator::Claims) &&
                         Phase(state, "negotiation", &Orchestrator::Negotiate) &&
                         Phase(state, "freeze", &Orchestrator::Freeze) &&
                         Phase(state, "execution", &Orchestrator::Execute) &&
                         Phase(state, "integration", &Orchestrator::Integrate) &&
                         Phase(state, "output", &Orchestrator::Output);
  PipelineResult& result = state.result;
  if (Cancelled()) {
    KeepFirstError(result.error, Error{ErrorCode::kAborted, "the run was interrupted"}, "run");
  }
  result.spec = std::move(state.spec);
  if (completed && !result.error && !result.validation.passed) {
    result.error =
        Error{ErrorCode::kFailedPrecondition,
              fmt::format("validation failed with {} error(s)", result.validation.counts.errors)};
  }
  result.success = completed && !result.error.has_value();
  return std::move(result);
}

void Orchestrator::Input(RunState& state) {
  Result<spec::Spec> spec =
      spec::Spec::Create(setup_.sections, {.initial = setup_.pressure.initial_temperature,
                                           .decay = setup_.pressure.temperature_decay,
                                           .freeze_threshold = setup_.pressure.freeze_threshold});
  if (!spec) {
    state.result.error = spec.error().WithContext("input");
    state.stop = true;
    return;
  }
  state.spec = std::move(*spec);
  state.phase_span->SetAttribute("hfs.phase.section_count",
                                 static_cast<int64_t>(setup_.sections.size()));
}

void Orchestrator::Spawn(RunState& state) {
  state.budgets = std::make_unique<RunBudgets>(setup_.pressure, setup_.triads, *deps_.clock);
  state.code = std::make_unique<triad::CodeGenerator>(
      *deps_.models, triad::CodeGeneratorOptions{
                         .output_format = std::string(OutputFormatName(setup_.output.format))});
  for (const triad::TriadOptions& options : setup_.triads) {
    state.order.push_back(options.id);
    state.triads.push_back(triad::MakeTriad(
        options, {.models = deps_.models,
                  .budget = &state.budgets->For(options.id),
                  .code = state.code.get(),
                  .prompts = deps_.prompts,
                  .run_id = setup_.run_id,
                  .output_format = std::string(OutputFormatName(setup_.output.format)),
                  .cancelled = deps_.cancelled,
                  .state = deps_.state}));
  }
  state.phase_span->SetAttribute("hfs.phase.triad_count",
                                 static_cast<int64_t>(state.triads.size()));
}

void Orchestrator::Deliberate(RunState& state) {
  // Every triad sees the same snapshot; claims are applied after all have finished.
  const spec::Spec snapshot = *state.spec;
  std::vector<triad::PhaseReport> reports(state.triads.size());
  ForEachTriadInParallel(state.triads.size(), [&](size_t i) {
    TriadTrace traced =
        StartTriadSpan(state.phase_trace, state.triads[i]->options(), triad::kDeliberation);
    reports[i] = state.triads[i]->Deliberate({.spec = &snapshot,
                                              .request = state.request,
                                              .freeze_threshold = setup_.pressure.freeze_threshold,
                                              .trace = traced.scope});
    EndTriadSpan(traced, reports[i]);
  });
  for (size_t i = 0; i < state.triads.size(); ++i) {
    KeepFirstError(state.result.error, reports[i].error,
                   fmt::format("deliberation of triad '{}'", state.order[i]));
  }
  if (EveryTriadFailed(reports)) {
    // Nothing can come of the later phases: stop with what was learned.
    state.result.error = state.result.error->WithContext("every triad failed");
    state.stop = true;
  }
  state.result.deliberation = std::move(reports);
}

void Orchestrator::Claims(RunState& state) {
  std::vector<spec::StagedClaim> claims;
  for (size_t i = 0; i < state.triads.size(); ++i) {
    for (spec::StagedClaim& claim : state.triads[i]->outbox().claims()) {
      claim.triad = state.order[i];  // a triad speaks only for itself
      claims.push_back(std::move(claim));
    }
  }
  state.result.claims = spec::ApplyClaims(*state.spec, std::move(claims), state.order);
  trace::Span& span = *state.phase_span;
  int64_t accepted = 0;
  for (const spec::ClaimOutcome& outcome : state.result.claims) {
    if (!outcome.Accepted()) continue;
    ++accepted;
    span.AddEvent("negotiation.claimed",
                  {{"hfs.section", outcome.claim.section}, {"hfs.triad.id", outcome.claim.triad}});
  }
  const std::vector<std::string> contested = state.spec->Contested();
  for (const std::string& section : contested) {
    span.AddEvent("negotiation.contested",
                  {{"hfs.section", section},
                   {"hfs.claimants", trace::AttributeValue(state.spec->Get(section)->claims)}});
  }
  span.SetAttribute("hfs.phase.claimed_count", accepted);
  span.SetAttribute("hfs.phase.contested_count", static_cast<int64_t>(contested.size()));
}

void Orchestrator::Negotiate(RunState& state) {
  Arbiter arbiter(*deps_.models, ArbiterSettingsFrom(setup_.arbiter, 2, setup_.run_id));
  NegotiationEngine engine(arbiter, NegotiationOptionsFrom(setup_.pressure),
                           &state.budgets->global(), state.phase_trace, deps_.cancelled);
  std::vector<triad::Triad*> triads;
  for (const auto& triad : state.triads) triads.push_back(triad.get());
  state.result.negotiation = engine.Run(*state.spec, triads, state.request, deps_.on_round);
  KeepFirstError(state.result.error, state.result.negotiation.error, "negotiation");
  state.phase_span->SetAttribute("hfs.phase.negotiation_rounds",
                                 static_cast<int64_t>(state.result.negotiation.rounds));
  state.phase_span->SetAttribute("hfs.phase.escalation_count",
                                 static_cast<int64_t>(state.result.negotiation.escalations.size()));
}

void Orchestrator::Freeze(RunState& state) {
  for (const std::string& section : state.spec->Unclaimed()) {
    CoverageAssignment assignment{.section = section};
    for (const triad::TriadOptions& triad : setup_.triads) {
      if (Contains(triad.scope.primary, section)) {
        assignment.triad = triad.id;
        assignment.reason = "primary scope";
        break;
      }
    }
    for (size_t i = 0; assignment.triad.empty() && i < setup_.triads.size(); ++i) {
      if (Contains(setup_.triads[i].scope.reach, section)) {
        assignment.triad = setup_.triads[i].id;
        assignment.reason = "reach";
      }
    }
    if (assignment.triad.empty()) {
      assignment.triad = setup_.triads.front().id;
      assignment.reason = "first triad";
    }
    Result<void> assigned = state.spec->Assign(section, assignment.triad, "coverage");
    if (!assigned) KeepFirstError(state.result.error, assigned.error(), "freeze");
    state.phase_span->AddEvent("negotiation.coverage", {{"hfs.section", assignment.section},
                                                        {"hfs.triad.id", assignment.triad},
                                                        {"hfs.reason", assignment.reason}});
    state.result.coverage.push_back(std::move(assignment));
  }
  Result<void> frozen = state.spec->Freeze();
  if (!frozen) KeepFirstError(state.result.error, frozen.error(), "freeze");
  state.phase_span->AddEvent("spec.frozen", {{"hfs.spec.round", state.spec->Round()}});
  state.phase_span->SetAttribute("hfs.phase.spec_status",
                                 spec::SpecStatusName(state.spec->Status()));
}

void Orchestrator::Execute(RunState& state) {
  const spec::Spec snapshot = *state.spec;
  std::vector<triad::PhaseReport> reports(state.triads.size());
  ForEachTriadInParallel(state.triads.size(), [&](size_t i) {
    std::vector<std::string> owned;
    for (const std::string& section : snapshot.SectionNames()) {
      if (snapshot.Owner(section) == state.order[i]) owned.push_back(section);
    }
    if (owned.empty()) return;
    TriadTrace traced =
        StartTriadSpan(state.phase_trace, state.triads[i]->options(), triad::kExecution);
    reports[i] = state.triads[i]->Execute({.spec = &snapshot,
                                           .request = state.request,
                                           .freeze_threshold = setup_.pressure.freeze_threshold,
                                           .sections = std::move(owned),
                                           .trace = traced.scope});
    EndTriadSpan(traced, reports[i]);
  });
  int64_t artifacts = 0;
  for (size_t i = 0; i < state.triads.size(); ++i) {
    KeepFirstError(state.result.error, reports[i].error,
                   fmt::format("execution of triad '{}'", state.order[i]));
    state.result.staged_files[state.order[i]] = state.triads[i]->outbox().files();
    artifacts += static_cast<int64_t>(state.result.staged_files[state.order[i]].size());
  }
  state.result.execution = std::move(reports);
  state.phase_span->SetAttribute("hfs.phase.artifact_count", artifacts);
}

void Orchestrator::Integrate(RunState& state) {
  PipelineResult& result = state.result;
  result.merged = Merger(setup_.output.format).Merge(*state.spec, result.staged_files);
  Result<Validator> validator = Validator::Create({.checks = setup_.pressure.validation});
  if (!validator) {
    KeepFirstError(result.error, validator.error(), "integration");
    result.validation.passed = false;
  } else {
    result.validation = validator->Validate(result.merged, *state.spec);
  }
  RunExternalValidators(state);
  RecordValidationFailures(state);
  state.phase_span->SetAttribute("hfs.phase.file_count",
                                 static_cast<int64_t>(result.merged.files.size()));
  state.phase_span->SetAttribute("hfs.phase.validation_passed", result.validation.passed);
}

void Orchestrator::RunExternalValidators(RunState& state) {
  if (deps_.external_validator == nullptr) return;
  PipelineResult& result = state.result;
  ExternalValidation external =
      deps_.external_validator->Validate(result.merged, *state.spec, setup_.output.format);
  for (const ValidatorRun& run : external.runs) {
    state.phase_span->AddEvent(
        "validation.validator",
        {{"hfs.validator.name", run.name},
         {"hfs.validator.status", std::string(ValidatorStatusName(run.status))},
         {"hfs.validator.reason", run.reason},
         {"hfs.validator.errors", static_cast<int64_t>(run.errors)},
         {"hfs.validator.duration_ms", run.duration_ms}});
  }
  JoinExternalValidation(result.validation, std::move(external));
}

void Orchestrator::RecordValidationFailures(RunState& state) {
  const PipelineResult& result = state.result;
  for (const auto& [section, errors] : ErrorsBySection(result.validation, result.merged)) {
    const std::optional<std::string> owner = state.spec->Owner(section);
    if (!owner) continue;
    auto staged = result.staged_files.find(*owner);
    if (staged == result.staged_files.end()) continue;
    for (const triad::StagedFile& file : staged->second) {
      if (file.section != section || file.role.empty()) continue;
      deps_.models->Record({.triad = *owner, .role = file.role, .phase = triad::kExecution},
                           agent::CallOutcome::kFailed);
      break;
    }
  }
}

void Orchestrator::Output(RunState& state) {
  PipelineResult& result = state.result;
  result.emergent = EmergentObserver().Observe({.spec = &*state.spec,
                                                .merged = &result.merged,
                                                .staged = &result.staged_files,
                                                .validation = &result.validation});
  state.phase_span->SetAttribute("hfs.phase.health", result.emergent.overall_health);
  if (deps_.write_output) {
    Result<void> written = deps_.write_output(result);
    if (!written) KeepFirstError(result.error, written.error(), "output");
  }
}

}  // namespace hfs::pipeline
