// The Orchestrator's execution waves and its integration phase (merge, validate, repair
// once); see hfs/pipeline/orchestrator.h.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <set>

#include "hfs/pipeline/orchestrator.h"
#include "hfs/pipeline/orchestrator_state.h"
#include "hfs/pipeline/project_files.h"
#include "hfs/pipeline/triad_span.h"

namespace hfs::pipeline {

using internal::ForEachTriadInParallel;
using internal::KeepFirstError;

namespace {

std::vector<std::pair<std::string, std::string>> FilesOf(const StagedFilesByTriad& staged,
                                                         const std::string& section) {
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& [triad, list] : staged) {
    for (const triad::StagedFile& file : list) {
      if (file.section == section) files.emplace_back(file.path, file.content);
    }
  }
  return files;
}

// Section -> its error issues as "file:line: message" lines.
std::map<std::string, std::vector<std::string>> ErrorLines(const ValidationResult& validation,
                                                           const MergedOutput& merged) {
  std::map<std::string, std::vector<std::string>> lines;
  std::map<std::string, std::string> section_of_file;
  for (const auto& [section, paths] : merged.files_by_section) {
    for (const std::string& path : paths) section_of_file[path] = section;
  }
  for (const ValidationIssue& issue : validation.issues) {
    if (issue.severity != Severity::kError) continue;
    std::string section = issue.section;
    if (section.empty()) {
      auto it = section_of_file.find(issue.file);
      if (it != section_of_file.end()) section = it->second;
    }
    if (section.empty()) continue;
    lines[section].push_back(
        issue.line > 0
            ? fmt::format("{}:{}: {}", issue.file, issue.line, issue.message)
            : fmt::format("{}: {}", issue.file.empty() ? section : issue.file, issue.message));
  }
  return lines;
}

}  // namespace

void Orchestrator::Execute(RunState& state) {
  for (int wave = 0; wave < page::kWaveCount && !Cancelled(); ++wave) {
    ExecuteWave(state, static_cast<page::Wave>(wave));
  }
  int64_t artifacts = 0;
  for (const auto& [triad, files] : state.result.staged_files) {
    artifacts += static_cast<int64_t>(files.size());
  }
  for (const std::string& section : state.spec->SectionNames()) {
    if (FilesOf(state.result.staged_files, section).empty()) {
      state.result.sections_without_code.push_back(section);
    }
  }
  state.phase_span->SetAttribute("hfs.phase.artifact_count", artifacts);
  state.phase_span->SetAttribute("hfs.phase.sections_without_code",
                                 static_cast<int64_t>(state.result.sections_without_code.size()));
}

void Orchestrator::ExecuteWave(RunState& state, page::Wave wave) {
  const spec::Spec snapshot = *state.spec;
  page::PageContract& contract = state.result.contract;
  std::vector<std::vector<std::string>> owned(state.triads.size());
  bool any = false;
  for (size_t i = 0; i < state.triads.size(); ++i) {
    if (state.retired.contains(state.order[i])) continue;
    for (const std::string& section : snapshot.SectionNames()) {
      if (snapshot.Owner(section) != state.order[i]) continue;
      if (page::WaveOf(contract.RoleOf(section)) != wave) continue;
      owned[i].push_back(section);
      any = true;
    }
  }
  if (!any) return;
  trace::Span span =
      state.phase_trace.Start(fmt::format("hfs.execution.wave {}", page::WaveName(wave)),
                              {{"hfs.execution.wave", std::string(page::WaveName(wave))}});
  const trace::TraceScope wave_trace = state.phase_trace.Under(span);
  RunWave(state, owned, wave_trace);
  // Sections the wave left without code (their triad failed, ran out of budget or its
  // writer broke its step) get one more attempt, by another triad where there is one.
  std::vector<std::string> missing;
  for (const std::vector<std::string>& sections : owned) {
    for (const std::string& section : sections) {
      if (FilesOf(state.result.staged_files, section).empty()) missing.push_back(section);
    }
  }
  if (!missing.empty() && !Cancelled()) {
    RunWave(state, TakeOver(state, missing, "no code from its owner"), wave_trace);
  }
  if (wave == page::Wave::kFoundations) {
    // What the foundations defined (tokens, data) joins the contract of the later waves.
    for (const page::ConcernContract& concern : contract.concerns) {
      page::AddContributions(contract, concern.section,
                             FilesOf(state.result.staged_files, concern.section));
    }
    span.SetAttribute("hfs.page.token_count", static_cast<int64_t>(contract.tokens.size()));
  }
  span.End();
}

