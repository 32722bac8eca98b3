#include "hfs/pipeline/external_findings.h"

#include <gtest/gtest.h>

#include "hfs/pipeline/external_validators.h"

namespace hfs::pipeline {
namespace {

MergedOutput Merged() {
  MergedOutput merged;
  merged.files = {{"index.html", "<main>\n<section id=\"faq\" data-section=\"faq\">\n</section>"},
                  {"hero/hero.html", "<h1>Hi</h1>\n<img src=\"a.png\">\n"},
                  {"faq/faq.js", "let x = ;\n"}};
  merged.composition = "index.html";
  merged.entry_point = "index.html";
  merged.files_by_section = {{"hero", {"hero/hero.html"}}, {"faq", {"faq/faq.js"}}};
  merged.region_ids = {{"hero", "hero"}, {"faq", "faq"}};
  merged.region_order = {"hero", "faq"};
  return merged;
}

TEST(ExternalFindingsTest, BuildErrorsBecomeSyntaxIssuesOnTheirFileAndSection) {
  MergedOutput merged = Merged();
  Result<BuildFindings> found = ParseBuildOutput(
      "log line\n{\"tool\":\"esbuild\",\"version\":\"0.28.2\",\"ok\":false,\"checked\":2,"
      "\"errors\":[{\"file\":\"faq/faq.js\",\"line\":1,\"column\":9,\"text\":\"Unexpected "
      "\\\";\\\"\"}],"
      "\"warnings\":[],\"page\":null}\n",
      {.merged = &merged, .site = "/tmp/site"});
  ASSERT_TRUE(found.has_value()) << found.error().ToString();
  EXPECT_FALSE(found->ok);
  EXPECT_EQ(found->version, "0.28.2");
  ASSERT_EQ(found->issues.size(), 1u);
  const ValidationIssue& issue = found->issues[0];
  EXPECT_EQ(issue.severity, Severity::kError);
  EXPECT_EQ(issue.category, "syntax");
  EXPECT_EQ(issue.rule, "syntax-error");
  EXPECT_EQ(issue.file, "faq/faq.js");
  EXPECT_EQ(issue.line, 1);
  EXPECT_EQ(issue.section, "faq");
}

TEST(ExternalFindingsTest, RenderFindingsPlaceConsoleErrorsRegionsAndAxeNodes) {
  MergedOutput merged = Merged();
  Result<RenderFindings> found = ParseRenderOutput(
      R"({"tool":"chromium","version":"156","ok":false,
          "console_errors":[{"text":"boom","url":"file:///tmp/site/faq/faq.js","line":1}],
          "page_errors":[{"text":"x is not defined","url":"","line":0}],
          "blocked_requests":["https://cdn.example/x.css"],
          "missing_resources":["file:///tmp/site/a.png"],
          "regions":[{"id":"hero","present":true,"visible":true,"empty":false},
                      {"id":"faq","present":true,"visible":false,"empty":true}],
          "axe":{"version":"4.14.1","violations":[{"id":"image-alt","impact":"critical",
            "help":"Images must have alternative text","helpUrl":"https://x/image-alt",
            "nodes":[{"target":"img","html":"<img src=\"a.png\">","section":"hero"}]},
            {"id":"region","impact":"moderate","help":"Regions","nodes":[{"target":"p",
             "html":"<p>","section":""}]}]}})",
      {.merged = &merged, .site = "/tmp/site"});
  ASSERT_TRUE(found.has_value()) << found.error().ToString();
  EXPECT_EQ(found->chromium_version, "156");
  ASSERT_EQ(found->render_issues.size(), 5u);
  EXPECT_EQ(found->render_issues[0].rule, "console-error");
  EXPECT_EQ(found->render_issues[0].file, "faq/faq.js");
  EXPECT_EQ(found->render_issues[0].section, "faq");
  EXPECT_EQ(found->render_issues[1].rule, "uncaught-exception");
  EXPECT_EQ(found->render_issues[1].file, "");
  EXPECT_EQ(found->render_issues[2].rule, "section-empty");
  EXPECT_EQ(found->render_issues[2].section, "faq");
  EXPECT_EQ(found->render_issues[3].severity, Severity::kWarning);
  EXPECT_EQ(found->render_issues[4].severity, Severity::kInfo);
  ASSERT_TRUE(found->audited);
  ASSERT_EQ(found->axe_issues.size(), 2u);
  EXPECT_EQ(found->axe_issues[0].rule, "image-alt");
  EXPECT_EQ(found->axe_issues[0].severity, Severity::kError);
  EXPECT_EQ(found->axe_issues[0].file, "hero/hero.html");
  EXPECT_EQ(found->axe_issues[0].line, 2);
  EXPECT_EQ(found->axe_issues[0].suggestion, "https://x/image-alt");
  EXPECT_EQ(found->axe_issues[1].severity, Severity::kWarning);
  EXPECT_EQ(found->axe_issues[1].file, "");
}

