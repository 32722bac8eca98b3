// hfs/pipeline/orchestrator.h
//
// Orchestrator: one run of the nine HFS phases for a request. It owns the spec; triads
// run in parallel in deliberation, negotiation and execution, and only stage effects,
// which the orchestrator applies in config order after each phase joins:
//   1 input        the page outline (fixed by the config, or planned from the request by
//                  one model step, hfs/pipeline/outline_planner.h); the spec of the
//                  regions (page order) and the configured concerns; `page/*` in scopes
//                  dealt out (hfs/pipeline/region_scopes.h)
//   2 spawn        one triad per config entry, each with its capped budget
//   3 deliberation every triad, in parallel: claims staged
//   4 claims       staged claims applied (spec order, then config order)
//   5 negotiation  the NegotiationEngine (rounds, temperature, arbiter)
//   6 freeze       coverage: every unclaimed section gets an owner (the triad whose primary
//                  scope, else reach, holds it; the arbiter between several, coverage.h),
//                  then the spec freezes
//                  and yields the page contract (hfs/page/page_contract.h)
//   7 execution    in waves (hfs/page/section_role.h): foundations (tokens, styles, data,
//                  requirements), whose tokens and data join the contract; then regions;
//                  then behaviour; in each wave every triad writes its sections in
//                  parallel, each code call with the whole contract. A section that ends
//                  without code fails the run.
//   8 integration  merge and compose the page (path-safe, isolated), validate (static
//                  checks, then the external validators of deps.external_validator, which
//                  also build dist/); a section with errors is written again once by its
//                  owner's code model with the errors, and if it still fails its files are
//                  left out so the rest of the page builds (its errors stay in the
//                  report); every section with a validation error counts as a failed
//                  execution call of the triad role that wrote it (deps.models->Record)
//   9 output       emergent metrics; the caller's write_output writes the files
//
// Each phase is an `hfs.phase.<name>` span under deps.trace (the caller's run span) with
// the original's attributes; triads' work is an `hfs.triad.<id>` span under its phase;
// claims, contests, coverage assignments and the freeze are span events.
//
//   Orchestrator orchestrator(setup, {.models = &models, .prompts = &prompts, .clock = &clock});
//   PipelineResult result = orchestrator.Run("a pricing page with an FAQ");
//   if (!result.success) ...   // result.error says why; the parts that completed are kept
//
// Thread-compatible: Run drives the triads from the calling thread (and their threads).
// It never throws; failures are data in PipelineResult. When every triad fails in
// deliberation (no provider answers), the run stops there with that error.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hfs/agent/agent.h"
#include "hfs/base/clock.h"
#include "hfs/page/page_contract.h"
#include "hfs/page/section_role.h"
#include "hfs/pipeline/coverage.h"
#include "hfs/pipeline/emergent_observer.h"
#include "hfs/pipeline/external_validators.h"
#include "hfs/pipeline/merger.h"
#include "hfs/pipeline/negotiation_engine.h"
#include "hfs/pipeline/pipeline_options.h"
#include "hfs/pipeline/takeover.h"
#include "hfs/pipeline/validator.h"
#include "hfs/spec/spec.h"
#include "hfs/state/shared_state_manager.h"
#include "hfs/trace/trace_scope.h"
#include "hfs/triad/prompt_library.h"
#include "hfs/triad/triad.h"

