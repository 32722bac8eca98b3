// hfs/triad/hierarchical_triad.h
//
// The hierarchical preset: an orchestrator that plans and decides, and two workers that
// write code. Deliberation: the orchestrator claims sections (register_claim) after
// reading the spec. Negotiation: for each contested section the orchestrator answers
// with negotiate_response. Execution: the orchestrator assigns each owned section to
// worker_a or worker_b with delegate_section (sections it leaves out are shared out in
// turn), the two workers write their sections in parallel through generate_code, then the
// orchestrator reviews their code (review_code, code_review.h) and may send one section
// back with reasons; its worker writes it once more (the first version stays if the
// rewrite fails).
//
//   HierarchicalTriad triad(options, deps);
//   PhaseReport report = triad.Execute({.spec = &frozen, .sections = {"layout", "state"}});
//
// Thread-compatible (see triad.h).
#pragma once

#include <map>
#include <string>

#include "hfs/triad/triad_core.h"

namespace hfs::triad {

class HierarchicalTriad final : public CoreTriad {
 public:
  HierarchicalTriad(TriadOptions options, TriadDeps deps);

  PhaseReport Deliberate(const PhaseInput& input) override;
  PhaseReport Negotiate(const PhaseInput& input) override;
  PhaseReport Execute(const PhaseInput& input) override;

 private:
  // Section -> "worker_a" / "worker_b", with the orchestrator's instructions.
  struct Assignment {
    std::string worker;
    std::string instructions;
  };
  std::map<std::string, Assignment> Delegate(const PhaseInput& input, PhaseReport& report);
  void Review(const std::map<std::string, Assignment>& plan, const PhaseInput& input,
              PhaseReport& report);
  void RunWorker(const agent::Agent& worker, const std::map<std::string, Assignment>& plan,
                 const PhaseInput& input, PhaseReport& report);

  agent::Agent orchestrator_;
  agent::Agent worker_a_;
  agent::Agent worker_b_;
};

}  // namespace hfs::triad
