// The three presets driven by a function model: flows, each role's tools, staged effects,
// votes, budgets and history across phases.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "hfs/testing/fake_clock.h"
#include "hfs/testing/function_model.h"
#include "hfs/triad/triad_core.h"
#include "hfs/triad/triad_factory.h"

namespace hfs::triad {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using testing::TextReply;
using testing::ToolCallReply;
using ::testing::UnorderedElementsAre;

const std::vector<std::string> kSections = {"layout", "visual", "faq"};

std::string LastUser(const llm::ChatRequest& request) {
  for (auto it = request.messages.rbegin(); it != request.messages.rend(); ++it) {
    if (it->role == llm::Role::kUser) return it->content;
  }
  return "";
}

// The first configured section named in the text ("" when none).
std::string SectionIn(const std::string& text) {
  std::smatch match;
  if (std::regex_search(text, match, std::regex("Section \"([a-z]+)\""))) return match[1];
  if (std::regex_search(text, match, std::regex("Your section: ([a-z]+)"))) return match[1];
  if (std::regex_search(text, match, std::regex("with generate_code:\\n([a-z]+)\\n"))) {
    return match[1];
  }
  for (const std::string& section : kSections) {
    if (text.find(section) != std::string::npos) return section;
  }
  return "";
}

std::vector<std::string> ToolNames(const llm::ChatRequest& request) {
  std::vector<std::string> names;
  for (const llm::ToolDefinition& tool : request.tools) names.push_back(tool.name);
  return names;
}

// The peer a request is from, by its instructions.
std::string PeerOf(const llm::ChatRequest& request) {
  const std::string& system = request.messages[0].content;
  return system.find("peer_1") != std::string::npos   ? "peer_1"
         : system.find("peer_2") != std::string::npos ? "peer_2"
                                                      : "peer_3";
}

// Plays every role: claims, decisions (`decision` for every negotiation, `votes` per peer),
// delegation, code (one file per section) and summaries.
class TeamModel {
 public:
  std::string decision = "hold";
  std::string review = "approve";
  std::map<std::string, std::string> votes = {
      {"peer_1", "concede"}, {"peer_2", "concede"}, {"peer_3", "hold"}};

  Result<llm::ChatResponse> Reply(const llm::ChatRequest& request) const {
    const std::string user = LastUser(request);
    if (request.response_schema_json) {
      std::string section = SectionIn(user);
      const std::string version = user.find("again, fixed") != std::string::npos ? " v2" : "";
      return TextReply(json{
          {"files",
           {{{"path", section + ".html"},
             {"content", "<section id=\"" + section + "\">" + section + version + "</section>"}}}},
          {"notes", ""}}.dump());
    }
    if (!request.messages.empty() && request.messages.back().role == llm::Role::kTool) {
      return TextReply("done");
    }
    const std::string forced = request.forced_tool.value_or("");
    if (forced == "review_code") {
      return ToolCallReply(
          forced,
          json{{"verdict", review}, {"section_id", "layout"}, {"reasons", "the grid has no gap"}}
              .dump());
    }
    if (forced == "negotiate_response") {
      json args{{"section_id", SectionIn(user)}, {"decision", decision}};
      if (decision == "revise") args["revised_proposal"] = "a better " + SectionIn(user);
      return ToolCallReply(forced, args.dump());
    }
    if (forced == "generate_code") {
      const bool sent_back = user.find("sent your code for it back") != std::string::npos;
      return ToolCallReply(forced,
                           json{{"section_id", SectionIn(user)},
                                {"instructions", sent_back ? "again, fixed" : "semantic HTML"}}
                               .dump());
    }
    if (forced == "vote_writers") {
      const std::string role = PeerOf(request);
      return ToolCallReply(forced, json{{"writers",
                                         {{{"section_id", "layout"}, {"peer", "peer_3"}},
                                          {{"section_id", "visual"}, {"peer", role}}}},
                                        {"reason", "focus"}}
                                       .dump());
    }
    if (forced == "cast_vote") {
      std::string role = request.messages[0].content.find("peer_1") != std::string::npos ? "peer_1"
                         : request.messages[0].content.find("peer_2") != std::string::npos
                             ? "peer_2"
                             : "peer_3";
      json args{{"choice", user.find("approve") != std::string::npos ? "approve" : votes.at(role)},
                {"reason", "because"}};
      if (args["choice"] == "revise") args["proposal"] = "revised by " + role;
      return ToolCallReply(forced, args.dump());
    }
    std::vector<std::string> tools = ToolNames(request);
    auto has = [&](const char* name) {
      return std::find(tools.begin(), tools.end(), name) != tools.end();
    };
    if (has("delegate_section")) {
      return ToolCallReply("delegate_section", R"({"section_id":"layout","worker":"worker_b",)"
                                               R"("instructions":"grid"})");
    }
    if (has("register_claim") && user.find("Phase: deliberation") != std::string::npos) {
      return ToolCallReply("register_claim", R"({"section_id":"layout","proposal":"a grid"})");
    }
    if (has("propose_claim")) {
      return ToolCallReply("propose_claim", R"({"section_id":"visual","proposal":"calm colours"})");
    }
    return TextReply("a position");
  }
};

class TriadTest : public ::testing::Test {
 protected:
  TriadTest()
      : model_([this](const llm::ChatRequest& request) { return team_.Reply(request); }),
        models_(model_, "test-model"),
        code_(models_, {.output_format = "html"}),
        budget_("triad", {.tokens = 100000, .tool_calls = 100, .time_ms = 60000},
                agent::Enforcement::kHard, clock_) {}

