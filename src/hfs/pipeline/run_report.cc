#include "hfs/pipeline/run_report.h"

#include <map>
#include <nlohmann/json.hpp>
#include <set>

namespace hfs::pipeline {
namespace {

using nlohmann::json;

json ErrorJson(const std::optional<Error>& error) {
  if (!error) return nullptr;
  return {{"code", std::string(ErrorCodeName(error->code))}, {"message", error->message}};
}

json PhaseReportJson(const triad::PhaseReport& report) {
  json runs = json::array();
  for (const triad::AgentRun& run : report.runs) {
    json breaches = json::array();
    for (agent::Breach breach : run.breaches) breaches.push_back(agent::BreachName(breach));
    runs.push_back({{"agent", run.agent},
                    {"breaches", breaches},
                    {"salvaged", run.salvaged},
                    {"role", run.role},
                    {"stop_reason", std::string(agent::StopReasonName(run.stop_reason))},
                    {"turns", run.turns},
                    {"prompt_tokens", run.usage.prompt_tokens},
                    {"completion_tokens", run.usage.completion_tokens},
                    {"error", ErrorJson(run.error)},
                    {"budget_overrun", run.overrun}});
  }
  json artifacts = json::array();
  for (const auto& [name, description] : report.summary.artifacts) {
    artifacts.push_back({{"name", name}, {"description", description}});
  }
  return {{"phase", report.phase},
          {"runs", runs},
          {"error", ErrorJson(report.error)},
          {"review", report.review},
          {"summary",
           {{"submitted", report.summary.submitted},
            {"produced_by", report.summary.produced_by},
            {"decisions", report.summary.decisions},
            {"open_questions", report.summary.open_questions},
            {"artifacts", artifacts}}}};
}

json EscalationJson(const Escalation& escalation) {
  const spec::ArbiterDecision& decision = escalation.outcome.decision;
  json division = json::array();
  for (const auto& entry : decision.division) {
    division.push_back({{"sub_section", entry.sub_section}, {"triad", entry.triad}});
  }
  return {{"section", escalation.section},
          {"round", escalation.round},
          {"cause", std::string(EscalationCauseName(escalation.cause))},
          {"type", decision.type == spec::ArbiterDecision::Type::kAssign  ? "assign"
                   : decision.type == spec::ArbiterDecision::Type::kSplit ? "split"
                                                                          : "merge"},
          {"winner", decision.winner},
          {"assigned_to", decision.assigned_to},
          {"division", division},
          {"rationale", decision.rationale},
          {"fallback", escalation.outcome.fallback},
          {"fallback_reason", escalation.outcome.fallback_reason},
          {"attempts", escalation.outcome.attempts}};
}

json NegotiationJson(const NegotiationReport& negotiation) {
  json rounds = json::array();
  for (const RoundSummary& round : negotiation.rounds_detail) {
    json sections = json::array();
    for (const spec::SectionRoundResult& section : round.sections) {
      sections.push_back({{"section", section.section},
                          {"status", std::string(spec::SectionStatusName(section.status))},
                          {"resolved", section.resolved},
                          {"progress", section.progress},
                          {"winner", section.winner.value_or("")}});
    }
    rounds.push_back({{"round", round.round},
                      {"temperature", round.temperature},
                      {"contested", round.contested},
                      {"triads", round.triads},
                      {"sections", sections},
                      {"rejected_decisions", round.rejected.size()}});
  }
  json escalations = json::array();
  for (const Escalation& escalation : negotiation.escalations) {
    escalations.push_back(EscalationJson(escalation));
  }
  return {{"rounds", negotiation.rounds},
          {"final_temperature", negotiation.final_temperature},
          {"rounds_detail", rounds},
          {"escalations", escalations},
          {"error", ErrorJson(negotiation.error)}};
}

json SpecJson(const spec::Spec& spec) {
  json sections = json::array();
  for (const std::string& name : spec.SectionNames()) {
    const spec::Section* section = spec.Get(name);
    sections.push_back({{"name", name},
                        {"status", std::string(spec::SectionStatusName(section->status))},
                        {"owner", section->owner.value_or("")},
                        {"content", section->content.value_or("")},
                        {"history_entries", section->history.size()}});
  }
  return {{"round", spec.Round()}, {"temperature", spec.Temperature()}, {"sections", sections}};
}

json ValidationJson(const ValidationResult& validation) {
  json issues = json::array();
  for (const ValidationIssue& issue : validation.issues) {
    issues.push_back({{"severity", std::string(SeverityName(issue.severity))},
                      {"category", issue.category},
                      {"message", issue.message},
                      {"file", issue.file},
                      {"line", issue.line},
                      {"suggestion", issue.suggestion},
                      {"validator", issue.validator},
                      {"rule", issue.rule},
                      {"section", issue.section}});
  }
  json validators = json::array();
  for (const ValidatorRun& run : validation.validators) {
    validators.push_back({{"name", run.name},
                          {"status", std::string(ValidatorStatusName(run.status))},
                          {"reason", run.reason},
                          {"version", run.version},
                          {"errors", run.errors},
                          {"warnings", run.warnings},
                          {"duration_ms", run.duration_ms}});
  }
  return {{"passed", validation.passed},        {"checks_run", validation.checks_run},
          {"errors", validation.counts.errors}, {"warnings", validation.counts.warnings},
          {"validators", validators},           {"issues", issues}};
}

// Tokens by phase, triad and agent, from every agent run and arbiter call of the run
// (an agent's tokens include the code model calls of its generate_code tool).
struct UsageBreakdown {
  std::map<std::string, llm::Usage> by_phase, by_triad, by_agent;
  llm::Usage total;