namespace hfs::pipeline {

// What a run is configured with (the pipeline's part of the config).
struct PipelineSetup {
  std::vector<triad::TriadOptions> triads;
  // The configured sections (concerns, and regions declared in `sections`).
  std::vector<std::string> sections;
  // The role of each configured section and fixed region; others are concerns.
  std::map<std::string, page::SectionRole> roles;
  PageOptions page;
  PressureOptions pressure;
  ArbiterOptions arbiter;
  OutputOptions output;
  std::string run_id;
};

struct PipelineResult;

struct PipelineDeps {
  agent::ModelSource* models = nullptr;
  const triad::PromptLibrary* prompts = nullptr;
  const Clock* clock = nullptr;
  // Called when a phase starts and after it ends, and after every negotiation round
  // (each may be empty).
  std::function<void(const std::string& phase)> on_phase_start;
  std::function<void(const std::string& phase)> on_phase;
  RoundCallback on_round;
  // Called in the output phase with the result so far (the generated files are in
  // result.merged); a failure becomes the run's error.
  std::function<Result<void>(const PipelineResult& result)> write_output;
  // Set (from any thread) to stop the run before its next phase or negotiation round;
  // the run then ends with kAborted and keeps what completed.
  const std::atomic<bool>* cancelled = nullptr;
  // Where the phase spans go: the caller's run span.
  trace::TraceScope trace;
  // The run's shared state file (may be null): the triads' execution work items.
  state::SharedStateManager* state = nullptr;
  // Run in the integration phase after the static checks (may be null: static only).
  const ExternalValidator* external_validator = nullptr;
};

struct PhaseTiming {
  std::string phase;
  Duration duration{};
};

// A section written again in the integration phase because of its validation errors.
struct RepairRecord {
  std::string section;
  std::string triad;
  // The errors given to the code model (file:line: message).
  std::vector<std::string> errors;
  // The code model that wrote the failing code and the one asked to write it again
  // ("provider/model"; the list moves past a model whose code failed, so they differ
  // when the run has another code model).
  std::string model;
  std::string repair_model;
  // "repaired", "still failing: left out of the page", "repair failed: <why>".
  std::string outcome;
  llm::Usage usage;
};

struct PipelineResult {
  std::string run_id;
  bool success = false;
  // Why the run did not succeed (the first failure), when it did not.
  std::optional<Error> error;
  std::optional<spec::Spec> spec;
  page::PageOutline outline;
  // True when the outline was planned by the model (false: fixed by the config).
  bool outline_planned = false;
  llm::Usage outline_usage;
  page::PageContract contract;
  std::vector<PhaseTiming> timings;
  std::vector<triad::PhaseReport> deliberation;
  std::vector<spec::ClaimOutcome> claims;
  NegotiationReport negotiation;
  std::vector<CoverageAssignment> coverage;
  std::vector<triad::PhaseReport> execution;
  StagedFilesByTriad staged_files;
  MergedOutput merged;
  std::vector<RepairRecord> repairs;
  // Frozen sections that ended without code (the run then fails).
  std::vector<std::string> sections_without_code;
  // Triads that failed (retired for the rest of the run) and the sections other triads
  // took over (takeover.h).
  std::vector<TriadFailure> triad_failures;
  std::vector<Takeover> takeovers;
  ValidationResult validation;
  EmergentReport emergent;
};

class Orchestrator {
 public:
  // REQUIRES: deps.models, deps.prompts and deps.clock are set and outlive the orchestrator.
  Orchestrator(PipelineSetup setup, PipelineDeps deps);

  PipelineResult Run(const std::string& request);

 private:
  struct RunState;
  void Input(RunState& state);
  void Spawn(RunState& state);
  void Deliberate(RunState& state);
  void Claims(RunState& state);
  void Negotiate(RunState& state);
  void Freeze(RunState& state);
  void Execute(RunState& state);
  void Integrate(RunState& state);
  void Output(RunState& state);
  void PlanPage(RunState& state);
  void ExecuteWave(RunState& state, page::Wave wave);
  // Runs each triad's Execute on its sections of `owned` (by triad index) in parallel and
  // collects the files and reports; retires triads whose execution failed.
  void RunWave(RunState& state, const std::vector<std::vector<std::string>>& owned,
               const trace::TraceScope& wave_trace);
  // Records a triad's failure and retires it (once).
  void Retire(RunState& state, const std::string& triad, const std::string& phase,
              const Error& error);
  // Gives each of `sections` to a successor (takeover.h); returns the sections by the
  // triad index that takes them.
  std::vector<std::vector<std::string>> TakeOver(RunState& state,
                                                 const std::vector<std::string>& sections,
                                                 const std::string& reason);
  void MergeAndValidate(RunState& state);
  void RepairSections(RunState& state);
  void RunExternalValidators(RunState& state);
  void RecordValidationFailures(RunState& state);
  // Runs one phase in its span; false when the run must stop after it (failed input,
  // every triad failed in deliberation, or cancelled).
  bool Phase(RunState& state, const std::string& name, void (Orchestrator::*step)(RunState&));
  bool Cancelled() const;

  const PipelineSetup setup_;
  const PipelineDeps deps_;
};

}  // namespace hfs::pipeline
