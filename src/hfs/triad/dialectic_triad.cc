#include "hfs/triad/dialectic_triad.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "hfs/triad/phase_prompts.h"

namespace hfs::triad {
namespace {

agent::Tool RequestRevisionTool(bool* requested) {
  using agent::Required;
  using agent::Schema;
  return agent::MakeTool(
      "request_revision",
      "Ask the proposer for another proposal that answers the critique, instead of deciding "
      "now. Use it only when the proposal is not good enough to claim. Example: "
      R"({"reason":"the layout ignores mobile breakpoints"})",
      Schema::Object().Property("reason", Schema::String().Length(1, 1000), Required::kYes),
      [requested](const nlohmann::json&, agent::ToolContext&) -> Result<nlohmann::json> {
        *requested = true;
        return nlohmann::json{{"success", true}, {"message", "Revision requested"}};
      });
}

std::string StagedClaimsText(const Outbox& outbox) {
  std::string out;
  for (const spec::StagedClaim& claim : outbox.claims()) {
    out += fmt::format("\n- claim {}: {}", claim.section, claim.proposal);
  }
  return out.empty() ? "(nothing)" : out;
}

}  // namespace

DialecticTriad::DialecticTriad(TriadOptions options, TriadDeps deps)
    : CoreTriad(std::move(options), std::move(deps)) {
  Toolkit& tools = core_.toolkit();
  proposer_ =
      core_.MakeAgent("proposer", "proposer", {tools.RegisterClaim(), tools.GetCurrentClaims()});
  critic_ =
      core_.MakeAgent("critic", "critic", {tools.GetCurrentClaims(), tools.GetNegotiationState()});
  synthesizer_ = core_.MakeAgent("synthesizer", "synthesizer", tools.All());
}

bool DialecticTriad::Stopped(const PhaseReport& report) const {
  return report.error.has_value() || report.BudgetExhausted();
}

std::string DialecticTriad::ProposeAndCritique(const std::string& task, const PhaseInput& input,
                                               agent::Agent& proposer, PhaseReport& report,
                                               agent::RunOptions options) {
  agent::RunResult thesis = core_.RunAgent(proposer, task, std::move(options), report);
  if (Stopped(report)) return "";
  Result<std::string> prompt = core_.Prompt(
      "critique", input,
      {{"proposer_output", thesis.final_text.empty() ? "(no text)" : thesis.final_text},
       {"staged", StagedClaimsText(core_.outbox())}});
  if (!prompt) {
    core_.RecordError(report, prompt.error());
    return "";
  }
  return core_.RunAgent(critic_, *prompt, {}, report).final_text;
}

PhaseReport DialecticTriad::Deliberate(const PhaseInput& input) {
  PhaseReport report = core_.BeginPhase(kDeliberation, input);
  Result<std::string> task =
      core_.Prompt("deliberation", input, {{"claim_tool", "register_claim"}});
  if (!task) {
    core_.RecordError(report, task.error());
    return report;
  }
  if (input.spec == nullptr) {
    core_.RecordError(report, Error{ErrorCode::kInvalidArgument, "no spec"});
    return report;
  }
  const std::vector<std::string> sections = input.spec->SectionNames();
  agent::Agent proposer = proposer_;
  proposer.tools = {core_.toolkit().RegisterClaim(sections), core_.toolkit().GetCurrentClaims()};
  std::string next_task = *task;
  for (int cycle = 0; cycle <= core_.deps().max_revise_cycles; ++cycle) {
    std::string critique =
        ProposeAndCritique(next_task, input, proposer, report, {.forced_tool = "register_claim"});
    if (Stopped(report)) break;
    const int left = core_.deps().max_revise_cycles - cycle;
    bool revise = false;
    agent::Agent synthesizer = synthesizer_;
    synthesizer.tools = {core_.toolkit().RegisterClaim(sections),
                         core_.toolkit().GetCurrentClaims()};
    if (left > 0) synthesizer.tools.push_back(RequestRevisionTool(&revise));
    Result<std::string> prompt = core_.Prompt(
        "synthesis", input, {{"critique", critique}, {"revisions_left", std::to_string(left)}});
    if (!prompt) {
      core_.RecordError(report, prompt.error());
      break;
    }
    core_.RunAgent(synthesizer, *prompt, {}, report);
    if (!revise || Stopped(report)) break;
    next_task = "Revise your proposals and claims to answer this critique:\n" + critique;
  }
  core_.Summarize(synthesizer_, report);
  return report;
}

PhaseReport DialecticTriad::Negotiate(const PhaseInput& input) {
  PhaseReport report = core_.BeginPhase(kNegotiation, input);
  agent::Agent proposer = proposer_;
  proposer.tools = {core_.toolkit().GetNegotiationState()};
  for (const std::string& section : input.sections) {
    if (Stopped(report)) break;
    Result<std::string> task = NegotiationPrompt(core_, input, section);
    if (!task) {
      core_.RecordError(report, task.error());
      break;
    }
    std::string critique = ProposeAndCritique(
        *task + "\nArgue the triad's position in a few sentences; the synthesizer decides.", input,
        proposer, report);
    if (Stopped(report)) break;
    agent::Agent decider = synthesizer_;
    decider.tools = {core_.toolkit().NegotiateResponse({section}),
                     core_.toolkit().GetNegotiationState()};
    core_.RunAgent(
        decider, *task + "\nThe critic's view:\n" + critique,
        {.forced_tool = "negotiate_response", .finish = agent::Finish::kAfterToolSuccess}, report);
  }
  core_.Summarize(synthesizer_, report);
  return report;
}

PhaseReport DialecticTriad::Execute(const PhaseInput& input) {
  PhaseReport report = core_.BeginPhase(kExecution, input);
  if (input.sections.empty()) {
    core_.Summarize(synthesizer_, report);
    return report;
  }
  // One draft and one review for all owned sections, then the synthesizer writes each.
  Result<std::string> task = core_.Prompt(
      "execution", input,
      {{"owned_sections", JoinOrNone(input.sections)}, {"frozen_spec", FrozenSpecText(input)}});
  if (!task) {
    core_.RecordError(report, task.error());
    return report;
  }
  agent::Agent proposer = proposer_;
  proposer.tools = {};
  std::string critique = ProposeAndCritique(
      *task + "\nDraft the structure, content and behaviour of each section's code.", input,
      proposer, report);
  std::vector<std::pair<std::string, std::string>> tasks;
  for (const std::string& section : input.sections)
    tasks.emplace_back(section, "from the draft and review");
  core_.PlanWork(synthesizer_, tasks);
  for (const std::string& section : input.sections) {
    if (Stopped(report)) break;
    core_.WriteSection(synthesizer_, section,
                       fmt::format("Write the code for '{}' with generate_code, using the draft "
                                   "and this review:\n{}",
                                   section, critique),
                       report);
  }
  core_.Summarize(synthesizer_, report);
  return report;
}

}  // namespace hfs::triad
