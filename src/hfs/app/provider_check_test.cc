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

TEST(ProviderCheckTest, KeysAreNotSentToPlainHttpElsewhere) {
  std::vector<llm::ProviderOptions> providers = llm::BuiltinProviders();
  providers[1].base_url = "http://groq-proxy.example/v1";  // as a config may set it
  Env env(Env::Variables{{"CEREBRAS_API_KEY", "csk-CANARY-1"},
                         {"GROQ_API_KEY", "gsk-CANARY-2"},
                         {"HFS_CEREBRAS_BASE_URL", "http://cerebras-proxy.example/v1"}});
  std::vector<ProviderStatus> status = CheckProviders(providers, env);
  for (int i : {0, 1}) {
    EXPECT_FALSE(status[i].usable()) << status[i].provider.name;
    EXPECT_TRUE(status[i].key_ids.empty());
  }
  EXPECT_NE(status[1].refusal.find("HFS_GROQ_ALLOW_HTTP=1"), std::string::npos)
      << status[1].refusal;
  EXPECT_FALSE(AnyUsable(status));
  std::string table = ProviderTable(status);
  EXPECT_NE(table.find("REFUSED"), std::string::npos) << table;
  EXPECT_NE(table.find("HFS_CEREBRAS_ALLOW_HTTP=1"), std::string::npos) << table;
  std::string guidance = MissingKeysGuidance(status);
  EXPECT_NE(guidance.find("not sent"), std::string::npos) << guidance;
  EXPECT_EQ(guidance.find("CANARY"), std::string::npos);
  // The user may allow it for one provider.
  env.SetDefault("HFS_GROQ_ALLOW_HTTP", "1");
  EXPECT_TRUE(CheckProviders(providers, env)[1].usable());
}

}  // namespace
}  // namespace hfs::app
