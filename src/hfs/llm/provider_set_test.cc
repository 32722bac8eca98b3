#include "hfs/llm/provider_set.h"

#include <gtest/gtest.h>

#include "hfs/testing/fake_clock.h"
#include "hfs/testing/fake_transport.h"

namespace hfs::llm {
namespace {

constexpr char kOk[] =
    R"({"id":"c1","model":"m","choices":[{"index":0,"message":{"role":"assistant",)"
    R"("content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":4,"completion_tokens":2}})";

class ProviderSetTest : public ::testing::Test {
 protected:
  std::vector<ProviderOptions> Providers() {
    std::vector<ProviderOptions> providers = BuiltinProviders();
    providers.push_back(
        {.name = "local", .base_url = "http://127.0.0.1:11434/v1", .requires_key = false});
    providers.push_back({.name = "needs-key", .base_url = "http://127.0.0.1:9/v1"});
    return providers;
  }
  testing::FakeClock clock_;
  testing::FakeTransport transport_;
};

TEST_F(ProviderSetTest, OnlyUsableProvidersInConfiguredOrder) {
  Env env(Env::Variables{{"NUM_GROQ", "2"},
                         {"GROQ_API_KEY_1", "g1"},
                         {"GROQ_API_KEY_2", "g2"},
                         {"CEREBRAS_API_KEY", "c"}});
  std::vector<ProviderOptions> providers = Providers();
  providers[1].enabled = false;  // groq, in the built-in order cerebras, groq, ...
  ASSERT_EQ(providers[1].name, "groq");
  ProviderSet set(providers, env, transport_, clock_);
  std::vector<std::string> names;
  for (const ProviderEntry& entry : set.entries()) names.push_back(entry.options.name);
  EXPECT_EQ(names, (std::vector<std::string>{"cerebras", "local"}));
  EXPECT_EQ(set.Find("groq"), nullptr);
  EXPECT_EQ(set.Find("needs-key"), nullptr);
  ASSERT_NE(set.Pool("cerebras"), nullptr);
  EXPECT_EQ(set.Pool("cerebras")->size(), 1u);
}

TEST_F(ProviderSetTest, BaseUrlOverrideAndKeylessCallsHaveNoAuthorization) {
  Env env(Env::Variables{{"HFS_LOCAL_BASE_URL", "http://127.0.0.1:8080/v1"}});
  ProviderSet set(Providers(), env, transport_, clock_);
  ASSERT_NE(set.Find("local"), nullptr);
  transport_.PushBody(200, kOk);
  Result<ChatResponse> reply =
      set.Find("local")->Complete({.model = "m", .messages = {Message::User("hi")}}, {});
  ASSERT_TRUE(reply) << reply.error().ToString();
  EXPECT_EQ(reply->content, "hi");
  EXPECT_EQ(reply->provider, "local");
  ASSERT_EQ(transport_.requests().size(), 1u);
  EXPECT_EQ(transport_.requests()[0].url, "http://127.0.0.1:8080/v1/chat/completions");
  EXPECT_FALSE(transport_.requests()[0].headers.Get("Authorization").has_value());
}

TEST_F(ProviderSetTest, HydrationFillsEachProvidersWindows) {
  Env env(Env::Variables{{"GROQ_API_KEY", "g"}, {"CEREBRAS_API_KEY", "c"}});
  std::vector<ProviderOptions> providers = Providers();
  for (ProviderOptions& provider : providers) {
    provider.limits = {
        .models = {{keys::kAnyModel, {{keys::LimitKind::kRequests, 2, std::chrono::minutes(1)}}}}};
  }
  ProviderSet set(providers, env, transport_, clock_);
  const std::string groq_key = set.Pool("groq")->Keys()[0].key_id;
  const Timestamp now = clock_.Now();
  std::vector<store::UsageRecord> rows = {
      {.request_id = "a",
       .time = now,
       .provider = "groq",
       .model_requested = "m",
       .key_id = groq_key,
       .status = "ok"},
      {.request_id = "b",
       .time = now,
       .provider = "groq",
       .model_requested = "m",
       .key_id = groq_key,
       .status = "rate_limited"},
  };
  set.Hydrate(rows);
  EXPECT_FALSE(set.Pool("groq")->Acquire({.model = "m", .deadline = now}).has_value());
  EXPECT_TRUE(set.Pool("cerebras")->Acquire({.model = "m", .deadline = now}).has_value());
}

}  // namespace
}  // namespace hfs::llm
