#include "hfs/pipeline/project_files.h"

#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "hfs/base/file.h"

namespace hfs::pipeline {
namespace {

using nlohmann::json;

json PackageJson(OutputFormat format, std::string_view title) {
  std::map<std::string, std::string> files = ProjectFiles(format, title);
  EXPECT_EQ(files.size(), 2u);
  return json::parse(files["package.json"]);
}

TEST(ProjectFilesTest, VuePackagePinsVueAndEsbuildAndBuildsIntoDist) {
  json package = PackageJson(OutputFormat::kVue, "Simple Pricing!");
  EXPECT_EQ(package["name"], "simple-pricing");
  EXPECT_EQ(package["private"], true);
  EXPECT_EQ(package["type"], "module");
  EXPECT_EQ(package["scripts"]["build"], "node build.mjs --dir . --format vue --out dist");
  EXPECT_EQ(package["dependencies"], json({{"vue", std::string(internal::PinnedVersion("vue"))}}));
  EXPECT_EQ(package["devDependencies"],
            json({{"esbuild", std::string(internal::PinnedVersion("esbuild"))}}));
}

TEST(ProjectFilesTest, EachBuiltFormatGetsItsOwnPackages) {
  json react = PackageJson(OutputFormat::kReact, "Shop");
  EXPECT_EQ(react["dependencies"].size(), 2u);
  EXPECT_EQ(react["dependencies"]["react"], std::string(internal::PinnedVersion("react")));
  EXPECT_EQ(react["dependencies"]["react-dom"], std::string(internal::PinnedVersion("react-dom")));
  EXPECT_EQ(react["scripts"]["build"], "node build.mjs --dir . --format react --out dist");
  json svelte = PackageJson(OutputFormat::kSvelte, "");
  EXPECT_EQ(svelte["name"], "hfs-frontend");
  EXPECT_EQ(svelte["dependencies"],
            json({{"svelte", std::string(internal::PinnedVersion("svelte"))}}));
}

TEST(ProjectFilesTest, PinnedVersionsAreExact) {
  for (const char* package : {"esbuild", "react", "react-dom", "vue", "svelte"}) {
    std::string version(internal::PinnedVersion(package));
    ASSERT_FALSE(version.empty()) << package;
    EXPECT_TRUE(std::isdigit(static_cast<unsigned char>(version[0])) != 0) << version;
    EXPECT_EQ(version.find_first_of("^~<>=* "), std::string::npos) << version;
  }
  EXPECT_EQ(internal::PinnedVersion("left-pad"), "");
}

TEST(ProjectFilesTest, BuildScriptIsTheValidatorsBuildScript) {
  std::map<std::string, std::string> files = ProjectFiles(OutputFormat::kReact, "x");
  EXPECT_EQ(files["build.mjs"], internal::BuiltinBuildScript());
  EXPECT_NE(files["build.mjs"].find("--format react|vue|svelte|html|vanilla"), std::string::npos);
  // ctest runs in the source tree: the embedded copy is the current file.
  const std::filesystem::path source = "tools/validators/build.mjs";
  if (!std::filesystem::exists(source)) GTEST_SKIP() << "not run from the source tree";
  EXPECT_EQ(files["build.mjs"], ReadFile(source).value());
}

TEST(ProjectFilesTest, HtmlAndVanillaNeedNoBuild) {
  EXPECT_TRUE(ProjectFiles(OutputFormat::kHtml, "x").empty());
  EXPECT_TRUE(ProjectFiles(OutputFormat::kVanilla, "x").empty());
}

}  // namespace
}  // namespace hfs::pipeline
