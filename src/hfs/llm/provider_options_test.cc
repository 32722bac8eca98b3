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

// The defaults docs/providers.md ("Streaming and timeouts") documents.
TEST(ProviderOptionsTest, BuiltinsStreamWithTheDocumentedTimeouts) {
  for (const ProviderOptions& provider : BuiltinProviders()) {
    SCOPED_TRACE(provider.name);
    EXPECT_TRUE(provider.capabilities.streaming);
    EXPECT_EQ(provider.timeouts.connect, std::chrono::seconds(10));
    EXPECT_EQ(provider.timeouts.first_byte, std::chrono::seconds(60));
    EXPECT_EQ(provider.timeouts.idle, std::chrono::seconds(30));
    EXPECT_EQ(provider.timeouts.total, std::chrono::seconds(300));
  }
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
