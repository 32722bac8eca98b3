#include "hfs/llm/provider_options.h"

#include <gtest/gtest.h>

namespace hfs::llm {
namespace {

TEST(ProviderOptionsTest, BuiltinsInFallbackOrder) {
  std::vector<ProviderOptions> providers = BuiltinProviders();
  ASSERT_EQ(providers.size(), 4u);
  EXPECT_EQ(providers[0].name, "cerebras");
  EXPECT_EQ(providers[3].name, "openrouter");
  EXPECT_EQ(providers[2].base_url.find("/v1/"), std::string::npos);
  EXPECT_TRUE(IsBuiltinProvider("groq"));
  EXPECT_FALSE(IsBuiltinProvider("ollama"));
}

TEST(ProviderOptionsTest, EnvironmentOverridesBaseUrl) {
  std::vector<ProviderOptions> providers = BuiltinProviders();
  Env env(Env::Variables{{"HFS_GROQ_BASE_URL", "http://127.0.0.1:9999/groq/openai/v1"},
                         {"HFS_GEMINI_BASE_URL", ""}});
  ApplyBaseUrlOverrides(env, providers);
  EXPECT_EQ(providers[1].base_url, "http://127.0.0.1:9999/groq/openai/v1");
  EXPECT_EQ(providers[2].base_url, BuiltinProviders()[2].base_url);
}

}  // namespace
}  // namespace hfs::llm
