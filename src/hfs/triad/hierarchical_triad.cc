#include "hfs/triad/hierarchical_triad.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <thread>

#include "hfs/triad/code_review.h"
#include "hfs/triad/phase_prompts.h"

namespace hfs::triad {
namespace {

constexpr char kWorkerA[] = "worker_a";
constexpr char kWorkerB[] = "worker_b";

agent::Tool DelegateTool(std::vector<std::string> owned,
                         std::map<std::string, std::string>* worker_of,
                         std::map<std::string, std::string>* instructions_of) {
  using agent::Required;
  using agent::Schema;
  Schema parameters =
      Schema::Object()
          .Property("section_id", Schema::Enum(std::move(owned)), Required::kYes)
          .Property("worker", Schema::Enum({kWorkerA, kWorkerB}), Required::kYes)
          .Property("instructions", Schema::String().Length(1, 4000), Required::kYes);
  return agent::MakeTool(
      "delegate_section",
      "Assign one section your triad owns to a worker, with precise instructions for its "
      "code. Call it once per section. Example: "
      R"({"section_id":"layout","worker":"worker_a","instructions":"12-column grid ..."})",
      std::move(parameters),
      [worker_of, instructions_of](const nlohmann::json& arguments,
                                   agent::ToolContext&) -> Result<nlohmann::json> {
        const std::string section = arguments.at("section_id").get<std::string>();
        (*worker_of)[section] = arguments.at("worker").get<std::string>();
        (*instructions_of)[section] = arguments.at("instructions").get<std::string>();
        return nlohmann::json{
            {"success", true},
            {"message", fmt::format("{} assigned to {}", section, (*worker_of)[section])}};
      });
}

}  // namespace

HierarchicalTriad::HierarchicalTriad(TriadOptions options, TriadDeps deps)
    : CoreTriad(std::move(options), std::move(deps)) {
  Toolkit& tools = core_.toolkit();
  orchestrator_ = core_.MakeAgent("orchestrator", "orchestrator",
                                  {tools.RegisterClaim(), tools.NegotiateResponse(),
                                   tools.GetCurrentClaims(), tools.GetNegotiationState()});
  worker_a_ = core_.MakeAgent(kWorkerA, "worker", {tools.GenerateCode()});
  worker_b_ = core_.MakeAgent(kWorkerB, "worker", {tools.GenerateCode()});
}

PhaseReport HierarchicalTriad::Deliberate(const PhaseInput& input) {
  PhaseReport report = core_.BeginPhase(kDeliberation, input);
  Result<std::string> prompt =
      core_.Prompt("deliberation", input, {{"claim_tool", "register_claim"}});
  if (!prompt || input.spec == nullptr) {
    core_.RecordError(report,
                      prompt ? Error{ErrorCode::kInvalidArgument, "no spec"} : prompt.error());
    return report;
  }
  agent::Agent claimer = orchestrator_;
  const std::vector<std::string> sections = input.spec->SectionNames();
  claimer.tools = {core_.toolkit().RegisterClaim(sections), core_.toolkit().GetCurrentClaims(),
                   core_.toolkit().GetNegotiationState(sections)};
  core_.RunAgent(claimer, *prompt, {.forced_tool = "register_claim"}, report);
  core_.Summarize(orchestrator_, report);
  return report;
}

PhaseReport HierarchicalTriad::Negotiate(const PhaseInput& input) {
  PhaseReport report = core_.BeginPhase(kNegotiation, input);
  for (const std::string& section : input.sections) {
    if (report.error || report.BudgetExhausted()) break;
    Result<std::string> prompt = NegotiationPrompt(core_, input, section);
    if (!prompt) {
      core_.RecordError(report, prompt.error());
      break;
    }
    agent::Agent decider = orchestrator_;
    decider.tools = {core_.toolkit().NegotiateResponse({section}),
                     core_.toolkit().GetNegotiationState()};
    core_.RunAgent(
        decider, *prompt,
        {.forced_tool = "negotiate_response", .finish = agent::Finish::kAfterToolSuccess}, report);
  }
  core_.Summarize(orchestrator_, report);
  return report;
}

std::map<std::string, HierarchicalTriad::Assignment> HierarchicalTriad::Delegate(
    const PhaseInput& input, PhaseReport& report) {
  std::map<std::string, std::string> worker_of;
  std::map<std::string, std::string> instructions_of;
  agent::Agent planner = orchestrator_;
  planner.tools = {DelegateTool(input.sections, &worker_of, &instructions_of)};
  for (agent::Tool& tool : core_.StateTools(planner.name)) planner.tools.push_back(std::move(tool));
  Result<std::string> prompt =
      core_.Prompt("delegate", input, {{"owned_sections", JoinOrNone(input.sections)}});
  Result<std::string> context = core_.Prompt(
      "execution", input,
      {{"owned_sections", JoinOrNone(input.sections)}, {"frozen_spec", FrozenSpecText(input)}});
  if (!prompt || !context) {
    core_.RecordError(report, prompt ? context.error() : prompt.error());
  } else {
    core_.RunAgent(planner, *context + "\n" + *prompt, {.tool_choice = llm::ToolChoice::kRequired},
                   report);
  }
  // Sections the orchestrator did not assign are shared out in turn.
  std::map<std::string, Assignment> plan;
  size_t next = 0;
  for (const std::string& section : input.sections) {
    auto chosen = worker_of.find(section);
    std::string worker =
        chosen != worker_of.end() ? chosen->second : (next++ % 2 == 0 ? kWorkerA : kWorkerB);
    plan[section] = {worker, instructions_of[section]};
  }
  std::vector<std::pair<std::string, std::string>> tasks;
  for (const auto& [section, assignment] : plan) {
    tasks.emplace_back(section,
                       fmt::format("{} for {}",
                                   assignment.instructions.empty() ? "follow the frozen proposal"
                                                                   : assignment.instructions,
                                   assignment.worker));
  }
  core_.PlanWork(orchestrator_, tasks);
  return plan;
}

void HierarchicalTriad::RunWorker(const agent::Agent& worker,
                                  const std::map<std::string, Assignment>& plan,
                                  const PhaseInput& input, PhaseReport& report) {
  for (const auto& [section, assignment] : plan) {
    if (assignment.worker != worker.role) continue;
    std::string task = fmt::format(
        "- {}: {}", section,
        assignment.instructions.empty() ? "follow the frozen proposal" : assignment.instructions);
    Result<std::string> prompt = core_.Prompt("worker_task", input, {{"assignments", task}});
    if (!prompt) {
      core_.RecordError(report, prompt.error());
      return;
    }
    agent::RunResult result = core_.WriteSection(worker, section, *prompt, report);
    if (result.stop_reason == agent::StopReason::kBudgetExhausted ||
        result.stop_reason == agent::StopReason::kModelError ||
        result.stop_reason == agent::StopReason::kCancelled) {
      return;
    }
  }
}

void HierarchicalTriad::Review(const std::map<std::string, Assignment>& plan,
                               const PhaseInput& input, PhaseReport& report) {
  const std::vector<StagedFile> files = core_.outbox().files();
  std::vector<std::string> written;
  for (const StagedFile& file : files) {
    if (std::find(written.begin(), written.end(), file.section) == written.end()) {
      written.push_back(file.section);
    }
  }
  if (written.empty()) return;
  CodeReview review;
  agent::Agent reviewer = orchestrator_;
  reviewer.tools = {ReviewCodeTool(review, written)};
  Result<std::string> prompt = core_.Prompt("review", input, {{"code", CodeForReview(files)}});
  if (!prompt) {
    core_.RecordError(report, prompt.error());
    return;
  }
  core_.RunAgent(reviewer, *prompt,
                 {.forced_tool = "review_code", .finish = agent::Finish::kAfterToolSuccess},
                 report);
  if (!review.SentBack()) {
    report.review = review.verdict.empty() ? "" : "approved";
    return;
  }
  report.review = fmt::format("sent back {}: {}", review.section, review.reasons);
  const Assignment& assignment = plan.at(review.section);
  const agent::Agent& worker = assignment.worker == kWorkerA ? worker_a_ : worker_b_;
  Result<std::string> task = core_.Prompt(
      "worker_task", input,
      {{"assignments",
        fmt::format("- {}: {}\nYour orchestrator sent your code for it back: {}\nWrite the "
                    "section again, whole, with that fixed.",
                    review.section,
                    assignment.instructions.empty() ? "follow the frozen proposal"
                                                    : assignment.instructions,
                    review.reasons)}});
  if (!task) {
    core_.RecordError(report, task.error());
    return;
  }
  // The first version stays unless the rewrite produced code.
  std::vector<StagedFile> first = core_.outbox().TakeFiles(review.section);
  core_.WriteSection(worker, review.section, *task, report);
  bool rewritten = false;
  for (const StagedFile& file : core_.outbox().files()) rewritten |= file.section == review.section;
  if (!rewritten) {
    for (StagedFile& file : first) core_.outbox().AddFile(std::move(file));
    report.review += " (the rewrite failed; the first version stays)";
  }
}

PhaseReport HierarchicalTriad::Execute(const PhaseInput& input) {
  PhaseReport report = core_.BeginPhase(kExecution, input);
  if (input.sections.empty()) {
    core_.Summarize(orchestrator_, report);
    return report;
  }
  std::map<std::string, Assignment> plan = Delegate(input, report);
  if (!report.error && !report.BudgetExhausted()) {
    {
      std::jthread first([&] { RunWorker(worker_a_, plan, input, report); });
      std::jthread second([&] { RunWorker(worker_b_, plan, input, report); });
    }
    if (!report.error && !report.BudgetExhausted()) Review(plan, input, report);
  }
  core_.Summarize(orchestrator_, report);
  return report;
}

}  // namespace hfs::triad
