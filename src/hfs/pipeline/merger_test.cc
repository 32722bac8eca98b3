#include "hfs/pipeline/merger.h"

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

bool HasWarningContaining(const MergedOutput& out, std::string_view text) {
  for (const std::string& warning : out.warnings) {
    if (warning.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(MergerTest, HtmlPageComposesSectionsInSpecOrderWithStylesAndScripts) {
  spec::Spec spec = FrozenSpec({{"hero", "t2"}, {"faq", "t1"}});
  StagedFilesByTriad staged = {
      {"t1",
       {{.section = "faq", .path = "faq.html", .content = "<dl><dt>Q</dt><dd>A</dd></dl>"},
        {.section = "faq", .path = "faq.js", .content = "document.title = 'x';"}}},
      {"t2",
       {{.section = "hero",
         .path = "hero.html",
         .content = "<!DOCTYPE html><html><head><style>h1{}</style></head><body><h1>Hi</h1></body>"
                    "</html>"},
        {.section = "hero", .path = "styles/hero.css", .content = "h1 { color: red; }"}}}};
  MergedOutput out = Merger(OutputFormat::kHtml).Merge(spec, staged);
  EXPECT_EQ(out.entry_point, "index.html");
  EXPECT_EQ(out.composition, "index.html");
  const std::string& page = out.files.at("index.html");
  size_t hero = page.find("<section id=\"hero\"");
  size_t faq = page.find("<section id=\"faq\"");
  ASSERT_NE(hero, std::string::npos);
  ASSERT_NE(faq, std::string::npos);
  EXPECT_LT(hero, faq);
  EXPECT_LT(page.find("<h1>Hi</h1>"), faq);
  EXPECT_EQ(page.find("<body><h1>"), std::string::npos);  // only the body content
  EXPECT_NE(page.find("<style>h1{}</style>"), std::string::npos);
  EXPECT_GT(page.find("<dl><dt>Q</dt>"), faq);
  EXPECT_NE(page.find("<link rel=\"stylesheet\" href=\"styles/hero.css\">"), std::string::npos);
  EXPECT_NE(page.find("<script defer src=\"faq.js\"></script>"), std::string::npos);
  EXPECT_EQ(out.files_by_section.at("hero"),
            (std::vector<std::string>{"hero.html", "styles/hero.css"}));
  EXPECT_TRUE(out.collisions.empty());
}

TEST(MergerTest, ReactAppImportsAndRendersEverySectionComponent) {
  spec::Spec spec = FrozenSpec({{"hero", "t1"}, {"pricing-tiers", "t2"}});
  StagedFilesByTriad staged = {
      {"t1",
       {{.section = "hero",
         .path = "components/Hero.tsx",
         .content = "export default function HeroBanner() { return <h1>Hi</h1>; }"},
        {.section = "hero", .path = "styles/hero.css", .content = ".h{}"}}},
      {"t2",
       {{.section = "pricing-tiers",
         .path = "components/PricingTiers.jsx",
         .content = "const Pricing = () => <div/>;\nexport default Pricing;\n"}}}};
  MergedOutput out = Merger(OutputFormat::kReact).Merge(spec, staged);
  EXPECT_EQ(out.composition, "App.tsx");
  const std::string& app = out.files.at("App.tsx");
  EXPECT_NE(app.find("import './styles/hero.css';"), std::string::npos);
  EXPECT_NE(app.find("import HeroBanner from './components/Hero';"), std::string::npos);
  EXPECT_NE(app.find("import Pricing from './components/PricingTiers';"), std::string::npos);
  EXPECT_LT(app.find("<HeroBanner />"), app.find("<Pricing />"));
  EXPECT_NE(app.find("<section id=\"pricing-tiers\""), std::string::npos);
  EXPECT_NE(out.files.at("main.tsx")
                .find("createRoot(document.getElementById('root')!).render(<App />);"),
            std::string::npos);
  const std::string& index = out.files.at("index.html");
  EXPECT_NE(index.find("<div id=\"root\"></div>"), std::string::npos);
  EXPECT_NE(index.find("<script type=\"module\" src=\"/main.tsx\"></script>"), std::string::npos);
}

TEST(MergerTest, ReactWarnsWhenASectionHasNoDefaultExport) {
  spec::Spec spec = FrozenSpec({{"hero", "t1"}});
  StagedFilesByTriad staged = {
      {"t1", {{.section = "hero", .path = "Hero.tsx", .content = "export const x = 1;"}}}};
  MergedOutput out = Merger(OutputFormat::kReact).Merge(spec, staged);
  EXPECT_TRUE(HasWarningContaining(out, "no .tsx component with a default export"));
  EXPECT_EQ(out.files.at("App.tsx").find("import Hero"), std::string::npos);
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
  MergedOutput out = Merger(OutputFormat::kHtml).Merge(spec, staged);
  // hero comes first in the spec, so faq's file is the later one.
  EXPECT_EQ(out.files.at("styles/main.css"), ".hero{}");
  EXPECT_EQ(out.files.at("styles/main-faq.css"), ".faq{}");
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
  EXPECT_EQ(Merger(OutputFormat::kHtml).Merge(spec, staged).files, out.files);
}

TEST(MergerTest, StagedFileAtAGeneratedPathIsRenamed) {
  spec::Spec spec = FrozenSpec({{"hero", "t1"}});
  StagedFilesByTriad staged = {
      {"t1", {{.section = "hero", .path = "index.html", .content = "<h1>Hero</h1>"}}}};
  MergedOutput out = Merger(OutputFormat::kHtml).Merge(spec, staged);
  ASSERT_EQ(out.collisions.size(), 1u);
  EXPECT_EQ(out.collisions[0].kind, MergeIssue::Kind::kReservedPath);
  EXPECT_EQ(out.files.at("index-hero.html"), "<h1>Hero</h1>");
  EXPECT_NE(out.files.at("index.html").find("<h1>Hero</h1>"), std::string::npos);
}

TEST(MergerTest, BadPathsAreDroppedWithAWarning) {
  spec::Spec spec = FrozenSpec({{"hero", "t1"}});
  StagedFilesByTriad staged = {
      {"t1",
       {{.section = "hero", .path = "../evil.html", .content = "x"},
        {.section = "hero", .path = "hero.py", .content = "x"},
        {.section = "hero", .path = "hero.html", .content = "<p>ok</p>"}}}};
  MergedOutput out = Merger(OutputFormat::kHtml).Merge(spec, staged);
  EXPECT_EQ(out.files.size(), 2u);  // hero.html + index.html
  EXPECT_TRUE(HasWarningContaining(out, "'../evil.html'"));
  EXPECT_TRUE(HasWarningContaining(out, "'hero.py'"));
  for (const auto& [path, content] : out.files) EXPECT_EQ(path.find(".."), std::string::npos);
}

TEST(MergerTest, SectionWithoutFilesGetsAPlaceholderAndAWarning) {
  spec::Spec spec = FrozenSpec({{"hero", "t1"}, {"faq", "t1"}});
  StagedFilesByTriad staged = {
      {"t1", {{.section = "hero", .path = "hero.html", .content = "<p>hero</p>"}}}};
  MergedOutput out = Merger(OutputFormat::kHtml).Merge(spec, staged);
  EXPECT_TRUE(HasWarningContaining(out, "section 'faq' has no files"));
  EXPECT_NE(out.files.at("index.html").find("<!-- " + SectionPlaceholder("faq") + " -->"),
            std::string::npos);
  EXPECT_TRUE(out.files_by_section.at("faq").empty());
  MergedOutput react = Merger(OutputFormat::kReact).Merge(spec, {});
  EXPECT_NE(react.files.at("App.tsx").find("{/* " + SectionPlaceholder("faq") + " */}"),
            std::string::npos);
  EXPECT_TRUE(HasWarningContaining(react, "no files were staged"));
}

TEST(MergerTest, VueAndSvelteComposeAnApp) {
  spec::Spec spec = FrozenSpec({{"hero", "t1"}});
  StagedFilesByTriad vue = {
      {"t1", {{.section = "hero", .path = "components/Hero.vue", .content = "<template/>"}}}};
  MergedOutput out = Merger(OutputFormat::kVue).Merge(spec, vue);
  EXPECT_EQ(out.composition, "App.vue");
  EXPECT_NE(out.files.at("App.vue").find("import Hero from './components/Hero.vue';"),
            std::string::npos);
  EXPECT_NE(out.files.at("App.vue").find("<Hero />"), std::string::npos);
  EXPECT_NE(out.files.at("main.ts").find("createApp(App).mount('#app')"), std::string::npos);
  StagedFilesByTriad svelte = {
      {"t1", {{.section = "hero", .path = "Hero.svelte", .content = "<h1>x</h1>"}}}};
  MergedOutput s = Merger(OutputFormat::kSvelte).Merge(spec, svelte);
  EXPECT_NE(s.files.at("App.svelte").find("<Hero />"), std::string::npos);
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
