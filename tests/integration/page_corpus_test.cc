// A corpus of section code written with real models' habits (hfs-emulator's SectionFiles:
// global `const`, `body {}` and `.card {}` rules, their own <section id> wrapper, Markdown
// fences, an import the toolchain lacks until the repair, reaching into another region,
// repeated ids; per format) is merged by HFS into one page per format, built, and opened
// from file:// in headless Chromium: no console error, every region visible and not empty
// in page order, no duplicate ids, a design token's value in the computed style of region
// elements, and two regions that both style `.card` differently each keep their own look.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <set>

#include "hfs/base/env.h"
#include "hfs/base/file.h"
#include "hfs/base/subprocess.h"
#include "hfs/pipeline/external_validators.h"
#include "hfs/pipeline/merger.h"
#include "hfs/testing/temp_dir.h"
#include "hfs/triad/code_prompt.h"
#include "tools/emulator/section_code.h"

namespace hfs {
namespace {

using nlohmann::json;

const std::vector<std::string> kRegions = {"hero", "pricing", "comparison", "faq", "footer"};
const std::vector<std::pair<std::string, page::Contribution>> kConcerns = {
    {"visual/colors", page::Contribution::kTokens},
    {"layout", page::Contribution::kStyles},
    {"state/data_flow", page::Contribution::kData},
    {"accessibility", page::Contribution::kRequirements},
    {"interaction", page::Contribution::kBehaviour}};

page::PageContract Contract(const std::string& format) {
  page::PageOutline outline{.title = "Pricing — SaaS"};
  std::map<std::string, page::SectionRole> roles;
  std::vector<page::FrozenSection> sections;
  for (const std::string& id : kRegions) {
    outline.regions.push_back({.id = id,
                               .section = page::RegionSection(id),
                               .title = id,
                               .purpose = "the " + id + " of a SaaS pricing page",
                               .content = id == "pricing" ? "three tiers" : "what it implies"});
    roles[page::RegionSection(id)] = {.kind = page::SectionKind::kRegion};
    sections.push_back({page::RegionSection(id), "t1", "agreed"});
  }
  for (const auto& [name, contribution] : kConcerns) {
    roles[name] = {.kind = page::SectionKind::kConcern, .contribution = contribution};
    sections.push_back({name, "t2", "agreed"});
  }
  return page::MakeContract(outline, sections, roles, format, "plain CSS");
}

// The emulator's files for `section`, asked with HFS's own prompt; a reply that breaks the
// contract is asked again as after HFS's repair message (as CodeGenerator does).
std::vector<triad::StagedFile> Write(const page::PageContract& contract, const std::string& section,
                                     uint64_t seed) {
  std::optional<emulator::CodeAsk> ask = emulator::ParseCodeAsk(
      triad::CodeUserPrompt(contract, section, "agreed", "a pricing page", ""));
  EXPECT_TRUE(ask.has_value());
  if (!ask) return {};
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::vector<triad::StagedFile> files;
    for (const emulator::EmulatedFile& file : emulator::SectionFiles(*ask, seed)) {
      files.push_back({.section = section, .path = file.path, .content = file.content});
    }
    if (triad::ContractProblems(contract, section, files).empty()) return files;
    ask->import_repaired = true;
  }
  ADD_FAILURE() << section << " still breaks the contract after the repair";
  return {};
}

class PageCorpusTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const Env env = Env::FromProcess(environ);
    tools_ = pipeline::DetectValidatorTools(pipeline::ValidatorSearchFrom(env, {HFS_SOURCE_DIR}));
    if (tools_.CanRender() && tools_.CanBundle()) return;
    if (env.GetOr("HFS_VALIDATORS_OPTIONAL", "") == "1") GTEST_SKIP() << "no validator tools";
    FAIL() << "validator tools missing; install them with `npm ci --prefix tools/validators` "
              "and Debian's chromium";
  }
  pipeline::ValidatorTools tools_;
  testing::TempDir site_;
};

