#include "hfs/keys/key_discovery.h"

#include <gtest/gtest.h>

namespace hfs::keys {
namespace {

constexpr char kCanary[] = "csk-CANARY-8f2b9e7d1c";

// CheckKeyDestination's message, or "" when the keys may go to `base_url`.
std::string KeyDestinationProblem(const Env& env, std::string_view provider,
                                  std::string_view base_url) {
  Result<void> allowed = CheckKeyDestination(env, provider, base_url);
  if (allowed) return "";
  EXPECT_EQ(allowed.error().code, ErrorCode::kPermissionDenied);
  return allowed.error().message;
}

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

TEST(KeyDiscoveryTest, TrimsWhitespaceAroundKeysAndWarns) {
  Env env(Env::Variables{{"GROQ_API_KEY", "gsk-one\r"},
                         {"NUM_GEMINI", "2"},
                         {"GEMINI_API_KEY_1", " g1 \r\n"},
                         {"GEMINI_API_KEY_2", "\r"}});
  DiscoveredKeys groq = DiscoverKeys(env, "groq");
  ASSERT_EQ(groq.keys.size(), 1u);
  EXPECT_EQ(groq.keys[0].secret.Reveal(), "gsk-one");
  EXPECT_EQ(groq.keys[0].fingerprint, Fingerprint("gsk-one"));
  ASSERT_EQ(groq.warnings.size(), 1u);
  EXPECT_EQ(groq.warnings[0],
            "GROQ_API_KEY has spaces or a carriage return (\\r) around the key; they were removed");
  DiscoveredKeys gemini = DiscoverKeys(env, "gemini");
  ASSERT_EQ(gemini.keys.size(), 1u);
  EXPECT_EQ(gemini.keys[0].secret.Reveal(), "g1");
  ASSERT_EQ(gemini.warnings.size(), 2u);
  EXPECT_EQ(gemini.warnings[1], "GEMINI_API_KEY_2 is not set");
}

TEST(KeyDiscoveryTest, TheWorkingDirectoryDotEnvCannotRedirectKeysFromElsewhere) {
  Env env;
  env.SetDefault("GROQ_API_KEY", kCanary);  // from the environment
  env.SetDefault("HFS_GROQ_BASE_URL", "https://attacker.example/v1",
                 EnvSource::kWorkingDirectoryFile);
  DiscoveredKeys found = DiscoverKeys(env, "groq");
  EXPECT_TRUE(found.keys.empty());
  EXPECT_NE(found.refusal.find("HFS_GROQ_BASE_URL"), std::string::npos) << found.refusal;
  EXPECT_NE(found.refusal.find("$HFS_HOME/.env"), std::string::npos) << found.refusal;
  EXPECT_EQ(found.refusal.find("CANARY"), std::string::npos);
  EXPECT_EQ(KeyDestinationProblem(env, "groq", "https://attacker.example/v1"), found.refusal);

  // Keys from the same file may go where that file says.
  Env project;
  project.SetDefault("GROQ_API_KEY", "gsk-project", EnvSource::kWorkingDirectoryFile);
  project.SetDefault("HFS_GROQ_BASE_URL", "https://proxy.example/v1",
                     EnvSource::kWorkingDirectoryFile);
  EXPECT_EQ(DiscoverKeys(project, "groq").keys.size(), 1u);
  // The user's own override is honoured.
  Env home;
  home.SetDefault("GROQ_API_KEY", kCanary, EnvSource::kUserFile);
  home.SetDefault("HFS_GROQ_BASE_URL", "https://proxy.example/v1", EnvSource::kUserFile);
  EXPECT_EQ(DiscoverKeys(home, "groq").keys.size(), 1u);
}

TEST(KeyDiscoveryTest, KeysGoOnlyOverHttpsOrToLoopback) {
  Env env(Env::Variables{{"GROQ_API_KEY", kCanary}});
  for (const char* url :
       {"https://api.groq.com/openai/v1", "HTTPS://api.groq.com/v1", "http://127.0.0.1:8080/v1",
        "http://127.9.0.1/v1", "http://localhost:11434/v1", "http://LocalHost/v1",
        "http://[::1]:8080/v1", "http://127.0.0.1"}) {
    EXPECT_EQ(KeyDestinationProblem(env, "groq", url), "") << url;
  }
  for (const char* url : {"http://api.example.com/v1", "http://127.0.0.1.evil.example/v1",
                          "http://127.0.0.1@evil.example/v1", "http://evil.example\\@127.0.0.1/v1",
                          "http://127.0.0.1./v1", "http://localhost.evil.example/v1",
                          "http://128.0.0.1/v1", "http://127.0.0.256/v1", "http://[::2]/v1",
                          "ftp://api.groq.com/v1", "api.groq.com/v1", ""}) {
    EXPECT_NE(KeyDestinationProblem(env, "groq", url), "") << url;
  }
  const std::string problem = KeyDestinationProblem(env, "groq", "http://api.example.com/v1");
  EXPECT_NE(problem.find("groq"), std::string::npos) << problem;
  EXPECT_NE(problem.find("HFS_GROQ_ALLOW_HTTP=1"), std::string::npos) << problem;

  // Allowed from the environment or $HFS_HOME/.env, never from the working directory's .env.
  Env allowed = env;
  allowed.SetDefault("HFS_GROQ_ALLOW_HTTP", "1", EnvSource::kUserFile);
  EXPECT_EQ(KeyDestinationProblem(allowed, "groq", "http://api.example.com/v1"), "");
  Env project = env;
  project.SetDefault("HFS_GROQ_ALLOW_HTTP", "1", EnvSource::kWorkingDirectoryFile);
  EXPECT_NE(KeyDestinationProblem(project, "groq", "http://api.example.com/v1"), "");
  // Without keys there is nothing to send.
  EXPECT_EQ(KeyDestinationProblem(Env(), "groq", "http://api.example.com/v1"), "");

  // An override is checked where the keys are discovered.
  Env overridden(Env::Variables{{"GROQ_API_KEY", kCanary},
                                {"HFS_GROQ_BASE_URL", "http://api.example.com/v1"}});
  DiscoveredKeys found = DiscoverKeys(overridden, "groq");
  EXPECT_TRUE(found.keys.empty());
  EXPECT_EQ(found.refusal, problem);
}

TEST(KeyDiscoveryTest, RedactSecretAlsoCoversAKeyCutAtTheEnd) {
  const Secret secret(kCanary);
  std::string text = std::string("bad key ") + kCanary + " (again: " + kCanary + ")";
  RedactSecret(text, secret);
  EXPECT_EQ(text, "bad key [redacted] (again: [redacted])");
  // A cut 9 characters into the key leaves its start at the end of the text.
  std::string cut = std::string("bad key ") + std::string(kCanary).substr(0, 9);
  RedactSecret(cut, secret);
  EXPECT_EQ(cut, "bad key [redacted]");
  std::string unrelated = "bad key csk-";
  RedactSecret(unrelated, secret);  // the public prefix alone is not worth hiding
  EXPECT_EQ(unrelated, "bad key csk-");
}

}  // namespace
}  // namespace hfs::keys
