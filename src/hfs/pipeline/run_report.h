// hfs/pipeline/run_report.h
//
// The report of a run as JSON (`hfs-report.json`): success and error, phase timings, the
// claims and how they were applied, every negotiation round, every escalation with the
// arbiter's decision and rationale (and whether it was a fallback), the coverage
// assignments at freeze, each triad's phases (agents, stop reasons, tokens, summaries),
// the files, the validation result and the emergent metrics, and the tokens by phase,
// triad and agent (the arbiter counts as a triad and an agent). RunCounts() gives the
// counts `hfs run --json` prints.
//
//   nlohmann::json report = RunReportJson(result);
//   WriteFileAtomic(run_dir / "hfs-report.json", report.dump(2));
//
// Pure functions; thread-safe.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "hfs/pipeline/orchestrator.h"

namespace hfs::pipeline {

nlohmann::json RunReportJson(const PipelineResult& result);

// {"rounds", "contested_sections", "escalations", "fallbacks", "files", "tokens"}.
nlohmann::json RunCounts(const PipelineResult& result);

}  // namespace hfs::pipeline
