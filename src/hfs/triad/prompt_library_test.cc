#include "hfs/triad/prompt_library.h"

#include <gtest/gtest.h>

#include "hfs/base/file.h"
#include "hfs/testing/temp_dir.h"

namespace hfs::triad {
namespace {

TEST(PromptLibraryTest, ShipsEveryTemplateOfThePresets) {
  PromptLibrary prompts;
  for (const char* name :
       {"orchestrator", "worker", "proposer", "critic", "synthesizer", "peer", "deliberation",
        "negotiation", "execution", "delegate", "worker_task", "critique", "synthesis", "vote"}) {
    EXPECT_NE(std::find(prompts.Names().begin(), prompts.Names().end(), name),
              prompts.Names().end())
        << name;
  }
  Result<std::string> text = prompts.Render("delegate", {{"owned_sections", "page/hero"}});
  ASSERT_TRUE(text) << text.error().ToString();
  EXPECT_NE(text->find("page/hero"), std::string::npos);
  EXPECT_FALSE(prompts.Render("delegate", {}));
  EXPECT_EQ(prompts.Render("nope", {}).error().code, ErrorCode::kNotFound);
}

TEST(PromptLibraryTest, DirectoryOverridesTemplatesWithTheSamePlaceholders) {
  testing::TempDir dir;
  ASSERT_TRUE(
      WriteFileAtomic(dir.path() / "delegate.md", "Share out {{owned_sections}} now.").has_value());
  Result<PromptLibrary> prompts = PromptLibrary::Load(dir.path());
  ASSERT_TRUE(prompts) << prompts.error().ToString();
  EXPECT_EQ(*prompts->Render("delegate", {{"owned_sections", "hero"}}), "Share out hero now.");
}

TEST(PromptLibraryTest, BadOverridesAreClearErrors) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir.path() / "delegat.md", "x").has_value());
  Result<PromptLibrary> typo = PromptLibrary::Load(dir.path());
  ASSERT_FALSE(typo);
  EXPECT_NE(typo.error().message.find("overrides no template"), std::string::npos);

  testing::TempDir other;
  ASSERT_TRUE(WriteFileAtomic(other.path() / "delegate.md", "no placeholder").has_value());
  Result<PromptLibrary> missing = PromptLibrary::Load(other.path());
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("{{owned_sections}}"), std::string::npos);

  EXPECT_EQ(PromptLibrary::Load(other.path() / "absent").error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace hfs::triad
