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
  const std::string composition =
      ReadFile(dir / (GetParam() == "react"    ? "App.tsx"
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
  const std::string page = GetParam() == "html" || GetParam() == "vanilla" ? "index.html"
                                                                           : "dist/index.html";
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

INSTANTIATE_TEST_SUITE_P(Formats, PageE2eTest,
                         ::testing::Values("html", "vanilla", "react", "vue", "svelte"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace hfs
