#include "hfs/triad/output_paths.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace hfs::triad {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string Problem(std::string_view path, std::string_view format = "html") {
  Result<void> result = CheckOutputPath(path, format);
  if (result) return "ok";
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  return result.error().message;
}

TEST(OutputPathsTest, AcceptsRelativePathsWithAllowedExtensions) {
  EXPECT_EQ(Problem("index.html"), "ok");
  EXPECT_EQ(Problem("components/hero-banner_v2.js"), "ok");
  EXPECT_EQ(Problem("styles/a.b.css"), "ok");
  EXPECT_EQ(Problem("src/App.tsx", "react"), "ok");
  EXPECT_EQ(Problem("Hero.vue", "vue"), "ok");
  EXPECT_EQ(Problem("Hero.svelte", "svelte"), "ok");
  EXPECT_EQ(Problem("page.html", "vanilla"), "ok");
}

TEST(OutputPathsTest, RejectsTraversalAndAbsolutePaths) {
  EXPECT_EQ(Problem("../x.html"),
            "path '../x.html' has a '..' segment; paths must stay inside the output directory");
  EXPECT_THAT(Problem("a/../../b.js"), HasSubstr("'..' segment"));
  EXPECT_THAT(Problem("a/.."), HasSubstr("'..' segment"));
  EXPECT_EQ(Problem("/etc/passwd"),
            "path '/etc/passwd' is absolute; use a path relative to the output directory");
  EXPECT_THAT(Problem("./a.html"), HasSubstr("'.' segment"));
}

TEST(OutputPathsTest, RejectsBadCharactersAndShapes) {
  EXPECT_EQ(Problem(""), "path '' is empty");
  EXPECT_EQ(Problem("a\\b.css"), "path 'a\\b.css' contains a backslash; use '/'");
  EXPECT_THAT(Problem("a b.css"), HasSubstr("contains ' '; only letters, digits and . _ / -"));
  EXPECT_THAT(Problem("a:b.css"), HasSubstr("contains ':'"));
  EXPECT_THAT(Problem("caf\xc3\xa9.css"), HasSubstr("only letters, digits"));
  EXPECT_EQ(Problem(std::string("a\0b.css", 7)),
            "path <path with control characters> contains a control character");
  EXPECT_THAT(Problem("a\nb.css"), HasSubstr("control character"));
  EXPECT_THAT(Problem("a//b.css"), HasSubstr("empty segment"));
  EXPECT_THAT(Problem("dir/"), HasSubstr("empty segment"));
  EXPECT_THAT(Problem(".css"), HasSubstr("nothing before the extension"));
  EXPECT_EQ(Problem(std::string(196, 'a') + ".css"), "ok");
  EXPECT_EQ(Problem(std::string(195, 'a') + ".css"), "ok");
  EXPECT_THAT(Problem(std::string(197, 'a') + ".css"),
              HasSubstr("is 201 characters long (at most 200)"));
}

TEST(OutputPathsTest, RejectsExtensionsTheFormatDoesNotAllow) {
  EXPECT_EQ(Problem("x.exe"),
            "path 'x.exe' has the '.exe' extension; output format 'html' allows .html .css .js "
            ".json");
  EXPECT_THAT(Problem("Makefile"), HasSubstr("has no extension"));
  EXPECT_THAT(Problem("App.tsx", "html"), HasSubstr("'.tsx'"));
  EXPECT_THAT(Problem("index.html", "react"), HasSubstr("allows .tsx .ts .jsx .js .css"));
  EXPECT_THAT(Problem("x.HTML"), HasSubstr("'.HTML'"));
}

TEST(OutputPathsTest, UnknownFormat) {
  EXPECT_EQ(Problem("a.html", "angular"),
            "unknown output format 'angular' (known: html, vanilla, react, vue, svelte)");
  EXPECT_TRUE(AllowedExtensions("angular").empty());
}

TEST(OutputPathsTest, AllowedExtensionsPerFormat) {
  EXPECT_THAT(AllowedExtensions("html"), ElementsAre(".html", ".css", ".js", ".json"));
  EXPECT_THAT(AllowedExtensions("vanilla"), ElementsAre(".html", ".css", ".js", ".json"));
  EXPECT_THAT(AllowedExtensions("react"),
              ElementsAre(".tsx", ".ts", ".jsx", ".js", ".css", ".json"));
  EXPECT_THAT(AllowedExtensions("vue"), ElementsAre(".vue", ".ts", ".js", ".css", ".json"));
  EXPECT_THAT(AllowedExtensions("svelte"), ElementsAre(".svelte", ".ts", ".js", ".css", ".json"));
}

}  // namespace
}  // namespace hfs::triad
