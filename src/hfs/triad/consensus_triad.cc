#include "hfs/triad/consensus_triad.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "hfs/triad/phase_prompts.h"

namespace hfs::triad {
namespace {

constexpr std::array<const char*, 3> kPerspectives = {"user experience", "technical correctness",
                                                      "maintainability"};

// propose_claim(section_id, proposal): a peer's own list of claims it wants.
agent::Tool ProposeClaimTool(std::vector<std::string> sections,
                             std::map<std::string, std::string>& proposals) {
  using agent::Required;
  using agent::Schema;
  return agent::MakeTool(
      "propose_claim",
      "Propose that the triad claims a section, with a concrete proposal for it. Call it once "
      "per section; the peers' proposals are then put together by majority. Example: "
      R"({"section_id":"visual","proposal":"a calm palette with one accent colour ..."})",
      Schema::Object()
          .Property("section_id", Schema::Enum(std::move(sections)), Required::kYes)
          .Property("proposal", Schema::String().Length(1, 8000), Required::kYes),
      [&proposals](const nlohmann::json& arguments, agent::ToolContext&) -> Result<nlohmann::json> {
        const std::string section = arguments.at("section_id").get<std::string>();
        proposals[section] = arguments.at("proposal").get<std::string>();
        return nlohmann::json{{"success", true}, {"message", "Proposal noted for " + section}};
      });
}

bool InPrimary(const TriadOptions& options, const std::string& section) {
  return std::find(options.scope.primary.begin(), options.scope.primary.end(), section) !=
         options.scope.primary.end();
}

}  // namespace

ConsensusTriad::ConsensusTriad(TriadOptions options, TriadDeps deps)
    : CoreTriad(std::move(options), std::move(deps)) {
  for (size_t i = 0; i < peers_.size(); ++i) {
    Toolkit& tools = core_.toolkit();
    peers_[i] = core_.MakeAgent(fmt::format("peer_{}", i + 1), "peer",
                                {tools.GetCurrentClaims(), tools.GetNegotiationState()},
                                {{"perspective", kPerspectives[i]}});
  }
}

bool ConsensusTriad::Stopped(const PhaseReport& report) const {
  return report.error.has_value() || report.BudgetExhausted();
}

void ConsensusTriad::InParallel(const std::function<void(size_t)>& step) {
  std::array<std::jthread, 3> threads;
  for (size_t i = 0; i < threads.size(); ++i) threads[i] = std::jthread([&step, i] { step(i); });
}

std::array<Ballot, 3> ConsensusTriad::Vote(const std::string& question,
                                           const std::vector<std::string>& choices,
                                           ProposalField proposal_field, const PhaseInput& input,
                                           PhaseReport& report) {
  std::array<Ballot, 3> ballots;
  std::string tally_text;
  for (int attempt = 0; attempt < 2 && !Stopped(report); ++attempt) {
    ballots = {};
    Result<std::string> prompt =
        core_.Prompt("vote", input,
                     {{"question", question},
                      {"options", fmt::format("{}", fmt::join(choices, ", "))},
                      {"tally", attempt == 0 ? ""
                                             : "No two peers agreed last time (" + tally_text +
                                                   "). Vote again; a majority is needed."}});
    if (!prompt) {
      core_.RecordError(report, prompt.error());
      break;
    }
    InParallel([&](size_t i) {
      agent::Agent voter = peers_[i];
      voter.tools = {CastVoteTool(ballots[i], choices, proposal_field)};
      core_.RunAgent(voter, *prompt,
                     {.forced_tool = "cast_vote", .finish = agent::Finish::kAfterToolSuccess},
                     report);
    });
    TallyResult tally = Tally({&ballots[0], &ballots[1], &ballots[2]});
    if (tally.winner) break;
    tally_text = TallyText(tally);
  }
  return ballots;
}

PhaseReport ConsensusTriad::Deliberate(const PhaseInput& input) {
  PhaseReport report = core_.BeginPhase(kDeliberation, input);
  Result<std::string> prompt =
      core_.Prompt("deliberation", input, {{"claim_tool", "propose_claim"}});
  if (!prompt || input.spec == nullptr) {
    core_.RecordError(report,
                      prompt ? Error{ErrorCode::kInvalidArgument, "no spec"} : prompt.error());
    return report;
  }
  std::array<std::map<std::string, std::string>, 3> proposals;
  InParallel([&](size_t i) {
    agent::Agent peer = peers_[i];
    peer.tools.push_back(ProposeClaimTool(input.spec->SectionNames(), proposals[i]));
    core_.RunAgent(peer, *prompt, {.forced_tool = "propose_claim"}, report);
  });
  for (const std::string& section : input.spec->SectionNames()) {
    if (Stopped(report)) break;
    std::vector<size_t> supporters;
    for (size_t i = 0; i < proposals.size(); ++i) {
      if (proposals[i].count(section)) supporters.push_back(i);
    }
    if (supporters.empty()) continue;
    const std::string& proposal = proposals[supporters.front()].at(section);
    bool claim = supporters.size() >= 2;
    if (supporters.size() == 1) {
      std::array<Ballot, 3> ballots =
          Vote(fmt::format("should the triad claim '{}' with {}'s proposal: {}", section,
                           peers_[supporters.front()].role, proposal),
               {"approve", "reject"}, ProposalField::kNone, input, report);
      TallyResult tally = Tally({&ballots[0], &ballots[1], &ballots[2]});
      claim = tally.winner ? *tally.winner == "approve" : InPrimary(options(), section);
    }
    if (claim)
      core_.outbox().Claim({.triad = options().id, .section = section, .proposal = proposal});
  }
  core_.Summarize(peers_[0], report);
  return report;
}

void ConsensusTriad::DecideSection(const std::string& section, const PhaseInput& input,
                                   PhaseReport& report) {
  Result<std::string> context = NegotiationPrompt(core_, input, section);
  if (!context) {
    core_.RecordError(report, context.error());
    return;
  }
  std::array<Ballot, 3> ballots =
      Vote(*context + "\nVote for the triad's response.", {"concede", "revise", "hold"},
           ProposalField::kWithProposal, input, report);
  TallyResult tally = Tally({&ballots[0], &ballots[1], &ballots[2]});
  spec::StagedDecision decision{.triad = options().id,
                                .section = section,
                                .decision = spec::Decision::kHold};  // the fallback
  if (tally.winner == "concede") decision.decision = spec::Decision::kConcede;
  if (tally.winner == "revise") {
    for (const Ballot& ballot : ballots) {
      if (ballot.choice == "revise" && !ballot.proposal.empty()) {
        decision.decision = spec::Decision::kRevise;
        decision.revised_proposal = ballot.proposal;
        break;
      }
    }
  }
  core_.outbox().Decide(std::move(decision));
}

PhaseReport ConsensusTriad::Negotiate(const PhaseInput& input) {
  PhaseReport report = core_.BeginPhase(kNegotiation, input);
  for (const std::string& section : input.sections) {
    if (Stopped(report)) break;
    DecideSection(section, input, report);
  }
  core_.Summarize(peers_[0], report);
  return report;
}

std::vector<WriterChoice> ConsensusTriad::ChooseWriters(const PhaseInput& input,
                                                        const std::string& context,
                                                        PhaseReport& report) {
  std::vector<std::string> names;
  std::vector<std::string> described;
  for (size_t i = 0; i < peers_.size(); ++i) {
    names.push_back(peers_[i].role);
    described.push_back(fmt::format("{} ({})", peers_[i].role, kPerspectives[i]));
  }
  std::array<WriterBallot, 3> ballots;
  Result<std::string> prompt =
      core_.Prompt("writers", input,
                   {{"owned_sections", JoinOrNone(input.sections)},
                    {"peers", fmt::format("{}", fmt::join(described, ", "))}});
  if (!prompt) {
    core_.RecordError(report, prompt.error());
  } else {
    InParallel([&](size_t i) {
      agent::Agent voter = peers_[i];
      voter.tools = {VoteWritersTool(ballots[i], input.sections, names)};
      core_.RunAgent(voter, context + "\n" + *prompt,
                     {.forced_tool = "vote_writers", .finish = agent::Finish::kAfterToolSuccess},
                     report);
    });
  }
  return TallyWriters(ballots, input.sections, names);
}

PhaseReport ConsensusTriad::Execute(const PhaseInput& input) {
  PhaseReport report = core_.BeginPhase(kExecution, input);
  const std::string frozen = FrozenSpecText(input);
  Result<std::string> context =
      core_.Prompt("execution", input,
                   {{"owned_sections", JoinOrNone(input.sections)}, {"frozen_spec", frozen}});
  if (!context) {
    core_.RecordError(report, context.error());
    core_.Summarize(peers_[0], report);
    return report;
  }
  const std::vector<WriterChoice> plan = ChooseWriters(input, *context, report);
  std::vector<std::pair<std::string, std::string>> tasks;
  for (const WriterChoice& choice : plan) {
    tasks.emplace_back(choice.section, fmt::format("by {} ({})", choice.writer, choice.how));
  }
  core_.PlanWork(peers_[0], tasks);
  InParallel([&](size_t i) {
    for (const WriterChoice& choice : plan) {
      if (choice.writer != peers_[i].role || Stopped(report)) continue;
      Result<std::string> prompt = core_.Prompt(
          "execution", input, {{"owned_sections", choice.section}, {"frozen_spec", frozen}});
      if (!prompt) {
        core_.RecordError(report, prompt.error());
        return;
      }
      agent::RunResult result = core_.WriteSection(peers_[i], choice.section, *prompt, report);
      if (result.stop_reason == agent::StopReason::kBudgetExhausted ||
          result.stop_reason == agent::StopReason::kModelError ||
          result.stop_reason == agent::StopReason::kCancelled) {
        return;
      }
    }
  });
  core_.Summarize(peers_[0], report);
  return report;
}

}  // namespace hfs::triad
