// hfs/triad/consensus_triad.h
//
// The consensus preset: three equal peers (user experience, technical correctness,
// maintainability) who work in parallel and decide by a two-of-three majority of votes
// cast with cast_vote. Deliberation: each peer proposes claims (propose_claim); a section
// proposed by two or more peers is claimed with the first proposer's text (peer order);
// a section proposed by one peer goes to a vote of all three. Negotiation: per contested
// section the peers vote concede, revise or hold. Without a majority there is one
// re-vote that shows the tally; if that fails too, the fallback applies: in deliberation
// the triad claims a section only if it is in its primary scope, in negotiation it holds
// (the section stays contested and may go to the arbiter). Execution: the peers vote on
// who writes each owned section (vote_writers, writer_vote.h; sections without a
// majority go to the peers in turn), then each writes its sections in parallel.
//
//   ConsensusTriad triad(options, deps);
//   PhaseReport report = triad.Negotiate({.spec = &snapshot, .sections = {"visual"}});
//
// Thread-compatible (see triad.h).
#pragma once

#include <array>
#include <functional>

#include "hfs/triad/ballot.h"
#include "hfs/triad/triad_core.h"
#include "hfs/triad/writer_vote.h"

namespace hfs::triad {

class ConsensusTriad final : public CoreTriad {
 public:
  ConsensusTriad(TriadOptions options, TriadDeps deps);

  PhaseReport Deliberate(const PhaseInput& input) override;
  PhaseReport Negotiate(const PhaseInput& input) override;
  PhaseReport Execute(const PhaseInput& input) override;

 private:
  // Runs `step(peer index)` for the three peers in parallel and joins them.
  void InParallel(const std::function<void(size_t)>& step);
  // Every peer votes on `question` (parallel); one re-vote with the tally when no choice
  // has two votes. Returns the ballots of the deciding vote.
  std::array<Ballot, 3> Vote(const std::string& question, const std::vector<std::string>& choices,
                             ProposalField proposal_field, const PhaseInput& input,
                             PhaseReport& report);
  void DecideSection(const std::string& section, const PhaseInput& input, PhaseReport& report);
  // Execution: the writer of each owned section, by the peers' vote (`context`: the
  // execution prompt).
  std::vector<WriterChoice> ChooseWriters(const PhaseInput& input, const std::string& context,
                                          PhaseReport& report);
  bool Stopped(const PhaseReport& report) const;

  std::array<agent::Agent, 3> peers_;
};

}  // namespace hfs::triad