TEST(ExternalFindingsTest, AMissingSectionRootPointsAtTheComposition) {
  MergedOutput merged = Merged();
  merged.files_by_section["faq"] = {};
  Result<RenderFindings> found =
      ParseRenderOutput(R"({"regions":[{"id":"faq","present":true,"visible":false,"empty":true}]})",
                        {.merged = &merged});
  ASSERT_TRUE(found.has_value());
  ASSERT_EQ(found->render_issues.size(), 1u);
  EXPECT_EQ(found->render_issues[0].file, "index.html");
  EXPECT_EQ(found->render_issues[0].line, 2);
}

TEST(ExternalFindingsTest, RegionsOutOfOrderAreOneErrorOnTheFirstMisplacedRegion) {
  MergedOutput merged = Merged();
  Result<RenderFindings> found = ParseRenderOutput(
      R"({"regions":[{"id":"hero","present":true,"visible":true,"empty":false,"top":400},
                     {"id":"faq","present":true,"visible":true,"empty":false,"top":0}],
          "order":{"ok":false,"expected":["hero","faq"],"actual":["faq","hero"]}})",
      {.merged = &merged});
  ASSERT_TRUE(found.has_value());
  ASSERT_EQ(found->render_issues.size(), 1u);
  const ValidationIssue& issue = found->render_issues[0];
  EXPECT_EQ(issue.rule, "region-order");
  EXPECT_EQ(issue.severity, Severity::kError);
  EXPECT_EQ(issue.section, "faq");
  EXPECT_EQ(issue.file, "faq/faq.js");
  EXPECT_NE(issue.message.find("expected hero, faq"), std::string::npos) << issue.message;
  EXPECT_NE(issue.message.find("shows faq, hero"), std::string::npos) << issue.message;
}

TEST(ExternalFindingsTest, OutputThatIsNotJsonIsDataLoss) {
  MergedOutput merged = Merged();
  EXPECT_EQ(ParseBuildOutput("Segmentation fault", {.merged = &merged}).error().code,
            ErrorCode::kDataLoss);
  EXPECT_EQ(ParseRenderOutput("", {.merged = &merged}).error().code, ErrorCode::kDataLoss);
}

TEST(ExternalFindingsTest, JoinCountsExternalIssuesAndFailsOnErrors) {
  ValidationResult result;
  result.checks_run = {"syntax"};
  JoinExternalValidation(
      result, {.issues = {{.severity = Severity::kWarning, .category = "render"}},
               .runs = {{.name = "esbuild", .status = ValidatorRun::Status::kPassed},
                        {.name = "chromium", .status = ValidatorRun::Status::kSkipped}}});
  EXPECT_TRUE(result.passed);
  EXPECT_EQ(result.counts.warnings, 1);
  EXPECT_EQ(result.checks_run, (std::vector<std::string>{"syntax", "esbuild"}));
  EXPECT_EQ(result.validators.size(), 2u);
  JoinExternalValidation(
      result,
      {.issues = {{.severity = Severity::kError, .category = "render", .file = "faq/faq.js"}}});
  EXPECT_FALSE(result.passed);
  EXPECT_EQ(result.counts.errors, 1);
  MergedOutput merged = Merged();
  EXPECT_EQ(ErrorsBySection(result, merged), (std::map<std::string, int>{{"faq", 1}}));
}

TEST(ExternalFindingsTest, LineOfCountsNewlines) {
  EXPECT_EQ(LineOf("a\nb\nc", "c"), 3);
  EXPECT_EQ(LineOf("a", "z"), 0);
  EXPECT_EQ(LineOf("a", ""), 0);
}

}  // namespace
}  // namespace hfs::pipeline
