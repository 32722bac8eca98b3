#include "hfs/app/provider_check.h"

#include <gtest/gtest.h>

namespace hfs::app {
namespace {

TEST(ProviderCheckTest, UsableWithKeysOrWithoutRequirement) {
  std::vector<llm::ProviderOptions> providers = llm::BuiltinProviders();
  providers.push_back(
      {.name = "ollama", .base_url = "http://127.0.0.1:11434/v1", .requires_key = false});
  providers[1].enabled = false;
  Env env(Env::Variables{{"CEREBRAS_API_KEY", "csk-x"},
                         {"GROQ_API_KEY", "gsk-y"},
                         {"HFS_CEREBRAS_BASE_URL", "http://127.0.0.1:1/cerebras/v1"}});
  std::vector<ProviderStatus> status = CheckProviders(providers, env);
  ASSERT_EQ(status.size(), 5u);
  EXPECT_TRUE(status[0].usable());
  EXPECT_EQ(status[0].provider.base_url, "http://127.0.0.1:1/cerebras/v1");
  EXPECT_FALSE(status[1].usable());  // disabled, even with a key
  EXPECT_FALSE(status[2].usable());
  EXPECT_TRUE(status[4].usable());
  std::string table = ProviderTable(status);
  EXPECT_NE(table.find("DISABLED"), std::string::npos);
  EXPECT_NE(table.find("no key needed"), std::string::npos);
  EXPECT_EQ(table.find("csk-x"), std::string::npos);
}

TEST(ProviderCheckTest, GuidanceNamesMissingProvidersOnly) {
  std::vector<ProviderStatus> status = CheckProviders(llm::BuiltinProviders(), Env());
  EXPECT_FALSE(AnyUsable(status));
  std::string guidance = MissingKeysGuidance(status);
  EXPECT_NE(guidance.find("NUM_GEMINI=N and GEMINI_API_KEY_1"), std::string::npos);
  EXPECT_NE(guidance.find("hfs list-presets"), std::string::npos);
}

}  // namespace
}  // namespace hfs::app
