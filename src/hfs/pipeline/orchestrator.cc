#include "hfs/pipeline/orchestrator.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <thread>

#include "hfs/base/check.h"
#include "hfs/pipeline/run_budgets.h"
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
  spec::Spec spec;
  std::unique_ptr<RunBudgets> budgets;
  std::unique_ptr<triad::CodeGenerator> code;
  std::vector<std::unique_ptr<triad::Triad>> triads;
  std::vector<std::string> order;  // triad ids in config order
};

Orchestrator::Orchestrator(PipelineSetup setup, PipelineDeps deps)
    : setup_(std::move(setup)), deps_(std::move(deps)) {
  HFS_CHECK(deps_.models != nullptr && deps_.prompts != nullptr && deps_.clock != nullptr,
            "the orchestrator needs a model source, prompts and a clock");
}

void Orchestrator::Phase(RunState& state, const std::string& name,
                         void (Orchestrator::*step)(RunState&)) {
  const Timestamp start = deps_.clock->Now();
  (this->*step)(state);
  state.result.timings.push_back({name, deps_.clock->Now() - start});
  if (deps_.on_phase) deps_.on_phase(name);
}

PipelineResult Orchestrator::Run(const std::string& request) {
  const Timestamp start = deps_.clock->Now();
  Result<spec::Spec> spec =
      spec::Spec::Create(setup_.sections, {.initial = setup_.pressure.initial_temperature,
                                           .decay = setup_.pressure.temperature_decay,
                                           .freeze_threshold = setup_.pressure.freeze_threshold});
  PipelineResult failed{.run_id = setup_.run_id};
  if (!spec) {
    failed.error = spec.error().WithContext("input");
    return failed;
  }
  RunState state{.request = request, .result = std::move(failed), .spec = std::move(*spec)};
  state.result.timings.push_back({"input", deps_.clock->Now() - start});
  // Spawn.
  const Timestamp spawn = deps_.clock->Now();
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
                  .output_format = std::string(OutputFormatName(setup_.output.format))}));
  }
  state.result.timings.push_back({"spawn", deps_.clock->Now() - spawn});
  Phase(state, "deliberation", &Orchestrator::Deliberate);
  if (EveryTriadFailed(state.result.deliberation)) {
    // Nothing can come of the later phases: stop with what was learned.
    state.result.error = state.result.error->WithContext("every triad failed");
    state.result.spec = std::move(state.spec);
    return std::move(state.result);
  }
  Phase(state, "negotiation", &Orchestrator::Negotiate);
  Phase(state, "freeze", &Orchestrator::Freeze);
  Phase(state, "execution", &Orchestrator::Execute);
  Phase(state, "integration", &Orchestrator::Integrate);
  PipelineResult& result = state.result;
  result.spec = std::move(state.spec);
  if (!result.error && !result.validation.passed) {
    result.error =
        Error{ErrorCode::kFailedPrecondition,
              fmt::format("validation failed with {} error(s)", result.validation.counts.errors)};
  }
  result.success = !result.error.has_value();
  return std::move(result);
}

void Orchestrator::Deliberate(RunState& state) {
  // Every triad sees the same snapshot; claims are applied after all have finished.
  const spec::Spec snapshot = state.spec;
  std::vector<triad::PhaseReport> reports(state.triads.size());
  ForEachTriadInParallel(state.triads.size(), [&](size_t i) {
    reports[i] =
        state.triads[i]->Deliberate({.spec = &snapshot,
                                     .request = state.request,
                                     .freeze_threshold = setup_.pressure.freeze_threshold});
  });
  std::vector<spec::StagedClaim> claims;
  for (size_t i = 0; i < state.triads.size(); ++i) {
    KeepFirstError(state.result.error, reports[i].error,
                   fmt::format("deliberation of triad '{}'", state.order[i]));
    for (spec::StagedClaim& claim : state.triads[i]->outbox().claims()) {
      claim.triad = state.order[i];  // a triad speaks only for itself
      claims.push_back(std::move(claim));
    }
  }
  state.result.deliberation = std::move(reports);
  state.result.claims = spec::ApplyClaims(state.spec, std::move(claims), state.order);
}

void Orchestrator::Negotiate(RunState& state) {
  Arbiter arbiter(*deps_.models, ArbiterSettingsFrom(setup_.arbiter, 2, setup_.run_id));
  NegotiationEngine engine(arbiter, NegotiationOptionsFrom(setup_.pressure),
                           &state.budgets->global());
  std::vector<triad::Triad*> triads;
  for (const auto& triad : state.triads) triads.push_back(triad.get());
  state.result.negotiation = engine.Run(state.spec, triads, state.request, deps_.on_round);
  KeepFirstError(state.result.error, state.result.negotiation.error, "negotiation");
}

void Orchestrator::Freeze(RunState& state) {
  for (const std::string& section : state.spec.Unclaimed()) {
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
    Result<void> assigned = state.spec.Assign(section, assignment.triad, "coverage");
    if (!assigned) KeepFirstError(state.result.error, assigned.error(), "freeze");
    state.result.coverage.push_back(std::move(assignment));
  }
  Result<void> frozen = state.spec.Freeze();
  if (!frozen) KeepFirstError(state.result.error, frozen.error(), "freeze");
}

void Orchestrator::Execute(RunState& state) {
  const spec::Spec snapshot = state.spec;
  std::vector<triad::PhaseReport> reports(state.triads.size());
  ForEachTriadInParallel(state.triads.size(), [&](size_t i) {
    std::vector<std::string> owned;
    for (const std::string& section : snapshot.SectionNames()) {
      if (snapshot.Owner(section) == state.order[i]) owned.push_back(section);
    }
    if (owned.empty()) return;
    reports[i] = state.triads[i]->Execute({.spec = &snapshot,
                                           .request = state.request,
                                           .freeze_threshold = setup_.pressure.freeze_threshold,
                                           .sections = std::move(owned)});
  });
  for (size_t i = 0; i < state.triads.size(); ++i) {
    KeepFirstError(state.result.error, reports[i].error,
                   fmt::format("execution of triad '{}'", state.order[i]));
    state.result.staged_files[state.order[i]] = state.triads[i]->outbox().files();
  }
  state.result.execution = std::move(reports);
}

void Orchestrator::Integrate(RunState& state) {
  PipelineResult& result = state.result;
  result.merged = Merger(setup_.output.format).Merge(state.spec, result.staged_files);
  Result<Validator> validator = Validator::Create({.checks = setup_.pressure.validation});
  if (!validator) {
    KeepFirstError(result.error, validator.error(), "integration");
    result.validation.passed = false;
  } else {
    result.validation = validator->Validate(result.merged, state.spec);
  }
  result.emergent = EmergentObserver().Observe({.spec = &state.spec,
                                                .merged = &result.merged,
                                                .staged = &result.staged_files,
                                                .validation = &result.validation});
}

}  // namespace hfs::pipeline
