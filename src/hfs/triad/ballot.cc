#include "hfs/triad/ballot.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace hfs::triad {

agent::Tool CastVoteTool(Ballot& ballot, std::vector<std::string> choices,
                         ProposalField proposal_field) {
  using agent::Required;
  using agent::Schema;
  Schema parameters = Schema::Object()
                          .Property("choice", Schema::Enum(std::move(choices)), Required::kYes)
                          .Property("reason", Schema::String().Length(1, 1000), Required::kYes);
  if (proposal_field == ProposalField::kWithProposal) {
    parameters.Property("proposal", Schema::String().Length(1, 8000).Describe(
                                        "The improved proposal, when your choice is revise"));
  }
  return agent::MakeTool(
      "cast_vote",
      "Cast your vote; two of three peers decide. Vote once, with a one-sentence reason. "
      R"(Example: {"choice":"hold","reason":"our layout is the only responsive one"})",
      std::move(parameters),
      [&ballot](const nlohmann::json& arguments, agent::ToolContext&) -> Result<nlohmann::json> {
        ballot.choice = arguments.at("choice").get<std::string>();
        ballot.reason = arguments.at("reason").get<std::string>();
        ballot.proposal = arguments.value("proposal", "");
        return nlohmann::json{{"success", true}, {"message", "Vote recorded: " + *ballot.choice}};
      });
}

TallyResult Tally(const std::vector<const Ballot*>& ballots) {
  TallyResult tally;
  for (const Ballot* ballot : ballots) {
    if (ballot == nullptr || !ballot->choice) continue;
    ++tally.votes;
    if (++tally.counts[*ballot->choice] >= 2 && !tally.winner) tally.winner = *ballot->choice;
  }
  return tally;
}

std::string TallyText(const TallyResult& tally) {
  std::vector<std::string> parts;
  for (const auto& [choice, count] : tally.counts)
    parts.push_back(fmt::format("{}: {}", choice, count));
  return parts.empty() ? "no votes" : fmt::format("{}", fmt::join(parts, ", "));
}

}  // namespace hfs::triad
