#include "hfs/triad/toolkit.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "hfs/base/check.h"
#include "hfs/spec/staged.h"
#include "hfs/testing/fake_clock.h"
#include "hfs/testing/scripted_model.h"

namespace hfs::triad {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::vector<std::string> kTriads = {"t1", "t2", "t3"};

struct Reply {
  agent::ToolStatus status;
  json body;
};

class ToolkitTest : public ::testing::Test {
 protected:
  ToolkitTest() { View(spec_, "deliberation"); }

  static spec::Spec MakeSpec(spec::TemperatureOptions temperature = {}) {
    return HFS_VALUE_OR_DIE(spec::Spec::Create({"layout", "hero", "faq"}, temperature));
  }

  // A frozen spec: t1 owns layout and faq, t2 owns hero.
  static spec::Spec FrozenSpec() {
    spec::Spec spec = MakeSpec();
    HFS_CHECK(spec.RegisterClaim("t1", "layout", "12-column grid; header, main, footer"), "");
    HFS_CHECK(spec.RegisterClaim("t2", "hero", std::string(400, 'h')), "");
    HFS_CHECK(spec.RegisterClaim("t1", "faq", "accordion of questions"), "");
    HFS_CHECK(spec.Freeze(), "");
    return spec;
  }

  void View(const spec::Spec& spec, std::string phase, double threshold = 0.1) {
    toolkit_.SetView({.spec = &spec,
                      .phase = std::move(phase),
                      .request = "a pricing page",
                      .freeze_threshold = threshold});
  }

  Reply Call(const std::string& tool, const json& arguments) {
    agent::ToolOutcome outcome = agent::ExecuteToolCall(
        toolkit_.All(), {.id = "c1", .name = tool, .arguments = arguments.dump()}, {});
    return {outcome.status, json::parse(outcome.content)};
  }

  // The hints of an invalid_arguments reply.
  std::vector<std::string> Hints(const std::string& tool, const json& arguments) {
    Reply reply = Call(tool, arguments);
    EXPECT_EQ(reply.status, agent::ToolStatus::kInvalidArguments) << reply.body.dump();
    if (!reply.body.contains("hints")) return {};
    return reply.body["hints"].get<std::vector<std::string>>();
  }

  // The message of a runtime error, checking its envelope.
  std::string RuntimeError(const std::string& tool, const json& arguments,
                           const std::string& context) {
    Reply reply = Call(tool, arguments);
    EXPECT_EQ(reply.status, agent::ToolStatus::kFailed);  // the envelope says success: false
    EXPECT_EQ(reply.body["success"], false) << reply.body.dump();
    EXPECT_EQ(reply.body["error"], "runtime_error");
    EXPECT_EQ(reply.body["retry_allowed"], false);
    EXPECT_EQ(reply.body["context"], context);
    return reply.body.value("message", "");
  }

