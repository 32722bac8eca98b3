// hfs/pipeline/coverage.h
//
// Coverage pressure at freeze: every section nobody claimed gets an owner. The triads
// that could take it are the active ones whose primary scope holds it, else those whose
// reach holds it, else every active triad. One candidate takes it; between several, the
// arbiter decides, as it does for a deadlock: a copy of the spec in which each candidate
// claims the section is put to Arbiter::Resolve, and the triad its decision names takes
// it (a split cannot divide a section nobody proposed anything for, so its first part's
// triad takes it).
//
//   std::vector<CoverageAssignment> assigned = AssignUnclaimed(
//       {.spec = &spec, .triads = active, .request = text, .trace = scope}, arbiter, &budget);
//   for (const CoverageAssignment& a : assigned) spec.Assign(a.section, a.triad, "coverage");
//
// Thread-compatible: the spec is only read; arbiter calls run in parallel and are joined
// before AssignUnclaimed returns.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hfs/agent/budget.h"
#include "hfs/pipeline/arbiter.h"
#include "hfs/spec/spec.h"
#include "hfs/trace/trace_scope.h"
#include "hfs/triad/triad_options.h"

namespace hfs::pipeline {

// A section given an owner at freeze by coverage pressure.
struct CoverageAssignment {
  std::string section;
  std::string triad;
  // "primary scope", "reach", "only triad", "arbiter" or "arbiter fallback".
  std::string reason;
  // The triads that could take it (more than one when the arbiter chose).
  std::vector<std::string> candidates;
  // When the arbiter chose: its outcome (decision, rationale, usage).
  std::optional<ArbiterOutcome> arbiter;
};

struct CoverageRequest {
  const spec::Spec* spec = nullptr;
  // The triads that can still take work, in config order.
  std::vector<triad::TriadOptions> triads;
  std::string request;
  trace::TraceScope trace;
};

// An owner for every unclaimed section of `request.spec`, in spec order. `budget` (may be
// null) is charged with the arbiter's usage; with no triad nothing is assigned.
std::vector<CoverageAssignment> AssignUnclaimed(const CoverageRequest& request,
                                                const Arbiter& arbiter, agent::Budget* budget);

}  // namespace hfs::pipeline
