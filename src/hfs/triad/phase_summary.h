// hfs/triad/phase_summary.h
//
// PhaseSummary: what a triad carries from one phase to the next: the decisions it made,
// the questions left open and the artifacts produced. It is assembled from what the
// phase's steps did through their tools (the claims and proposals, the negotiation
// decisions, the files written, the steps that failed), so it costs no model call of its
// own and says only what happened. The next phase's prompts include it, in place of the
// earlier phases' transcripts.
//
//   PhaseSummary summary = SummarizePhase("negotiation", "orchestrator", outbox, failures);
//   std::string for_prompt = RenderSummary(summary);
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "hfs/triad/outbox.h"

namespace hfs::triad {

struct PhaseSummary {
  std::string phase;
  std::string produced_by;
  std::vector<std::string> decisions;
  std::vector<std::string> open_questions;
  // (name, description)
  std::vector<std::pair<std::string, std::string>> artifacts;
  // False until the phase ended and the summary was assembled.
  bool submitted = false;
};

// The summary of a phase that staged what `outbox` holds: a decision per claim ("claimed
// layout: a 12-column grid ..."), per negotiation decision ("hero: revise: ...") and per
// section written ("wrote hero"); an artifact per file; an open question per entry of
// `failed_steps` (e.g. "worker_a stopped: repairs_exhausted"). Proposals are cut to a
// short excerpt.
PhaseSummary SummarizePhase(std::string phase, std::string produced_by, const Outbox& outbox,
                            std::vector<std::string> failed_steps);

// "Summary of the deliberation phase (by orchestrator):\nDecisions:\n- ...", or "" when
// the summary was not assembled.
std::string RenderSummary(const PhaseSummary& summary);

}  // namespace hfs::triad
