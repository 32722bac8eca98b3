#include "hfs/pipeline/orchestrator.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <thread>

#include "hfs/base/check.h"
#include "hfs/pipeline/orchestrator_state.h"
#include "hfs/pipeline/outline_planner.h"
#include "hfs/pipeline/region_scopes.h"
#include "hfs/pipeline/run_budgets.h"
#include "hfs/pipeline/triad_span.h"
#include "hfs/trace/instruments.h"
#include "hfs/triad/code_generator.h"
#include "hfs/triad/triad_factory.h"

namespace hfs::pipeline {

using internal::Contains;
using internal::EveryTriadFailed;
using internal::ForEachTriadInParallel;
using internal::KeepFirstError;

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
  if (completed && !result.error && !result.sections_without_code.empty()) {
    result.error = Error{
        ErrorCode::kFailedPrecondition,
        fmt::format("{} section(s) ended without code: {}", result.sections_without_code.size(),
                    fmt::join(result.sections_without_code, ", "))};
  }
  if (completed && !result.error && !result.validation.passed) {
    result.error =
        Error{ErrorCode::kFailedPrecondition,
              fmt::format("validation failed with {} error(s)", result.validation.counts.errors)};
  }
  result.success = completed && !result.error.has_value();
  return std::move(result);
}

void Orchestrator::Input(RunState& state) {
  PlanPage(state);
  if (state.stop) return;
  std::vector<std::string> sections;
  for (const page::Region& region : state.result.outline.regions)
    sections.push_back(region.section);
  for (const std::string& section : setup_.sections) {
    if (!Contains(sections, section)) sections.push_back(section);
  }
  Result<spec::Spec> spec =
      spec::Spec::Create(sections, {.initial = setup_.pressure.initial_temperature,
                                    .decay = setup_.pressure.temperature_decay,
                                    .freeze_threshold = setup_.pressure.freeze_threshold});
  if (!spec) {
    state.result.error = spec.error().WithContext("input");
    state.stop = true;
    return;
  }
  state.spec = std::move(*spec);
  state.phase_span->SetAttribute("hfs.phase.section_count", static_cast<int64_t>(sections.size()));
  state.phase_span->SetAttribute("hfs.page.region_count",
                                 static_cast<int64_t>(state.result.outline.regions.size()));
}

void Orchestrator::PlanPage(RunState& state) {
  PipelineResult& result = state.result;
  if (!setup_.page.regions.empty()) {
    result.outline.regions = setup_.page.regions;
  } else {
    Result<OutlinePlan> plan = PlanOutline(
        *deps_.models, state.request,
        {.run_id = setup_.run_id, .trace = state.phase_trace, .cancelled = deps_.cancelled});
    if (!plan) {
      result.error = plan.error().WithContext("input");
      state.stop = true;
      return;
    }
    result.outline = std::move(plan->outline);
    result.outline_planned = true;
    result.outline_usage = plan->usage;
    state.phase_span->SetAttribute("hfs.page.outline_attempts",
                                   static_cast<int64_t>(plan->attempts));
  }
  if (!setup_.page.title.empty()) result.outline.title = setup_.page.title;
  if (!setup_.page.language.empty()) result.outline.language = setup_.page.language;
  if (result.outline.title.empty()) result.outline.title = state.request;
  state.roles = setup_.roles;
  for (const page::Region& region : result.outline.regions) {
    if (Contains(setup_.sections, region.id) && !Contains(setup_.sections, region.section)) {
      result.error = Error{ErrorCode::kInvalidArgument,
                           fmt::format("input: the planned region '{}' has the name of a "
                                       "configured concern; rename one of them",
                                       region.id)};
      state.stop = true;
      return;
    }
    state.roles[region.section] = {.kind = page::SectionKind::kRegion};
    state.phase_span->AddEvent(
        "page.region", {{"hfs.section", region.section}, {"hfs.page.region_id", region.id}});
  }
  state.triad_options = ExpandRegionScopes(setup_.triads, result.outline);
}

