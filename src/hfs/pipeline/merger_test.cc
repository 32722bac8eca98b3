#include "hfs/pipeline/merger.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hfs/base/check.h"

namespace hfs::pipeline {
namespace {

using triad::StagedFile;

// A frozen spec: each section owned by the triad given for it.
spec::Spec FrozenSpec(const std::vector<std::pair<std::string, std::string>>& owners) {
  std::vector<std::string> names;
  for (const auto& [section, triad] : owners) names.push_back(section);
  spec::Spec spec = HFS_VALUE_OR_DIE(spec::Spec::Create(names));
  for (const auto& [section, triad] : owners) {
    HFS_CHECK(spec.RegisterClaim(triad, section, "proposal for " + section).has_value(), "claim");
  }
  HFS_CHECK(spec.Freeze().has_value(), "freeze");
  return spec;
}

// The contract of `spec`: sections named "page/<id>" are regions, the others concerns.
page::PageContract ContractOf(const spec::Spec& spec, std::string format) {
  page::PageOutline outline{.title = "Test page"};
  std::map<std::string, page::SectionRole> roles;
  std::vector<page::FrozenSection> sections;
  for (const spec::Section& section : spec.Sections()) {
    sections.push_back({section.name, section.owner.value_or(""), section.content.value_or("")});
    if (section.name.rfind("page/", 0) == 0) {
      std::string id = section.name.substr(5);
      outline.regions.push_back({.id = id, .section = section.name, .title = id});
      roles[section.name] = {.kind = page::SectionKind::kRegion};
    }
  }
  return page::MakeContract(outline, sections, roles, std::move(format), "plain CSS");
}

MergedOutput MergeAs(OutputFormat format, const spec::Spec& spec,
                     const StagedFilesByTriad& staged) {
  return Merger(format).Merge(spec, staged,
                              ContractOf(spec, std::string(OutputFormatName(format))));
}

bool HasIssue(const MergedOutput& out, std::string_view rule, std::string_view file, int line) {
  for (const page::PageIssue& issue : out.page_issues) {
    if (issue.rule == rule && issue.file == file && issue.line == line) return true;
  }
  return false;
}

bool HasWarningContaining(const MergedOutput& out, std::string_view text) {
  for (const std::string& warning : out.warnings) {
    if (warning.find(text) != std::string::npos) return true;
  }
  return false;
}

using ::testing::HasSubstr;
using ::testing::Not;

int Count(const std::string& text, std::string_view needle) {
  int count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

// Two regions written with real models' habits: Markdown fences, their own wrapper,
// global `body` and `.card` rules, top-level `const state`, and the same element id.
StagedFilesByTriad SloppyRegions() {
  return {{"t1",
           {{.section = "page/hero",
             .path = "hero.html",
             .content = "Here is the hero:\n```html\n<section id=\"hero\" class=\"hero dark\">\n"
                        "  <h1 id=\"title\">Ship faster</h1>\n  <div class=\"card\">a</div>\n"
                        "</section>\n<style>\n  body { margin: 0 }\n  .card { color: red }\n"
                        "</style>\n<script>\n  const state = { open: false };\n"
                        "  document.getElementById('title').dataset.ready = 'yes';\n"
                        "</script>\n```\n"},
            {.section = "visual/colors",
             .path = "visual-colors.css",
             .content = ":root { --color-accent: #123456; }\n.card { color: green }\n"}}},
          {"t2",
           {{.section = "page/pricing",
             .path = "pricing.html",
             .content = "<h2 id=\"title\">Plans</h2>\n<div class=\"card\">b</div>\n"
                        "<style>.card { color: blue }</style>\n"
                        "<script>const state = 2; document.getElementById('title').hidden = "
                        "false;</script>\n"}}}};
}

TEST(MergerTest, HtmlRegionsAreIsolatedWhateverTheModelWrote) {
  spec::Spec spec =
      FrozenSpec({{"page/hero", "t1"}, {"page/pricing", "t2"}, {"visual/colors", "t1"}});
  MergedOutput out = MergeAs(OutputFormat::kHtml, spec, SloppyRegions());
  EXPECT_EQ(out.composition, "index.html");
  const std::string& page = out.files.at("index.html");
  // Regions in page order, each in one root; the model's own wrapper is adopted.
  EXPECT_EQ(Count(page, "<section id="), 2) << page;
  EXPECT_LT(page.find("<section id=\"hero\" data-region=\"hero\" class=\"hero dark\" "
                      "data-section=\"page/hero\">"),
            page.find("<section id=\"pricing\" data-region=\"pricing\""));
  EXPECT_THAT(page, Not(HasSubstr("```")));
  EXPECT_THAT(page, Not(HasSubstr("Here is the hero")));
  // The concern is a layered stylesheet, never a panel.
  EXPECT_THAT(page, Not(HasSubstr("data-region=\"visual")));
  EXPECT_THAT(out.files.at("visual-colors.css"), HasSubstr("@layer hfs-concerns"));
  // Each region's CSS is scoped to its root; `body` moved into the scope.
  EXPECT_THAT(page, HasSubstr("#hero .card"));
  EXPECT_THAT(page, HasSubstr("#pricing .card"));
  EXPECT_THAT(page, Not(HasSubstr("body {")));
  // Scripts are separate ES modules, so two `const state` do not collide.
  EXPECT_EQ(Count(page, "<script type=\"module\""), 2);
  // The repeated id is renamed in the later region, with its script's reference.
  EXPECT_EQ(Count(page, "id=\"title\""), 1);
  EXPECT_THAT(page, HasSubstr("id=\"pricing-title\""));
  EXPECT_THAT(page, HasSubstr("getElementById('pricing-title')"));
  EXPECT_THAT(page, HasSubstr("<title>Test page</title>"));
  EXPECT_EQ(out.region_order, (std::vector<std::string>{"page/hero", "page/pricing"}));
  // The tokens concern defines a token no region uses: a warning, not a panel.
  EXPECT_TRUE(HasWarningContaining(out, "no region uses the design tokens of 'visual/colors'"));
}

TEST(MergerTest, AnImportTheToolchainLacksIsAnErrorWithFileAndLineAndTheRestRenders) {
  spec::Spec spec = FrozenSpec({{"page/hero", "t1"}, {"page/pricing", "t1"}});
  StagedFilesByTriad staged = {
      {"t1",
       {{.section = "page/hero",
         .path = "Hero.tsx",
         .content = "export default function Hero() { return <h1 id=\"hero\">Hi</h1>; }\n"},
        {.section = "page/pricing",
         .path = "Pricing.tsx",
         .content = "import { useState } from 'react';\nimport { motion } from 'framer-motion';\n"
                    "export default function Pricing() { return <motion.div />; }\n"}}}};
  MergedOutput out = MergeAs(OutputFormat::kReact, spec, staged);
  EXPECT_TRUE(HasIssue(out, "import", "Pricing.tsx", 2));
  const std::string& app = out.files.at("App.tsx");
  EXPECT_THAT(app, HasSubstr("import HeroRegion from './Hero';"));
  EXPECT_THAT(app, Not(HasSubstr("./Pricing")));
  EXPECT_THAT(app, HasSubstr("<section id=\"pricing\" data-region=\"pricing\" "
                             "data-section=\"page/pricing\">"));
  // The model's own root id inside the component is renamed, so the id stays unique.
  EXPECT_THAT(out.files.at("Hero.tsx"), HasSubstr("id=\"hero-inner\""));
  EXPECT_THAT(out.files.at("main.tsx"), HasSubstr("createRoot"));
}

TEST(MergerTest, ComponentFormatsComposeAnAppWithConcernsFirstAndBehaviourLast) {
  spec::Spec spec = FrozenSpec({{"page/hero", "t1"}, {"visual/colors", "t1"}, {"motion", "t1"}});
  StagedFilesByTriad vue = {
      {"t1",
       {{.section = "page/hero",
         .path = "Hero.vue",
         .content = "<template><h1 class=\"t\">x</h1></template>\n<style>\n.t { color: red }\n"
                    "</style>\n"},
        {.section = "visual/colors", .path = "visual-colors.css", .content = ":root{--a:1px}"},
        {.section = "motion", .path = "motion.js", .content = "document.body.dataset.m = '1';"}}}};
  MergedOutput out = MergeAs(OutputFormat::kVue, spec, vue);
  EXPECT_EQ(out.composition, "App.vue");
  EXPECT_THAT(out.files.at("App.vue"), HasSubstr("import HeroRegion from './Hero.vue';"));
  EXPECT_THAT(out.files.at("Hero.vue"), HasSubstr("#hero .t"));
  const std::string& main = out.files.at("main.ts");
  EXPECT_LT(main.find("import './visual-colors.css';"), main.find("mount('#app')"));
  EXPECT_LT(main.find("mount('#app')"), main.find("import('./motion.js')"));
  StagedFilesByTriad svelte = {
      {"t1", {{.section = "page/hero", .path = "Hero.svelte", .content = "<h1>x</h1>"}}}};
  MergedOutput s = MergeAs(OutputFormat::kSvelte, spec, svelte);
  EXPECT_THAT(s.files.at("App.svelte"), HasSubstr("<HeroRegion />"));
}

TEST(MergerTest, CollisionsAreRenamedDeterministicallyAndIdenticalFilesMerged) {
  spec::Spec spec = FrozenSpec({{"hero", "t2"}, {"faq", "t1"}});
  StagedFilesByTriad staged = {
      {"t1",
       {{.section = "faq", .path = "styles/main.css", .content = ".faq{}"},
        {.section = "faq", .path = "shared.js", .content = "same();"}}},
      {"t2",
       {{.section = "hero", .path = "styles/main.css", .content = ".hero{}"},
        {.section = "hero", .path = "shared.js", .content = "same();"}}}};
  MergedOutput out = MergeAs(OutputFormat::kHtml, spec, staged);
  // hero comes first in the spec, so faq's file is the later one.
  // (Both are concerns here, so their CSS is also put in the concerns' layer.)
  EXPECT_THAT(out.files.at("styles/main.css"), HasSubstr(".hero"));
  EXPECT_THAT(out.files.at("styles/main-faq.css"), HasSubstr(".faq"));
  ASSERT_EQ(out.collisions.size(), 1u);
  const MergeIssue& issue = out.collisions[0];
  EXPECT_EQ(issue.kind, MergeIssue::Kind::kCollision);
  EXPECT_EQ(issue.path, "styles/main.css");
  EXPECT_EQ(issue.renamed_to, "styles/main-faq.css");
  EXPECT_EQ(issue.triads, (std::vector<std::string>{"t2", "t1"}));
  EXPECT_EQ(issue.sections, (std::vector<std::string>{"hero", "faq"}));
  EXPECT_EQ(out.files.at("shared.js"), "same();");
  EXPECT_EQ(out.files_by_section.at("faq"),
            (std::vector<std::string>{"styles/main-faq.css", "shared.js"}));
  EXPECT_EQ(MergeAs(OutputFormat::kHtml, spec, staged).files, out.files);
}

TEST(MergerTest, StagedFileAtAGeneratedPathIsRenamed) {
  spec::Spec spec = FrozenSpec({{"hero", "t1"}});
  StagedFilesByTriad staged = {
      {"t1", {{.section = "hero", .path = "index.html", .content = "<h1>Hero</h1>"}}}};
  MergedOutput out = MergeAs(OutputFormat::kHtml, spec, staged);
  ASSERT_EQ(out.collisions.size(), 1u);
  EXPECT_EQ(out.collisions[0].kind, MergeIssue::Kind::kReservedPath);
  EXPECT_EQ(out.files.at("index-hero.html"), "<h1>Hero</h1>");
}

TEST(MergerTest, BadPathsAreDroppedWithAWarning) {
  spec::Spec spec = FrozenSpec({{"hero", "t1"}});
  StagedFilesByTriad staged = {
      {"t1",
       {{.section = "hero", .path = "../evil.html", .content = "x"},
        {.section = "hero", .path = "hero.py", .content = "x"},
        {.section = "hero", .path = "hero.html", .content = "<p>ok</p>"}}}};
  MergedOutput out = MergeAs(OutputFormat::kHtml, spec, staged);
  EXPECT_EQ(out.files.size(), 2u);  // hero.html + index.html
  EXPECT_TRUE(HasWarningContaining(out, "'../evil.html'"));
  EXPECT_TRUE(HasWarningContaining(out, "'hero.py'"));
  for (const auto& [path, content] : out.files) EXPECT_EQ(path.find(".."), std::string::npos);
}

TEST(MergerTest, SectionWithoutFilesIsAWarningAndARegionWithoutMarkupAnError) {
  spec::Spec spec = FrozenSpec({{"page/hero", "t1"}, {"page/faq", "t1"}});
  StagedFilesByTriad staged = {
      {"t1", {{.section = "page/hero", .path = "hero.html", .content = "<p>hero</p>"}}}};
  MergedOutput out = MergeAs(OutputFormat::kHtml, spec, staged);
  EXPECT_TRUE(HasWarningContaining(out, "section 'page/faq' has no files"));
  EXPECT_TRUE(out.files_by_section.at("page/faq").empty());
  EXPECT_TRUE(HasIssue(out, "no-markup", "", 0));
  MergedOutput react = MergeAs(OutputFormat::kReact, spec, {});
  EXPECT_TRUE(HasWarningContaining(react, "no files were staged"));
}

TEST(MergerTest, NamesAndDefaultExports) {
  EXPECT_EQ(SectionElementId("Pricing Tiers"), "pricing-tiers");
  EXPECT_EQ(SectionElementId("layout/header"), "layout-header");
  EXPECT_EQ(SectionElementId("//"), "section");
  EXPECT_EQ(DefaultExportName("export default function Hero() {}"), "Hero");
  EXPECT_EQ(DefaultExportName("export default async function Load() {}"), "Load");
  EXPECT_EQ(DefaultExportName("class A {}\nexport default A;"), "A");
  EXPECT_EQ(DefaultExportName("export { Faq as default };"), "Faq");
  EXPECT_EQ(DefaultExportName("export default () => <div/>;"), "");
  EXPECT_EQ(DefaultExportName("// export default function Nope() {}\nexport const x = 1;"),
            kNoDefaultExport);
}

}  // namespace
}  // namespace hfs::pipeline
