#include "hfs/pipeline/validator.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "hfs/base/check.h"

namespace hfs::pipeline {
namespace {

spec::Spec FrozenSpec(const std::vector<std::string>& sections) {
  spec::Spec spec = HFS_VALUE_OR_DIE(spec::Spec::Create(sections));
  for (const std::string& section : sections) {
    HFS_CHECK(spec.RegisterClaim("t1", section, "p").has_value(), "claim");
  }
  HFS_CHECK(spec.Freeze().has_value(), "freeze");
  return spec;
}

// One-file output for the file checks (coverage is not selected by these tests).
// A contract in which every section of `spec` is a region whose root id is its name.
page::PageContract RegionsOf(const spec::Spec& spec, std::string format) {
  page::PageOutline outline{.title = "t"};
  std::map<std::string, page::SectionRole> roles;
  std::vector<page::FrozenSection> sections;
  for (const spec::Section& section : spec.Sections()) {
    outline.regions.push_back({.id = section.name, .section = section.name, .title = section.name});
    roles[section.name] = {.kind = page::SectionKind::kRegion};
    sections.push_back({section.name, section.owner.value_or(""), ""});
  }
  return page::MakeContract(outline, sections, roles, std::move(format), "plain CSS");
}

MergedOutput OneFile(std::string path, std::string content) {
  MergedOutput out;
  out.files[std::move(path)] = std::move(content);
  return out;
}

ValidationResult Check(const MergedOutput& out, std::vector<std::string> checks,
                       Strictness strictness = Strictness::kNormal) {
  Validator validator =
      HFS_VALUE_OR_DIE(Validator::Create({.checks = std::move(checks), .strictness = strictness}));
  return validator.Validate(out, FrozenSpec({"hero"}));
}

std::vector<std::string> Messages(const ValidationResult& result, std::string_view category) {
  std::vector<std::string> messages;
  for (const ValidationIssue& issue : result.issues) {
    if (issue.category == category) {
      messages.push_back(fmt::format("{}:{} {} {}", issue.file, issue.line,
                                     SeverityName(issue.severity), issue.message));
    }
  }
  return messages;
}

TEST(ValidatorTest, CleanComponentPasses) {
  MergedOutput out = OneFile("Hero.tsx",
                             "// it's fine: { ( [\n"
                             "export default function Hero() {\n"
                             "  const s = `a ${'}'} b`;\n"
                             "  return <section aria-label=\"hero\"><p>Don't {s}</p>"
                             "<img src=\"a.png\" alt=\"\" /></section>;\n"
                             "}\n");
  ValidationResult result =
      Check(out, {"must_compile", "accessibility_a11y", "performance_budget"});
  EXPECT_TRUE(result.passed);
  EXPECT_TRUE(result.issues.empty()) << result.issues.front().message;
  EXPECT_EQ(result.checks_run,
            (std::vector<std::string>{"syntax", "accessibility", "performance"}));
}

TEST(ValidatorTest, SyntaxErrorsCarryLines) {
  MergedOutput out = OneFile("app.js", "cosnt a = 1;\nconst b = 'open;\nfunction f() {\n");
  ValidationResult result = Check(out, {"must_compile"});
  EXPECT_FALSE(result.passed);
  std::vector<std::string> messages = Messages(result, "syntax");
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_NE(messages[0].find("app.js:2 error unterminated string"), std::string::npos);
  EXPECT_NE(messages[1].find("app.js:3 error '{' is never closed"), std::string::npos);
  EXPECT_NE(messages[2].find("app.js:1 error 'cosnt' is a typo"), std::string::npos);
  EXPECT_EQ(result.counts.errors, 3);
}

TEST(ValidatorTest, TyposInStringsAndCommentsAreFine) {
  MergedOutput out = OneFile("a.ts", "// retrun\nconst t = 'functoin';\n");
  EXPECT_TRUE(Check(out, {"must_compile"}).issues.empty());
}

TEST(ValidatorTest, HtmlStructure) {
  MergedOutput bad = OneFile("page.html", "<div>\n<span>x</div>\n<section>\n");
  std::vector<std::string> messages = Messages(Check(bad, {"must_compile"}), "syntax");
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_NE(messages[0].find("page.html:2 error </div> does not match <span>"), std::string::npos);
  EXPECT_NE(messages[1].find("page.html:3 error <section> is never closed"), std::string::npos);
  MergedOutput good = OneFile("page.html",
                              "<!DOCTYPE html><html><body><ul><li>a<li>b</ul><br><p>x"
                              "<script>if (a < b) { go('</div>'); }</script></body></html>");
  EXPECT_TRUE(Check(good, {"must_compile"}).issues.empty());
}

TEST(ValidatorTest, CssAndInlineScriptsAreScanned) {
  MergedOutput out;
  out.files["a.css"] = "a { color: red;\n";
  out.files["b.html"] = "<p>ok</p>\n<script>\nconst x = (1;\n</script>\n";
  std::vector<std::string> messages = Messages(Check(out, {"must_compile"}), "syntax");
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_NE(messages[0].find("a.css:1 error"), std::string::npos);
  EXPECT_NE(messages[1].find("b.html:3 error"), std::string::npos);
}

TEST(ValidatorTest, RenderCheck) {
  MergedOutput none = OneFile("Hero.tsx", "export default function Hero() { compute(); }\n");
  EXPECT_EQ(Messages(Check(none, {"must_render"}), "render"),
            (std::vector<std::string>{"Hero.tsx:0 warning component file renders no JSX"}));
  MergedOutput arrow = OneFile("Hero.tsx", "const Hero = () => (<div/>);\nexport default Hero;\n");
  EXPECT_TRUE(Messages(Check(arrow, {"must_render"}), "render").empty());
  MergedOutput util = OneFile("util.ts", "export const add = (a, b) => a + b;\n");
  EXPECT_TRUE(Messages(Check(util, {"must_render"}), "render").empty());
}

TEST(ValidatorTest, AccessibilityChecks) {
  MergedOutput out = OneFile("Form.tsx",
                             "export default function Form() {\n"
                             "  return (<form>\n"
                             "    <img src=\"x.png\" />\n"
                             "    <button onClick={go}><svg /></button>\n"
                             "    <div onClick={go}>x</div>\n"
                             "    <input type=\"text\" />\n"
                             "    <label>Name <input type=\"text\" /></label>\n"
                             "    <label htmlFor=\"mail\">Mail</label><input id=\"mail\" />\n"
                             "    <input type=\"hidden\" />\n"
                             "    <button aria-label=\"close\"><svg /></button>\n"
                             "    <button>Save</button>\n"
                             "    <div onClick={go} role=\"button\" tabIndex={0}>ok</div>\n"
                             "  </form>);\n"
                             "}\n");
  ValidationResult result = Check(out, {"accessibility_basic"});
  EXPECT_EQ(Messages(result, "accessibility"),
            (std::vector<std::string>{
                "Form.tsx:3 error <img> has no alt text",
                "Form.tsx:4 warning icon-only <button> has no aria-label",
                "Form.tsx:5 warning clickable <div> has no role or tabIndex",
                "Form.tsx:6 warning <input> has no label",
            }));
  EXPECT_FALSE(result.passed);
}

TEST(ValidatorTest, PerformanceChecks) {
  MergedOutput out = OneFile("List.jsx",
                             "export default function List({items}) {\n"
                             "  console.log(items); // console.warn('no')\n"
                             "  const s = 'console.error(x)';\n"
                             "  return <ul>{items.map((i) => <li>{i}</li>)}"
                             "{items.map((i) => <li>{i}</li>)}</ul>;\n"
                             "}\n");
  EXPECT_EQ(Messages(Check(out, {"performance_budget"}), "performance"),
            (std::vector<std::string>{
                "List.jsx:2 warning console.log call left in the code",
                "List.jsx:4 warning list items rendered by .map() have no key (<li>)",
            }));
  MergedOutput keyed = OneFile("List.jsx",
                               "export default function List({items}) {\n"
                               "  return <ul>{items.map((i) => <li key={i}>{i}</li>)}</ul>;\n}\n");
  EXPECT_TRUE(Messages(Check(keyed, {"performance_budget"}), "performance").empty());
}

TEST(ValidatorTest, ChecksListIsHonoured) {
  MergedOutput out = OneFile("a.html", "<img src=\"x\">\n<script>console.log(1)</script>\n");
  ValidationResult syntax_only = Check(out, {"must_compile"});
  EXPECT_EQ(syntax_only.checks_run, (std::vector<std::string>{"syntax"}));
  EXPECT_TRUE(syntax_only.issues.empty());
  ValidationResult all = Check(out, {});
  EXPECT_EQ(all.checks_run, (std::vector<std::string>{"syntax", "render", "coverage",
                                                      "accessibility", "performance"}));
  EXPECT_FALSE(Messages(all, "accessibility").empty());
  EXPECT_FALSE(Messages(all, "performance").empty());
  ValidationResult contradictions = Check(out, {"no_contradictions"});
  EXPECT_TRUE(contradictions.checks_run.empty());
  ASSERT_EQ(contradictions.issues.size(), 1u);
  EXPECT_EQ(contradictions.issues[0].severity, Severity::kInfo);
  Result<Validator> unknown = Validator::Create({.checks = {"must_fly"}});
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidArgument);
}

TEST(ValidatorTest, CoverageErrorsForMissingSections) {
  spec::Spec spec = FrozenSpec({"hero", "faq"});
  MergedOutput merged =
      Merger(OutputFormat::kHtml)
          .Merge(spec,
                 {{"t1", {{.section = "hero", .path = "hero.html", .content = "<p>hero</p>"}}}},
                 RegionsOf(spec, "html"));
  Validator validator = HFS_VALUE_OR_DIE(Validator::Create({.checks = {"must_render"}}));
  ValidationResult result = validator.Validate(merged, spec);
  EXPECT_FALSE(result.passed);
  ASSERT_EQ(Messages(result, "coverage").size(), 1u);
  EXPECT_NE(Messages(result, "coverage")[0].find("section 'faq' has no files"), std::string::npos);

  merged.files["index.html"] = "<main><section id=\"faq\"></section></main>";
  merged.files_by_section["faq"] = {"hero.html"};
  std::vector<std::string> messages = Messages(validator.Validate(merged, spec), "coverage");
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_NE(messages[0].find("has no element for section 'hero'"), std::string::npos);
}

TEST(ValidatorTest, CoverageForReactChecksTheAppRendersEachSection) {
  spec::Spec spec = FrozenSpec({"hero"});
  MergedOutput merged = Merger(OutputFormat::kReact)
                            .Merge(spec,
                                   {{"t1",
                                     {{.section = "hero",
                                       .path = "Hero.tsx",
                                       .content = "export default function Hero() "
                                                  "{ return <h1>x</h1>; }"}}}},
                                   RegionsOf(spec, "react"));
  Validator validator = HFS_VALUE_OR_DIE(Validator::Create({.checks = {"must_render"}}));
  EXPECT_TRUE(validator.Validate(merged, spec).passed);
  merged.files["App.tsx"] =
      "import Hero from './Hero';\nexport default function App() { return <main/>; }";
  std::vector<std::string> messages = Messages(validator.Validate(merged, spec), "coverage");
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_NE(messages[0].find("does not render a component of section 'hero'"), std::string::npos);
}

TEST(ValidatorTest, StrictModeFailsOnWarnings) {
  MergedOutput out = OneFile("a.js", "console.log(1);\n");
  EXPECT_TRUE(Check(out, {"performance_budget"}).passed);
  ValidationResult strict = Check(out, {"performance_budget"}, Strictness::kStrict);
  EXPECT_FALSE(strict.passed);
  EXPECT_EQ(strict.counts.warnings, 1);
  EXPECT_EQ(strict.counts.total, 1);
}

}  // namespace
}  // namespace hfs::pipeline
