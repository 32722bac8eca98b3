// hfs/pipeline/external_validators.h
//
// The external validators of the integration phase, run on the merged output after the
// static Validator when their tools are present (hfs/pipeline/validator_tools.h):
//   esbuild   every .js/.jsx/.ts/.tsx/.css file parses, then react, vue and svelte output is
//             built into dist/ (tools/validators/build.mjs): one classic script
//             dist/app.js + dist/app.css + dist/index.html that open from file://, with
//             react/react-dom, vue (vue/compiler-sfc for .vue files) or svelte
//             (svelte/compiler for .svelte files); a compile error, or an import of a
//             package that is not installed, is a finding at its file and line;
//   chromium  the page (dist/index.html of the build, index.html for html and vanilla)
//             loads in headless Chromium from file:// with the network blocked, with no
//             console error or uncaught exception, and every region's element (by id, in
//             page order) is present, visible, not empty and shown top to bottom in that
//             order; a screenshot is saved (tools/validators/render.mjs);
//   axe-core  an accessibility audit injected into the rendered page.
// The merged files are written to a fresh temporary directory, hfs-validate-<pid>-<pid
// namespace>-XXXXXX (removed afterwards, and by RemoveScratchDirs on an exit that skips
// destructors; one left by a killed process is removed by the next validation; the run
// directory itself is written in the output phase, with `built_files`), each tool runs as
// a subprocess bounded by a timeout, with that directory as its TMPDIR, and ends with
// this process (render.mjs ends its browser then). A missing tool is a skipped validator with
// the reason; a tool that fails to run (timeout, crash, unreadable output) is an errored
// validator with the reason and no finding: neither fails the validation. An app that was
// not built is not rendered (skipped, with the reason).
//
//   ToolValidators validators(DetectValidatorTools(search), {.screenshot = dir /
//   "screenshot.png"});
//   ExternalValidation found = validators.Validate(merged, {"hero", "pricing", "faq"},
//                                                  OutputFormat::kVue);
//   Write(found.built_files);   // dist/index.html, dist/app.js, dist/app.css
//   JoinExternalValidation(result, std::move(found));   // result.passed now counts them
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

namespace hfs::pipeline {

struct ExternalValidation {
  std::vector<ValidationIssue> issues;
  // Every validator, run or skipped, in run order: esbuild, chromium, axe-core.
  std::vector<ValidatorRun> runs;
  // Every text file under the site's dist/ after a successful build of react, vue or svelte
  // output, keyed "dist/..." (dist/index.html, dist/app.js, dist/app.css); empty otherwise.
  std::map<std::string, std::string> built_files;
  // The page to open, relative to the output: "dist/index.html" for react, vue and svelte
  // when the build succeeded, "index.html" for html and vanilla, "" when not built.
  std::string entry_point;
};

class ExternalValidator {
 public:
  virtual ~ExternalValidator() = default;
  // `region_ids`: the element ids of the page's visible regions, in page order.
  virtual ExternalValidation Validate(const MergedOutput& merged,
                                      const std::vector<std::string>& region_ids,
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
  // Logs once whether Chromium runs with its sandbox.
  ToolValidators(ValidatorTools tools, ToolValidatorOptions options);

  ExternalValidation Validate(const MergedOutput& merged,
                              const std::vector<std::string>& region_ids,
                              OutputFormat format) const override;

  const ValidatorTools& tools() const { return tools_; }

 private:
  ValidatorTools tools_;
  ToolValidatorOptions options_;
};

// Adds `external`'s issues and runs to `result`, recounts it, and fails it when an
// external validator found an error (warnings fail it only if it had failed before).
void JoinExternalValidation(ValidationResult& result, ExternalValidation external);

// Removes the temporary directories of the validations running in this process now, for
// an exit that skips destructors (a second Ctrl-C); stop their programs first
// (StopSubprocesses). Thread-safe.
void RemoveScratchDirs();

// Removes the temporary directories in `parent` (empty: the system's temp directory) that
// validations of processes that are gone left behind (killed, SIGKILL included); never one
// of a live process (of this pid namespace; others' are left alone). Returns how many.
int RemoveAbandonedScratchDirs(const std::filesystem::path& parent);

// Section -> number of error issues in it (by the issue's section, else its file's).
std::map<std::string, int> ErrorsBySection(const ValidationResult& result,
                                           const MergedOutput& merged);

}  // namespace hfs::pipeline
