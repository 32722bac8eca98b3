// The real external validators (esbuild, headless Chromium, axe-core from tools/validators)
// on the known-good and known-bad artifacts of testdata/validators. The tools must be
// installed (`npm ci --prefix tools/validators`, Debian's chromium): a missing tool fails
// these tests, unless HFS_VALIDATORS_OPTIONAL=1, which skips them with the reason.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "hfs/base/check.h"
#include "hfs/base/env.h"
#include "hfs/base/file.h"
#include "hfs/pipeline/external_validators.h"
#include "hfs/testing/temp_dir.h"

extern char** environ;

namespace hfs::pipeline {
namespace {

namespace fs = std::filesystem;
using Status = ValidatorRun::Status;

const fs::path kCases = fs::path(HFS_SOURCE_DIR) / "src/hfs/pipeline/testdata/validators";

struct Case {
  spec::Spec spec;
  MergedOutput merged;
};

// Each subdirectory of the case is a section owned by "t1"; its files are staged as is.
Case LoadCase(const std::string& name, OutputFormat format) {
  std::vector<std::string> sections;
  for (const fs::directory_entry& entry : fs::directory_iterator(kCases / name)) {
    if (entry.is_directory()) sections.push_back(entry.path().filename().string());
  }
  std::sort(sections.begin(), sections.end());
  // hero before faq, as a page would have them.
  std::reverse(sections.begin(), sections.end());
  spec::Spec spec = HFS_VALUE_OR_DIE(spec::Spec::Create(sections));
  StagedFilesByTriad staged;
  for (const std::string& section : sections) {
    HFS_CHECK(spec.RegisterClaim("t1", section, "the " + section).has_value(), "claim");
    std::vector<fs::path> files;
    for (const fs::directory_entry& entry : fs::directory_iterator(kCases / name / section)) {
      files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
      staged["t1"].push_back({.section = section,
                              .path = section + "/" + file.filename().string(),
                              .content = HFS_VALUE_OR_DIE(ReadFile(file)),
                              .role = "worker"});
    }
  }
  HFS_CHECK(spec.Freeze().has_value(), "freeze");
  MergedOutput merged = Merger(format).Merge(spec, staged);
  return {std::move(spec), std::move(merged)};
}

class ExternalValidatorsIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const Env env = Env::FromProcess(environ);
    tools_ = DetectValidatorTools(ValidatorSearchFrom(env, {HFS_SOURCE_DIR}));
    std::string missing;
    for (const ValidatorTool& tool : tools_.All()) {
      if (!tool.available) missing += fmt::format("\n  {}: {}", tool.name, tool.reason);
    }
    if (missing.empty()) return;
    if (env.GetOr("HFS_VALIDATORS_OPTIONAL", "") == "1") {
      GTEST_SKIP() << "validator tools missing (HFS_VALIDATORS_OPTIONAL=1):" << missing;
    }
    FAIL() << "validator tools missing; install them with `npm ci --prefix tools/validators` "
              "and Debian's chromium (or set HFS_VALIDATORS_OPTIONAL=1 to skip):"
           << missing;
  }

  ExternalValidation Validate(const std::string& name, OutputFormat format) {
    Case loaded = LoadCase(name, format);
    ToolValidators validators(tools_, {.screenshot = screenshots_.path() / (name + ".png")});
    ExternalValidation found = validators.Validate(loaded.merged, loaded.spec, format);
    for (const ValidatorRun& run : found.runs) {
      std::cout << fmt::format("[{}] {}: {} in {} ms {}\n", name, run.name,
                               ValidatorStatusName(run.status), run.duration_ms, run.reason);
    }
    for (const ValidationIssue& issue : found.issues) {
      std::cout << fmt::format("[{}]   {} {} {}:{} [{}] {}\n", name, SeverityName(issue.severity),
                               issue.rule, issue.file, issue.line, issue.section, issue.message);
    }
    return found;
  }

  static const ValidatorRun& Run(const ExternalValidation& found, const std::string& name) {
    auto it = std::find_if(found.runs.begin(), found.runs.end(),
                           [&](const ValidatorRun& run) { return run.name == name; });
    HFS_CHECK(it != found.runs.end(), "no run");
    return *it;
  }

  static const ValidationIssue* Find(const ExternalValidation& found, const std::string& rule) {
    for (const ValidationIssue& issue : found.issues) {
      if (issue.rule == rule) return &issue;
    }
    return nullptr;
  }

  static int Errors(const ExternalValidation& found) {
    return static_cast<int>(std::count_if(
        found.issues.begin(), found.issues.end(),
        [](const ValidationIssue& issue) { return issue.severity == Severity::kError; }));
  }

  ValidatorTools tools_;
  testing::TempDir screenshots_;
};

