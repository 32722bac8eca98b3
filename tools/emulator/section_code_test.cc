#include "tools/emulator/section_code.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "tools/emulator/outline.h"

namespace hfs::emulator {
namespace {

using nlohmann::json;

constexpr OutputFormat kFormats[] = {OutputFormat::kHtml, OutputFormat::kVanilla,
                                     OutputFormat::kReact, OutputFormat::kVue,
                                     OutputFormat::kSvelte};

bool Has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// The page contract of the standard run ("a pricing page ... three tiers ... FAQ").
std::string Contract(bool with_tokens = true) {
  const json outline = PageOutline(
      "A pricing page for a SaaS product with three tiers, a feature comparison table and an FAQ");
  std::string text = "Page contract:\nRegions (in page order):\n";
  for (const json& region : outline["regions"]) {
    const std::string id = region["id"];
    text += fmt::format("- page/{0} -> #{0}: {1} \u2014 {2}; content: {3}\n", id,
                        region["title"].get<std::string>(), region["purpose"].get<std::string>(),
                        region["content"].get<std::string>());
  }
  text += "Design tokens:\n";
  if (with_tokens) text += "- --color-accent: #2563eb\n- --radius-md: 10px\n- --space-4: 1rem\n";
  return text;
}

CodeAsk RegionAsk(const std::string& root, OutputFormat format, std::string files = "") {
  std::string message =
      fmt::format("Section: page/{0}\nKind: region\nRoot id: {0}\nOutput format: {1}\n", root,
                  OutputFormatName(format));
  if (!files.empty()) message += "Files: " + files + "\n";
  message += "Title: Pricing \u2014 SaaS product\n\nWrite the region.\n\n" + Contract();
  std::optional<CodeAsk> ask = ParseCodeAsk(message);
  EXPECT_TRUE(ask.has_value());
  return ask.value_or(CodeAsk{});
}

CodeAsk ConcernAsk(const std::string& contribution, std::string files = "") {
  std::string message = fmt::format(
      "Section: style/{0}\nKind: concern\nContribution: {0}\nOutput format: react\n", contribution);
  if (!files.empty()) message += "Files: " + files + "\n";
  std::optional<CodeAsk> ask = ParseCodeAsk(message + "\n" + Contract());
  EXPECT_TRUE(ask.has_value());
  return ask.value_or(CodeAsk{});
}

std::string AllContent(const std::vector<EmulatedFile>& files) {
  std::string all;
  for (const EmulatedFile& file : files) all += file.content + "\n";
  return all;
}

// Whether the code shows `habit` (the markers the habit leaves in every format).
bool Shows(Habit habit, const CodeAsk& ask, const std::string& code) {
  const std::string& root = ask.root;
  switch (habit) {
    case Habit::kTopLevelState:
      return Has(code, "let count = 0;");
    case Habit::kGlobalCss:
      return (Has(code, "body {") || Has(code, ":global(body)")) && Has(code, ":root");
    case Habit::kOwnWrapper:
      return Has(code, fmt::format("<section id=\"{}\"", root)) ||
             Has(code, fmt::format("<div class=\"{}\">", root)) ||
             Has(code, fmt::format("<div className=\"{}\">", root));
    case Habit::kMarkdownFence:
      return Has(code, "```");
    case Habit::kMissingImport:
      return Has(code, "from \"lucide-react\"") || Has(code, "from \"framer-motion\"") ||
             Has(code, "from \"@vueuse/core\"") || Has(code, "from \"svelte-motion\"") ||
             Has(code, "from \"canvas-confetti\"");
    case Habit::kCrossRegion:
      return Has(code, "document.querySelector(\"#") && Has(code, "id=\"title\"") &&
             Has(code, "getElementById(\"title\")");
    case Habit::kFormatIdiom:
      switch (ask.format) {
        case OutputFormat::kReact:
          return Has(code, "useState(false)");
        case OutputFormat::kVue:
          return Has(code, "<script setup>") && Has(code, "ref(false)");
        case OutputFormat::kSvelte:
          return Has(code, "onclick={toggle}") &&
                 (Has(code, "= $state(false);") || Has(code, "= false;"));
        case OutputFormat::kHtml:
        case OutputFormat::kVanilla:
          return Has(code, "addEventListener(\"click\", toggle)");
      }
  }
  return false;
}

TEST(EmulatorSectionCodeTest, ParsesTheHeaderAndContract) {
  const std::optional<CodeAsk> ask = ParseCodeAsk(
      "Output format: React (TSX)\nSome other line: ignored\nRoot id: #pricing\n"
      "Section: page/pricing            (the spec section name)\nKind: region\n"
      "Files: Pricing.tsx, pricing.css\n\n" +
      Contract());
  ASSERT_TRUE(ask.has_value());
  EXPECT_EQ(ask->section, "page/pricing");
  EXPECT_EQ(ask->kind, SectionKind::kRegion);
  EXPECT_EQ(ask->root, "pricing");
  EXPECT_EQ(ask->format, OutputFormat::kReact);
  EXPECT_EQ(ask->files, (std::vector<std::string>{"Pricing.tsx", "pricing.css"}));
  ASSERT_EQ(ask->regions.size(), 5u);
  EXPECT_EQ(ask->regions[1].section, "page/pricing");
  EXPECT_EQ(ask->regions[1].root, "pricing");
  EXPECT_EQ(ask->regions[1].title, "Pricing");
  EXPECT_EQ(ask->regions[1].purpose, "Help visitors pick the plan that fits them");
  EXPECT_TRUE(Has(ask->content, "three tiers (Starter, Pro, Enterprise)")) << ask->content;
  ASSERT_EQ(ask->tokens.size(), 3u);
  EXPECT_EQ(ask->tokens[0].name, "--color-accent");
  EXPECT_EQ(ask->tokens[0].value, "#2563eb");
}

TEST(EmulatorSectionCodeTest, HeaderDefaults) {
  EXPECT_FALSE(ParseCodeAsk("Your section: hero\nWrite the code").has_value());
  const std::optional<CodeAsk> region = ParseCodeAsk("Section: layout/pricing-table\n");
  ASSERT_TRUE(region.has_value());
  EXPECT_EQ(region->kind, SectionKind::kRegion);
  EXPECT_EQ(region->root, "pricing-table");
  EXPECT_EQ(region->format, OutputFormat::kHtml);
  const std::optional<CodeAsk> concern = ParseCodeAsk("Section: visual/colors\nKind: concern\n");
  ASSERT_TRUE(concern.has_value());
  EXPECT_EQ(concern->kind, SectionKind::kConcern);
  EXPECT_EQ(concern->contribution, Contribution::kTokens);
  EXPECT_TRUE(concern->root.empty());
  const std::optional<CodeAsk> data = ParseCodeAsk("Section: content/model\nContribution: data\n");
  ASSERT_TRUE(data.has_value());
  EXPECT_EQ(data->kind, SectionKind::kConcern);
  EXPECT_EQ(data->contribution, Contribution::kData);
}

TEST(EmulatorSectionCodeTest, RegionFileNamesPerFormat) {
  const std::map<OutputFormat, std::vector<std::string>> expected = {
      {OutputFormat::kHtml, {"pricing.html"}},
      {OutputFormat::kVanilla, {"pricing.html"}},
      {OutputFormat::kReact, {"Pricing.tsx", "pricing.css"}},
      {OutputFormat::kVue, {"Pricing.vue"}},
      {OutputFormat::kSvelte, {"Pricing.svelte"}}};
  for (const auto& [format, paths] : expected) {
    std::vector<std::string> got;
    const std::vector<EmulatedFile> files = SectionFiles(RegionAsk("pricing", format), 42);
    for (const EmulatedFile& file : files) got.push_back(file.path);
    EXPECT_EQ(got, paths) << OutputFormatName(format);
    const std::string& main = files[0].content;
    switch (format) {
      case OutputFormat::kReact:
        EXPECT_TRUE(Has(main, "export default function Pricing()")) << main;
        EXPECT_TRUE(Has(main, "import \"./pricing.css\";")) << main;
        break;
      case OutputFormat::kVue:
        EXPECT_TRUE(Has(main, "<template>") && Has(main, "<script setup>") && Has(main, "<style"))
            << main;
        break;
      case OutputFormat::kSvelte:
        EXPECT_TRUE(Has(main, "<script>") && Has(main, "<style>")) << main;
        break;
      case OutputFormat::kHtml:
      case OutputFormat::kVanilla:
        EXPECT_TRUE(Has(main, "<style>") && Has(main, "<script")) << main;
        break;
    }
  }
  // Names from the Files line win; the stylesheet import follows them.
  const std::vector<EmulatedFile> named = SectionFiles(
      RegionAsk("faq", OutputFormat::kReact, "components/Faq.tsx, components/faq.css"), 42);
  ASSERT_EQ(named.size(), 2u);
  EXPECT_EQ(named[0].path, "components/Faq.tsx");
  EXPECT_EQ(named[1].path, "components/faq.css");
  EXPECT_TRUE(Has(named[0].content, "import \"./faq.css\";"));
  // Without a stylesheet in the list, React styles stay in the component.
  const std::vector<EmulatedFile> inline_css =
      SectionFiles(RegionAsk("faq", OutputFormat::kReact, "Faq.tsx"), 42);
  ASSERT_EQ(inline_css.size(), 1u);
  EXPECT_TRUE(Has(inline_css[0].content, "<style>{`"));
}

TEST(EmulatorSectionCodeTest, RegionsShowRealContent) {
  for (OutputFormat format : kFormats) {
    const std::string pricing = AllContent(SectionFiles(RegionAsk("pricing", format), 7));
    for (const char* part : {"Starter", "Pro", "Enterprise", "$29 / month", "$278 / year",
                             "Annual billing", "Monthly billing", "Choose Pro", "<button"}) {
      EXPECT_TRUE(Has(pricing, part)) << OutputFormatName(format) << ": " << part;
    }
    const std::string faq = AllContent(SectionFiles(RegionAsk("faq", format), 7));
    EXPECT_TRUE(Has(faq, "<details") && Has(faq, "<summary>") &&
                Has(faq, "Is there a free trial?"));
    const std::string table = AllContent(SectionFiles(RegionAsk("comparison", format), 7));
    EXPECT_TRUE(Has(table, "<table") && Has(table, "<thead>") && Has(table, "scope=\"col\""));
    const std::string hero = AllContent(SectionFiles(RegionAsk("hero", format), 7));
    EXPECT_TRUE(Has(hero, "<h1") && Has(hero, "Get started") && Has(hero, "href=\"#pricing\""));
    const std::string footer = AllContent(SectionFiles(RegionAsk("footer", format), 7));
    EXPECT_TRUE(Has(footer, "\u00a9 2025 SaaS product") && Has(footer, "Privacy"));
  }
}

TEST(EmulatorSectionCodeTest, RegionCssUsesTheContractTokens) {
  const std::string css = AllContent(SectionFiles(RegionAsk("pricing", OutputFormat::kReact), 1));
  EXPECT_TRUE(Has(css, "var(--color-accent)"));
  EXPECT_TRUE(Has(css, "var(--radius-md)"));
  std::optional<CodeAsk> bare =
      ParseCodeAsk("Section: page/pricing\nOutput format: react\n" + Contract(false));
  ASSERT_TRUE(bare.has_value());
  const std::string literal = AllContent(SectionFiles(*bare, 1));
  EXPECT_FALSE(Has(literal, "var(--color"));
  EXPECT_TRUE(Has(literal, "#2563eb"));
}

TEST(EmulatorSectionCodeTest, EveryHabitShowsInEveryFormatAcrossAStandardRun) {
  const std::vector<std::string> roots = {"hero", "pricing", "comparison", "faq", "footer"};
  for (uint64_t seed : {1u, 7u, 42u, 2024u}) {
    for (OutputFormat format : kFormats) {
      std::map<Habit, int> seen;
      for (const std::string& root : roots) {
        const CodeAsk ask = RegionAsk(root, format);
        const std::vector<Habit> habits = HabitsFor(ask, seed);
        const std::string code = AllContent(SectionFiles(ask, seed));
        for (Habit habit : kAllHabits) {
          const bool chosen = std::find(habits.begin(), habits.end(), habit) != habits.end();
          EXPECT_EQ(Shows(habit, ask, code), chosen)
              << HabitName(habit) << " in " << root << " (" << OutputFormatName(format) << ", seed "
              << seed << "):\n"
              << code;
          if (chosen) ++seen[habit];
        }
      }
      for (Habit habit : kAllHabits) {
        EXPECT_GT(seen[habit], 0) << HabitName(habit) << " never shows in "
                                  << OutputFormatName(format) << " (seed " << seed << ")";
      }
      // Duplicated ids need two regions with the cross-region habit.
      EXPECT_GE(seen[Habit::kCrossRegion], 2) << OutputFormatName(format);
    }
  }
}

TEST(EmulatorSectionCodeTest, HabitsAreDeterministicAndCardsDiffer) {
  const CodeAsk pricing = RegionAsk("pricing", OutputFormat::kHtml);
  EXPECT_EQ(AllContent(SectionFiles(pricing, 5)), AllContent(SectionFiles(pricing, 5)));
  EXPECT_EQ(HabitsFor(pricing, 5), HabitsFor(pricing, 5));
  // Regions with generic CSS each give .card their own border colour.
  std::set<std::string> card_rules;
  for (uint64_t seed = 0; seed < 12; ++seed) {
    for (const char* root : {"pricing", "faq"}) {
      const std::string code = AllContent(SectionFiles(RegionAsk(root, OutputFormat::kHtml), seed));
      const size_t at = code.find(".card {");
      if (at != std::string::npos) card_rules.insert(code.substr(at, code.find('}', at) - at));
    }
  }
  EXPECT_GE(card_rules.size(), 2u);
}

TEST(EmulatorSectionCodeTest, RepairedImportIsDropped) {
  for (OutputFormat format : kFormats) {
    for (const char* root : {"hero", "pricing", "comparison", "faq", "footer"}) {
      CodeAsk ask = RegionAsk(root, format);
      const std::vector<Habit> habits = HabitsFor(ask, 42);
      if (std::find(habits.begin(), habits.end(), Habit::kMissingImport) == habits.end()) continue;
      const std::string before = AllContent(SectionFiles(ask, 42));
      ask.import_repaired = true;
      const std::string after = AllContent(SectionFiles(ask, 42));
      EXPECT_TRUE(Shows(Habit::kMissingImport, ask, before));
      EXPECT_FALSE(Shows(Habit::kMissingImport, ask, after)) << after;
      EXPECT_TRUE(Has(after, "toggle"));  // the same region, without the import
    }
  }
}

TEST(EmulatorSectionCodeTest, ConcernFilesPerContribution) {
  const std::vector<EmulatedFile> tokens = SectionFiles(ConcernAsk("tokens"), 3);
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0].path, "style-tokens.css");
  EXPECT_TRUE(Has(tokens[0].content, ":root {") &&
              Has(tokens[0].content, "--color-accent: #2563eb") &&
              Has(tokens[0].content, "--radius") && Has(tokens[0].content, "--font-sans") &&
              Has(tokens[0].content, "body {"));
  const std::vector<EmulatedFile> styles = SectionFiles(ConcernAsk("styles"), 3);
  EXPECT_EQ(styles.at(0).path, "style-styles.css");
  EXPECT_TRUE(Has(styles[0].content, "font-family"));
  const std::vector<EmulatedFile> data = SectionFiles(ConcernAsk("data"), 3);
  EXPECT_EQ(data.at(0).path, "style-data.json");
  std::string text = data[0].content;
  if (Has(text, "```")) text = text.substr(text.find('\n', text.find("```")) + 1);
  if (Has(text, "```")) text.resize(text.rfind("```"));
  const json object = json::parse(text);
  EXPECT_TRUE(object["tiers"].is_array() && object["questions"].is_array() &&
              object["links"].is_array());
  const std::vector<EmulatedFile> behaviour = SectionFiles(ConcernAsk("behaviour"), 3);
  EXPECT_EQ(behaviour.at(0).path, "style-behaviour.js");
  EXPECT_TRUE(Has(behaviour[0].content, "[data-region]") &&
              Has(behaviour[0].content, "export function"));
  EXPECT_FALSE(Has(behaviour[0].content, "import "));
  const std::vector<EmulatedFile> requirements = SectionFiles(ConcernAsk("requirements"), 3);
  EXPECT_EQ(requirements.at(0).path, "style-requirements.css");
  EXPECT_TRUE(Has(requirements[0].content, ":focus-visible") &&
              Has(requirements[0].content, ".sr-only"));
  // The Files line decides the names and kinds of files.
  const std::vector<EmulatedFile> listed =
      SectionFiles(ConcernAsk("tokens", "tokens.css, tokens.js"), 3);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_TRUE(Has(listed[1].content, "export const tokens"));
}

}  // namespace
}  // namespace hfs::emulator