void Orchestrator::Spawn(RunState& state) {
  state.budgets = std::make_unique<RunBudgets>(setup_.pressure, state.triad_options, *deps_.clock);
  state.code = std::make_unique<triad::CodeGenerator>(
      *deps_.models, triad::CodeGeneratorOptions{
                         .output_format = std::string(OutputFormatName(setup_.output.format))});
  for (const triad::TriadOptions& options : state.triad_options) {
    state.order.push_back(options.id);
    state.triads.push_back(triad::MakeTriad(
        options, {.models = deps_.models,
                  .budget = &state.budgets->For(options.id),
                  .code = state.code.get(),
                  .prompts = deps_.prompts,
                  .run_id = setup_.run_id,
                  .output_format = std::string(OutputFormatName(setup_.output.format)),
                  .history_window_tokens =
                      static_cast<size_t>(std::max(0, setup_.pressure.history_window_tokens)),
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
    if (reports[i].error) Retire(state, state.order[i], triad::kDeliberation, *reports[i].error);
  }
  if (EveryTriadFailed(reports)) {
    // Nothing can come of the later phases: stop with what was learned.
    KeepFirstError(state.result.error, reports.front().error,
                   fmt::format("deliberation of triad '{}'", state.order.front()));
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
  for (size_t i = 0; i < state.triads.size(); ++i) {
    if (!state.retired.contains(state.order[i])) triads.push_back(state.triads[i].get());
  }
  state.result.negotiation = engine.Run(*state.spec, triads, state.request, deps_.on_round);
  KeepFirstError(state.result.error, state.result.negotiation.error, "negotiation");
  for (const RoundSummary& round : state.result.negotiation.rounds_detail) {
    for (const TriadError& failed : round.triad_errors) {
      Retire(state, failed.triad, triad::kNegotiation, failed.error);
    }
  }
  state.phase_span->SetAttribute("hfs.phase.negotiation_rounds",
                                 static_cast<int64_t>(state.result.negotiation.rounds));
  state.phase_span->SetAttribute("hfs.phase.escalation_count",
                                 static_cast<int64_t>(state.result.negotiation.escalations.size()));
}

void Orchestrator::Freeze(RunState& state) {
  std::vector<triad::TriadOptions> active;
  for (const triad::TriadOptions& triad : state.triad_options) {
    if (!state.retired.contains(triad.id)) active.push_back(triad);
  }
  if (active.empty()) active = state.triad_options;
  const Arbiter arbiter(*deps_.models, ArbiterSettingsFrom(setup_.arbiter, 2, setup_.run_id));
  for (CoverageAssignment& assignment : AssignUnclaimed({.spec = &*state.spec,
                                        .triads = active,
                                        .request = state.request,
                                        .trace = state.phase_trace},
                                                        arbiter, &state.budgets->global())) {
    Result<void> assigned = state.spec->Assign(assignment.section, assignment.triad, "coverage");
    if (!assigned) KeepFirstError(state.result.error, assigned.error(), "freeze");
    state.phase_span->AddEvent("negotiation.coverage", {{"hfs.section", assignment.section},
                                                        {"hfs.triad.id", assignment.triad},
                                                        {"hfs.reason", assignment.reason}});
    state.result.coverage.push_back(std::move(assignment));
  }
  Result<void> frozen = state.spec->Freeze();
  if (!frozen) KeepFirstError(state.result.error, frozen.error(), "freeze");
  std::vector<std::string> orphaned;
  for (const spec::Section& section : state.spec->Sections()) {
    if (section.owner && state.retired.contains(*section.owner)) orphaned.push_back(section.name);
  }
  if (frozen) TakeOver(state, orphaned, "owner failed");
  std::vector<page::FrozenSection> sections;
  for (const spec::Section& section : state.spec->Sections()) {
    sections.push_back({section.name, section.owner.value_or(""), section.content.value_or("")});
  }
  state.result.contract =
      page::MakeContract(state.result.outline, sections, state.roles,
                         std::string(OutputFormatName(setup_.output.format)), "plain CSS");
  state.phase_span->AddEvent("spec.frozen", {{"hfs.spec.round", state.spec->Round()}});
  state.phase_span->SetAttribute("hfs.phase.spec_status",
                                 spec::SpecStatusName(state.spec->Status()));
}

void Orchestrator::Retire(RunState& state, const std::string& triad, const std::string& phase,
                          const Error& error) {
  if (!state.retired.insert(triad).second) return;
  state.result.triad_failures.push_back({.triad = triad, .phase = phase, .error = error});
  if (state.phase_span != nullptr) {
    state.phase_span->AddEvent(
        "hfs.triad.retired",
        {{"hfs.triad.id", triad}, {"hfs.phase.name", phase}, {"error.message", error.message}});
  }
  spdlog::warn("triad '{}' failed in {} and is retired: {}", triad, phase, error.message);
}

std::vector<std::vector<std::string>> Orchestrator::TakeOver(
    RunState& state, const std::vector<std::string>& sections, const std::string& reason) {
  std::vector<std::vector<std::string>> taken(state.triads.size());
  std::map<std::string, int> load;
  for (const spec::Section& section : state.spec->Sections()) {
    if (section.owner) ++load[*section.owner];
  }
  for (const std::string& section : sections) {
    const std::string from = state.spec->Owner(section).value_or("");
    std::optional<std::string> to =
        SuccessorFor(section, from, state.triad_options, state.retired, load);
    if (!to || !state.spec->TakeOver(section, *to, reason)) continue;
    ++load[*to];
    state.result.takeovers.push_back(
        {.section = section, .from = from, .to = *to, .reason = reason});
    if (state.phase_span != nullptr) {
      state.phase_span->AddEvent("hfs.section.taken_over", {{"hfs.section", section},
                                                            {"hfs.triad.from", from},
                                                            {"hfs.triad.id", *to},
                                                            {"hfs.reason", reason}});
    }
    for (size_t i = 0; i < state.order.size(); ++i) {
      if (state.order[i] == *to) taken[i].push_back(section);
    }
  }
  return taken;
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