void Orchestrator::RunWave(RunState& state, const std::vector<std::vector<std::string>>& owned,
                           const trace::TraceScope& wave_trace) {
  const spec::Spec snapshot = *state.spec;
  std::vector<triad::PhaseReport> reports(state.triads.size());
  ForEachTriadInParallel(state.triads.size(), [&](size_t i) {
    if (owned[i].empty()) return;
    TriadTrace traced = StartTriadSpan(wave_trace, state.triads[i]->options(), triad::kExecution);
    reports[i] = state.triads[i]->Execute({.spec = &snapshot,
                                           .request = state.request,
                                           .freeze_threshold = setup_.pressure.freeze_threshold,
                                           .sections = owned[i],
                                           .contract = &state.result.contract,
                                           .trace = traced.scope});
    EndTriadSpan(traced, reports[i]);
  });
  for (size_t i = 0; i < state.triads.size(); ++i) {
    if (owned[i].empty()) continue;
    if (reports[i].error) Retire(state, state.order[i], triad::kExecution, *reports[i].error);
    std::vector<triad::StagedFile>& staged = state.result.staged_files[state.order[i]];
    for (const triad::StagedFile& file : state.triads[i]->outbox().files()) staged.push_back(file);
    state.result.execution.push_back(std::move(reports[i]));
  }
}

void Orchestrator::Integrate(RunState& state) {
  PipelineResult& result = state.result;
  MergeAndValidate(state);
  RepairSections(state);
  RecordValidationFailures(state);
  state.phase_span->SetAttribute("hfs.phase.file_count",
                                 static_cast<int64_t>(result.merged.files.size()));
  state.phase_span->SetAttribute("hfs.phase.validation_passed", result.validation.passed);
  state.phase_span->SetAttribute("hfs.phase.repair_count",
                                 static_cast<int64_t>(result.repairs.size()));
}

void Orchestrator::MergeAndValidate(RunState& state) {
  PipelineResult& result = state.result;
  result.merged =
      Merger(setup_.output.format).Merge(*state.spec, result.staged_files, result.contract);
  // What a user needs to keep developing the sources (package.json, build.mjs).
  for (auto& [path, content] : ProjectFiles(setup_.output.format, result.contract.title)) {
    result.merged.files[path] = std::move(content);
  }
  Result<Validator> validator = Validator::Create({.checks = setup_.pressure.validation});
  if (!validator) {
    KeepFirstError(result.error, validator.error(), "integration");
    result.validation.passed = false;
    return;
  }
  result.validation = validator->Validate(result.merged, *state.spec);
  ExternalValidation composed;
  for (const page::PageIssue& issue : result.merged.page_issues) {
    if (issue.severity != page::PageIssue::Severity::kError) continue;
    composed.issues.push_back({.severity = Severity::kError,
                               .category = "syntax",
                               .message = issue.message,
                               .file = issue.file,
                               .line = issue.line,
                               .validator = "composer",
                               .rule = issue.rule,
                               .section = issue.section});
  }
  JoinExternalValidation(result.validation, std::move(composed));
  RunExternalValidators(state);
}

