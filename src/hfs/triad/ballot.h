// hfs/triad/ballot.h
//
// Votes of a consensus triad, cast only through the cast_vote tool: each peer has a
// Ballot; Tally finds the choice two of three peers agree on. Choices are validated by
// the tool's schema (an enum), so no vote is ever read from free text.
//
//   Ballot ballot;
//   agent::Tool vote = CastVoteTool(ballot, {"concede", "revise", "hold"},
//                                   ProposalField::kWithProposal);
//   std::optional<std::string> winner = Tally({&a, &b, &c}).winner;
//
// A Ballot is written by the thread running its peer and read after the peers joined.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hfs/agent/tool.h"

namespace hfs::triad {

struct Ballot {
  std::optional<std::string> choice;
  std::string proposal;  // when the choice needs one (revise, approve with changes)
  std::string reason;
};

enum class ProposalField { kNone, kWithProposal };

// cast_vote(choice: one of `choices`, reason, proposal?): records the last vote cast.
agent::Tool CastVoteTool(Ballot& ballot, std::vector<std::string> choices,
                         ProposalField proposal_field);

struct TallyResult {
  std::map<std::string, int> counts;
  // The choice with at least two votes.
  std::optional<std::string> winner;
  // Votes cast (peers that did not vote are left out).
  int votes = 0;
};

TallyResult Tally(const std::vector<const Ballot*>& ballots);

// "concede: 1, hold: 2" for a re-vote prompt.
std::string TallyText(const TallyResult& tally);

}  // namespace hfs::triad
