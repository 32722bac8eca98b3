// The real external validators (esbuild, headless Chromium, axe-core from tools/validators)
// on the known-good and known-bad artifacts of testdata/validators. The tools must be
// installed (`npm ci --prefix tools/validators`, Debian's chromium): a missing tool fails
// these tests, unless HFS_VALIDATORS_OPTIONAL=1, which skips them with the reason.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>
#include <tuple>

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
  MergedOutput merged;
  // The element ids of the regions, in page order.
  std::vector<std::string> region_ids;
};

std::vector<std::string> SortedEntries(const fs::path& dir, bool directories) {
  std::vector<std::string> out;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    if (entry.is_directory() == directories) out.push_back(entry.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool EndsWith(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string Stem(const std::string& path) {
  const std::string name = fs::path(path).filename().string();
  return name.substr(0, name.rfind('.'));
}

std::string SectionOpen(const std::string& section) {
  return fmt::format("<section id=\"{}\" data-section=\"{}\">", SectionElementId(section), section);
}

// The page of html cases as a merger composes it: each section's .html fragment inside its
// <section>, every .css linked and every .js loaded with <script defer>.
void ComposeHtml(const std::vector<std::string>& sections, MergedOutput& merged) {
  std::string head;
  std::string main;
  for (const std::string& section : sections) {
    main += "    " + SectionOpen(section) + "\n";
    for (const std::string& path : merged.files_by_section[section]) {
      if (EndsWith(path, ".css"))
        head += fmt::format("  <link rel=\"stylesheet\" href=\"{}\">\n", path);
      if (EndsWith(path, ".js"))
        head += fmt::format("  <script defer src=\"{}\"></script>\n", path);
      if (EndsWith(path, ".html")) main += merged.files.at(path) + "\n";
    }
    main += "    </section>\n";
  }
  merged.files["index.html"] = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n"
      "  <title>HFS frontend</title>\n{}</head>\n<body>\n  <main>\n{}  </main>\n</body>\n"
      "</html>\n",
      head, main);
  merged.composition = "index.html";
}

// The app of react cases as a merger composes it: App.tsx rendering each section's
// component inside its <section> and importing every .css, main.tsx, index.html.
void ComposeReact(const std::vector<std::string>& sections, MergedOutput& merged) {
  std::string imports;
  std::string main;
  for (const std::string& section : sections) {
    main += "      " + SectionOpen(section) + "\n";
    for (const std::string& path : merged.files_by_section[section]) {
      if (EndsWith(path, ".css")) imports += fmt::format("import './{}';\n", path);
      if (!EndsWith(path, ".tsx")) continue;
      const std::string stem = path.substr(0, path.size() - 4);
      imports += fmt::format("import {} from './{}';\n", Stem(path), stem);
      main += fmt::format("        <{} />\n", Stem(path));
    }
    main += "      </section>\n";
  }
  merged.files["App.tsx"] = fmt::format(
      "{}\nexport default function App() {{\n  return (\n    <main>\n{}    </main>\n  );\n}}\n",
      imports, main);
  merged.files["main.tsx"] =
      "import { createRoot } from 'react-dom/client';\nimport App from './App';\n\n"
      "createRoot(document.getElementById('root')!).render(<App />);\n";
  merged.files["index.html"] =
      "<!DOCTYPE html>\n<html lang=\"en\">\n  <head>\n    <meta charset=\"UTF-8\" />\n"
      "    <title>HFS frontend</title>\n  </head>\n  <body>\n    <div id=\"root\"></div>\n"
      "    <script type=\"module\" src=\"/main.tsx\"></script>\n  </body>\n</html>\n";
  merged.composition = "App.tsx";
}

// Each subdirectory of a case is one region's section, its files kept as they are. A case
// holding index.html is a whole app as the merger writes it (index.html, main.ts,
// App.vue / App.svelte composing the components); otherwise the page is composed here the
// way the merger does for html and react (the validators are tested, not the merger).
Case LoadCase(const std::string& name, OutputFormat format) {
  const fs::path dir = kCases / name;
  std::vector<std::string> sections = SortedEntries(dir, true);
  // hero before faq, as a page would have them.
  std::reverse(sections.begin(), sections.end());
  Case out;
  out.merged.entry_point = "index.html";
  for (const std::string& section : sections) {
    out.region_ids.push_back(SectionElementId(section));
    out.merged.region_ids[section] = SectionElementId(section);
    out.merged.region_order.push_back(section);
    for (const std::string& file : SortedEntries(dir / section, false)) {
      out.merged.files[section + "/" + file] = HFS_VALUE_OR_DIE(ReadFile(dir / section / file));
      out.merged.files_by_section[section].push_back(section + "/" + file);
    }
  }
  if (!fs::exists(dir / "index.html")) {
    if (format == OutputFormat::kReact) {
      ComposeReact(sections, out.merged);
    } else {
      ComposeHtml(sections, out.merged);
    }
    return out;
  }
  for (const std::string& file : SortedEntries(dir, false)) {
    out.merged.files[file] = HFS_VALUE_OR_DIE(ReadFile(dir / file));
    if (file.rfind("App.", 0) == 0) out.merged.composition = file;
  }
  return out;
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

  // `region_ids` replaces the case's own when given.
  ExternalValidation Validate(const std::string& name, OutputFormat format,
                              std::optional<std::vector<std::string>> region_ids = {}) {
    Case loaded = LoadCase(name, format);
    ToolValidators validators(tools_, {.screenshot = screenshots_.path() / (name + ".png")});
    ExternalValidation found =
        validators.Validate(loaded.merged, region_ids.value_or(loaded.region_ids), format);
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

  // Every page of a good case: built (or not) as its format wants, no error of any kind.
  void ExpectOpensCleanly(const std::string& name, OutputFormat format,
                          const ExternalValidation& found) {
    SCOPED_TRACE(name);
    EXPECT_EQ(Run(found, "esbuild").status, Status::kPassed);
    EXPECT_EQ(Run(found, "chromium").status, Status::kPassed);
    EXPECT_EQ(Run(found, "axe-core").status, Status::kPassed);
    EXPECT_EQ(Errors(found), 0);
    EXPECT_EQ(Find(found, "console-error"), nullptr);
    EXPECT_EQ(Find(found, "uncaught-exception"), nullptr);
    std::error_code ec;
    EXPECT_GT(fs::file_size(screenshots_.path() / (name + ".png"), ec), 1000u);
    if (format == OutputFormat::kHtml || format == OutputFormat::kVanilla) {
      EXPECT_EQ(found.entry_point, "index.html");
      EXPECT_TRUE(found.built_files.empty());
      return;
    }
    EXPECT_EQ(found.entry_point, "dist/index.html");
    ASSERT_EQ(found.built_files.count("dist/index.html"), 1u);
    ASSERT_EQ(found.built_files.count("dist/app.js"), 1u);
    const std::string& page = found.built_files.at("dist/index.html");
    EXPECT_NE(page.find("<script src=\"app.js\" defer></script>"), std::string::npos) << page;
    EXPECT_EQ(page.find("type=\"module\""), std::string::npos) << page;
    EXPECT_EQ(page.find("main.ts"), std::string::npos) << page;
    EXPECT_EQ(found.built_files.at("dist/app.js").find("process.env.NODE_ENV"), std::string::npos);
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
  ExpectOpensCleanly("html_good", OutputFormat::kHtml, Validate("html_good", OutputFormat::kHtml));
}

TEST_F(ExternalValidatorsIntegrationTest, GoodVanillaPageOpensAsItIs) {
  ExpectOpensCleanly("html_good", OutputFormat::kVanilla,
                     Validate("html_good", OutputFormat::kVanilla));
}

TEST_F(ExternalValidatorsIntegrationTest, RegionsOutOfPageOrderAreAFinding) {
  ExternalValidation found = Validate("html_good", OutputFormat::kHtml, {{"faq", "hero"}});
  EXPECT_EQ(Run(found, "chromium").status, Status::kFailed);
  const ValidationIssue* issue = Find(found, "region-order");
  ASSERT_NE(issue, nullptr);
  EXPECT_EQ(issue->severity, Severity::kError);
  EXPECT_NE(issue->message.find("expected faq, hero"), std::string::npos) << issue->message;
  EXPECT_EQ(issue->section, "hero");
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

TEST_F(ExternalValidatorsIntegrationTest, GoodReactAppIsBuiltAndOpensFromFile) {
  ExpectOpensCleanly("react_good", OutputFormat::kReact,
                     Validate("react_good", OutputFormat::kReact));
}

TEST_F(ExternalValidatorsIntegrationTest, ReactSyntaxErrorFailsTheBuildAndSkipsTheRender) {
  ExternalValidation found = Validate("react_syntax_error", OutputFormat::kReact);
  EXPECT_EQ(Run(found, "esbuild").status, Status::kFailed);
  const ValidationIssue* issue = Find(found, "syntax-error");
  ASSERT_NE(issue, nullptr);
  EXPECT_EQ(issue->file, "faq/Faq.tsx");
  EXPECT_GE(issue->line, 9);
  EXPECT_EQ(issue->section, "faq");
  EXPECT_EQ(Run(found, "chromium").status, Status::kSkipped);
  EXPECT_NE(Run(found, "chromium").reason.find("not built"), std::string::npos);
  EXPECT_EQ(found.entry_point, "");
  EXPECT_TRUE(found.built_files.empty());
}

TEST_F(ExternalValidatorsIntegrationTest, ImportOfAPackageThatIsNotInstalledIsABuildError) {
  ExternalValidation found = Validate("react_missing_package", OutputFormat::kReact);
  EXPECT_EQ(Run(found, "esbuild").status, Status::kFailed);
  const ValidationIssue* issue = Find(found, "syntax-error");
  ASSERT_NE(issue, nullptr);
  EXPECT_EQ(issue->file, "faq/Faq.tsx");
  EXPECT_EQ(issue->line, 2);
  EXPECT_EQ(issue->section, "faq");
  EXPECT_NE(issue->message.find("canvas-confetti"), std::string::npos) << issue->message;
  EXPECT_EQ(Run(found, "chromium").status, Status::kSkipped);
}

TEST_F(ExternalValidatorsIntegrationTest, EmptyReactSectionFailsTheRender) {
  ExternalValidation found = Validate("react_empty_section", OutputFormat::kReact);
  EXPECT_EQ(Run(found, "chromium").status, Status::kFailed);
  const ValidationIssue* issue = Find(found, "section-empty");
  ASSERT_NE(issue, nullptr);
  EXPECT_EQ(issue->section, "faq");
  EXPECT_EQ(issue->file, "faq/Faq.tsx");
}

TEST_F(ExternalValidatorsIntegrationTest, GoodVueAppIsBuiltAndOpensFromFile) {
  ExternalValidation found = Validate("vue_good", OutputFormat::kVue);
  ExpectOpensCleanly("vue_good", OutputFormat::kVue, found);
  // <style scoped> of the component, scoped to it, in the built CSS.
  ASSERT_EQ(found.built_files.count("dist/app.css"), 1u);
  EXPECT_NE(found.built_files.at("dist/app.css").find(".lead[data-v-"), std::string::npos);
  EXPECT_NE(found.built_files.at("dist/index.html").find("<div id=\"app\"></div>"),
            std::string::npos);
  EXPECT_NE(found.built_files.at("dist/index.html").find("<title>Simple pricing</title>"),
            std::string::npos);
}

TEST_F(ExternalValidatorsIntegrationTest, GoodSvelteAppIsBuiltAndOpensFromFile) {
  ExternalValidation found = Validate("svelte_good", OutputFormat::kSvelte);
  ExpectOpensCleanly("svelte_good", OutputFormat::kSvelte, found);
  ASSERT_EQ(found.built_files.count("dist/app.css"), 1u);
  EXPECT_NE(found.built_files.at("dist/app.css").find(".lead.svelte-"), std::string::npos);
}

TEST_F(ExternalValidatorsIntegrationTest, EmptyVueAndSvelteRegionsFailTheRender) {
  for (const auto& [name, format, file] :
       {std::tuple{"vue_empty_region", OutputFormat::kVue, "hero/Hero.vue"},
        std::tuple{"svelte_empty_region", OutputFormat::kSvelte, "hero/Hero.svelte"}}) {
    SCOPED_TRACE(name);
    ExternalValidation found = Validate(name, format);
    EXPECT_EQ(Run(found, "esbuild").status, Status::kPassed);
    EXPECT_EQ(Run(found, "chromium").status, Status::kFailed);
    const ValidationIssue* issue = Find(found, "section-empty");
    ASSERT_NE(issue, nullptr);
    EXPECT_EQ(issue->section, "hero");
    EXPECT_EQ(issue->file, file);
    EXPECT_EQ(Find(found, "console-error"), nullptr);
  }
}

TEST_F(ExternalValidatorsIntegrationTest, VueCompileErrorCarriesFileAndLine) {
  ExternalValidation found = Validate("vue_build_error", OutputFormat::kVue);
  EXPECT_EQ(Run(found, "esbuild").status, Status::kFailed);
  const ValidationIssue* issue = Find(found, "syntax-error");
  ASSERT_NE(issue, nullptr);
  EXPECT_EQ(issue->validator, "esbuild");
  EXPECT_EQ(issue->file, "hero/Hero.vue");
  EXPECT_EQ(issue->line, 13);
  EXPECT_EQ(issue->section, "hero");
  EXPECT_EQ(Run(found, "chromium").status, Status::kSkipped);
  EXPECT_NE(Run(found, "chromium").reason.find("vue app was not built"), std::string::npos);
  EXPECT_EQ(found.entry_point, "");
}

TEST_F(ExternalValidatorsIntegrationTest, SvelteCompileErrorCarriesFileAndLine) {
  ExternalValidation found = Validate("svelte_build_error", OutputFormat::kSvelte);
  EXPECT_EQ(Run(found, "esbuild").status, Status::kFailed);
  const ValidationIssue* issue = Find(found, "syntax-error");
  ASSERT_NE(issue, nullptr);
  EXPECT_EQ(issue->file, "hero/Hero.svelte");
  EXPECT_EQ(issue->line, 21);
  EXPECT_EQ(issue->section, "hero");
  EXPECT_EQ(Run(found, "chromium").status, Status::kSkipped);
}

}  // namespace
}  // namespace hfs::pipeline
