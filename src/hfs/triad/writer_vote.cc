#include "hfs/triad/writer_vote.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace hfs::triad {

agent::Tool VoteWritersTool(WriterBallot& ballot, std::vector<std::string> sections,
                            std::vector<std::string> peers) {
  using agent::Required;
  using agent::Schema;
  const size_t count = sections.size();
  Schema parameters =
      Schema::Object()
          .Property(
              "writers",
              Schema::Array(
                  Schema::Object()
                      .Property("section_id", Schema::Enum(std::move(sections)), Required::kYes)
                      .Property("peer", Schema::Enum(std::move(peers)), Required::kYes))
                  .Items(1, count)
                  .Describe("One entry per section: the peer that should write it"),
              Required::kYes)
          .Property("reason", Schema::String().Length(1, 1000), Required::kYes);
  return agent::MakeTool(
      "vote_writers",
      "Vote on who writes each section the triad owns: name one peer (yourself or another) "
      "per section, playing to each peer's focus and sharing the work. Two of three votes "
      R"(decide. Example: {"writers":[{"section_id":"page/hero","peer":"peer_1"}],)"
      R"("reason":"peer_1 focuses on user experience"})",
      std::move(parameters),
      [&ballot](const nlohmann::json& arguments, agent::ToolContext&) -> Result<nlohmann::json> {
        ballot.writer_of.clear();
        for (const nlohmann::json& entry : arguments.at("writers")) {
          ballot.writer_of[entry.at("section_id").get<std::string>()] =
              entry.at("peer").get<std::string>();
        }
        return nlohmann::json{
            {"success", true},
            {"message", fmt::format("Vote recorded for {} section(s)", ballot.writer_of.size())}};
      });
}

std::vector<WriterChoice> TallyWriters(const std::array<WriterBallot, 3>& ballots,
                                       const std::vector<std::string>& sections,
                                       const std::vector<std::string>& peers) {
  std::vector<WriterChoice> plan;
  size_t next = 0;  // the peer whose turn it is, for sections without a majority
  for (const std::string& section : sections) {
    std::map<std::string, int> votes;
    for (const WriterBallot& ballot : ballots) {
      auto it = ballot.writer_of.find(section);
      if (it != ballot.writer_of.end()) ++votes[it->second];
    }
    WriterChoice choice{.section = section};
    for (const auto& [peer, count] : votes) {
      if (count >= 2) choice = {section, peer, fmt::format("vote {} of 3", count)};
    }
    if (choice.writer.empty() && !peers.empty()) {
      choice = {section, peers[next++ % peers.size()], "no majority: in turn"};
    }
    plan.push_back(std::move(choice));
  }
  return plan;
}

}  // namespace hfs::triad
