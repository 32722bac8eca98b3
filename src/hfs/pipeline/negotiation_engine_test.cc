#include "hfs/pipeline/negotiation_engine.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <tuple>
#include <utility>

#include "hfs/base/check.h"
#include "hfs/testing/function_model.h"

namespace hfs::pipeline {
namespace {

using spec::Decision;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::TextReply;

// Aborts the test binary on an unexpected error in setup.
void MustSucceed(const Result<void>& result) {
  HFS_CHECK(result.has_value(), result.error().ToString());
}

// What a FakeTriad saw in one Negotiate call.
struct NegotiateCall {
  const spec::Spec* spec = nullptr;
  // A copy of *spec taken when the call started.
  spec::Spec snapshot;
  std::vector<std::string> sections;
  std::string request;
  double freeze_threshold = 0;
};

// A triad whose Negotiate stages scripted decisions (per round and section) into a real
// Outbox and records what it was given. Sections without a script get no decision (hold).
class FakeTriad final : public triad::Triad {
 public:
  explicit FakeTriad(std::string id, std::vector<std::string> primary = {},
                     std::vector<std::string> objectives = {})
      : options_{.id = std::move(id),
                 .scope = {.primary = std::move(primary)},
                 .objectives = std::move(objectives)} {}

  void Script(int round, const std::string& section, Decision decision, std::string proposal = "") {
    script_[{round, section}] = {.triad = options_.id,
                                 .section = section,
                                 .decision = decision,
                                 .revised_proposal = std::move(proposal)};
  }
  // Staged as is in `round`, whatever the sections asked about.
  void StageExtra(int round, spec::StagedDecision decision) {
    extras_.emplace_back(round, std::move(decision));
  }
  void FailInRound(int round, Error error) { failures_.emplace(round, std::move(error)); }
  // Runs at the start of every Negotiate.
  void OnNegotiate(std::function<void()> hook) { hook_ = std::move(hook); }

  // Read after the engine's Run returned (the threads have joined).
  const std::vector<NegotiateCall>& calls() const { return calls_; }

  const triad::TriadOptions& options() const override { return options_; }
  triad::Outbox& outbox() override { return outbox_; }
  const std::vector<triad::PhaseSummary>& summaries() const override { return summaries_; }
  triad::PhaseReport Deliberate(const triad::PhaseInput&) override { return {}; }
  triad::PhaseReport Execute(const triad::PhaseInput&) override { return {}; }

  triad::PhaseReport Negotiate(const triad::PhaseInput& input) override {
    outbox_.Clear();
    if (hook_) hook_();
    const int round = input.spec->Round();
    calls_.push_back({.spec = input.spec,
                      .snapshot = *input.spec,
                      .sections = input.sections,
                      .request = input.request,
                      .freeze_threshold = input.freeze_threshold});
    triad::PhaseReport report{.phase = triad::kNegotiation};
    if (auto failure = failures_.find(round); failure != failures_.end()) {
      report.error = failure->second;
      return report;
    }
    for (const std::string& section : input.sections) {
      if (auto it = script_.find({round, section}); it != script_.end()) outbox_.Decide(it->second);
    }
    for (const auto& [extra_round, decision] : extras_) {
      if (extra_round == round) outbox_.Decide(decision);
    }
    return report;
  }

 private:
  triad::TriadOptions options_;
  triad::Outbox outbox_;
  std::vector<triad::PhaseSummary> summaries_;
  std::map<std::pair<int, std::string>, spec::StagedDecision> script_;
  std::vector<std::pair<int, spec::StagedDecision>> extras_;
  std::map<int, Error> failures_;
  std::function<void()> hook_;
  std::vector<NegotiateCall> calls_;
};

struct Claim {
  std::string triad;
  std::string section;
  std::string proposal;
};

spec::Spec MakeSpec(std::vector<std::string> sections, const std::vector<Claim>& claims,
                    spec::TemperatureOptions temperature = {}) {
  spec::Spec spec = HFS_VALUE_OR_DIE(spec::Spec::Create(std::move(sections), temperature));
  for (const Claim& claim : claims) {
    MustSucceed(spec.RegisterClaim(claim.triad, claim.section, claim.proposal));
  }
  return spec;
}

std::string AssignTo(const std::string& winner) {
  return R"({"type": "assign", "winner": ")" + winner + R"(", "rationale": "fits best"})";
}

std::vector<std::string> ActionsBy(const spec::Spec& spec, const std::string& section,
                                   const std::string& by) {
  std::vector<std::string> actions;
  for (const spec::HistoryEntry& entry : spec.Get(section)->history) {
    if (entry.by == by) actions.push_back(entry.action);
  }
  return actions;
}

class NegotiationEngineTest : public ::testing::Test {
 protected:
  NegotiationReport Run(spec::Spec& spec, const std::vector<FakeTriad*>& fakes,
                        NegotiationOptions options = {}, const RoundCallback& on_round = {}) {
    std::vector<triad::Triad*> triads(fakes.begin(), fakes.end());
    NegotiationEngine engine(arbiter_, options);
    return engine.Run(spec, triads, "a pricing page with three tiers", on_round);
  }
  size_t ArbiterCalls() const { return model_.requests().size(); }