  std::unique_ptr<Triad> Make(Preset preset) {
    TriadOptions options{.id = "t1",
                         .preset = preset,
                         .scope = {.primary = {"layout"}, .reach = {"visual"}},
                         .objectives = {"clarity"}};
    return MakeTriad(options, {.models = &models_,
                               .budget = &budget_,
                               .code = &code_,
                               .prompts = &prompts_,
                               .run_id = "run-1"});
  }

  // A spec where t1 and t2 both claim layout and visual.
  spec::Spec Contested() {
    spec::Spec spec = *spec::Spec::Create(kSections);
    for (const char* triad : {"t1", "t2"}) {
      EXPECT_TRUE(spec.RegisterClaim(triad, "layout", std::string(triad) + " grid"));
      EXPECT_TRUE(spec.RegisterClaim(triad, "visual", std::string(triad) + " colours"));
    }
    return spec;
  }

  spec::Spec Frozen() {
    spec::Spec spec = *spec::Spec::Create(kSections);
    EXPECT_TRUE(spec.RegisterClaim("t1", "layout", "grid"));
    EXPECT_TRUE(spec.RegisterClaim("t1", "visual", "colours"));
    EXPECT_TRUE(spec.RegisterClaim("t2", "faq", "questions"));
    EXPECT_TRUE(spec.Freeze());
    return spec;
  }

  // The tools each role was offered, over all requests.
  std::map<std::string, std::set<std::string>> ToolsByRole() {
    std::map<std::string, std::set<std::string>> out;
    std::vector<llm::ChatRequest> requests = model_.requests();
    std::vector<llm::CallContext> contexts = model_.contexts();
    for (size_t i = 0; i < requests.size(); ++i) {
      for (const std::string& name : ToolNames(requests[i])) out[contexts[i].role].insert(name);
    }
    return out;
  }

  std::vector<std::string> Roles() {
    std::vector<std::string> roles;
    for (const llm::CallContext& context : model_.contexts()) roles.push_back(context.role);
    return roles;
  }

