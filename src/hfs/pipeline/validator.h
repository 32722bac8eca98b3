// hfs/pipeline/validator.h
//
// Validator: static checks over a merged frontend (hfs/pipeline/merger.h), grouped as
//   syntax        bracket balance and unterminated strings/templates/comments/JSX (via
//                 hfs/page/code_tokenizer.h, so strings and comments do not count),
//                 typo keywords (functoin, retrun, cosnt, improt) and, for .html files,
//                 unclosed or mismatched tags;
//   render        component files that render no JSX / return nothing;
//   coverage      the composed entry (index.html or App.*) holds every spec section;
//   accessibility <img> without alt, icon-only <button> without aria-label, clickable
//                 <div> without role/tabIndex, form fields without a label;
//   performance   console.* calls, .map(...) => <Tag> without key=, many inline handlers.
// The configured check names (pressure.validation, kValidationChecks) select the groups:
// must_compile -> syntax, must_render -> render + coverage, accessibility_a11y and
// accessibility_basic -> accessibility, performance_budget -> performance,
// no_contradictions -> nothing static (an info issue says so); an empty list runs all.
//
//   Validator validator = HFS_TRY(Validator::Create({.checks = {"must_compile"}}));
//   ValidationResult result = validator.Validate(merged, frozen_spec);
//   if (!result.passed) for (const ValidationIssue& issue : result.issues) Print(issue);
//
// Pure; thread-safe (const methods). Create fails with kInvalidArgument naming an unknown
// check; Validate never fails: findings are issues.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/base/error.h"
#include "hfs/pipeline/merger.h"
#include "hfs/spec/spec.h"

namespace hfs::pipeline {

enum class Severity { kError, kWarning, kInfo };

// "error", "warning", "info".
std::string_view SeverityName(Severity severity);

struct ValidationIssue {
  Severity severity = Severity::kError;
  // "syntax", "render", "coverage", "accessibility", "performance", "config".
  std::string category;
  std::string message;
  // Empty for issues about the whole output.
  std::string file;
  // 1-based; 0 when the issue has no line.
  int line = 0;
  std::string suggestion;
  // Set by the external validators (hfs/pipeline/external_validators.h): which one found
  // it ("esbuild", "chromium", "axe-core"; "" for the static checks), its rule
  // ("syntax-error", "console-error", "section-empty", an axe rule id such as "image-alt")
  // and the spec section it belongs to, when known.
  std::string validator;
  std::string rule;
  std::string section;
};

// One external validator's part in a validation.
struct ValidatorRun {
  enum class Status { kPassed, kFailed, kSkipped, kError };
  // "esbuild", "chromium", "axe-core".
  std::string name;
  Status status = Status::kSkipped;
  // Why it was skipped or could not run (kSkipped, kError); "" otherwise.
  std::string reason;
  std::string version;
  int errors = 0;
  int warnings = 0;
  int64_t duration_ms = 0;
};

// "passed", "failed", "skipped", "error".
std::string_view ValidatorStatusName(ValidatorRun::Status status);

struct ValidationCounts {
  int total = 0;
  int errors = 0;
  int warnings = 0;
  int infos = 0;
};

struct ValidationResult {
  // No error, and in strict mode no warning either.
  bool passed = true;
  std::vector<ValidationIssue> issues;
  // The groups run, in run order: "syntax", "render", "coverage", "accessibility",
  // "performance".
  std::vector<std::string> checks_run;
  ValidationCounts counts;
  // The external validators, run or skipped (empty when none was configured).
  std::vector<ValidatorRun> validators;
};

// kStrict: any warning fails the validation.
enum class Strictness { kNormal, kStrict };

struct ValidatorOptions {
  // Names from kValidationChecks; empty runs every group.
  std::vector<std::string> checks;
  Strictness strictness = Strictness::kNormal;
};

class Validator {
 public:
  // kInvalidArgument when a check name is not in kValidationChecks.
  static Result<Validator> Create(ValidatorOptions options);

  ValidationResult Validate(const MergedOutput& merged, const spec::Spec& spec) const;

 private:
  Validator() = default;

  std::vector<std::string> groups_;
  bool contradictions_requested_ = false;
  Strictness strictness_ = Strictness::kNormal;
};

}  // namespace hfs::pipeline
