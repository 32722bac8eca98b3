// hfs/pipeline/takeover.h
//
// Failure containment: a triad that fails (a provider it cannot get past, its budget
// spent) does not fail the run. It is retired, and each frozen section it owns, or that
// ended a wave without code, goes to another triad: SuccessorFor picks it, the same way
// coverage pressure gives out unclaimed sections (the section's primary scope first, then
// reach, then the live triad with the fewest sections), never a retired triad. The run
// fails only when a section ends without code.
//
//   std::optional<std::string> to = SuccessorFor("page/hero", "layout", options, retired, load);
//
// Pure functions; thread-safe.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "hfs/base/error.h"
#include "hfs/triad/triad_options.h"

namespace hfs::pipeline {

// A triad that failed, in which phase, and why.
struct TriadFailure {
  std::string triad;
  std::string phase;
  Error error;
};

// A frozen section written by another triad than the one that won it.
struct Takeover {
  std::string section;
  std::string from;
  std::string to;
  // "owner failed" or "no code from its owner".
  std::string reason;
};

// The triad to take `section` from `from`: a live triad (not in `retired`, not `from`)
// with the section in its primary scope, else in its reach, else the live triad with the
// fewest sections in `load` (ties: config order). When no other triad is live, `from`
// itself if it is not retired (one more attempt); else nullopt.
std::optional<std::string> SuccessorFor(const std::string& section, const std::string& from,
                                        const std::vector<triad::TriadOptions>& triads,
                                        const std::set<std::string>& retired,
                                        const std::map<std::string, int>& load);

}  // namespace hfs::pipeline