  TeamModel team_;
  testing::FakeClock clock_;
  testing::FunctionModel model_;
  agent::FixedModel models_;
  CodeGenerator code_;
  agent::Budget budget_;
  PromptLibrary prompts_;
};

TEST_F(TriadTest, HierarchicalDeliberationStagesClaimsAndSummarises) {
  std::unique_ptr<Triad> triad = Make(Preset::kHierarchical);
  spec::Spec spec = *spec::Spec::Create(kSections);
  PhaseReport report = triad->Deliberate({.spec = &spec, .request = "a pricing page"});
  EXPECT_FALSE(report.error) << report.error->ToString();
  ASSERT_EQ(triad->outbox().claims().size(), 1u);
  EXPECT_EQ(triad->outbox().claims()[0].section, "layout");
  EXPECT_EQ(triad->outbox().claims()[0].proposal, "a grid");
  EXPECT_FALSE(spec.Get("layout")->owner.has_value());  // staged, not applied
  // The summary is what the phase did, with no model call of its own.
  EXPECT_TRUE(report.summary.submitted);
  EXPECT_THAT(report.summary.decisions, ElementsAre("claimed layout: a grid"));
  EXPECT_THAT(Roles(), ElementsAre("orchestrator", "orchestrator"));
  // Deliberation offers claims and the read tools, not negotiate_response.
  EXPECT_EQ(
      ToolsByRole()["orchestrator"],
      (std::set<std::string>{"register_claim", "get_current_claims", "get_negotiation_state"}));
  EXPECT_EQ(model_.contexts()[0].triad, "t1");
  EXPECT_EQ(model_.contexts()[0].phase, "deliberation");
  EXPECT_GT(report.Usage().total(), 0);
}

TEST_F(TriadTest, HierarchicalNegotiationKeepsHistoryAndStagesADecisionPerSection) {
  std::unique_ptr<Triad> triad = Make(Preset::kHierarchical);
  spec::Spec open = *spec::Spec::Create(kSections);
  triad->Deliberate({.spec = &open, .request = "a pricing page"});
  team_.decision = "revise";
  spec::Spec spec = Contested();
  PhaseReport report = triad->Negotiate({.spec = &spec, .sections = {"layout", "visual"}});
  EXPECT_FALSE(report.error);
  std::vector<spec::StagedDecision> decisions = triad->outbox().decisions();
  ASSERT_EQ(decisions.size(), 2u);
  EXPECT_EQ(decisions[0].section, "layout");
  EXPECT_EQ(decisions[0].decision, spec::Decision::kRevise);
  EXPECT_EQ(decisions[0].revised_proposal, "a better layout");
  EXPECT_TRUE(triad->outbox().claims().empty());  // cleared when the phase began
  // The negotiation request carries the deliberation phase as its summary, not as its
  // transcript.
  std::vector<llm::ChatRequest> requests = model_.requests();
  std::vector<llm::CallContext> contexts = model_.contexts();
  size_t first = 0;
  while (first < contexts.size() && contexts[first].phase != "negotiation") ++first;
  ASSERT_LT(first, requests.size());
  const llm::ChatRequest& negotiation = requests[first];
  for (const llm::Message& message : negotiation.messages) {
    EXPECT_EQ(message.content.find("Phase: deliberation"), std::string::npos) << message.content;
  }
  EXPECT_NE(LastUser(negotiation).find("Summary of the deliberation phase"), std::string::npos);
  EXPECT_NE(LastUser(negotiation).find("claimed layout: a grid"), std::string::npos);
  // The second section's step still sees the first one's (within the phase's window).
  const llm::ChatRequest& last = requests.back();
  bool saw_layout_step = false;
  for (const llm::Message& message : last.messages) {
    if (message.role == llm::Role::kUser &&
        message.content.find("\"layout\"") != std::string::npos &&
        &message != &last.messages.back()) {
      saw_layout_step = true;
    }
  }
  EXPECT_TRUE(saw_layout_step);
  EXPECT_EQ(triad->summaries().size(), 2u);
  EXPECT_THAT(report.summary.decisions,
              ElementsAre("layout: revise: a better layout", "visual: revise: a better visual"));
}

TEST_F(TriadTest, HierarchicalExecutionDelegatesAndWorkersWriteFiles) {
  std::unique_ptr<Triad> triad = Make(Preset::kHierarchical);
  spec::Spec spec = Frozen();
  PhaseReport report = triad->Execute({.spec = &spec, .sections = {"layout", "visual"}});
  EXPECT_FALSE(report.error) << report.error->ToString();
  std::vector<StagedFile> files = triad->outbox().files();
  std::vector<std::string> paths;
  for (const StagedFile& file : files) paths.push_back(file.path);
  EXPECT_THAT(paths, UnorderedElementsAre("layout.html", "visual.html"));
  std::map<std::string, std::set<std::string>> tools = ToolsByRole();
  EXPECT_EQ(tools["worker_b"], (std::set<std::string>{"generate_code"}));  // delegated layout
  EXPECT_EQ(tools["worker_a"], (std::set<std::string>{"generate_code"}));  // visual, by turn
  EXPECT_EQ(tools["code_execution"], (std::set<std::string>{}));
  EXPECT_TRUE(tools["orchestrator"].contains("review_code"));
  EXPECT_EQ(report.review, "approved");
}

TEST_F(TriadTest, HierarchicalReviewSendsOneSectionBackToItsWorker) {
  team_.review = "send_back";
  std::unique_ptr<Triad> triad = Make(Preset::kHierarchical);
  spec::Spec spec = Frozen();
  PhaseReport report = triad->Execute({.spec = &spec, .sections = {"layout", "visual"}});
  EXPECT_FALSE(report.error) << report.error->ToString();
  EXPECT_EQ(report.review, "sent back layout: the grid has no gap");
  // The worker that wrote layout (worker_b) wrote it again; the second version replaced
  // the first, and visual is untouched.
  std::map<std::string, std::string> content;
  for (const StagedFile& file : triad->outbox().files()) {
    EXPECT_FALSE(content.contains(file.path)) << file.path;
    content[file.path] = file.content;
  }
  ASSERT_EQ(content.size(), 2u);
  EXPECT_EQ(content["layout.html"], "<section id=\"layout\">layout v2</section>");
  EXPECT_EQ(content["visual.html"], "<section id=\"visual\">visual</section>");
  int layout_steps = 0;
  std::vector<llm::ChatRequest> requests = model_.requests();
  std::vector<llm::CallContext> contexts = model_.contexts();
  for (size_t i = 0; i < requests.size(); ++i) {
    if (requests[i].forced_tool == "generate_code" && contexts[i].role == "worker_b") {
      ++layout_steps;
    }
  }
  EXPECT_EQ(layout_steps, 2);
}

TEST_F(TriadTest, DialecticRunsThesisAntithesisSynthesis) {
  std::unique_ptr<Triad> triad = Make(Preset::kDialectic);
  spec::Spec spec = *spec::Spec::Create(kSections);
  PhaseReport report = triad->Deliberate({.spec = &spec, .request = "a pricing page"});
  EXPECT_FALSE(report.error);
  std::vector<std::string> roles = Roles();
  ASSERT_GE(roles.size(), 4u);
  EXPECT_EQ(roles[0], "proposer");
  EXPECT_EQ(roles[1], "proposer");  // after its claim
  EXPECT_EQ(roles[2], "critic");
  EXPECT_EQ(roles[3], "synthesizer");
  std::map<std::string, std::set<std::string>> tools = ToolsByRole();
  EXPECT_EQ(tools["critic"],
            (std::set<std::string>{"get_current_claims", "get_negotiation_state"}));
  EXPECT_EQ(tools["proposer"], (std::set<std::string>{"register_claim", "get_current_claims"}));
  ASSERT_EQ(triad->outbox().claims().size(), 1u);
  EXPECT_EQ(report.summary.produced_by, "synthesizer");
}

TEST_F(TriadTest, DialecticNegotiationDecisionComesFromTheSynthesizersTool) {
  std::unique_ptr<Triad> triad = Make(Preset::kDialectic);
  team_.decision = "concede";
  spec::Spec spec = Contested();
  triad->Negotiate({.spec = &spec, .sections = {"visual"}});
  ASSERT_EQ(triad->outbox().decisions().size(), 1u);
  EXPECT_EQ(triad->outbox().decisions()[0].decision, spec::Decision::kConcede);
  EXPECT_EQ(triad->outbox().decisions()[0].section, "visual");
}

TEST_F(TriadTest, ConsensusMajorityDecides) {
  std::unique_ptr<Triad> triad = Make(Preset::kConsensus);
  spec::Spec spec = Contested();
  PhaseReport report = triad->Negotiate({.spec = &spec, .sections = {"visual"}});
  EXPECT_FALSE(report.error);
  ASSERT_EQ(triad->outbox().decisions().size(), 1u);
  EXPECT_EQ(triad->outbox().decisions()[0].decision, spec::Decision::kConcede);  // 2 of 3
  EXPECT_EQ(report.summary.produced_by, "peer_1");
}

TEST_F(TriadTest, ConsensusWithoutMajorityRevotesThenHolds) {
  team_.votes = {{"peer_1", "concede"}, {"peer_2", "revise"}, {"peer_3", "hold"}};
  std::unique_ptr<Triad> triad = Make(Preset::kConsensus);
  spec::Spec spec = Contested();
  triad->Negotiate({.spec = &spec, .sections = {"layout"}});
  ASSERT_EQ(triad->outbox().decisions().size(), 1u);
  EXPECT_EQ(triad->outbox().decisions()[0].decision, spec::Decision::kHold);
  int votes = 0;
  bool revote_shows_tally = false;
  for (const llm::ChatRequest& request : model_.requests()) {
    if (request.forced_tool != "cast_vote") continue;
    ++votes;
    if (LastUser(request).find("concede: 1, hold: 1, revise: 1") != std::string::npos) {
      revote_shows_tally = true;
    }
  }
  EXPECT_EQ(votes, 6);  // a vote and one re-vote
  EXPECT_TRUE(revote_shows_tally);
}

TEST_F(TriadTest, ConsensusDeliberationNeedsTwoPeersOrAVote) {
  std::unique_ptr<Triad> triad = Make(Preset::kConsensus);
  spec::Spec spec = *spec::Spec::Create(kSections);
  PhaseReport report = triad->Deliberate({.spec = &spec, .request = "a pricing page"});
  EXPECT_FALSE(report.error);
  // All three peers proposed visual: claimed without a vote.
  ASSERT_EQ(triad->outbox().claims().size(), 1u);
  EXPECT_EQ(triad->outbox().claims()[0].section, "visual");
  EXPECT_EQ(triad->outbox().claims()[0].proposal, "calm colours");
}

TEST_F(TriadTest, ConsensusExecutionVotesOnWhoWritesEachSection) {
  std::unique_ptr<Triad> triad = Make(Preset::kConsensus);
  spec::Spec spec = Frozen();
  PhaseReport report = triad->Execute({.spec = &spec, .sections = {"layout", "visual"}});
  EXPECT_FALSE(report.error) << report.error->ToString();
  // Every peer named peer_3 for layout; visual had no majority (each named itself), so it
  // went to the first peer in turn.
  std::map<std::string, std::string> writer_of;
  std::vector<llm::ChatRequest> requests = model_.requests();
  std::vector<llm::CallContext> contexts = model_.contexts();
  int ballots = 0;
  for (size_t i = 0; i < requests.size(); ++i) {
    if (requests[i].forced_tool == "vote_writers") ++ballots;
    if (requests[i].forced_tool == "generate_code") {
      writer_of[SectionIn(LastUser(requests[i]))] = contexts[i].role;
    }
  }
  EXPECT_EQ(ballots, 3);
  EXPECT_EQ(writer_of,
            (std::map<std::string, std::string>{{"layout", "peer_3"}, {"visual", "peer_1"}}));
  std::vector<std::string> paths;
  for (const StagedFile& file : triad->outbox().files()) paths.push_back(file.path);
  EXPECT_THAT(paths, UnorderedElementsAre("layout.html", "visual.html"));
}

TEST_F(TriadTest, HardBudgetStopsTheTriadWithTheStopReason) {
  agent::Budget tight("t1", {.tokens = 20, .tool_calls = 100, .time_ms = 60000},
                      agent::Enforcement::kHard, clock_);
  TriadOptions options{
      .id = "t1", .preset = Preset::kHierarchical, .scope = {.primary = {"layout"}}};
  std::unique_ptr<Triad> triad = MakeTriad(options, {.models = &models_,
                                                     .budget = &tight,
                                                     .code = &code_,
                                                     .prompts = &prompts_,
                                                     .run_id = "run-1"});
  spec::Spec spec = Contested();
  PhaseReport report = triad->Negotiate({.spec = &spec, .sections = {"layout", "visual"}});
  EXPECT_TRUE(report.BudgetExhausted());
  EXPECT_LE(triad->outbox().decisions().size(), 1u);
  // The summary says which step stopped, and why.
  ASSERT_FALSE(report.summary.open_questions.empty());
  EXPECT_NE(report.summary.open_questions[0].find("orchestrator stopped: budget_exhausted"),
            std::string::npos)
      << report.summary.open_questions[0];
}

TEST_F(TriadTest, AgentsSampleColderAsTheSpecCools) {
  std::unique_ptr<Triad> hot = Make(Preset::kHierarchical);
  spec::Spec fresh = *spec::Spec::Create(kSections);
  hot->Deliberate({.spec = &fresh, .request = "a pricing page"});
  ASSERT_FALSE(model_.requests().empty());
  EXPECT_EQ(model_.requests().front().temperature, 1.0);

  spec::Spec cool = Contested();
  for (int round = 0; round < 4; ++round) ASSERT_TRUE(cool.AdvanceRound());
  const size_t before = model_.requests().size();
  std::unique_ptr<Triad> triad = Make(Preset::kHierarchical);
  triad->Negotiate({.spec = &cool, .sections = {"layout"}});
  ASSERT_GT(model_.requests().size(), before);
  const std::optional<double> sampled = model_.requests()[before].temperature;
  ASSERT_TRUE(sampled.has_value());
  EXPECT_DOUBLE_EQ(*sampled, SamplingTemperature(cool.Temperature()));
  EXPECT_LT(*sampled, 1.0);

  // Code is written at the model's own temperature, whatever the spec's.
  spec::Spec frozen = Frozen();
  const size_t executed = model_.requests().size();
  Make(Preset::kHierarchical)->Execute({.spec = &frozen, .sections = {"layout"}});
  ASSERT_GT(model_.requests().size(), executed);
  EXPECT_FALSE(model_.requests()[executed].temperature.has_value());
}

TEST_F(TriadTest, AStepWhoseModelBreaksItsContractFailsAloneNotTheTriad) {
  testing::FunctionModel prose([](const llm::ChatRequest&) -> Result<llm::ChatResponse> {
    return llm::ChatResponse{.content = "I would rather describe my claim in words.",
                             .finish_reason = llm::FinishReason::kStop};
  });
  agent::FixedModel source(prose, "m");
  TriadOptions options{.id = "t1", .preset = Preset::kHierarchical};
  std::unique_ptr<Triad> triad = MakeTriad(
      options, {.models = &source, .budget = &budget_, .code = &code_, .prompts = &prompts_});
  spec::Spec spec = *spec::Spec::Create(kSections);
  PhaseReport report = triad->Deliberate({.spec = &spec, .request = "x"});
  EXPECT_FALSE(report.error.has_value());
  ASSERT_FALSE(report.runs.empty());
  EXPECT_EQ(report.runs[0].stop_reason, agent::StopReason::kRepairsExhausted);
  EXPECT_EQ(report.runs[0].breaches.size(), 3u);
  ASSERT_TRUE(report.runs[0].error.has_value());
  EXPECT_TRUE(triad->outbox().claims().empty());
}

TEST_F(TriadTest, ModelFailureIsReportedNotThrown) {
  testing::FunctionModel failing([](const llm::ChatRequest&) -> Result<llm::ChatResponse> {
    return Fail(ErrorCode::kUnavailable, "provider down");
  });
  agent::FixedModel source(failing, "m");
  TriadOptions options{.id = "t1", .preset = Preset::kDialectic};
  std::unique_ptr<Triad> triad = MakeTriad(
      options, {.models = &source, .budget = &budget_, .code = &code_, .prompts = &prompts_});
  spec::Spec spec = *spec::Spec::Create(kSections);
  PhaseReport report = triad->Deliberate({.spec = &spec, .request = "x"});
  ASSERT_TRUE(report.error.has_value());
  EXPECT_EQ(report.error->code, ErrorCode::kUnavailable);
  EXPECT_EQ(report.runs.size(), 1u);  // the critic and synthesizer did not run
}

}  // namespace
}  // namespace hfs::triad