void Orchestrator::RepairSections(RunState& state) {
  PipelineResult& result = state.result;
  std::map<std::string, std::vector<std::string>> failing =
      ErrorLines(result.validation, result.merged);
  if (failing.empty() || Cancelled()) return;
  std::set<std::string> still_failing;
  for (const auto& [failing_section, errors] : failing) {
    const std::string& section = failing_section;  // a lambda below captures it
    const std::optional<std::string> owner = state.spec->Owner(section);
    if (!owner) continue;
    RepairRecord record{.section = section, .triad = *owner, .errors = errors};
    for (const triad::StagedFile& file : result.staged_files[*owner]) {
      if (file.section == section) record.model = file.model;
    }
    // The code model that wrote it failed: the triad's code calls move to the next one.
    const agent::ModelQuery code_query{
        .triad = *owner, .role = triad::kCodeRole, .phase = triad::kCodePhase};
    record.repair_model = deps_.models->Demote(code_query, record.model);
    if (record.repair_model.empty()) record.repair_model = record.model;
    trace::Span span = state.phase_trace.Start(
        "hfs.repair " + section, {{"hfs.section", section}, {"hfs.triad.id", *owner}});
    const spec::Section* frozen = state.spec->Get(section);
    Result<std::vector<triad::StagedFile>> files = state.code->Generate(
        {.triad_id = *owner,
         .section = section,
         .section_content = frozen != nullptr ? frozen->content.value_or("") : "",
         .instructions = fmt::format(
             "Your earlier code for this section failed HFS's build and checks with these "
             "errors; write the section again, whole, without them:\n{}",
             fmt::join(errors, "\n")),
         .request = state.request,
         .contract = &result.contract},
        {.run_id = setup_.run_id,
         .triad = *owner,
         .trace = state.phase_trace.Under(span),
         .cancelled = deps_.cancelled},
        // One bounded call per section: a triad whose budget is nearly spent still gets
        // its repair (its tokens are counted in the run's usage).
        /*budget=*/nullptr, &record.usage);
    if (files) {
      if (!files->empty()) record.repair_model = files->front().model;
      std::vector<triad::StagedFile>& staged = result.staged_files[*owner];
      std::string role;
      for (const triad::StagedFile& file : staged) {
        if (file.section == section && role.empty()) role = file.role;
      }
      std::erase_if(staged, [&](const triad::StagedFile& file) { return file.section == section; });
      for (triad::StagedFile& file : *files) {
        file.role = role;
        staged.push_back(std::move(file));
      }
      record.outcome = "rewritten";
    } else {
      record.outcome = "repair failed: " + files.error().message;
      still_failing.insert(section);
    }
    span.SetAttribute("hfs.repair.outcome", record.outcome);
    result.repairs.push_back(std::move(record));
  }
  MergeAndValidate(state);
  for (const auto& [section, errors] : ErrorLines(result.validation, result.merged)) {
    still_failing.insert(section);
  }
  for (RepairRecord& record : result.repairs) {
    if (!still_failing.contains(record.section)) {
      record.outcome = "repaired";
    } else if (record.outcome == "rewritten") {
      record.outcome = "still failing: left out of the page";
    }
  }
  if (still_failing.empty()) return;
  // The sections that still fail are left out so the rest of the page builds; their
  // errors stay in the report and the run does not succeed.
  ValidationResult failed = result.validation;
  for (auto& [triad, staged] : result.staged_files) {
    std::erase_if(staged, [&](const triad::StagedFile& file) {
      return still_failing.contains(file.section);
    });
  }
  MergeAndValidate(state);
  ExternalValidation kept;
  for (const ValidationIssue& issue : failed.issues) {
    if (issue.severity == Severity::kError && still_failing.contains(issue.section)) {
      kept.issues.push_back(issue);
    }
  }
  for (const auto& [section, errors] : failing) {
    if (!still_failing.contains(section)) continue;
    kept.issues.push_back({.severity = Severity::kError,
                           .category = "coverage",
                           .message = fmt::format("section '{}' was left out of the page: its "
                                                  "code still failed after one repair",
                                                  section),
                           .validator = "composer",
                           .rule = "left-out",
                           .section = section});
  }
  JoinExternalValidation(result.validation, std::move(kept));
}

void Orchestrator::RunExternalValidators(RunState& state) {
  if (deps_.external_validator == nullptr) return;
  PipelineResult& result = state.result;
  ExternalValidation external = deps_.external_validator->Validate(
      result.merged, result.contract.RegionIds(), setup_.output.format);
  for (const ValidatorRun& run : external.runs) {
    state.phase_span->AddEvent(
        "validation.validator",
        {{"hfs.validator.name", run.name},
         {"hfs.validator.status", std::string(ValidatorStatusName(run.status))},
         {"hfs.validator.reason", run.reason},
         {"hfs.validator.errors", static_cast<int64_t>(run.errors)},
         {"hfs.validator.duration_ms", run.duration_ms}});
  }
  for (auto& [path, content] : external.built_files) result.merged.files[path] = std::move(content);
  if (!external.entry_point.empty()) result.merged.entry_point = external.entry_point;
  JoinExternalValidation(result.validation, std::move(external));
}

void Orchestrator::RecordValidationFailures(RunState& state) {
  const PipelineResult& result = state.result;
  for (const auto& [section, errors] : ErrorsBySection(result.validation, result.merged)) {
    const std::optional<std::string> owner = state.spec->Owner(section);
    if (!owner) continue;
    auto staged = result.staged_files.find(*owner);
    if (staged == result.staged_files.end()) continue;
    for (const triad::StagedFile& file : staged->second) {
      if (file.section != section || file.role.empty()) continue;
      deps_.models->Record({.triad = *owner, .role = file.role, .phase = triad::kExecution},
                           agent::CallOutcome::kFailed);
      break;
    }
  }
}

}  // namespace hfs::pipeline
