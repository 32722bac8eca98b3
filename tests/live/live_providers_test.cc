// tests/live/live_providers_test.cc
//
// Smoke tests against the real providers, with the user's real keys (environment, ./.env
// or $HFS_HOME/.env): two short requests per provider, one streamed. A provider without
// keys is skipped with the reason shown. The model is the provider's general-tier model,
// or HFS_LIVE_<P>_MODEL.
//
//   ctest -L live --output-on-failure          # from the build directory
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "hfs/config/limit_tables.h"
#include "hfs/keys/key_discovery.h"
#include "hfs/llm/provider_set.h"
#include "hfs/net/curl_transport.h"
#include "hfs/tiers/tier_options.h"

namespace hfs::llm {
namespace {

class LiveProviderTest : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() { curl_global_init(CURL_GLOBAL_DEFAULT); }

  static Env LoadEnv() {
    Env process = Env::FromProcess(environ);
    Result<Env> env = Env::Load({.process = environ, .dotenv_files = DefaultDotEnvFiles(process)});
    return env ? *env : process;
  }
};

TEST_P(LiveProviderTest, AnswersAShortRequest) {
  const std::string provider = GetParam();
  const Env env = LoadEnv();
  if (keys::DiscoverKeys(env, provider).keys.empty()) {
    GTEST_SKIP() << "no " << provider << " keys: set NUM_" << keys::EnvPrefix(provider) << " and "
                 << keys::EnvPrefix(provider) << "_API_KEY_1..N (or " << keys::EnvPrefix(provider)
                 << "_API_KEY)";
  }
  std::string model =
      env.GetOr("HFS_LIVE_" + keys::EnvPrefix(provider) + "_MODEL",
                tiers::DefaultModelTiers().tiers[tiers::Tier::kGeneral].providers[provider]);
  std::vector<ProviderOptions> providers = BuiltinProviders();
  for (ProviderOptions& options : providers) {
    Result<keys::ProviderLimits> limits = config::BuiltinLimitTable(options.name);
    ASSERT_TRUE(limits.has_value()) << limits.error().ToString();
    options.limits = *limits;
  }
  net::CurlTransport transport;
  SystemClock clock;
  ProviderSet set(providers, env, transport, clock);
  Model* live = set.Find(provider);
  ASSERT_NE(live, nullptr);
  ChatRequest request{.model = model,
                      .messages = {Message::User("Reply with the single word: ready")},
                      .max_tokens = 64};
  Result<ChatResponse> reply =
      live->Complete(request, {.deadline = clock.Now() + std::chrono::seconds(60)});
  ASSERT_TRUE(reply.has_value()) << reply.error().ToString();
  EXPECT_FALSE(reply->content.empty() && reply->tool_calls.empty());
  ASSERT_TRUE(reply->usage.has_value());
  EXPECT_GT(reply->usage->prompt_tokens, 0);

  std::string streamed;
  Result<ChatResponse> stream =
      live->Stream(request, {.deadline = clock.Now() + std::chrono::seconds(60)},
                   [&](const ChatDelta& delta) { streamed += delta.content; });
  ASSERT_TRUE(stream.has_value()) << stream.error().ToString();
  EXPECT_EQ(stream->content, streamed);
}

INSTANTIATE_TEST_SUITE_P(Providers, LiveProviderTest,
                         ::testing::Values("cerebras", "groq", "gemini", "openrouter"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace hfs::llm
