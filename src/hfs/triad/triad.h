// hfs/triad/triad.h
//
// Triad: one team of three LLM agents acting as one party in the spec negotiation. The
// orchestrator (pipeline) calls the three phases in order; in each, the triad's agents
// run their preset's flow and stage their effects (claims, decisions, files) in the
// triad's outbox, which the orchestrator applies after the phase joins. Each phase ends
// with a PhaseSummary assembled from what its steps did; the next phase's prompts include
// it in place of the earlier phases' transcripts, and within a phase each agent keeps its
// recent steps (TriadDeps::history_window_tokens).
//
//   std::unique_ptr<Triad> triad = MakeTriad(options, deps);    // triad_factory.h
//   PhaseReport report = triad->Deliberate({.spec = &snapshot, .request = request});
//   std::vector<spec::StagedClaim> claims = triad->outbox().claims();
//   if (report.error) ...                                        // a provider failed for good
//
// Thread-compatible: one thread drives a triad (presets start their own threads for
// parallel agents and join them before a phase returns). Failures are data in
// PhaseReport (stop reasons per agent, the first model error), never exceptions.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hfs/agent/budget.h"
#include "hfs/agent/runner.h"
#include "hfs/base/error.h"
#include "hfs/llm/chat.h"
#include "hfs/page/page_contract.h"
#include "hfs/spec/spec.h"
#include "hfs/state/shared_state_manager.h"
#include "hfs/trace/trace_scope.h"
#include "hfs/triad/code_generator.h"
#include "hfs/triad/outbox.h"
#include "hfs/triad/phase_summary.h"
#include "hfs/triad/prompt_library.h"
#include "hfs/triad/triad_options.h"

namespace hfs::triad {

inline constexpr char kDeliberation[] = "deliberation";
inline constexpr char kNegotiation[] = "negotiation";
inline constexpr char kExecution[] = "execution";

// What a triad is built with. Everything pointed to must outlive the triad.
struct TriadDeps {
  agent::ModelSource* models = nullptr;  // the model per role and phase
  agent::Budget* budget = nullptr;       // the triad's budget (its parent: the run's)
  CodeGenerator* code = nullptr;         // what generate_code calls
  const PromptLibrary* prompts = nullptr;
  std::string run_id;
  std::string output_format = "html";
  // Turn cap of one agent run.
  int max_turns = agent::kDefaultMaxTurns;
  // Dialectic: extra propose-critique cycles the synthesizer may ask for.
  int max_revise_cycles = 1;
  // How much of its earlier steps of the phase an agent re-sends (agent::Conversation::
  // KeepWithin); a new phase starts from the earlier phases' summaries.
  size_t history_window_tokens = 6000;
  // Set when the run is interrupted (may be null); agents stop before their next call.
  const std::atomic<bool>* cancelled = nullptr;
  // The run's shared state file (may be null): execution work items and the state tools.
  state::SharedStateManager* state = nullptr;
};

struct PhaseInput {
  // A snapshot of the spec for this phase, read-only, owned by the caller.
  const spec::Spec* spec = nullptr;
  std::string request;
  double freeze_threshold = 0.1;
  // Negotiation: the contested sections this triad claims. Execution: the sections it
  // owns. Deliberation: unused.
  std::vector<std::string> sections;
  // Execution: the page contract every code call gets (owned by the caller; may be null).
  const page::PageContract* contract = nullptr;
  // Where the phase's agent spans go (under the triad's span).
  trace::TraceScope trace;
};

// One agent run within a phase.
struct AgentRun {
  std::string agent;
  std::string role;
  agent::StopReason stop_reason = agent::StopReason::kCompleted;
  llm::Usage usage;
  int turns = 0;
  std::optional<Error> error;
  // kBudgetExhausted: which limit, e.g. "budget 'layout' spent 20450 of 20000 tokens".
  std::string overrun;
  // How the model broke its step's contract, in order, and the calls read from its text.
  std::vector<agent::Breach> breaches;
  int salvaged = 0;
};

struct PhaseReport {
  std::string phase;
  std::vector<AgentRun> runs;
  PhaseSummary summary;
  // The first model error of the phase (the phase may be incomplete).
  std::optional<Error> error;
  // Hierarchical execution: the orchestrator's review of its workers' code ("approved",
  // "sent back page/hero: <reasons>"); "" when there was none.
  std::string review;

  llm::Usage Usage() const;
  // Some agent stopped because a hard budget was spent.
  bool BudgetExhausted() const;
};

class Triad {
 public:
  virtual ~Triad() = default;

  virtual const TriadOptions& options() const = 0;
  // Effects staged in the current phase; cleared when the next phase starts.
  virtual Outbox& outbox() = 0;
  // The summaries of the phases run so far, in order.
  virtual const std::vector<PhaseSummary>& summaries() const = 0;

  virtual PhaseReport Deliberate(const PhaseInput& input) = 0;
  virtual PhaseReport Negotiate(const PhaseInput& input) = 0;
  virtual PhaseReport Execute(const PhaseInput& input) = 0;
};

}  // namespace hfs::triad