  spec::Spec spec_ = MakeSpec();
  Outbox outbox_;
  testing::ScriptedModel model_;
  agent::FixedModel models_{model_, "code-model"};
  CodeGenerator code_{models_, {.max_attempts = 1}};
  testing::FakeClock clock_;
  agent::Budget budget_{"triad t1",
                        {.tokens = 10000, .tool_calls = 10, .time_ms = 60000},
                        agent::Enforcement::kHard,
                        clock_};
  Toolkit toolkit_{{.triad_id = "t1", .scope = {.primary = {"layout"}, .reach = {"hero"}}},
                   outbox_,
                   code_,
                   &budget_};
};

TEST_F(ToolkitTest, AllHasTheFiveToolsWithModelReadableDescriptions) {
  std::vector<std::string> names;
  for (const agent::Tool& tool : toolkit_.All()) {
    names.push_back(tool.name);
    EXPECT_THAT(tool.description, HasSubstr("Example"));
    EXPECT_NE(tool.parameters, nullptr);
  }
  EXPECT_THAT(names, ElementsAre("register_claim", "negotiate_response", "generate_code",
                                 "get_current_claims", "get_negotiation_state"));
  EXPECT_THAT(toolkit_.RegisterClaim().description, HasSubstr("primary scope (layout)"));
  EXPECT_THAT(toolkit_.NegotiateResponse().parameters->ToJsonText(),
              HasSubstr(R"("enum":["concede","revise","hold"])"));
}

// --- register_claim ---

TEST_F(ToolkitTest, RegisterClaimValidationHints) {
  EXPECT_THAT(Hints("register_claim", json::object()),
              ElementsAre("section_id: required", "proposal: required"));
  EXPECT_THAT(Hints("register_claim", {{"section_id", std::string(129, 'x')}, {"proposal", "p"}}),
              ElementsAre("section_id: must be 1-128 characters"));
  EXPECT_THAT(Hints("register_claim", {{"section_id", "hero"}, {"proposal", ""}}),
              ElementsAre(HasSubstr("proposal: must be")));
  EXPECT_THAT(
      Hints("register_claim", {{"section_id", "hero"}, {"proposal", "p"}, {"justification", 3}}),
      ElementsAre("justification: must be a string (got integer)"));
  EXPECT_THAT(Hints("register_claim", {{"section_id", "  "}, {"proposal", "p"}}),
              ElementsAre("section_id: must not be blank"));
  EXPECT_THAT(
      Hints("register_claim", {{"section_id", "pricing"}, {"proposal", "p"}}),
      ElementsAre("section_id: unknown section 'pricing'; known sections: layout, hero, faq"));
  EXPECT_TRUE(outbox_.claims().empty());
}

TEST_F(ToolkitTest, RegisterClaimStagesWithoutTouchingTheSnapshot) {
  const spec::Spec before = spec_;
  Reply reply = Call("register_claim", {{"section_id", " hero "}, {"proposal", "banner"}});
  ASSERT_EQ(reply.status, agent::ToolStatus::kOk);
  EXPECT_EQ(reply.body, json({{"success", true},
                              {"message", "Claim staged for hero"},
                              {"section_id", "hero"},
                              {"status", "unclaimed"},
                              {"current_claimants", json::array()},
                              {"note", "claims are applied when the phase ends"}}));
  EXPECT_EQ(spec_, before);
  EXPECT_THAT(outbox_.claims(), ElementsAre(spec::StagedClaim{
                                    .triad = "t1", .section = "hero", .proposal = "banner"}));
  std::vector<spec::ClaimOutcome> outcomes = spec::ApplyClaims(spec_, outbox_.claims(), kTriads);
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_TRUE(outcomes[0].Accepted());
  EXPECT_EQ(spec_.Owner("hero"), "t1");
  EXPECT_EQ(spec_.Proposals("hero").at("t1"), "banner");
}

TEST_F(ToolkitTest, RegisterClaimReportsTheSnapshotClaimants) {
  ASSERT_TRUE(spec_.RegisterClaim("t2", "hero", "t2 banner"));
  Reply reply = Call("register_claim", {{"section_id", "hero"}, {"proposal", "banner"}});
  EXPECT_EQ(reply.body["status"], "claimed");
  EXPECT_EQ(reply.body["current_claimants"], json({"t2"}));
}

TEST_F(ToolkitTest, RegisterClaimOnlyInClaimPhasesAndNeverOnFrozenSections) {
  View(spec_, "execution");
  EXPECT_THAT(RuntimeError("register_claim", {{"section_id", "hero"}, {"proposal", "p"}},
                           "register_claim.phase"),
              HasSubstr("current phase: execution"));
  spec::Spec frozen = FrozenSpec();
  View(frozen, "negotiation");
  EXPECT_EQ(RuntimeError("register_claim", {{"section_id", "hero"}, {"proposal", "p"}},
                         "register_claim.frozen"),
            "Section 'hero' is frozen; no more claims");
  EXPECT_TRUE(outbox_.claims().empty());
}

TEST_F(ToolkitTest, ClaimsOutsideThePrimaryScopeNeedAJustificationOnceCool) {
  spec::Spec spec = MakeSpec({.decay = 0.5});
  ASSERT_TRUE(spec.AdvanceRound());  // temperature 0.5
  View(spec, "negotiation");
  EXPECT_THAT(Hints("register_claim", {{"section_id", "hero"}, {"proposal", "p"}}),
              ElementsAre("justification: required at temperature <= 0.5 for sections outside "
                          "your primary scope"));
  EXPECT_THAT(
      Hints("register_claim", {{"section_id", "faq"}, {"proposal", "p"}, {"justification", " "}}),
      ElementsAre(HasSubstr("justification: required")));
  EXPECT_EQ(Call("register_claim", {{"section_id", "layout"}, {"proposal", "p"}}).body["success"],
            true);
  EXPECT_EQ(Call("register_claim",
                 {{"section_id", "faq"}, {"proposal", "p"}, {"justification", "we own the copy"}})
                .body["success"],
            true);
  EXPECT_EQ(outbox_.claims().back().justification, "we own the copy");
  // Above 0.5 no justification is needed.
  View(spec_, "deliberation");
  EXPECT_EQ(Call("register_claim", {{"section_id", "hero"}, {"proposal", "p"}}).body["success"],
            true);
}

TEST_F(ToolkitTest, NoClaimsOnceTheSpecIsCooling) {
  spec::Spec spec = MakeSpec({.decay = 0.3});
  for (int round = 0; round < 3; ++round) ASSERT_TRUE(spec.AdvanceRound());  // 0.1
  View(spec, "negotiation", 0.1);
  EXPECT_THAT(RuntimeError("register_claim", {{"section_id", "layout"}, {"proposal", "p"}},
                           "register_claim.temperature"),
              HasSubstr("the spec is cooling; no new claims"));
  View(spec, "negotiation", 0.05);
  EXPECT_EQ(Call("register_claim", {{"section_id", "layout"}, {"proposal", "p"}}).body["success"],
            true);
}

// --- negotiate_response ---

TEST_F(ToolkitTest, NegotiateResponseValidationHints) {
  View(spec_, "negotiation");
  EXPECT_THAT(Hints("negotiate_response", json::object()),
              ElementsAre("section_id: required", "decision: required"));
  EXPECT_THAT(Hints("negotiate_response", {{"section_id", "hero"}, {"decision", "CONCEDE"}}),
              ElementsAre("decision: must be one of concede, revise, hold"));
  EXPECT_THAT(Hints("negotiate_response", {{"section_id", "hero"}, {"decision", "revise"}}),
              ElementsAre("revised_proposal: required when decision is 'revise'"));
  EXPECT_THAT(Hints("negotiate_response",
                    {{"section_id", "hero"}, {"decision", "revise"}, {"revised_proposal", " "}}),
              ElementsAre("revised_proposal: required when decision is 'revise'"));
  EXPECT_THAT(Hints("negotiate_response",
                    {{"section_id", "hero"}, {"decision", "hold"}, {"revised_proposal", 1}}),
              ElementsAre("revised_proposal: must be a string (got integer)"));
  EXPECT_THAT(Hints("negotiate_response", {{"section_id", ""}, {"decision", "hold"}}),
              ElementsAre("section_id: must be 1-128 characters"));
}

TEST_F(ToolkitTest, NegotiateResponseRuntimeErrors) {
  ASSERT_TRUE(spec_.RegisterClaim("t2", "hero", "t2 banner"));
  View(spec_, "negotiation");
  EXPECT_EQ(RuntimeError("negotiate_response", {{"section_id", "pricing"}, {"decision", "hold"}},
                         "negotiate_response.hold"),
            "Section 'pricing' not found");
  EXPECT_EQ(RuntimeError("negotiate_response", {{"section_id", "hero"}, {"decision", "concede"}},
                         "negotiate_response.concede"),
            "Could not concede - not a claimant of hero");
  EXPECT_EQ(
      RuntimeError("negotiate_response",
                   {{"section_id", "hero"}, {"decision", "revise"}, {"revised_proposal", "x"}},
                   "negotiate_response.revise"),
      "Could not revise - not a claimant of hero");
  View(spec_, "deliberation");
  EXPECT_THAT(RuntimeError("negotiate_response", {{"section_id", "hero"}, {"decision", "hold"}},
                           "negotiate_response.hold"),
              HasSubstr("only accepted in negotiation"));
  EXPECT_TRUE(outbox_.decisions().empty());
}

TEST_F(ToolkitTest, NegotiateResponseStagesTheDecision) {
  ASSERT_TRUE(spec_.RegisterClaim("t1", "hero", "t1 banner"));
  ASSERT_TRUE(spec_.RegisterClaim("t2", "hero", "t2 banner"));
  ASSERT_TRUE(spec_.AdvanceRound());
  View(spec_, "negotiation");
  const spec::Spec before = spec_;
  Reply reply = Call("negotiate_response", {{"section_id", "hero"}, {"decision", "concede"}});
  ASSERT_EQ(reply.status, agent::ToolStatus::kOk);
  EXPECT_EQ(reply.body["success"], true);
  EXPECT_EQ(reply.body["message"], "Conceding hero");
  EXPECT_EQ(reply.body["decision"], "concede");
  EXPECT_EQ(reply.body["round_number"], 1);
  EXPECT_EQ(reply.body["participants"], json({"t1", "t2"}));
  EXPECT_EQ(spec_, before);
  reply = Call("negotiate_response",
               {{"section_id", "hero"}, {"decision", "revise"}, {"revised_proposal", "smaller"}});
  EXPECT_EQ(reply.body["message"], "Revising proposal for hero");
  EXPECT_THAT(outbox_.decisions(),
              ElementsAre(spec::StagedDecision{.triad = "t1",
                                               .section = "hero",
                                               .decision = spec::Decision::kRevise,
                                               .revised_proposal = "smaller"}));
  EXPECT_EQ(
      Call("negotiate_response", {{"section_id", "hero"}, {"decision", "hold"}}).body["message"],
      "Holding position on hero");
  Call("negotiate_response", {{"section_id", "hero"}, {"decision", "concede"}});
  spec::RoundResult round = spec::ApplyDecisions(spec_, outbox_.decisions(), kTriads);
  EXPECT_TRUE(round.rejected.empty());
  EXPECT_EQ(spec_.Owner("hero"), "t2");
}

// --- generate_code ---

json TwoFiles() {
  return {{"files",
           {{{"path", "layout.html"}, {"content", "<main></main>"}},
            {{"path", "layout.css"}, {"content", "main{}"}}}},
          {"notes", "grid"}};
}

TEST_F(ToolkitTest, GenerateCodePreconditions) {
  EXPECT_THAT(Hints("generate_code", json::object()), ElementsAre("section_id: required"));
  EXPECT_THAT(Hints("generate_code", {{"section_id", "layout"}, {"instructions", 5}}),
              ElementsAre("instructions: must be a string (got integer)"));
  View(spec_, "execution");
  EXPECT_EQ(RuntimeError("generate_code", {{"section_id", "layout"}}, "generate_code.precondition"),
            "Spec must be frozen before generating code");
  spec::Spec frozen = FrozenSpec();
  View(frozen, "negotiation");
  EXPECT_EQ(RuntimeError("generate_code", {{"section_id", "layout"}}, "generate_code.precondition"),
            "Spec must be frozen before generating code");
  View(frozen, "execution");
  EXPECT_EQ(
      RuntimeError("generate_code", {{"section_id", "pricing"}}, "generate_code.precondition"),
      "Section 'pricing' not found");
  EXPECT_EQ(RuntimeError("generate_code", {{"section_id", "hero"}}, "generate_code.ownership"),
            "Not owner of section 'hero' (owner: t2)");
  EXPECT_TRUE(model_.requests().empty());
}

TEST_F(ToolkitTest, GenerateCodeRecordsTheCallingRoleOnItsFiles) {
  spec::Spec frozen = FrozenSpec();
  View(frozen, "execution");
  model_.Push(
      llm::ChatResponse{.content = TwoFiles().dump(), .finish_reason = llm::FinishReason::kStop});
  llm::CallContext call{.triad = "t1", .role = "worker", .phase = "execution"};
  agent::ToolOutcome outcome = agent::ExecuteToolCall(
      toolkit_.All(),
      {.id = "c1", .name = "generate_code", .arguments = json{{"section_id", "layout"}}.dump()},
      {.call = &call});
  ASSERT_EQ(outcome.status, agent::ToolStatus::kOk) << outcome.content;
  ASSERT_EQ(outbox_.files().size(), 2u);
  EXPECT_EQ(outbox_.files()[0].role, "worker");
  EXPECT_EQ(outbox_.files()[1].role, "worker");
}

TEST_F(ToolkitTest, GenerateCodeStagesTheModelsFiles) {
  spec::Spec frozen = FrozenSpec();
  View(frozen, "execution");
  model_.Push(llm::ChatResponse{.content = TwoFiles().dump(),
                                .finish_reason = llm::FinishReason::kStop,
                                .usage = llm::Usage{.prompt_tokens = 70, .completion_tokens = 30}});
  Reply reply =
      Call("generate_code", {{"section_id", "layout"}, {"instructions", "sticky footer"}});
  ASSERT_EQ(reply.status, agent::ToolStatus::kOk);
  EXPECT_EQ(reply.body["success"], true);
  EXPECT_EQ(reply.body["files"], json({"layout.html", "layout.css"}));
  EXPECT_EQ(reply.body["bytes"], 19);
  EXPECT_THAT(outbox_.files(), ElementsAre(StagedFile{"layout", "layout.html", "<main></main>"},
                                           StagedFile{"layout", "layout.css", "main{}"}));
  EXPECT_EQ(budget_.spent().tokens, 100);
  ASSERT_EQ(model_.requests().size(), 1u);
  EXPECT_EQ(model_.contexts()[0].role, "code_execution");
  EXPECT_EQ(model_.contexts()[0].triad, "t1");
  const std::string user = model_.requests()[0].messages[1].content;
  EXPECT_THAT(user, HasSubstr("12-column grid; header, main, footer"));
  EXPECT_THAT(user, HasSubstr("sticky footer"));
  EXPECT_THAT(user, HasSubstr("a pricing page"));
  EXPECT_THAT(user, HasSubstr("- hero: " + std::string(300, 'h') + "...\n"));
  EXPECT_THAT(user, HasSubstr("- faq: accordion of questions"));
}

TEST_F(ToolkitTest, GenerateCodeReportsModelFailuresAndBadPaths) {
  spec::Spec frozen = FrozenSpec();
  View(frozen, "execution");
  model_.Push(Error{ErrorCode::kUnavailable, "every provider is down"});
  EXPECT_THAT(RuntimeError("generate_code", {{"section_id", "layout"}}, "generate_code.model"),
              HasSubstr("every provider is down"));
  json body = TwoFiles();
  body["files"].push_back({{"path", "../escape.js"}, {"content", "x"}});
  model_.Push(llm::ChatResponse{.content = body.dump()});
  EXPECT_THAT(RuntimeError("generate_code", {{"section_id", "layout"}}, "generate_code.model"),
              HasSubstr("path '../escape.js' has a '..' segment"));
  EXPECT_TRUE(outbox_.files().empty());
}

// --- read tools ---

TEST_F(ToolkitTest, GetCurrentClaimsShowsTheSnapshotAndStagedClaims) {
  ASSERT_TRUE(spec_.RegisterClaim("t1", "layout", "grid"));
  ASSERT_TRUE(spec_.RegisterClaim("t1", "hero", "t1 banner"));
  ASSERT_TRUE(spec_.RegisterClaim("t2", "hero", "t2 banner"));
  Call("register_claim", {{"section_id", "faq"}, {"proposal", "accordion"}});
  Reply reply = Call("get_current_claims", json::object());
  EXPECT_EQ(reply.body["success"], true);
  EXPECT_EQ(reply.body["unclaimed"], json({"faq"}));
  EXPECT_EQ(reply.body["claimed"], json({"layout"}));
  EXPECT_EQ(reply.body["contested"], json({"hero"}));
  EXPECT_EQ(reply.body["frozen"], json::array());
  EXPECT_EQ(reply.body["your_claims"], json({"layout", "hero"}));
  EXPECT_EQ(reply.body["owned_by_you"], json({"layout"}));
  EXPECT_EQ(reply.body["your_staged_claims"], json({"faq"}));
  EXPECT_EQ(reply.body["temperature"], 1.0);
  EXPECT_EQ(reply.body["round"], 0);
  EXPECT_THAT(Hints("get_current_claims", {{"section_id", "x"}}),
              ElementsAre("unknown property 'section_id'"));
}

TEST_F(ToolkitTest, GetNegotiationStateForAllAndOneSection) {
  ASSERT_TRUE(spec_.RegisterClaim("t1", "hero", std::string(600, 'a')));
  ASSERT_TRUE(spec_.RegisterClaim("t2", "hero", "short"));
  ASSERT_TRUE(spec_.RegisterClaim("t3", "faq", "faq"));
  Reply all = Call("get_negotiation_state", json::object());
  EXPECT_EQ(all.body["total_contested"], 1);
  EXPECT_EQ(all.body["contested_sections"]["hero"]["claimants"], json({"t1", "t2"}));
  EXPECT_EQ(all.body["contested_sections"]["hero"]["proposals"]["t1"],
            std::string(200, 'a') + "...");
  EXPECT_FALSE(all.body["contested_sections"].contains("faq"));

  Reply hero = Call("get_negotiation_state", {{"section_id", "hero"}});
  EXPECT_EQ(hero.body["status"], "contested");
  EXPECT_EQ(hero.body["owner"], nullptr);
  EXPECT_EQ(hero.body["proposals"]["t1"], std::string(500, 'a') + "...");
  EXPECT_EQ(hero.body["proposals"]["t2"], "short");
  EXPECT_EQ(hero.body["total_contested"], 1);

  Reply faq = Call("get_negotiation_state", {{"section_id", "faq"}});
  EXPECT_EQ(faq.body["status"], "claimed");
  EXPECT_EQ(faq.body["owner"], "t3");
  EXPECT_EQ(faq.body["total_contested"], 0);
  EXPECT_EQ(faq.body["contested_sections"], json::object());

  EXPECT_THAT(
      Hints("get_negotiation_state", {{"section_id", "pricing"}}),
      ElementsAre("section_id: unknown section 'pricing'; known sections: layout, hero, faq"));
  EXPECT_THAT(Hints("get_negotiation_state", {{"section_id", 4}}),
              ElementsAre("section_id: must be a string (got integer)"));
}

TEST_F(ToolkitTest, EveryToolNeedsASpec) {
  toolkit_.SetView({});
  EXPECT_EQ(RuntimeError("get_current_claims", json::object(), "get_current_claims.precondition"),
            "No spec is available in this phase");
  EXPECT_EQ(RuntimeError("register_claim", {{"section_id", "hero"}, {"proposal", "p"}},
                         "register_claim.precondition"),
            "No spec is available in this phase");
}

TEST_F(ToolkitTest, ConcurrentToolCallsStageEverything) {
  std::vector<agent::Tool> tools = toolkit_.All();
  auto claim = [&tools](const std::string& section) {
    for (int i = 0; i < 50; ++i) {
      json arguments = {{"section_id", section}, {"proposal", section + std::to_string(i)}};
      agent::ExecuteToolCall(
          tools, {.id = "c", .name = "register_claim", .arguments = arguments.dump()}, {});
    }
  };
  {
    std::jthread a(claim, "hero");
    std::jthread b(claim, "faq");
  }
  std::vector<spec::StagedClaim> claims = outbox_.claims();
  ASSERT_EQ(claims.size(), 2u);
  for (const spec::StagedClaim& staged : claims) EXPECT_EQ(staged.proposal, staged.section + "49");
}

}  // namespace
}  // namespace hfs::triad