TEST_F(ExternalValidatorsIntegrationTest, GoodHtmlPagePassesEveryValidatorAndIsScreenshotted) {
  ExternalValidation found = Validate("html_good", OutputFormat::kHtml);
  EXPECT_EQ(Run(found, "esbuild").status, Status::kPassed);
  EXPECT_EQ(Run(found, "chromium").status, Status::kPassed);
  EXPECT_EQ(Run(found, "axe-core").status, Status::kPassed);
  EXPECT_EQ(Errors(found), 0);
  std::error_code ec;
  EXPECT_GT(fs::file_size(screenshots_.path() / "html_good.png", ec), 1000u);
}

TEST_F(ExternalValidatorsIntegrationTest, MissingAltTextIsFoundByAxe) {
  ExternalValidation found = Validate("html_missing_alt", OutputFormat::kHtml);
  EXPECT_EQ(Run(found, "chromium").status, Status::kPassed);
  EXPECT_EQ(Run(found, "axe-core").status, Status::kFailed);
  const ValidationIssue* issue = Find(found, "image-alt");
  ASSERT_NE(issue, nullptr);
  EXPECT_EQ(issue->severity, Severity::kError);
  EXPECT_EQ(issue->validator, "axe-core");
  EXPECT_EQ(issue->section, "hero");
  EXPECT_EQ(issue->file, "hero/hero.html");
  EXPECT_EQ(issue->line, 4);
}

TEST_F(ExternalValidatorsIntegrationTest, ConsoleErrorFailsTheRender) {
  ExternalValidation found = Validate("html_console_error", OutputFormat::kHtml);
  EXPECT_EQ(Run(found, "esbuild").status, Status::kPassed);
  EXPECT_EQ(Run(found, "chromium").status, Status::kFailed);
  const ValidationIssue* issue = Find(found, "console-error");
  ASSERT_NE(issue, nullptr);
  EXPECT_NE(issue->message.find("could not load the answers"), std::string::npos);
  EXPECT_EQ(issue->file, "faq/faq.js");
  EXPECT_EQ(issue->line, 4);
  EXPECT_EQ(issue->section, "faq");
}

TEST_F(ExternalValidatorsIntegrationTest, SyntaxErrorFailsEsbuildWithFileAndLine) {
  ExternalValidation found = Validate("html_syntax_error", OutputFormat::kHtml);
  EXPECT_EQ(Run(found, "esbuild").status, Status::kFailed);
  const ValidationIssue* issue = Find(found, "syntax-error");
  ASSERT_NE(issue, nullptr);
  EXPECT_EQ(issue->validator, "esbuild");
  EXPECT_EQ(issue->file, "faq/faq.js");
  EXPECT_EQ(issue->line, 3);
  EXPECT_EQ(issue->section, "faq");
}

TEST_F(ExternalValidatorsIntegrationTest, EmptySectionFailsTheRender) {
  ExternalValidation found = Validate("html_empty_section", OutputFormat::kHtml);
  EXPECT_EQ(Run(found, "chromium").status, Status::kFailed);
  const ValidationIssue* issue = Find(found, "section-empty");
  ASSERT_NE(issue, nullptr);
  EXPECT_EQ(issue->section, "faq");
  EXPECT_EQ(issue->file, "faq/faq.html");
}

TEST_F(ExternalValidatorsIntegrationTest, GoodReactAppIsBundledWithReactAndRendered) {
  ExternalValidation found = Validate("react_good", OutputFormat::kReact);
  EXPECT_EQ(Run(found, "esbuild").status, Status::kPassed);
  EXPECT_EQ(Run(found, "chromium").status, Status::kPassed);
  EXPECT_EQ(Run(found, "axe-core").status, Status::kPassed);
  EXPECT_EQ(Errors(found), 0);
}

TEST_F(ExternalValidatorsIntegrationTest, ReactSyntaxErrorFailsTheBundleAndSkipsTheRender) {
  ExternalValidation found = Validate("react_syntax_error", OutputFormat::kReact);
  EXPECT_EQ(Run(found, "esbuild").status, Status::kFailed);
  const ValidationIssue* issue = Find(found, "syntax-error");
  ASSERT_NE(issue, nullptr);
  EXPECT_EQ(issue->file, "faq/Faq.tsx");
  EXPECT_GE(issue->line, 9);
  EXPECT_EQ(issue->section, "faq");
  EXPECT_EQ(Run(found, "chromium").status, Status::kSkipped);
  EXPECT_NE(Run(found, "chromium").reason.find("not bundled"), std::string::npos);
}

TEST_F(ExternalValidatorsIntegrationTest, EmptyReactSectionFailsTheRender) {
  ExternalValidation found = Validate("react_empty_section", OutputFormat::kReact);
  EXPECT_EQ(Run(found, "chromium").status, Status::kFailed);
  const ValidationIssue* issue = Find(found, "section-empty");
  ASSERT_NE(issue, nullptr);
  EXPECT_EQ(issue->section, "faq");
  EXPECT_EQ(issue->file, "faq/Faq.tsx");
}

}  // namespace
}  // namespace hfs::pipeline
