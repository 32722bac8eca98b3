// hfs/pipeline/external_validators.h
//
// The external validators of the integration phase, run on the merged output after the
// static Validator when their tools are present (hfs/pipeline/validator_tools.h):
//   esbuild   every .js/.jsx/.ts/.tsx/.css file parses; react output is bundled with
//             react and react-dom (tools/validators/bundle.mjs);
//   chromium  the page loads in headless Chromium with the network blocked, with no
//             console error or uncaught exception, and every section's root element
//             (<section id="SectionElementId(name)">) is present, visible and not empty;
//             a screenshot is saved (tools/validators/render.mjs);
//   axe-core  an accessibility audit injected into the rendered page.
// The merged files are written to a fresh temporary directory (removed afterwards; the
// run directory itself is written in the output phase), each tool runs as a subprocess
// bounded by a timeout. A missing tool is a skipped validator with the reason; a tool
// that fails to run (timeout, crash, unreadable output) is an errored validator with the
// reason and no finding: neither fails the validation. vue and svelte output is checked
// by esbuild only for its .js/.ts files and is not rendered (skipped, with the reason).
//
//   ToolValidators validators(DetectValidatorTools(search), {.screenshot = dir /
//   "screenshot.png"}); ExternalValidation found = validators.Validate(merged, frozen_spec,
//   OutputFormat::kReact); JoinExternalValidation(result, std::move(found));   // result.passed now
//   counts them
//
// ToolValidators is thread-compatible (Validate is const and uses only its temp dir).
// Validate never fails: findings are issues, problems are ValidatorRun reasons.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "hfs/pipeline/merger.h"
#include "hfs/pipeline/pipeline_options.h"
#include "hfs/pipeline/validator.h"
#include "hfs/pipeline/validator_tools.h"
#include "hfs/spec/spec.h"

namespace hfs::pipeline {

struct ExternalValidation {
  std::vector<ValidationIssue> issues;
  // Every validator, run or skipped, in run order: esbuild, chromium, axe-core.
  std::vector<ValidatorRun> runs;
};

class ExternalValidator {
 public:
  virtual ~ExternalValidator() = default;
  virtual ExternalValidation Validate(const MergedOutput& merged, const spec::Spec& spec,
                                      OutputFormat format) const = 0;
};

struct ToolValidatorOptions {
  // Where the screenshot goes (its directory is created); empty: none is kept.
  std::filesystem::path screenshot;
  // The bound of each tool's run.
  std::chrono::milliseconds timeout{60000};
  // Where the temporary site directory is made; empty: the system's temp directory.
  std::filesystem::path scratch_dir;
};

class ToolValidators final : public ExternalValidator {
 public:
  ToolValidators(ValidatorTools tools, ToolValidatorOptions options)
      : tools_(std::move(tools)), options_(std::move(options)) {}

  ExternalValidation Validate(const MergedOutput& merged, const spec::Spec& spec,
                              OutputFormat format) const override;

  const ValidatorTools& tools() const { return tools_; }

 private:
  ValidatorTools tools_;
  ToolValidatorOptions options_;
};

// Adds `external`'s issues and runs to `result`, recounts it, and fails it when an
// external validator found an error (warnings fail it only if it had failed before).
void JoinExternalValidation(ValidationResult& result, ExternalValidation external);

// Section -> number of error issues in it (by the issue's section, else its file's).
std::map<std::string, int> ErrorsBySection(const ValidationResult& result,
                                           const MergedOutput& merged);

}  // namespace hfs::pipeline
