// hfs/triad/triad_core.h
//
// TriadCore: what the three presets share: the triad's outbox and toolkit, one
// conversation per agent (its recent steps of the current phase, within the history
// window; a new phase starts from the summaries), the phase summaries, the prompt values every
// template uses, and running one agent (a Runner call recorded in the PhaseReport).
// Presets own a TriadCore and describe only their flow.
//
//   TriadCore core(options, deps);
//   PhaseReport report = core.BeginPhase(kDeliberation, input);
//   agent::Agent lead = core.MakeAgent("orchestrator", "orchestrator", {tools...});
//   core.RunAgent(lead, HFS_TRY(core.Prompt("deliberation", input)), {}, report);
//   core.Summarize(lead, report);
//
// Thread-safe where presets need it: RunAgent may be called concurrently for different
// agents (each has its own conversation, created before the threads start via
// MakeAgent); everything else runs on the triad's thread.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "hfs/base/mutex.h"
#include "hfs/triad/toolkit.h"
#include "hfs/triad/triad.h"
#include "hfs/triad/work_log.h"

namespace hfs::triad {

class TriadCore {
 public:
  TriadCore(TriadOptions options, TriadDeps deps);

  const TriadOptions& options() const { return options_; }
  const TriadDeps& deps() const { return deps_; }
  Outbox& outbox() { return outbox_; }
  Toolkit& toolkit() { return toolkit_; }
  const std::vector<PhaseSummary>& summaries() const { return summaries_; }

  // Clears the outbox, points the toolkit at the phase's snapshot, returns an empty report.
  PhaseReport BeginPhase(const std::string& phase, const PhaseInput& input);

  // An agent named "<triad>_<role>" whose instructions are the role template `role_template`
  // rendered with the triad's values (plus `extra`). Creates its conversation.
  agent::Agent MakeAgent(const std::string& role, const std::string& role_template,
                         std::vector<agent::Tool> tools, const TemplateValues& extra = {});

  // Renders a phase template with the triad's values, the input's and `extra`.
  Result<std::string> Prompt(const std::string& name, const PhaseInput& input,
                             const TemplateValues& extra = {}) const;

  // Starts a new step of the agent's conversation with `prompt` and runs the agent loop.
  // Records the run in `report` (thread-safe) and returns the result. In deliberation and
  // negotiation the model samples at SamplingTemperature(spec temperature) unless
  // `options` sets a temperature: agents settle as the spec cools.
  agent::RunResult RunAgent(const agent::Agent& agent, std::string prompt,
                            agent::RunOptions options, PhaseReport& report);

  // Assembles the phase summary from what the phase staged and which steps failed (no
  // model call; `lead` is named as its author), stores it in the report and in
  // summaries().
  void Summarize(const agent::Agent& lead, PhaseReport& report);

  // Records `error` as the phase's error unless one is recorded already. Thread-safe.
  void RecordError(PhaseReport& report, const Error& error);

  // Execution: `lead` plans one work item per (section, task) in the shared state file.
  void PlanWork(const agent::Agent& lead,
                const std::vector<std::pair<std::string, std::string>>& tasks);
  // Execution: runs `writer` with generate_code for `section` forced (and the state
  // tools), its work item claimed while it works and completed when the code was
  // generated (released otherwise). Thread-safe for different writers.
  agent::RunResult WriteSection(agent::Agent writer, const std::string& section, std::string prompt,
                                PhaseReport& report);
  // The state tools for `agent` (none without a shared state file).
  std::vector<agent::Tool> StateTools(const std::string& agent) const;

 private:
  TemplateValues Values(const PhaseInput& input) const;

  const TriadOptions options_;
  const TriadDeps deps_;
  Outbox outbox_;
  Toolkit toolkit_;
  WorkLog work_;
  std::string phase_;
  // The spec's temperature at the start of the phase (nullopt without a spec).
  std::optional<double> spec_temperature_;
  trace::TraceScope trace_;  // the current phase's
  std::vector<PhaseSummary> summaries_;
  std::map<std::string, agent::Conversation> conversations_;  // by agent name
  Mutex report_mu_;  // guards PhaseReport writes from parallel agents
};

// The base of the presets: a Triad whose outbox, options and summaries are its core's.
class CoreTriad : public Triad {
 public:
  CoreTriad(TriadOptions options, TriadDeps deps) : core_(std::move(options), std::move(deps)) {}

  const TriadOptions& options() const override { return core_.options(); }
  Outbox& outbox() override { return core_.outbox(); }
  const std::vector<PhaseSummary>& summaries() const override { return core_.summaries(); }

 protected:
  TriadCore core_;
};

// The sampling temperature of the agents' calls while the spec is at `spec_temperature`
// (in [0, 1]): 0.2 + 0.8 * spec_temperature, so 1.0 at the start and 0.2 near freeze.
double SamplingTemperature(double spec_temperature);

// "a, b, c", or "(none)".
std::string JoinOrNone(const std::vector<std::string>& items);

}  // namespace hfs::triad