  void Add(const std::string& phase, const std::string& triad, const std::string& agent,
           const llm::Usage& usage) {
    for (llm::Usage* sum : {&by_phase[phase], &by_triad[triad], &by_agent[agent], &total}) {
      sum->prompt_tokens += usage.prompt_tokens;
      sum->completion_tokens += usage.completion_tokens;
    }
  }
};

UsageBreakdown Breakdown(const PipelineResult& result) {
  UsageBreakdown usage;
  auto add_reports = [&](const std::vector<triad::PhaseReport>& reports) {
    for (const triad::PhaseReport& report : reports) {
      for (const triad::AgentRun& run : report.runs) {
        // Agent names are "<triad>_<role>".
        const std::string triad = run.agent.substr(0, run.agent.size() - run.role.size() - 1);
        usage.Add(report.phase, triad, run.agent, run.usage);
      }
    }
  };
  add_reports(result.deliberation);
  add_reports(result.negotiation.triad_reports);
  add_reports(result.execution);
  if (result.outline_planned) usage.Add("input", "planner", "planner", result.outline_usage);
  for (const RepairRecord& repair : result.repairs) {
    usage.Add("integration", repair.triad, repair.triad + "_code_repair", repair.usage);
  }
  for (const Escalation& escalation : result.negotiation.escalations) {
    usage.Add("negotiation", "arbiter", "arbiter", escalation.outcome.usage);
  }
  for (const CoverageAssignment& assignment : result.coverage) {
    if (assignment.arbiter) usage.Add("freeze", "arbiter", "arbiter", assignment.arbiter->usage);
  }
  return usage;
}

json UsageJson(const llm::Usage& usage) {
  return {{"prompt_tokens", usage.prompt_tokens},
          {"completion_tokens", usage.completion_tokens},
          {"total_tokens", usage.total()}};
}

json BreakdownJson(const UsageBreakdown& usage) {
  auto table = [](const std::map<std::string, llm::Usage>& sums) {
    json out = json::object();
    for (const auto& [name, sum] : sums) out[name] = UsageJson(sum);
    return out;
  };
  return {{"total", UsageJson(usage.total)},
          {"by_phase", table(usage.by_phase)},
          {"by_triad", table(usage.by_triad)},
          {"by_agent", table(usage.by_agent)}};
}

}  // namespace

json RunCounts(const PipelineResult& result) {
  std::set<std::string> contested;
  int fallbacks = 0;
  for (const RoundSummary& round : result.negotiation.rounds_detail) {
    contested.insert(round.contested.begin(), round.contested.end());
  }
  for (const Escalation& escalation : result.negotiation.escalations) {
    fallbacks += escalation.outcome.fallback ? 1 : 0;
  }
  return {{"rounds", result.negotiation.rounds},
          {"contested_sections", contested.size()},
          {"escalations", result.negotiation.escalations.size()},
          {"fallbacks", fallbacks},
          {"files", result.merged.files.size()},
          {"tokens", Breakdown(result).total.total()}};
}

json RunReportJson(const PipelineResult& result) {
  json timings = json::array();
  for (const PhaseTiming& timing : result.timings) {
    timings.push_back(
        {{"phase", timing.phase},
         {"ms", std::chrono::duration_cast<std::chrono::milliseconds>(timing.duration).count()}});
  }
  json claims = json::array();
  for (const spec::ClaimOutcome& outcome : result.claims) {
    claims.push_back({{"triad", outcome.claim.triad},
                      {"section", outcome.claim.section},
                      {"accepted", outcome.Accepted()},
                      {"rejection", ErrorJson(outcome.rejection)}});
  }
  json coverage = json::array();
  for (const CoverageAssignment& assignment : result.coverage) {
    json entry = {{"section", assignment.section},
                  {"triad", assignment.triad},
                  {"reason", assignment.reason},
                  {"candidates", assignment.candidates}};
    if (assignment.arbiter) {
      entry["rationale"] = assignment.arbiter->decision.rationale;
      entry["fallback"] = assignment.arbiter->fallback;
    }
    coverage.push_back(std::move(entry));
  }
  auto reports = [](const std::vector<triad::PhaseReport>& list) {
    json out = json::array();
    for (const triad::PhaseReport& report : list) out.push_back(PhaseReportJson(report));
    return out;
  };
  json files = json::object();
  for (const auto& [path, content] : result.merged.files) files[path] = content.size();
  json page_regions = json::array();
  for (const page::RegionContract& region : result.contract.regions) {
    page_regions.push_back({{"id", region.region.id},
                            {"section", region.region.section},
                            {"title", region.region.title},
                            {"content", region.region.content},
                            {"owner", region.owner}});
  }
  json page_concerns = json::array();
  for (const page::ConcernContract& concern : result.contract.concerns) {
    page_concerns.push_back({{"section", concern.section},
                             {"contributes", page::ContributionName(concern.contribution)},
                             {"owner", concern.owner}});
  }
  json tokens = json::object();
  for (const page::DesignToken& token : result.contract.tokens) tokens[token.name] = token.value;
  json page_issues = json::array();
  for (const page::PageIssue& issue : result.merged.page_issues) {
    page_issues.push_back({{"section", issue.section},
                           {"file", issue.file},
                           {"line", issue.line},
                           {"rule", issue.rule},
                           {"message", issue.message}});
  }
  json repairs = json::array();
  for (const RepairRecord& repair : result.repairs) {
    repairs.push_back({{"section", repair.section},
                       {"triad", repair.triad},
                       {"errors", repair.errors},
                       {"model", repair.model},
                       {"repair_model", repair.repair_model},
                       {"outcome", repair.outcome}});
  }
  json failures = json::array();
  for (const TriadFailure& failure : result.triad_failures) {
    failures.push_back(
        {{"triad", failure.triad}, {"phase", failure.phase}, {"error", ErrorJson(failure.error)}});
  }
  json takeovers = json::array();
  for (const Takeover& takeover : result.takeovers) {
    takeovers.push_back({{"section", takeover.section},
                         {"from", takeover.from},
                         {"to", takeover.to},
                         {"reason", takeover.reason}});
  }
  json page = {{"title", result.outline.title},
               {"language", result.outline.language},
               {"planned", result.outline_planned},
               {"regions", page_regions},
               {"concerns", page_concerns},
               {"tokens", tokens},
               {"issues", page_issues},
               {"repairs", repairs},
               {"sections_without_code", result.sections_without_code}};
  return {{"run_id", result.run_id},
          {"success", result.success},
          {"error", ErrorJson(result.error)},
          {"counts", RunCounts(result)},
          {"usage", BreakdownJson(Breakdown(result))},
          {"timings", timings},
          {"spec", result.spec ? SpecJson(*result.spec) : json(nullptr)},
          {"claims", claims},
          {"deliberation", reports(result.deliberation)},
          {"negotiation", NegotiationJson(result.negotiation)},
          {"negotiation_triad_reports", reports(result.negotiation.triad_reports)},
          {"coverage", coverage},
          {"triad_failures", failures},
          {"takeovers", takeovers},
          {"execution", reports(result.execution)},
          {"files", files},
          {"entry_point", result.merged.entry_point},
          {"page", page},
          {"merge_warnings", result.merged.warnings},
          {"validation", ValidationJson(result.validation)},
          {"emergent", EmergentReportToJson(result.emergent)}};
}

}  // namespace hfs::pipeline
