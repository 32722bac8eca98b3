// hfs/triad/phase_summary.h
//
// PhaseSummary: what a triad carries from one phase to the next: the decisions it made,
// the questions left open and the artifacts produced. The lead agent of the triad writes
// it at the end of each phase through the submit_phase_summary tool (never parsed from
// free text); the next phase's prompts include it.
//
//   PhaseSummary summary{.phase = "deliberation", .produced_by = "orchestrator"};
//   agent::Tool tool = SubmitPhaseSummaryTool(summary);   // the handler fills `summary`
//   std::string for_prompt = RenderSummary(summary);
//
// Thread-compatible: the tool writes `summary` on the thread running the agent.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "hfs/agent/tool.h"

namespace hfs::triad {

struct PhaseSummary {
  std::string phase;
  std::string produced_by;
  std::vector<std::string> decisions;
  std::vector<std::string> open_questions;
  // (name, description)
  std::vector<std::pair<std::string, std::string>> artifacts;
  // False until the lead agent submitted it.
  bool submitted = false;
};

// submit_phase_summary(decisions: string[], open_questions: string[],
// artifacts: [{name, description}]). Fills `target` (which must outlive the tool) and
// marks it submitted.
agent::Tool SubmitPhaseSummaryTool(PhaseSummary& target);

// "Summary of the deliberation phase (by orchestrator):\nDecisions:\n- ...", or "" when
// nothing was submitted.
std::string RenderSummary(const PhaseSummary& summary);

}  // namespace hfs::triad
