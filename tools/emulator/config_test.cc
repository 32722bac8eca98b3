// tools/emulator/config_test.cc
#include "tools/emulator/config.h"

#include <gtest/gtest.h>

namespace hfs::emulator {
namespace {

TEST(EmulatorConfigTest, ExampleConfigServesFourProvidersWithEightKeys) {
  auto options = LoadConfig("tools/emulator/examples/four-providers.yaml");
  ASSERT_TRUE(options.has_value()) << options.error().ToString();
  for (const char* name : {"cerebras", "groq", "gemini", "openrouter"}) {
    const ProviderOptions* provider = FindProviderByName(*options, name);
    ASSERT_NE(provider, nullptr) << name;
    ASSERT_EQ(provider->keys.size(), 8u) << name;
    EXPECT_EQ(provider->keys[0].key, std::string("emu-") + name + "-1");
    EXPECT_EQ(provider->keys[7].key, std::string("emu-") + name + "-8");
    EXPECT_EQ(provider->prefix, DefaultPrefix(*ParsePersonality(name)));
    EXPECT_FALSE(provider->default_limits.empty()) << name;
  }
  const ProviderOptions* gemini = FindProviderByName(*options, "gemini");
  EXPECT_EQ(gemini->keys[1].scope, "gemini-project-1");
  const ProviderOptions* cerebras = FindProviderByName(*options, "cerebras");
  EXPECT_EQ(cerebras->models[0].limits.size(), 6u);  // inherits default_limits
  EXPECT_EQ(cerebras->models[0].limits[2].window_seconds, 86400);
  const ProviderOptions* plain = FindProviderByName(*options, "plain");
  ASSERT_NE(plain, nullptr);
  EXPECT_EQ(plain->keys[3].key, "emu-plain-4");
}

TEST(EmulatorConfigTest, ParsesKeysLimitsFaultsAndLatency) {
  auto options = ParseConfig(R"(
seed: 7
window_scale: 0.5
faults: {error_503: 0.25}
providers:
  - name: mine
    personality: groq
    prefix: /x/v1
    keys: [a, {key: b, scope: shared, revoked: true}]
    default_limits: [{tokens: 100, window: 90s, mode: fixed}]
    latency: {fixed_ms: 5, per_token_ms: 1.5}
)");
  ASSERT_TRUE(options.has_value()) << options.error().ToString();
  EXPECT_EQ(options->seed, 7u);
  EXPECT_DOUBLE_EQ(options->window_scale, 0.5);
  const ProviderOptions& p = options->providers.at(0);
  EXPECT_EQ(p.personality, Personality::kGroq);
  EXPECT_EQ(p.prefix, "/x/v1");
  EXPECT_EQ(p.keys[0].scope, "a");
  EXPECT_EQ(p.keys[1].scope, "shared");
  EXPECT_TRUE(p.keys[1].revoked);
  ASSERT_EQ(p.default_limits.size(), 1u);
  EXPECT_EQ(p.default_limits[0].kind, LimitKind::kTokens);
  EXPECT_EQ(p.default_limits[0].mode, WindowMode::kFixed);
  EXPECT_DOUBLE_EQ(p.default_limits[0].window_seconds, 90);
  EXPECT_DOUBLE_EQ(p.faults.error_503, 0.25);
  EXPECT_DOUBLE_EQ(p.latency.per_token_ms, 1.5);
}

TEST(EmulatorConfigTest, ErrorsNameThePath) {
  auto bad_window = ParseConfig(
      "providers:\n  - name: groq\n    models:\n      - name: m\n        limits: [{requests: 1, "
      "window: soon}]\n");
  ASSERT_FALSE(bad_window.has_value());
  EXPECT_EQ(bad_window.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(bad_window.error().message.find("providers[0].models[0].limits[0].window"),
            std::string::npos)
      << bad_window.error().message;
  auto too_likely = ParseConfig("faults: {error_500: 0.6, hang: 0.6}\n");
  ASSERT_FALSE(too_likely.has_value());
  EXPECT_NE(too_likely.error().message.find("more than 1"), std::string::npos);
  auto both =
      ParseConfig("providers: [{name: g, default_limits: [{requests: 1, tokens: 2, window: 1}]}]");
  ASSERT_FALSE(both.has_value());
  EXPECT_NE(both.error().message.find("providers[0].default_limits[0]"), std::string::npos);
  EXPECT_FALSE(
      ParseConfig("providers: [{name: a, prefix: /v1}, {name: b, prefix: /v1}]").has_value());
  EXPECT_FALSE(ParseConfig("seed: [unclosed").has_value());
  EXPECT_EQ(LoadConfig("/nonexistent/emulator.yaml").error().code, ErrorCode::kNotFound);
}

TEST(EmulatorConfigTest, NoProvidersMeansTheDefaults) {
  auto options = ParseConfig("seed: 3\n");
  ASSERT_TRUE(options.has_value());
  EXPECT_EQ(options->seed, 3u);
  EXPECT_EQ(options->providers.size(), 5u);
  EXPECT_NE(FindProviderByName(*options, "openrouter"), nullptr);
}

TEST(EmulatorConfigTest, ParsesKeyRefusalsModerationAndRetryAfter) {
  auto options = ParseConfig(R"(
faults: {moderation: 0.2, error_503: 0.1, retry_after_seconds: 4}
providers:
  - name: openrouter
    keys: [a, {key: b, refusal: no_credit}, {key: c, refusal: key_limit}]
  - name: gemini
    keys: [{key: d, refusal: invalid}, {key: e, refusal: suspended}]
)");
  ASSERT_TRUE(options.has_value()) << options.error().ToString();
  const ProviderOptions& openrouter = options->providers.at(0);
  EXPECT_EQ(openrouter.keys[0].refusal, KeyRefusal::kNone);
  EXPECT_EQ(openrouter.keys[1].refusal, KeyRefusal::kNoCredit);
  EXPECT_EQ(openrouter.keys[2].refusal, KeyRefusal::kKeyLimit);
  EXPECT_DOUBLE_EQ(openrouter.faults.moderation, 0.2);
  EXPECT_DOUBLE_EQ(openrouter.faults.retry_after_seconds, 4);
  EXPECT_EQ(options->providers.at(1).keys[0].refusal, KeyRefusal::kInvalid);
  EXPECT_EQ(options->providers.at(1).keys[1].refusal, KeyRefusal::kSuspended);
  auto bad = ParseConfig("providers: [{name: g, keys: [{key: k, refusal: broke}]}]");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message.find("providers[0].keys[0].refusal"), std::string::npos)
      << bad.error().message;
}

}  // namespace
}  // namespace hfs::emulator