TEST_P(PageCorpusTest, SloppySectionsBecomeOneIsolatedPage) {
  const std::string format = GetParam();
  const pipeline::OutputFormat output = format == "react"    ? pipeline::OutputFormat::kReact
                                        : format == "vue"    ? pipeline::OutputFormat::kVue
                                        : format == "svelte" ? pipeline::OutputFormat::kSvelte
                                                             : pipeline::OutputFormat::kHtml;
  page::PageContract contract = Contract(format);
  const uint64_t seed = 42;
  pipeline::StagedFilesByTriad staged;
  std::set<std::string> habits;
  for (const auto& [name, contribution] : kConcerns) {
    std::vector<triad::StagedFile> files = Write(contract, name, seed);
    std::vector<std::pair<std::string, std::string>> written;
    for (const triad::StagedFile& file : files) written.emplace_back(file.path, file.content);
    page::AddContributions(contract, name, written);
    for (triad::StagedFile& file : files) staged["t2"].push_back(std::move(file));
  }
  ASSERT_FALSE(contract.tokens.empty());
  for (const std::string& id : kRegions) {
    const std::string section = page::RegionSection(id);
    std::optional<emulator::CodeAsk> ask = emulator::ParseCodeAsk(
        triad::CodeUserPrompt(contract, section, "agreed", "a pricing page", ""));
    for (emulator::Habit habit : emulator::HabitsFor(*ask, seed)) {
      habits.insert(std::string(emulator::HabitName(habit)));
    }
    for (triad::StagedFile& file : Write(contract, section, seed)) {
      staged["t1"].push_back(std::move(file));
    }
  }
  // Every habit of a real model is in the corpus.
  for (emulator::Habit habit : emulator::kAllHabits) {
    EXPECT_TRUE(habits.contains(std::string(emulator::HabitName(habit))))
        << emulator::HabitName(habit);
  }
  std::vector<std::string> names;
  for (const std::string& id : kRegions) names.push_back(page::RegionSection(id));
  for (const auto& [name, contribution] : kConcerns) names.push_back(name);
  spec::Spec spec = spec::Spec::Create(names).value();
  for (const std::string& name : names) {
    ASSERT_TRUE(
        spec.RegisterClaim(name.rfind("page/", 0) == 0 ? "t1" : "t2", name, "agreed").has_value());
  }
  ASSERT_TRUE(spec.Freeze().has_value());

  pipeline::MergedOutput merged = pipeline::Merger(output).Merge(spec, staged, contract);
  for (const page::PageIssue& issue : merged.page_issues) {
    EXPECT_NE(issue.severity, page::PageIssue::Severity::kError) << issue.message;
  }
  pipeline::ToolValidators validators(tools_, {});
  pipeline::ExternalValidation found = validators.Validate(merged, kRegions, output);
  for (const pipeline::ValidationIssue& issue : found.issues) {
    EXPECT_NE(issue.severity, pipeline::Severity::kError)
        << issue.validator << " " << issue.rule << " " << issue.file << ":" << issue.line << ": "
        << issue.message;
  }
  for (const pipeline::ValidatorRun& run : found.runs) {
    if (run.name == "chromium" || run.name == "esbuild") {
      EXPECT_EQ(run.status, pipeline::ValidatorRun::Status::kPassed) << run.name << run.reason;
    }
  }
  // Open the built page ourselves and look at what a user would see.
  for (auto& [path, content] : found.built_files) merged.files[path] = content;
  for (const auto& [path, content] : merged.files) {
    ASSERT_TRUE(WriteFileAtomic(site_.path() / path, content).has_value()) << path;
  }
  ASSERT_FALSE(found.entry_point.empty());
  std::string regions;
  for (const std::string& id : kRegions) regions += (regions.empty() ? "" : ",") + id;
  Result<SubprocessResult> probe = RunSubprocess(
      {.argv = {tools_.node.path.string(),
                std::string(HFS_SOURCE_DIR) + "/tests/integration/page_probe.mjs", "--validators",
                tools_.dir.string(), "--page", (site_.path() / found.entry_point).string(),
                "--regions", regions, "--token", contract.tokens.front().name},
       .timeout = std::chrono::seconds(60)});
  ASSERT_TRUE(probe.has_value());
  ASSERT_EQ(probe->exit_code, 0) << probe->stderr_text;
  json facts = json::parse(probe->stdout_text);
  EXPECT_TRUE(facts["console_errors"].empty()) << facts["console_errors"].dump();
  EXPECT_TRUE(facts["duplicate_ids"].empty()) << facts["duplicate_ids"].dump();
  double top = -1;
  for (const json& region : facts["regions"]) {
    EXPECT_GT(region["text"].get<int>(), 0) << region.dump();
    EXPECT_GT(region["top"].get<double>(), top) << region.dump();
    top = region["top"].get<double>();
  }
  EXPECT_GT(facts["token_hits"].get<int>(), 0)
      << "no region element shows " << contract.tokens.front().name;
  // Regions that style `.card` keep their own look.
  std::set<std::string> looks;
  for (const auto& [region, look] : facts["cards"].items()) looks.insert(look.get<std::string>());
  EXPECT_GE(facts["cards"].size(), 2u) << facts.dump();
  EXPECT_EQ(looks.size(), facts["cards"].size()) << facts["cards"].dump();
}

INSTANTIATE_TEST_SUITE_P(Formats, PageCorpusTest,
                         ::testing::Values("html", "vanilla", "react", "vue", "svelte"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace hfs
