// hfs/pipeline/orchestrator.h
//
// Orchestrator: one run of the nine HFS phases for a request. It owns the spec; triads
// run in parallel in deliberation, negotiation and execution, and only stage effects,
// which the orchestrator applies in config order after each phase joins:
//   1 input        the spec of the configured sections
//   2 spawn        one triad per config entry, each with its capped budget
//   3 deliberation every triad, in parallel: claims staged
//   4 claims       staged claims applied (spec order, then config order)
//   5 negotiation  the NegotiationEngine (rounds, temperature, arbiter)
//   6 freeze       coverage: every unclaimed section gets an owner (a triad whose primary
//                  scope, else reach, holds it, else the first triad), then the spec freezes
//   7 execution    every triad that owns sections writes them, in parallel
//   8 integration  merge (path-safe), validate (static checks, then the external validators
//                  of deps.external_validator on a temporary copy of the files); every
//                  section with a validation error counts as a failed execution call of
//                  the triad role that wrote it (deps.models->Record)
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
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hfs/agent/agent.h"
#include "hfs/base/clock.h"
#include "hfs/pipeline/emergent_observer.h"
#include "hfs/pipeline/external_validators.h"
#include "hfs/pipeline/merger.h"
#include "hfs/pipeline/negotiation_engine.h"
#include "hfs/pipeline/pipeline_options.h"
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
  std::vector<std::string> sections;
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

// A section given an owner at freeze by coverage pressure.
struct CoverageAssignment {
  std::string section;
  std::string triad;
  std::string reason;  // "primary scope", "reach", "first triad"
};

struct PipelineResult {
  std::string run_id;
  bool success = false;
  // Why the run did not succeed (the first failure), when it did not.
  std::optional<Error> error;
  std::optional<spec::Spec> spec;
  std::vector<PhaseTiming> timings;
  std::vector<triad::PhaseReport> deliberation;
  std::vector<spec::ClaimOutcome> claims;
  NegotiationReport negotiation;
  std::vector<CoverageAssignment> coverage;
  std::vector<triad::PhaseReport> execution;
  StagedFilesByTriad staged_files;
  MergedOutput merged;
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
