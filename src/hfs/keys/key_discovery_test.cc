#include "hfs/keys/key_discovery.h"

#include <gtest/gtest.h>

namespace hfs::keys {
namespace {

constexpr char kCanary[] = "csk-CANARY-8f2b9e7d1c";

TEST(KeyDiscoveryTest, FindsNumberedAndSingleKeys) {
  Env env(Env::Variables{{"NUM_CEREBRAS", "2"},
                         {"CEREBRAS_API_KEY_1", kCanary},
                         {"CEREBRAS_API_KEY_2", "csk-two"},
                         {"CEREBRAS_API_KEY", "csk-single"},
                         {"CEREBRAS_ACCOUNT_2", "team"}});
  DiscoveredKeys found = DiscoverKeys(env, "cerebras");
  ASSERT_EQ(found.keys.size(), 3u);
  EXPECT_TRUE(found.warnings.empty());
  EXPECT_EQ(found.keys[0].index, 1);
  EXPECT_EQ(found.keys[0].secret.Reveal(), kCanary);
  EXPECT_EQ(found.keys[0].scope, found.keys[0].id());
  EXPECT_EQ(found.keys[1].scope, "cerebras/team");
  EXPECT_EQ(found.keys[2].index, 0);
}

TEST(KeyDiscoveryTest, IdsNeverContainTheSecret) {
  Env env(Env::Variables{{"NUM_GROQ", "1"}, {"GROQ_API_KEY_1", kCanary}});
  ApiKey key = std::move(DiscoverKeys(env, "groq").keys.at(0));
  EXPECT_EQ(key.id().find("CANARY"), std::string::npos);
  EXPECT_EQ(key.id().find("csk"), std::string::npos);
  EXPECT_EQ(key.id(), "groq#1:" + Fingerprint(kCanary));
  EXPECT_EQ(key.fingerprint.size(), 8u);
  EXPECT_NE(Fingerprint(kCanary), Fingerprint("csk-CANARY-8f2b9e7d1d"));
}

TEST(KeyDiscoveryTest, WarnsAboutMissingDuplicateAndBadCounts) {
  Env env(Env::Variables{{"NUM_GEMINI", "3"},
                         {"GEMINI_API_KEY_1", "g1"},
                         {"GEMINI_API_KEY_3", "g1"},
                         {"NUM_GROQ", "two"}});
  DiscoveredKeys gemini = DiscoverKeys(env, "gemini");
  EXPECT_EQ(gemini.keys.size(), 1u);
  ASSERT_EQ(gemini.warnings.size(), 2u);
  EXPECT_EQ(gemini.warnings[0], "GEMINI_API_KEY_2 is not set");
  EXPECT_EQ(gemini.warnings[1], "GEMINI_API_KEY_3 repeats an earlier key and is skipped");
  DiscoveredKeys groq = DiscoverKeys(env, "groq");
  EXPECT_TRUE(groq.keys.empty());
  ASSERT_EQ(groq.warnings.size(), 1u);
  EXPECT_EQ(groq.warnings[0].find("two"), std::string::npos);
}

TEST(KeyDiscoveryTest, PrefixForCustomProviders) {
  EXPECT_EQ(EnvPrefix("my-llm.local"), "MY_LLM_LOCAL");
  Env env(Env::Variables{{"MY_LLM_API_KEY", "k"}});
  EXPECT_EQ(DiscoverKeys(env, "my-llm").keys.size(), 1u);
  EXPECT_TRUE(DiscoverKeys(Env(), "openrouter").keys.empty());
}

}  // namespace
}  // namespace hfs::keys
