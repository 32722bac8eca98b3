#include "hfs/triad/writer_vote.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace hfs::triad {
namespace {

const std::vector<std::string> kPeers = {"peer_1", "peer_2", "peer_3"};

TEST(WriterVoteTest, TwoOfThreeDecideAndTheRestGoInTurn) {
  std::array<WriterBallot, 3> ballots;
  ballots[0].writer_of = {{"hero", "peer_2"}, {"faq", "peer_1"}};
  ballots[1].writer_of = {{"hero", "peer_2"}, {"faq", "peer_2"}};
  ballots[2].writer_of = {{"hero", "peer_2"}, {"faq", "peer_3"}, {"tokens", "peer_3"}};
  std::vector<WriterChoice> plan =
      TallyWriters(ballots, {"hero", "faq", "tokens", "footer"}, kPeers);
  ASSERT_EQ(plan.size(), 4u);
  EXPECT_EQ(plan[0].writer, "peer_2");
  EXPECT_EQ(plan[0].how, "vote 3 of 3");
  EXPECT_EQ(plan[1].writer, "peer_1");  // one vote each: the first in turn
  EXPECT_EQ(plan[1].how, "no majority: in turn");
  EXPECT_EQ(plan[2].writer, "peer_2");  // a single vote is no majority
  EXPECT_EQ(plan[3].writer, "peer_3");  // nobody voted
}

TEST(WriterVoteTest, NoBallotsShareTheSectionsInTurn) {
  std::vector<WriterChoice> plan = TallyWriters({}, {"a", "b", "c", "d"}, kPeers);
  std::vector<std::string> writers;
  for (const WriterChoice& choice : plan) writers.push_back(choice.writer);
  EXPECT_EQ(writers, (std::vector<std::string>{"peer_1", "peer_2", "peer_3", "peer_1"}));
}

TEST(WriterVoteTest, TheToolRecordsTheBallotAndItsSchemaOffersOnlyOwnedSectionsAndPeers) {
  WriterBallot ballot;
  agent::Tool tool = VoteWritersTool(ballot, {"hero", "faq"}, kPeers);
  EXPECT_EQ(tool.name, "vote_writers");
  nlohmann::json schema = nlohmann::json::parse(tool.parameters->ToJsonText());
  const nlohmann::json& entry = schema["properties"]["writers"]["items"];
  EXPECT_EQ(entry["properties"]["section_id"]["enum"], (nlohmann::json{"hero", "faq"}));
  EXPECT_EQ(entry["properties"]["peer"]["enum"], nlohmann::json(kPeers));
  EXPECT_FALSE(
      tool.parameters
          ->Validate(nlohmann::json{{"writers", {{{"section_id", "footer"}, {"peer", "peer_1"}}}},
                                    {"reason", "x"}})
          .empty());
  agent::ToolContext context;
  Result<nlohmann::json> result = tool.handler(
      nlohmann::json{{"writers", {{{"section_id", "faq"}, {"peer", "peer_3"}}}}, {"reason", "x"}},
      context);
  ASSERT_TRUE(result) << result.error().ToString();
  EXPECT_EQ(ballot.writer_of, (std::map<std::string, std::string>{{"faq", "peer_3"}}));
}

}  // namespace
}  // namespace hfs::triad
