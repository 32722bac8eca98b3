// hfs/triad/dialectic_triad.h
//
// The dialectic preset: thesis, antithesis, synthesis. In every phase the proposer puts
// forward a position, the critic (read-only tools) attacks it, and the synthesizer makes
// the triad's decisions with its tools. Deliberation: the proposer stages claims, the
// synthesizer confirms or replaces them, and may ask for up to max_revise_cycles more
// propose-critique rounds (request_revision). Negotiation: per contested section, the
// synthesizer answers with negotiate_response. Execution: the proposer drafts all owned
// sections, the critic reviews the draft, and the synthesizer writes each section with
// generate_code.
//
//   DialecticTriad triad(options, deps);
//   PhaseReport report = triad.Deliberate({.spec = &snapshot, .request = request});
//
// Thread-compatible (see triad.h).
#pragma once

#include "hfs/triad/triad_core.h"

namespace hfs::triad {

class DialecticTriad final : public CoreTriad {
 public:
  DialecticTriad(TriadOptions options, TriadDeps deps);

  PhaseReport Deliberate(const PhaseInput& input) override;
  PhaseReport Negotiate(const PhaseInput& input) override;
  PhaseReport Execute(const PhaseInput& input) override;

 private:
  // Thesis and antithesis on `task`; returns the critique ("" when a step failed).
  std::string ProposeAndCritique(const std::string& task, const PhaseInput& input,
                                 agent::Agent& proposer, PhaseReport& report,
                                 agent::RunOptions options = {});
  bool Stopped(const PhaseReport& report) const;

  agent::Agent proposer_;
  agent::Agent critic_;
  agent::Agent synthesizer_;
};

}  // namespace hfs::triad
