#include "hfs/triad/prompt_library.h"

#include <gtest/gtest.h>

#include "hfs/base/file.h"
#include "hfs/testing/temp_dir.h"

namespace hfs::triad {
namespace {

TEST(PromptLibraryTest, ShipsEveryTemplateOfThePresets) {
  PromptLibrary prompts;
  for (const char* name : {"orchestrator", "worker", "proposer", "critic", "synthesizer", "peer",
                           "deliberation", "negotiation", "execution", "delegate", "worker_task",
                           "critique", "synthesis", "vote", "summary"}) {
    EXPECT_NE(std::find(prompts.Names().begin(), prompts.Names().end(), name),
              prompts.Names().end())
        << name;
  }
  Result<std::string> text = prompts.Render("summary", {{"phase", "deliberation"}});
  ASSERT_TRUE(text) << text.error().ToString();
  EXPECT_NE(text->find("End of the deliberation phase"), std::string::npos);
  EXPECT_FALSE(prompts.Render("summary", {}));
  EXPECT_EQ(prompts.Render("nope", {}).error().code, ErrorCode::kNotFound);
}

TEST(PromptLibraryTest, DirectoryOverridesTemplatesWithTheSamePlaceholders) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir.path() / "summary.md", "Summarise {{phase}} now.").has_value());
  Result<PromptLibrary> prompts = PromptLibrary::Load(dir.path());
  ASSERT_TRUE(prompts) << prompts.error().ToString();
  EXPECT_EQ(*prompts->Render("summary", {{"phase", "execution"}}), "Summarise execution now.");
}

TEST(PromptLibraryTest, BadOverridesAreClearErrors) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir.path() / "sumary.md", "x").has_value());
  Result<PromptLibrary> typo = PromptLibrary::Load(dir.path());
  ASSERT_FALSE(typo);
  EXPECT_NE(typo.error().message.find("overrides no template"), std::string::npos);

  testing::TempDir other;
  ASSERT_TRUE(WriteFileAtomic(other.path() / "summary.md", "no placeholder").has_value());
  Result<PromptLibrary> missing = PromptLibrary::Load(other.path());
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("{{phase}}"), std::string::npos);

  EXPECT_EQ(PromptLibrary::Load(other.path() / "absent").error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace hfs::triad
