#include "hfs/triad/triad_core.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "hfs/triad/phase_summary.h"
#include "hfs/triad/state_tools.h"

namespace hfs::triad {
namespace {

std::string SectionList(const spec::Spec& spec) {
  std::vector<std::string> items;
  for (const std::string& name : spec.SectionNames()) {
    const spec::Section* section = spec.Get(name);
    items.push_back(fmt::format("{} [{}]", name, spec::SectionStatusName(section->status)));
  }
  return JoinOrNone(items);
}

}  // namespace

double SamplingTemperature(double spec_temperature) {
  return 0.2 + 0.8 * std::clamp(spec_temperature, 0.0, 1.0);
}

std::string JoinOrNone(const std::vector<std::string>& items) {
  return items.empty() ? "(none)" : fmt::format("{}", fmt::join(items, ", "));
}

llm::Usage PhaseReport::Usage() const {
  llm::Usage total;
  for (const AgentRun& run : runs) {
    total.prompt_tokens += run.usage.prompt_tokens;
    total.completion_tokens += run.usage.completion_tokens;
  }
  return total;
}

bool PhaseReport::BudgetExhausted() const {
  for (const AgentRun& run : runs) {
    if (run.stop_reason == agent::StopReason::kBudgetExhausted) return true;
  }
  return false;
}

TriadCore::TriadCore(TriadOptions options, TriadDeps deps)
    : options_(std::move(options)),
      deps_(std::move(deps)),
      toolkit_({.triad_id = options_.id, .scope = options_.scope}, outbox_, *deps_.code,
               deps_.budget),
      work_(deps_.state, options_.id) {}

void TriadCore::PlanWork(const agent::Agent& lead,
                         const std::vector<std::pair<std::string, std::string>>& tasks) {
  work_.Plan(lead.name, tasks);
}

std::vector<agent::Tool> TriadCore::StateTools(const std::string& agent) const {
  if (deps_.state == nullptr) return {};
  Result<std::vector<agent::Tool>> tools = MakeStateTools(*deps_.state, agent);
  if (!tools) {
    spdlog::warn("no state tools for {}: {}", agent, tools.error().message);
    return {};
  }
  return std::move(*tools);
}

agent::RunResult TriadCore::WriteSection(agent::Agent writer, const std::string& section,
                                         std::string prompt, PhaseReport& report) {
  writer.tools = {toolkit_.GenerateCode({section})};
  for (agent::Tool& tool : StateTools(writer.name)) writer.tools.push_back(std::move(tool));
  work_.Claim(section, writer.name);
  agent::RunResult result = RunAgent(
      writer, std::move(prompt),
      {.forced_tool = "generate_code", .finish = agent::Finish::kAfterToolSuccess}, report);
  const bool written = std::any_of(result.tool_results.begin(), result.tool_results.end(),
                                   [](const agent::ToolOutcome& outcome) {
                                     return outcome.tool == "generate_code" &&
                                            outcome.status == agent::ToolStatus::kOk;
                                   });
  work_.Finish(section, writer.name, written ? WorkOutcome::kDone : WorkOutcome::kNotDone);
  return result;
}

PhaseReport TriadCore::BeginPhase(const std::string& phase, const PhaseInput& input) {
  if (phase != phase_) {
    // A new pipeline phase: its prompts carry the earlier phases' summaries instead.
    for (auto& [name, conversation] : conversations_) conversation.Clear();
  }
  phase_ = phase;
  spec_temperature_ =
      input.spec != nullptr ? std::optional<double>(input.spec->Temperature()) : std::nullopt;
  trace_ = input.trace;
  outbox_.Clear();
  toolkit_.SetView({.spec = input.spec,
                    .phase = phase,
                    .request = input.request,
                    .freeze_threshold = input.freeze_threshold,
                    .contract = input.contract});
  return PhaseReport{.phase = phase};
}

TemplateValues TriadCore::Values(const PhaseInput& input) const {
  TemplateValues values{
      {"triad_id", options_.id},
      {"primary", JoinOrNone(options_.scope.primary)},
      {"reach", JoinOrNone(options_.scope.reach)},
      {"objectives", JoinOrNone(options_.objectives)},
      {"system_context", options_.system_context.value_or("")},
      {"request", input.request},
      {"output_format", deps_.output_format},
      {"previous_summary", summaries_.empty() ? "" : "\n" + RenderSummary(summaries_.back())},
  };
  if (input.spec != nullptr) {
    values["sections"] = SectionList(*input.spec);
    values["section_names"] = JoinOrNone(input.spec->SectionNames());
    values["temperature"] = fmt::format("{:.2f}", input.spec->Temperature());
    values["round"] = std::to_string(input.spec->Round());
    values["temperature_rule"] =
        input.spec->Temperature() <= 0.5
            ? "The spec is cooling: a claim outside your primary scope needs a justification."
            : "";
  }
  return values;
}

agent::Agent TriadCore::MakeAgent(const std::string& role, const std::string& role_template,
                                  std::vector<agent::Tool> tools, const TemplateValues& extra) {
  TemplateValues values = Values(PhaseInput{});
  values["role"] = role;
  for (const auto& [key, value] : extra) values[key] = value;
  Result<std::string> instructions = deps_.prompts->Render(role_template, values);
  agent::Agent agent{.name = options_.id + "_" + role,
                     .role = role,
                     .instructions = instructions ? *instructions : instructions.error().message,
                     .tools = std::move(tools),
                     .models = deps_.models};
  conversations_.try_emplace(agent.name);
  return agent;
}

Result<std::string> TriadCore::Prompt(const std::string& name, const PhaseInput& input,
                                      const TemplateValues& extra) const {
  TemplateValues values = Values(input);
  for (const auto& [key, value] : extra) values[key] = value;
  return deps_.prompts->Render(name, values);
}

agent::RunResult TriadCore::RunAgent(const agent::Agent& agent, std::string prompt,
                                     agent::RunOptions options, PhaseReport& report) {
  agent::Conversation& conversation = conversations_.at(agent.name);
  conversation.StartPhase(std::move(prompt));
  conversation.KeepWithin(deps_.history_window_tokens);
  options.max_turns = deps_.max_turns;
  if (!options.temperature && spec_temperature_ && phase_ != kExecution) {
    options.temperature = SamplingTemperature(*spec_temperature_);
  }
  agent::Runner runner(options);
  agent::RunResult result = runner.Run(agent, conversation, *deps_.budget,
                                       llm::CallContext{.run_id = deps_.run_id,
                                                        .triad = options_.id,
                                                        .role = agent.role,
                                                        .phase = phase_,
                                                        .trace = trace_,
                                                        .cancelled = deps_.cancelled});
  for (const agent::ToolOutcome& outcome : result.tool_results) {
    if (outcome.status != agent::ToolStatus::kOk) {
      spdlog::debug("{} ({}): {} {} -> {}", agent.name, phase_, outcome.tool,
                    agent::ToolStatusName(outcome.status), outcome.content);
    }
  }
  MutexLock lock(report_mu_);
  report.runs.push_back({.agent = agent.name,
                         .role = agent.role,
                         .stop_reason = result.stop_reason,
                         .usage = result.usage,
                         .turns = result.turns,
                         .error = result.error,
                         .overrun = result.overrun ? result.overrun->ToString() : "",
                         .breaches = result.breaches,
                         .salvaged = result.salvaged});
  // A step whose model broke its contract fails alone (the run goes on without its
  // effect); a model error or an interruption ends the triad's phase.
  const bool triad_failed = result.stop_reason == agent::StopReason::kModelError ||
                            result.stop_reason == agent::StopReason::kCancelled;
  if (triad_failed && result.error && !report.error) report.error = result.error;
  return result;
}

void TriadCore::Summarize(const agent::Agent& lead, PhaseReport& report) {
  std::vector<std::string> failed;
  {
    MutexLock lock(report_mu_);
    for (const AgentRun& run : report.runs) {
      if (run.stop_reason == agent::StopReason::kCompleted) continue;
      std::string line =
          fmt::format("{} stopped: {}", run.role, agent::StopReasonName(run.stop_reason));
      if (run.error) line += " (" + run.error->message.substr(0, 200) + ")";
      failed.push_back(std::move(line));
    }
  }
  PhaseSummary summary = SummarizePhase(phase_, lead.role, outbox_, std::move(failed));
  report.summary = summary;
  summaries_.push_back(std::move(summary));
}

void TriadCore::RecordError(PhaseReport& report, const Error& error) {
  MutexLock lock(report_mu_);
  if (!report.error) report.error = error;
}

}  // namespace hfs::triad