  // The arbiter model's reply; by default it is down.
  std::function<Result<llm::ChatResponse>(const llm::ChatRequest&)> reply_ =
      [](const llm::ChatRequest&) -> Result<llm::ChatResponse> {
    return Fail(ErrorCode::kUnavailable, "arbiter provider down");
  };
  testing::FunctionModel model_{[this](const llm::ChatRequest& r) { return reply_(r); }};
  agent::FixedModel source_{model_, "judge"};
  Arbiter arbiter_{source_, {.max_retries = 2, .run_id = "run1"}};
  FakeTriad t1_{"t1", {"layout"}, {"clean grid"}};
  FakeTriad t2_{"t2", {}, {"bold visuals"}};
  FakeTriad t3_{"t3"};
};

TEST_F(NegotiationEngineTest, NoContestRunsNoRound) {
  spec::Spec spec = MakeSpec({"layout", "hero"}, {{"t1", "layout", "grid"}, {"t2", "hero", "x"}});
  NegotiationReport report = Run(spec, {&t1_, &t2_});
  EXPECT_EQ(report.rounds, 0);
  EXPECT_TRUE(report.rounds_detail.empty());
  EXPECT_TRUE(report.escalations.empty());
  EXPECT_TRUE(t1_.calls().empty());
  EXPECT_EQ(ArbiterCalls(), 0u);
  EXPECT_EQ(spec.Round(), 0);
  EXPECT_EQ(report.final_temperature, 1.0);
  EXPECT_FALSE(report.error);
}

TEST_F(NegotiationEngineTest, ConcessionResolvesTheSectionInRoundOne) {
  spec::Spec spec = MakeSpec({"hero"}, {{"t1", "hero", "quiet"}, {"t2", "hero", "bold"}});
  t2_.Script(0, "hero", Decision::kConcede);
  NegotiationReport report = Run(spec, {&t1_, &t2_});
  EXPECT_EQ(report.rounds, 1);
  EXPECT_EQ(spec.Owner("hero"), "t1");
  EXPECT_EQ(spec.Round(), 1);
  ASSERT_EQ(report.rounds_detail.size(), 1u);
  const RoundSummary& round = report.rounds_detail[0];
  EXPECT_EQ(round.round, 0);
  EXPECT_EQ(round.temperature, 1.0);
  EXPECT_THAT(round.contested, ElementsAre("hero"));
  EXPECT_THAT(round.triads, ElementsAre("t1", "t2"));
  EXPECT_THAT(round.sections,
              ElementsAre(spec::SectionRoundResult{.section = "hero",
                                                   .status = spec::SectionStatus::kClaimed,
                                                   .resolved = true,
                                                   .winner = "t1",
                                                   .progress = true}));
  EXPECT_EQ(report.triad_reports.size(), 2u);
  EXPECT_EQ(ArbiterCalls(), 0u);
  EXPECT_DOUBLE_EQ(report.final_temperature, 0.85);
}

TEST_F(NegotiationEngineTest, EveryoneConcedingLeavesTheSectionUnclaimed) {
  spec::Spec spec = MakeSpec({"hero"}, {{"t1", "hero", "quiet"}, {"t2", "hero", "bold"}});
  t1_.Script(0, "hero", Decision::kConcede);
  t2_.Script(0, "hero", Decision::kConcede);
  NegotiationReport report = Run(spec, {&t1_, &t2_});
  EXPECT_EQ(report.rounds, 1);
  EXPECT_THAT(spec.Unclaimed(), ElementsAre("hero"));
  EXPECT_TRUE(report.escalations.empty());
  EXPECT_EQ(ArbiterCalls(), 0u);
}

TEST_F(NegotiationEngineTest, HoldingForTheThresholdEscalatesAndTheAssignIsApplied) {
  spec::Spec spec = MakeSpec({"hero"}, {{"t1", "hero", "quiet"}, {"t2", "hero", "bold"}});
  reply_ = [](const llm::ChatRequest&) -> Result<llm::ChatResponse> {
    return TextReply(AssignTo("t2"));
  };
  NegotiationReport report = Run(spec, {&t1_, &t2_}, {.escalation_threshold = 2});
  EXPECT_EQ(report.rounds, 2);
  EXPECT_EQ(ArbiterCalls(), 1u);
  ASSERT_EQ(report.escalations.size(), 1u);
  const Escalation& escalation = report.escalations[0];
  EXPECT_EQ(escalation.section, "hero");
  EXPECT_EQ(escalation.round, 1);
  EXPECT_EQ(escalation.cause, EscalationCause::kStuck);
  EXPECT_FALSE(escalation.outcome.fallback);
  EXPECT_EQ(escalation.outcome.decision.winner, "t2");
  EXPECT_TRUE(report.rounds_detail[0].escalations.empty());
  EXPECT_EQ(report.rounds_detail[1].escalations.size(), 1u);
  EXPECT_EQ(spec.Owner("hero"), "t2");
  EXPECT_THAT(spec.Claimants("hero"), ElementsAre("t2"));
  EXPECT_THAT(ActionsBy(spec, "hero", "arbiter"), ::testing::Contains("concede"));
  EXPECT_EQ(t1_.calls().size(), 2u);
}

TEST_F(NegotiationEngineTest, RevisionsAreProgressAndNeverEscalate) {
  spec::Spec spec = MakeSpec({"hero"}, {{"t1", "hero", "quiet"}, {"t2", "hero", "bold"}});
  t1_.Script(0, "hero", Decision::kRevise, "v1");
  t1_.Script(1, "hero", Decision::kRevise, "v2");
  t1_.Script(2, "hero", Decision::kRevise, "v3");
  t2_.Script(3, "hero", Decision::kConcede);
  NegotiationReport report = Run(spec, {&t1_, &t2_}, {.escalation_threshold = 2});
  EXPECT_EQ(report.rounds, 4);
  EXPECT_TRUE(report.escalations.empty());
  EXPECT_TRUE(report.rounds_detail[0].sections[0].progress);
  EXPECT_EQ(spec.Owner("hero"), "t1");
  EXPECT_EQ(spec.Proposals("hero").at("t1"), "v3");
}

TEST_F(NegotiationEngineTest, StuckCountsConsecutiveRoundsWithoutProgress) {
  spec::Spec spec = MakeSpec({"hero"}, {{"t1", "hero", "quiet"}, {"t2", "hero", "bold"}});
  t1_.Script(1, "hero", Decision::kRevise, "quieter");
  // The same proposal again is no real revision.
  t1_.Script(2, "hero", Decision::kRevise, "quieter");
  reply_ = [](const llm::ChatRequest&) -> Result<llm::ChatResponse> {
    return TextReply(AssignTo("t1"));
  };
  NegotiationReport report = Run(spec, {&t1_, &t2_}, {.escalation_threshold = 2});
  ASSERT_EQ(report.escalations.size(), 1u);
  EXPECT_EQ(report.escalations[0].round, 3);
  EXPECT_EQ(report.rounds, 4);
  EXPECT_FALSE(report.rounds_detail[2].sections[0].progress);
  EXPECT_EQ(spec.Owner("hero"), "t1");
}

TEST_F(NegotiationEngineTest, ArbiterSplitIsApplied) {
  spec::Spec spec = MakeSpec({"hero", "faq"},
                             {{"t1", "hero", "copy"}, {"t2", "hero", "image"}, {"t1", "faq", "q"}});
  reply_ = [](const llm::ChatRequest&) -> Result<llm::ChatResponse> {
    return TextReply(R"({"type": "split", "division": [)"
                     R"({"sub_section": "hero/copy", "triad": "t1"},)"
                     R"({"sub_section": "hero/image", "triad": "t2"}], "rationale": "both"})");
  };
  NegotiationReport report = Run(spec, {&t1_, &t2_}, {.escalation_threshold = 1});
  EXPECT_EQ(report.rounds, 1);
  EXPECT_THAT(spec.SectionNames(), ElementsAre("hero/copy", "hero/image", "faq"));
  EXPECT_EQ(spec.Owner("hero/copy"), "t1");
  EXPECT_EQ(spec.Owner("hero/image"), "t2");
  EXPECT_EQ(spec.Proposals("hero/image").at("t2"), "image");
  EXPECT_TRUE(spec.Contested().empty());
}

TEST_F(NegotiationEngineTest, ArbiterMergeIsApplied) {
  spec::Spec spec = MakeSpec({"hero"}, {{"t1", "hero", "quiet"}, {"t2", "hero", "bold"}});
  reply_ = [](const llm::ChatRequest&) -> Result<llm::ChatResponse> {
    return TextReply(R"({"type": "merge", "merged_proposal": "bold but quiet", )"
                     R"("assigned_to": "t1", "rationale": "both"})");
  };
  NegotiationReport report = Run(spec, {&t1_, &t2_}, {.escalation_threshold = 1});
  ASSERT_EQ(report.escalations.size(), 1u);
  EXPECT_EQ(report.escalations[0].outcome.decision.type, spec::ArbiterDecision::Type::kMerge);
  EXPECT_EQ(spec.Owner("hero"), "t1");
  EXPECT_THAT(spec.Claimants("hero"), ElementsAre("t1"));
  EXPECT_EQ(spec.Proposals("hero").at("t1"), "bold but quiet");
}

TEST_F(NegotiationEngineTest, InvalidArbiterRepliesAreRetriedWithTheError) {
  spec::Spec spec = MakeSpec({"hero"}, {{"t1", "hero", "quiet"}, {"t2", "hero", "bold"}});
  std::atomic<int> calls{0};
  reply_ = [&calls](const llm::ChatRequest&) -> Result<llm::ChatResponse> {
    switch (calls++) {
      case 0:
        return TextReply(R"({"type": "veto", "winner": "t1"})");
      case 1:
        return TextReply(
            R"({"type": "split", "division": [)"
            R"({"sub_section": "a", "triad": "t1"}, {"sub_section": "b", "triad": "t3"}]})");
      default:
        return TextReply(AssignTo("t1"));
    }
  };
  NegotiationReport report = Run(spec, {&t1_, &t2_}, {.escalation_threshold = 1});
  ASSERT_EQ(report.escalations.size(), 1u);
  EXPECT_FALSE(report.escalations[0].outcome.fallback);
  EXPECT_EQ(report.escalations[0].outcome.attempts, 3);
  std::vector<llm::ChatRequest> requests = model_.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_THAT(requests[1].messages.back().content, HasSubstr("type: must be one of"));
  EXPECT_THAT(requests[2].messages.back().content,
              HasSubstr("division[1].triad: must be one of t1, t2"));
  EXPECT_EQ(spec.Owner("hero"), "t1");
}

TEST_F(NegotiationEngineTest, ModelDownFallsBackToThePrimaryScopeClaimant) {
  FakeTriad home("home", {"hero"});
  spec::Spec spec = MakeSpec({"hero"}, {{"t1", "hero", "quiet"}, {"home", "hero", "bold"}});
  NegotiationReport report = Run(spec, {&t1_, &home}, {.escalation_threshold = 1});
  ASSERT_EQ(report.escalations.size(), 1u);
  const ArbiterOutcome& outcome = report.escalations[0].outcome;
  EXPECT_TRUE(outcome.fallback);
  EXPECT_THAT(outcome.fallback_reason, HasSubstr("arbiter provider down"));
  EXPECT_EQ(outcome.decision.winner, "home");
  EXPECT_EQ(spec.Owner("hero"), "home");
}

TEST_F(NegotiationEngineTest, ModelDownWithoutAPrimaryScopeFallsBackToTheFirstRegistrant) {
  spec::Spec spec = MakeSpec({"hero"}, {{"t2", "hero", "bold"}, {"t3", "hero", "quiet"}});
  NegotiationReport report = Run(spec, {&t3_, &t2_}, {.escalation_threshold = 1});
  ASSERT_EQ(report.escalations.size(), 1u);
  EXPECT_TRUE(report.escalations[0].outcome.fallback);
  EXPECT_EQ(spec.Owner("hero"), "t2");
}

TEST_F(NegotiationEngineTest, ExhaustedRoundsSendEveryContestedSectionToTheArbiter) {
  spec::Spec spec =
      MakeSpec({"hero", "faq", "footer"},
               {{"t1", "hero", "a"}, {"t2", "hero", "b"}, {"t1", "faq", "c"}, {"t2", "faq", "d"}});
  reply_ = [](const llm::ChatRequest&) -> Result<llm::ChatResponse> {
    return TextReply(AssignTo("t2"));
  };
  NegotiationReport report =
      Run(spec, {&t1_, &t2_}, {.max_negotiation_rounds = 2, .escalation_threshold = 5});
  EXPECT_EQ(report.rounds, 2);
  ASSERT_EQ(report.escalations.size(), 2u);
  EXPECT_EQ(report.escalations[0].section, "hero");
  EXPECT_EQ(report.escalations[1].section, "faq");
  for (const Escalation& escalation : report.escalations) {
    EXPECT_EQ(escalation.cause, EscalationCause::kUnresolved);
    EXPECT_EQ(escalation.round, 2);
  }
  EXPECT_TRUE(spec.Contested().empty());
  EXPECT_EQ(spec.Owner("hero"), "t2");
  EXPECT_EQ(spec.Owner("faq"), "t2");
  // Unclaimed sections are left to the freeze.
  EXPECT_THAT(spec.Unclaimed(), ElementsAre("footer"));
}

TEST_F(NegotiationEngineTest, TemperatureAtTheFreezeThresholdEndsTheRounds) {
  spec::Spec spec = MakeSpec({"hero"}, {{"t1", "hero", "quiet"}, {"t2", "hero", "bold"}},
                             {.initial = 1.0, .decay = 0.3, .freeze_threshold = 0.1});
  NegotiationReport report =
      Run(spec, {&t1_, &t2_},
          {.max_negotiation_rounds = 10, .escalation_threshold = 5, .freeze_threshold = 0.1});
  EXPECT_EQ(report.rounds, 3);
  EXPECT_DOUBLE_EQ(report.final_temperature, 0.1);
  ASSERT_EQ(report.escalations.size(), 1u);
  EXPECT_EQ(report.escalations[0].cause, EscalationCause::kUnresolved);
  EXPECT_TRUE(report.escalations[0].outcome.fallback);
  EXPECT_TRUE(spec.Contested().empty());
  EXPECT_EQ(t1_.calls().at(0).freeze_threshold, 0.1);
}

// Blocks each arriving thread until `expected` threads arrived, or 5 seconds passed.
class Rendezvous {
 public:
  explicit Rendezvous(int expected) : expected_(expected) {}
  void Arrive() {
    std::unique_lock lock(mu_);
    ++arrived_;
    cv_.notify_all();
    if (!cv_.wait_for(lock, std::chrono::seconds(5), [&] { return arrived_ >= expected_; })) {
      timed_out_ = true;
    }
  }
  bool AllMet() {
    std::lock_guard lock(mu_);
    return arrived_ >= expected_ && !timed_out_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  const int expected_;
  int arrived_ = 0;
  bool timed_out_ = false;
};

TEST_F(NegotiationEngineTest, TriadsRunInParallelOnlyOnTheirContestedSections) {
  spec::Spec spec = MakeSpec({"layout", "hero", "faq"}, {{"t1", "layout", "grid"},
                                                         {"t1", "hero", "a"},
                                                         {"t2", "hero", "b"},
                                                         {"t1", "faq", "c"},
                                                         {"t3", "faq", "d"}});
  Rendezvous rendezvous(3);
  for (FakeTriad* triad : {&t1_, &t2_, &t3_}) triad->OnNegotiate([&] { rendezvous.Arrive(); });
  t2_.Script(0, "hero", Decision::kConcede);
  t3_.Script(0, "faq", Decision::kConcede);
  NegotiationReport report = Run(spec, {&t1_, &t2_, &t3_});
  EXPECT_TRUE(rendezvous.AllMet());
  EXPECT_EQ(report.rounds, 1);
  ASSERT_EQ(t1_.calls().size(), 1u);
  ASSERT_EQ(t2_.calls().size(), 1u);
  ASSERT_EQ(t3_.calls().size(), 1u);
  EXPECT_THAT(t1_.calls()[0].sections, ElementsAre("hero", "faq"));
  EXPECT_THAT(t2_.calls()[0].sections, ElementsAre("hero"));
  EXPECT_THAT(t3_.calls()[0].sections, ElementsAre("faq"));
  EXPECT_EQ(t1_.calls()[0].request, "a pricing page with three tiers");
  EXPECT_EQ(spec.Owner("hero"), "t1");
  EXPECT_EQ(spec.Owner("faq"), "t1");
}

TEST_F(NegotiationEngineTest, EachTriadSeesTheRoundStartSnapshot) {
  spec::Spec spec = MakeSpec(
      {"hero"}, {{"t1", "hero", "quiet"}, {"t2", "hero", "bold"}, {"t3", "hero", "plain"}});
  t1_.Script(0, "hero", Decision::kConcede);
  t2_.Script(0, "hero", Decision::kRevise, "bolder");
  t3_.Script(1, "hero", Decision::kConcede);
  NegotiationReport report = Run(spec, {&t1_, &t2_, &t3_});
  EXPECT_EQ(report.rounds, 2);
  for (FakeTriad* triad : {&t2_, &t3_}) {
    const NegotiateCall& first = triad->calls().at(0);
    EXPECT_NE(first.spec, &spec);
    EXPECT_THAT(first.snapshot.Claimants("hero"), ElementsAre("t1", "t2", "t3"));
    EXPECT_EQ(first.snapshot.Proposals("hero").at("t2"), "bold");
    EXPECT_EQ(first.snapshot.Round(), 0);
  }
  EXPECT_EQ(t1_.calls().size(), 1u);
  const NegotiateCall& second = t3_.calls().at(1);
  EXPECT_THAT(second.snapshot.Claimants("hero"), ElementsAre("t2", "t3"));
  EXPECT_EQ(second.snapshot.Proposals("hero").at("t2"), "bolder");
  EXPECT_EQ(spec.Owner("hero"), "t2");
}

TEST_F(NegotiationEngineTest, ArbiterPromptCarriesRequestObjectivesAndProposals) {
  spec::Spec spec =
      MakeSpec({"hero"}, {{"t1", "hero", "a quiet hero"}, {"t2", "hero", "a bold banner"}});
  reply_ = [](const llm::ChatRequest&) -> Result<llm::ChatResponse> {
    return TextReply(AssignTo("t1"));
  };
  Run(spec, {&t1_, &t2_}, {.escalation_threshold = 1});
  ASSERT_EQ(ArbiterCalls(), 1u);
  std::string prompt = model_.requests()[0].messages.at(1).content;
  for (const char* part :
       {"a pricing page with three tiers", "Section: hero", "Triad: t1", "clean grid",
        "a quiet hero", "Triad: t2", "bold visuals", "a bold banner"}) {
    EXPECT_THAT(prompt, HasSubstr(part));
  }
  EXPECT_EQ(model_.contexts()[0].role, "arbiter");
}

TEST_F(NegotiationEngineTest, AFailingTriadHoldsAndTheRoundProceeds) {
  spec::Spec spec = MakeSpec({"hero"}, {{"t1", "hero", "quiet"}, {"t2", "hero", "bold"}});
  t1_.FailInRound(0, Error{ErrorCode::kUnavailable, "provider down"});
  t1_.Script(0, "hero", Decision::kConcede);  // never staged: t1 fails first
  t2_.Script(0, "hero", Decision::kConcede);
  NegotiationReport report = Run(spec, {&t1_, &t2_});
  EXPECT_EQ(report.rounds, 1);
  EXPECT_EQ(spec.Owner("hero"), "t1");
  // A triad's failure is the triad's, not the negotiation's: the orchestrator retires it.
  EXPECT_FALSE(report.error);
  ASSERT_EQ(report.rounds_detail[0].triad_errors.size(), 1u);
  EXPECT_EQ(report.rounds_detail[0].triad_errors[0].triad, "t1");
  EXPECT_THAT(report.rounds_detail[0].triad_errors[0].error.message, HasSubstr("provider down"));
  ASSERT_EQ(report.triad_reports.size(), 2u);
  EXPECT_TRUE(report.triad_reports[0].error);
}

TEST_F(NegotiationEngineTest, DecisionsOutsideTheTriadsSectionsAreRejected) {
  spec::Spec spec = MakeSpec({"layout", "hero"},
                             {{"t1", "layout", "grid"}, {"t1", "hero", "a"}, {"t2", "hero", "b"}});
  t1_.StageExtra(0, {.triad = "t1", .section = "layout", .decision = Decision::kConcede});
  t1_.StageExtra(0, {.triad = "t2", .section = "hero", .decision = Decision::kConcede});
  reply_ = [](const llm::ChatRequest&) -> Result<llm::ChatResponse> {
    return TextReply(AssignTo("t2"));
  };
  NegotiationReport report = Run(spec, {&t1_, &t2_}, {.max_negotiation_rounds = 1});
  ASSERT_EQ(report.rounds_detail.size(), 1u);
  const std::vector<spec::RejectedDecision>& rejected = report.rounds_detail[0].rejected;
  ASSERT_EQ(rejected.size(), 2u);
  EXPECT_EQ(rejected[0].decision.section, "layout");
  EXPECT_EQ(rejected[0].error.code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(rejected[1].error.code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(spec.Owner("layout"), "t1");
  EXPECT_EQ(spec.Owner("hero"), "t2");
  EXPECT_EQ(report.escalations.at(0).cause, EscalationCause::kUnresolved);
}

TEST_F(NegotiationEngineTest, CallbackSeesEveryRound) {
  spec::Spec spec = MakeSpec({"hero"}, {{"t1", "hero", "quiet"}, {"t2", "hero", "bold"}});
  reply_ = [](const llm::ChatRequest&) -> Result<llm::ChatResponse> {
    return TextReply(AssignTo("t1"));
  };
  std::vector<std::tuple<int, double, size_t>> seen;
  Run(spec, {&t1_, &t2_}, {.escalation_threshold = 2}, [&](const RoundSummary& round) {
    seen.emplace_back(round.round, round.temperature, round.escalations.size());
  });
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], std::make_tuple(0, 1.0, size_t{0}));
  EXPECT_EQ(std::get<0>(seen[1]), 1);
  EXPECT_DOUBLE_EQ(std::get<1>(seen[1]), 0.85);
  EXPECT_EQ(std::get<2>(seen[1]), 1u);
}

TEST_F(NegotiationEngineTest, ASplitThatNoLongerAppliesFallsBack) {
  spec::Spec spec =
      MakeSpec({"hero", "faq"},
               {{"t1", "hero", "a"}, {"t2", "hero", "b"}, {"t1", "faq", "c"}, {"t2", "faq", "d"}});
  // Both sections split into the same sub-section names: the second no longer applies.
  reply_ = [](const llm::ChatRequest&) -> Result<llm::ChatResponse> {
    return TextReply(R"({"type": "split", "division": [)"
                     R"({"sub_section": "shared/a", "triad": "t1"},)"
                     R"({"sub_section": "shared/b", "triad": "t2"}]})");
  };
  NegotiationReport report = Run(spec, {&t1_, &t2_}, {.escalation_threshold = 1});
  ASSERT_EQ(report.escalations.size(), 2u);
  EXPECT_FALSE(report.escalations[0].outcome.fallback);
  EXPECT_TRUE(report.escalations[1].outcome.fallback);
  EXPECT_THAT(report.escalations[1].outcome.fallback_reason, HasSubstr("no longer applies"));
  EXPECT_THAT(spec.SectionNames(), ElementsAre("shared/a", "shared/b", "faq"));
  EXPECT_EQ(spec.Owner("faq"), "t1");
  EXPECT_TRUE(spec.Contested().empty());
  EXPECT_FALSE(report.error);
}

TEST(NegotiationOptionsTest, ComeFromThePressureOptions) {
  PressureOptions pressure;
  pressure.max_negotiation_rounds = 7;
  pressure.escalation_threshold = 3;
  pressure.freeze_threshold = 0.2;
  NegotiationOptions options = NegotiationOptionsFrom(pressure);
  EXPECT_EQ(options.max_negotiation_rounds, 7);
  EXPECT_EQ(options.escalation_threshold, 3);
  EXPECT_EQ(options.freeze_threshold, 0.2);
  EXPECT_EQ(EscalationCauseName(EscalationCause::kUnresolved), "unresolved");
}

}  // namespace
}  // namespace hfs::pipeline
