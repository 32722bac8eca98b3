// `hfs run` builds one page from the request, for every output format: the regions come
// from the request, concerns are never rendered as panels, and the page the run points to
// opens from file:// in headless Chromium with no console error (the chromium validator).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "hfs/base/file.h"
#include "hfs/testing/temp_dir.h"
#include "tests/e2e/emulator_process.h"
#include "tests/e2e/run_hfs.h"

namespace hfs {
namespace {

using nlohmann::json;

constexpr char kRequest[] =
    "A pricing page for a SaaS product with three tiers, a feature comparison table and an FAQ";

int Count(const std::string& text, const std::string& needle) {
  int count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

bool ValidatorsRequired() {
  const char* optional = std::getenv("HFS_VALIDATORS_OPTIONAL");
  return optional == nullptr || std::string(optional) != "1";
}

// One `hfs run` of kRequest with the config `text` (written to HOME/NAME.yaml) against
// `emulator`; `run` gets the process's exit code and output, the result is the --json summary.
json RunWithConfig(const EmulatorProcess& emulator, const testing::TempDir& home,
                   const testing::TempDir& out, const std::string& name, const std::string& text,
                   HfsRun& run) {
  const std::filesystem::path config = home.path() / (name + ".yaml");
  EXPECT_TRUE(WriteFileAtomic(config, text).has_value());
  run = RunHfs(
      home.path(),
      "run -c " + config.string() + " -r '" + kRequest + "' -o " + out.path().string() + " --json",
      Streams::kStdoutOnly, emulator.Env());
  return json::parse(run.output, nullptr, false);
}

json ReportOf(const json& summary) {
  return json::parse(
      ReadFile(std::filesystem::path(summary["run_dir"].get<std::string>()) / "hfs-report.json")
          .value_or("{}"));
}

class PageE2eTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { ASSERT_TRUE(emulator_.started()) << "hfs-emulator did not start"; }

  // The standard example with `output.format` set to the test's format.
  std::filesystem::path Config() {
    std::string text = ReadFile("config/examples/standard.yaml").value();
    size_t at = text.find("\noutput:\n");
    EXPECT_NE(at, std::string::npos);
    text.insert(at + 9, "  format: " + GetParam() + "\n");
    std::filesystem::path path = home_.path() / ("standard-" + GetParam() + ".yaml");
    EXPECT_TRUE(WriteFileAtomic(path, text).has_value());
    return path;
  }

  EmulatorProcess emulator_;
  testing::TempDir home_;
  testing::TempDir out_;
};

TEST_P(PageE2eTest, RequestBecomesOnePageThatOpensFromFile) {
  HfsRun run = RunHfs(home_.path(),
                      "run -c " + Config().string() + " -r '" + kRequest + "' -o " +
                          out_.path().string() + " --json",
                      Streams::kStdoutOnly, emulator_.Env());
  json out = json::parse(run.output, nullptr, false);
  ASSERT_FALSE(out.is_discarded()) << run.output;
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_EQ(out["success"], true);
  const std::filesystem::path dir = out["run_dir"].get<std::string>();
  json report = json::parse(ReadFile(dir / "hfs-report.json").value());

  // The regions were planned from the request, in page order.
  EXPECT_EQ(report["page"]["planned"], true);
  std::set<std::string> regions;
  for (const json& region : report["page"]["regions"]) regions.insert(region["id"]);
  EXPECT_TRUE(regions.contains("pricing")) << report["page"].dump(2);
  EXPECT_TRUE(regions.contains("faq")) << report["page"].dump(2);
  EXPECT_TRUE(report["page"]["sections_without_code"].empty());
  EXPECT_FALSE(report["page"]["tokens"].empty()) << "the foundations wave defined no token";

  // The composition renders exactly the regions; no concern is a panel.
  const std::string composition = ReadFile(dir / (GetParam() == "react"    ? "App.tsx"
                                                  : GetParam() == "vue"    ? "App.vue"
                                                  : GetParam() == "svelte" ? "App.svelte"
                                                                           : "index.html"))
                                      .value();
  EXPECT_EQ(Count(composition, "<section id="), static_cast<int>(regions.size())) << composition;
  for (const json& concern : report["page"]["concerns"]) {
    std::string section = concern["section"];
    EXPECT_EQ(composition.find("data-region=\"" + section), std::string::npos) << section;
  }

  // The page to open: index.html for html, a static build in dist/ for the others.
  const std::string page =
      GetParam() == "html" || GetParam() == "vanilla" ? "index.html" : "dist/index.html";
  EXPECT_EQ(out["page"], (dir / page).string());
  if (ValidatorsRequired()) {
    EXPECT_TRUE(std::filesystem::exists(dir / page)) << page;
    for (const json& validator : report["validation"]["validators"]) {
      if (validator["name"] == "chromium" || validator["name"] == "esbuild") {
        EXPECT_EQ(validator["status"], "passed") << validator.dump();
      }
    }
    std::error_code ec;
    EXPECT_GT(std::filesystem::file_size(dir / "screenshot.png", ec), 5000u);
    EXPECT_TRUE(report["validation"]["passed"].get<bool>()) << report["validation"].dump(2);
  }
}

// minimal.yaml with the budget of each triad in `starved` cut to 1,500 tokens, so they
// are spent before they can write, and only esbuild's check required.
std::string Starved(const std::vector<std::string>& starved) {
  std::string text = ReadFile("config/examples/minimal.yaml").value();
  const std::string budget = "budget: {tokens: 200000, tool_calls: 80, time_ms: 120000}";
  for (const std::string& triad : starved) {
    size_t at = text.find(budget, text.find("id: " + triad));
    if (at == std::string::npos) return "";
    text.replace(at, budget.size(), "budget: {tokens: 1500, tool_calls: 80, time_ms: 120000}");
  }
  text.replace(text.find("validation: [must_compile, must_render]"),
               std::string("validation: [must_compile, must_render]").size(),
               "validation: [must_compile]");
  return text;
}

// A triad that cannot write its sections (its budget is spent before it can) does not
// cost the user the page: another triad takes them over, and the report says so.
TEST(PageFailureE2eTest, AnotherTriadTakesOverTheSectionsOfOneThatCannotWrite) {
  EmulatorProcess emulator;
  ASSERT_TRUE(emulator.started());
  testing::TempDir home;
  testing::TempDir out;
  const std::string text = Starved({"engineering"});
  ASSERT_FALSE(text.empty());
  HfsRun run;
  json summary = RunWithConfig(emulator, home, out, "takeover", text, run);
  ASSERT_FALSE(summary.is_discarded()) << run.output;
  EXPECT_EQ(run.code, 0) << run.output;
  EXPECT_EQ(summary["success"], true) << summary.dump(2);
  json report = ReportOf(summary);
  EXPECT_TRUE(report["page"]["sections_without_code"].empty());
  ASSERT_FALSE(report["takeovers"].empty()) << report["takeovers"];
  for (const json& takeover : report["takeovers"]) {
    EXPECT_EQ(takeover["from"], "engineering");
    EXPECT_EQ(takeover["to"], "design");
    EXPECT_EQ(takeover["reason"], "no code from its owner");
  }
}

// Whatever `pressure.validation` lists, a run in which a section ends without code has not
// given the user the page: every triad's budget is spent before it can write.
TEST(PageFailureE2eTest, ASectionWithoutCodeIsNeverASuccess) {
  EmulatorProcess emulator;
  ASSERT_TRUE(emulator.started());
  testing::TempDir home;
  testing::TempDir out;
  const std::string text = Starved({"design", "engineering"});
  ASSERT_FALSE(text.empty());
  HfsRun run;
  json summary = RunWithConfig(emulator, home, out, "starved", text, run);
  EXPECT_EQ(run.code, 1) << run.output;
  ASSERT_FALSE(summary.is_discarded()) << run.output;
  EXPECT_EQ(summary["success"], false);
  EXPECT_NE(summary["error"].get<std::string>().find("ended without code"), std::string::npos)
      << summary["error"];
  json report = ReportOf(summary);
  EXPECT_FALSE(report["page"]["sections_without_code"].empty());
}

// The standard example as html, with `code_models` (YAML list items) as its code models.
std::string StandardWithCodeModels(const std::string& code_models) {
  std::string text = ReadFile("config/examples/standard.yaml").value();
  text.insert(text.find("\noutput:\n") + 9, "  format: html\n");
  return text + "\nmodel_tiers:\n  code_models:\n" + code_models;
}

// A code model whose regions do not build (hfs-emulator's `:broken` model: an unclosed
// function in each region's script until it is told its code failed HFS's build): each
// failing region is written again once with its errors (file and line), and the page then
// builds and opens.
TEST(PageRepairE2eTest, ARegionThatFailsToBuildIsRepairedOnceWithItsErrors) {
  EmulatorProcess emulator;
  ASSERT_TRUE(emulator.started());
  testing::TempDir home;
  testing::TempDir out;
  const std::string text =
      StandardWithCodeModels("    - {provider: cerebras, model: \"zai-glm-4.7:broken\"}\n");
  HfsRun run;
  json summary = RunWithConfig(emulator, home, out, "broken", text, run);
  ASSERT_FALSE(summary.is_discarded()) << run.output;
  json report = ReportOf(summary);
  const json& repairs = report["page"]["repairs"];
  ASSERT_FALSE(repairs.empty()) << report["validation"].dump(2);
  for (const json& repair : repairs) {
    EXPECT_EQ(repair["outcome"], "repaired") << repair.dump();
    ASSERT_FALSE(repair["errors"].empty());
    // The errors given to the model name the file and line.
    EXPECT_NE(repair["errors"][0].get<std::string>().find(".html:"), std::string::npos)
        << repair.dump();
  }
  EXPECT_EQ(run.code, 0) << run.output;
  EXPECT_EQ(summary["success"], true) << summary["error"];
  EXPECT_TRUE(report["validation"]["passed"].get<bool>()) << report["validation"].dump(2);
}

// A code model whose code fails validation is not asked to repair it: the triad's code
// model list moves to its next entry, which writes the region again, and the page builds.
TEST(PageRepairE2eTest, CodeThatFailsValidationIsRewrittenByTheNextCodeModel) {
  EmulatorProcess emulator;
  ASSERT_TRUE(emulator.started());
  testing::TempDir home;
  testing::TempDir out;
  const std::string text = StandardWithCodeModels(
      "    - {provider: cerebras, model: \"zai-glm-4.7:stubborn\"}\n"
      "    - {provider: cerebras, model: gpt-oss-120b}\n");
  HfsRun run;
  json summary = RunWithConfig(emulator, home, out, "next-model", text, run);
  ASSERT_FALSE(summary.is_discarded()) << run.output;
  json report = ReportOf(summary);
  const json& repairs = report["page"]["repairs"];
  ASSERT_FALSE(repairs.empty()) << report["validation"].dump(2);
  for (const json& repair : repairs) {
    // The reply names the model as the server does (without the emulator's suffix), and
    // still counts as the list's first entry.
    EXPECT_EQ(repair["model"], "cerebras/zai-glm-4.7") << repair.dump();
    EXPECT_EQ(repair["repair_model"], "cerebras/gpt-oss-120b") << repair.dump();
    EXPECT_EQ(repair["outcome"], "repaired") << repair.dump();
  }
  EXPECT_EQ(run.code, 0) << run.output;
  EXPECT_EQ(summary["success"], true) << summary["error"];
  EXPECT_TRUE(report["validation"]["passed"].get<bool>()) << report["validation"].dump(2);
}

// A region that still fails after its one repair (hfs-emulator's `:stubborn` code model
// keeps every second region broken) is left out of the page and reported with file and
// line; the run does not succeed, and the rest of the page still builds and renders.
TEST(PageRepairE2eTest, ARegionThatStillFailsIsLeftOutAndReportedAndTheRestRenders) {
  EmulatorProcess emulator;
  ASSERT_TRUE(emulator.started());
  testing::TempDir home;
  testing::TempDir out;
  const std::string text =
      StandardWithCodeModels("    - {provider: cerebras, model: \"zai-glm-4.7:stubborn\"}\n");
  HfsRun run;
  json summary = RunWithConfig(emulator, home, out, "stubborn", text, run);
  EXPECT_EQ(run.code, 1) << run.output;
  ASSERT_FALSE(summary.is_discarded()) << run.output;
  EXPECT_EQ(summary["success"], false);
  const std::filesystem::path dir = summary["run_dir"].get<std::string>();
  json report = json::parse(ReadFile(dir / "hfs-report.json").value());
  std::set<std::string> left_out;
  std::set<std::string> repaired;
  for (const json& repair : report["page"]["repairs"]) {
    if (repair["outcome"] == "still failing: left out of the page") {
      left_out.insert(repair["section"]);
    } else if (repair["outcome"] == "repaired") {
      repaired.insert(repair["section"]);
    }
  }
  ASSERT_FALSE(left_out.empty()) << report["page"]["repairs"].dump(2);
  EXPECT_FALSE(repaired.empty()) << report["page"]["repairs"].dump(2);
  // The report names the left-out section's errors with file and line.
  bool located = false;
  for (const json& issue : report["validation"]["issues"]) {
    if (issue["severity"] == "error" && left_out.contains(issue["section"]) &&
        issue["line"].get<int>() > 0 && !issue["file"].get<std::string>().empty()) {
      located = true;
    }
  }
  EXPECT_TRUE(located) << report["validation"]["issues"].dump(2);
  // The rest renders: no console error, and the repaired regions are on the page.
  const std::string page = ReadFile(dir / "index.html").value();
  for (const std::string& section : repaired) {
    EXPECT_NE(page.find("data-section=\"" + section + "\""), std::string::npos) << section;
  }
  if (ValidatorsRequired()) {
    for (const json& issue : report["validation"]["issues"]) {
      EXPECT_NE(issue["rule"], "console-error") << issue.dump();
      EXPECT_NE(issue["rule"], "uncaught-exception") << issue.dump();
      if (issue["rule"] == "section-empty") {
        EXPECT_TRUE(left_out.contains(issue["section"])) << issue.dump();
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Formats, PageE2eTest,
                         ::testing::Values("html", "vanilla", "react", "vue", "svelte"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace hfs
