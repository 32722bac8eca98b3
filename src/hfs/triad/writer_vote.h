// hfs/triad/writer_vote.h
//
// Who writes each section, by vote: in a consensus triad's execution every peer names a
// writer (itself or another peer) for each owned section with vote_writers, in one call;
// a writer named by two of the three peers writes the section. A section without a
// majority (or without votes) goes to the peers in turn, as does every section when no
// peer voted.
//
//   std::array<WriterBallot, 3> ballots;
//   agent::Tool tool = VoteWritersTool(ballots[0], sections, {"peer_1", "peer_2", "peer_3"});
//   ... each peer calls its tool ...
//   std::vector<WriterChoice> plan = TallyWriters(ballots, sections, peers);
//
// A ballot is written by the thread running its peer and read after the peers joined.
#pragma once

#include <array>
#include <map>
#include <string>
#include <vector>

#include "hfs/agent/tool.h"

namespace hfs::triad {

// One peer's vote: section -> the peer it wants to write it.
struct WriterBallot {
  std::map<std::string, std::string> writer_of;
};

struct WriterChoice {
  std::string section;
  std::string writer;
  // "vote 2 of 3", "vote 3 of 3" or "no majority: in turn".
  std::string how;
};

// vote_writers(writers: [{section_id, peer}], reason): records the peer's vote in
// `ballot` (which must outlive the tool); a later call replaces it.
agent::Tool VoteWritersTool(WriterBallot& ballot, std::vector<std::string> sections,
                            std::vector<std::string> peers);

// A writer for every section of `sections`, in that order.
std::vector<WriterChoice> TallyWriters(const std::array<WriterBallot, 3>& ballots,
                                       const std::vector<std::string>& sections,
                                       const std::vector<std::string>& peers);

}  // namespace hfs::triad
