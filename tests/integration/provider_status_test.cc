// tests/integration/provider_status_test.cc
//
// Integration: what each provider's refusals and failures do to the key, the call and the
// usage rows (issue #17, items 5 and 6; the table is docs/providers.md "How a reply is
// treated"). The whole LLM stack of a run (ProviderSet: key pools and rotating models over
// CurlTransport; FallbackModel) talks to an in-process hfs-emulator whose faults send the
// providers' real bodies: Gemini's 400 API_KEY_INVALID and 403 PERMISSION_DENIED, Groq's
// 400 organization_restricted, OpenRouter's 402, its 403 "Key limit exceeded" and its
// moderation 403, a 503 with Retry-After, a request that hangs until the client gives up.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>

#include "hfs/base/check.h"
#include "hfs/base/mutex.h"
#include "hfs/llm/fallback_model.h"
#include "hfs/llm/provider_set.h"
#include "hfs/llm/usage_rows.h"
#include "hfs/net/curl_transport.h"
#include "tools/emulator/config.h"
#include "tools/emulator/emulator.h"
#include "tools/emulator/server.h"

namespace hfs::llm {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kModel[] = "llama-3.1-8b-instant";
constexpr int kKeys = 2;

ChatRequest Hello() {
  return {.model = kModel,
          .messages = {Message::User("Describe the pricing section.")},
          .max_tokens = 512};
}

emulator::ProviderOptions& Emulated(emulator::EmulatorOptions& options, std::string_view name) {
  for (emulator::ProviderOptions& provider : options.providers) {
    if (provider.name == name) return provider;
  }
  HFS_CHECK(false, "no emulated provider of that name");
  return options.providers.front();
}

// A limit no test reaches, so the pools report what they counted.
keys::ProviderLimits Roomy() {
  return {.models = {{keys::kAnyModel,
                      {{keys::LimitKind::kRequests, 1000, std::chrono::minutes(1)},
                       {keys::LimitKind::kTokens, 10'000'000, std::chrono::minutes(1)}}}}};
}

class ProviderStatusTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }

  void TearDown() override {
    providers_.reset();
    transport_.reset();
    if (server_) server_->Stop();
  }

  // Starts the emulator (its keys emu-<provider>-1..8, changed by `configure`) and a
  // provider set holding keys 1 and 2 of each provider.
  void Start(const std::function<void(emulator::EmulatorOptions&)>& configure,
             ProviderSetOptions options = {}) {
    emulator::EmulatorOptions emulated = emulator::DefaultOptions();
    configure(emulated);
    emulator_ = std::make_unique<emulator::Emulator>(emulated, clock_);
    server_ = std::make_unique<emulator::Server>(*emulator_, 8);
    Result<int> port = server_->Start("127.0.0.1", 0);
    ASSERT_TRUE(port.has_value()) << port.error().ToString();
    const std::string base = "http://127.0.0.1:" + std::to_string(*port);
    Env::Variables variables;
    for (const emulator::ProviderOptions& provider : emulated.providers) {
      const std::string prefix = keys::EnvPrefix(provider.name);
      variables["NUM_" + prefix] = std::to_string(kKeys);
      for (int i = 1; i <= kKeys; ++i) {
        variables[prefix + "_API_KEY_" + std::to_string(i)] =
            "emu-" + provider.name + "-" + std::to_string(i);
      }
      variables["HFS_" + prefix + "_BASE_URL"] = base + provider.prefix;
    }
    env_ = Env(variables);
    transport_ = std::make_unique<net::CurlTransport>();
    if (options.client.timeout == Duration::max()) options.client.timeout = seconds(10);
    options.rotating.retry.initial_backoff = milliseconds(5);
    options.rotating.on_call = [this](const ProviderCall& call) {
      MutexLock lock(mu_);
      rows_.push_back(ToUsageRecord(call));
    };
    std::vector<ProviderOptions> builtin = BuiltinProviders();
    for (ProviderOptions& provider : builtin) provider.limits = Roomy();
    providers_ = std::make_unique<ProviderSet>(builtin, env_, *transport_, clock_, options);
  }

  Model& Provider(std::string_view name) {
    Model* model = providers_->Find(name);
    HFS_CHECK(model != nullptr, "provider not usable");
    return *model;
  }
  keys::KeyPool& Pool(std::string_view name) {
    keys::KeyPool* pool = providers_->Pool(name);
    HFS_CHECK(pool != nullptr, "provider not usable");
    return *pool;
  }
  json Stats() { return json::parse(emulator_->StatsJson()); }
  int64_t Requests(std::string_view provider) {
    return Stats()["providers"][std::string(provider)].value("requests", int64_t{0});
  }
  std::vector<store::UsageRecord> Rows() {
    MutexLock lock(mu_);
    return rows_;
  }
  // Tokens the pool of `provider` counts in its token window, over its buckets.
  int64_t CountedTokens(std::string_view provider) {
    int64_t tokens = 0;
    for (const keys::BucketStatus& bucket : Pool(provider).Buckets()) {
      for (const auto& [rule, used] : bucket.usage) {
        if (rule.kind == keys::LimitKind::kTokens) tokens += used;
      }
    }
    return tokens;
  }

  SystemClock clock_;
  Env env_;
  std::unique_ptr<emulator::Emulator> emulator_;
  std::unique_ptr<emulator::Server> server_;
  std::unique_ptr<net::CurlTransport> transport_;
  std::unique_ptr<ProviderSet> providers_;
  Mutex mu_;
  std::vector<store::UsageRecord> rows_ HFS_GUARDED_BY(mu_);
};

// ---- Item 5: status codes by provider ----

// OpenRouter's 403 is its moderation flagging one prompt: the call moves to the next
// provider at once, and no key is barred (the next prompt goes to OpenRouter again).
TEST_F(ProviderStatusTest, OpenRouterModerationRefusesThePromptNotTheKey) {
  Start([](emulator::EmulatorOptions& options) {
    Emulated(options, "openrouter").faults.moderation = 1.0;
  });
  FallbackModel model(
      {{.provider = "openrouter", .model = kModel, .client = &Provider("openrouter")},
       {.provider = "groq", .model = kModel, .client = &Provider("groq")}});
  Result<ChatResponse> first = model.Complete(Hello(), {});
  ASSERT_TRUE(first.has_value()) << first.error().ToString();
  EXPECT_EQ(first->provider, "groq");
  EXPECT_EQ(Requests("openrouter"), 1);  // not sent again with the other key
  for (const keys::KeyStatus& key : Pool("openrouter").Keys()) {
    EXPECT_FALSE(key.disabled) << key.key_id;
    EXPECT_TRUE(key.forbidden_models.empty()) << key.key_id;
  }
  ASSERT_TRUE(model.Complete(Hello(), {}).has_value());
  EXPECT_EQ(Requests("openrouter"), 2);  // OpenRouter was asked again
  const std::vector<store::UsageRecord> rows = Rows();
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0].status, "client_error");
  EXPECT_EQ(rows[0].http_status, 403);
}

// A bad Gemini key is a 400 (API_KEY_INVALID), a suspended one a 403 PERMISSION_DENIED,
// a restricted Groq organisation a 400: each key is out for good, and the others serve.
TEST_F(ProviderStatusTest, RefusedKeysAreDisabledWhateverStatusTheProviderUses) {
  Start([](emulator::EmulatorOptions& options) {
    Emulated(options, "gemini").keys[0].refusal = emulator::KeyRefusal::kInvalid;
    Emulated(options, "groq").keys[0].refusal = emulator::KeyRefusal::kSuspended;
  });
  for (const char* name : {"gemini", "groq"}) {
    for (int i = 0; i < 4; ++i) {
      Result<ChatResponse> reply = Provider(name).Complete(Hello(), {});
      ASSERT_TRUE(reply.has_value()) << name << ": " << reply.error().ToString();
    }
    EXPECT_EQ(Requests(name), 5) << name;  // the refused key was tried once
    const std::vector<keys::KeyStatus> keys = Pool(name).Keys();
    EXPECT_TRUE(keys[0].disabled) << name;
    EXPECT_EQ(keys[0].disabled_because, "refused") << name;
    EXPECT_FALSE(keys[1].disabled) << name;
  }
  EXPECT_EQ(Stats()["providers"]["gemini"]["statuses"]["400"], 1);
  EXPECT_EQ(Stats()["providers"]["groq"]["statuses"]["400"], 1);
  int unauthorized = 0;
  for (const store::UsageRecord& row : Rows()) {
    if (row.status == "unauthorized") {
      ++unauthorized;
      EXPECT_EQ(row.http_status, 400) << row.provider;
      EXPECT_EQ(row.prompt_tokens + row.completion_tokens, 0);  // refused before it ran
    }
  }
  EXPECT_EQ(unauthorized, 2);
}

// Gemini's PERMISSION_DENIED takes the key out for every model, not only the one asked.
TEST_F(ProviderStatusTest, AGeminiKeyRefusedFor403IsOutForEveryModel) {
  Start([](emulator::EmulatorOptions& options) {
    for (emulator::KeyOptions& key : Emulated(options, "gemini").keys) {
      key.refusal = emulator::KeyRefusal::kSuspended;
    }
  });
  Result<ChatResponse> flash = Provider("gemini").Complete(Hello(), {});
  ASSERT_FALSE(flash.has_value());
  EXPECT_EQ(flash.error().code, ErrorCode::kUnauthenticated);
  ChatRequest pro = Hello();
  pro.model = "gemini-2.5-pro";
  Result<ChatResponse> other = Provider("gemini").Complete(pro, {});
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(other.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(Requests("gemini"), kKeys);  // one per key, none for the second model
}

// A 402 (no credit) and OpenRouter's 403 "Key limit exceeded" are no rate limits: the keys
// are out for the process, nothing is waited out, and the next provider answers at once.
TEST_F(ProviderStatusTest, KeysWithoutCreditAreDisabledAndTheCallFallsOverAtOnce) {
  Start([](emulator::EmulatorOptions& options) {
    emulator::ProviderOptions& openrouter = Emulated(options, "openrouter");
    openrouter.keys[0].refusal = emulator::KeyRefusal::kNoCredit;
    openrouter.keys[1].refusal = emulator::KeyRefusal::kKeyLimit;
  });
  FallbackModel model(
      {{.provider = "openrouter", .model = kModel, .client = &Provider("openrouter")},
       {.provider = "groq", .model = kModel, .client = &Provider("groq")}});
  const auto start = std::chrono::steady_clock::now();
  Result<ChatResponse> reply = model.Complete(Hello(), {.deadline = clock_.Now() + seconds(60)});
  ASSERT_TRUE(reply.has_value()) << reply.error().ToString();
  EXPECT_EQ(reply->provider, "groq");
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(2));  // no cool-down waited
  EXPECT_EQ(Requests("openrouter"), 2);
  for (const keys::KeyStatus& key : Pool("openrouter").Keys()) {
    EXPECT_EQ(key.disabled_because, "no credit") << key.key_id;
  }
  ASSERT_TRUE(model.Complete(Hello(), {}).has_value());
  EXPECT_EQ(Requests("openrouter"), 2);  // never asked again
  int no_credit = 0;
  for (const store::UsageRecord& row : Rows()) no_credit += row.status == "no_credit";
  EXPECT_EQ(no_credit, 2);
}

// ---- Item 6: Retry-After of a 503, tokens of failed and abandoned requests ----

// A 503's Retry-After is waited out before the next try, and holds every other call to
// that provider too.
TEST_F(ProviderStatusTest, A503RetryAfterIsHonouredByEveryCallToTheProvider) {
  Start([](emulator::EmulatorOptions& options) {
    emulator::ProviderOptions& groq = Emulated(options, "groq");
    groq.faults.error_503 = 1.0;
    groq.faults.retry_after_seconds = 1;
  });
  const auto start = std::chrono::steady_clock::now();
  Result<ChatResponse> reply = Provider("groq").Complete(Hello(), {});
  ASSERT_FALSE(reply.has_value());
  EXPECT_EQ(reply.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(Requests("groq"), 3);                                   // 1 + max_retries
  EXPECT_GE(std::chrono::steady_clock::now() - start, seconds(2));  // 1 s before each retry
  // Another call right away may not wait a second for its key: it fails without sending.
  Result<ChatResponse> held = Provider("groq").Complete(Hello(), {.key_wait = milliseconds(100)});
  ASSERT_FALSE(held.has_value());
  EXPECT_NE(held.error().message.find("Retry-After"), std::string::npos) << held.error().message;
  EXPECT_EQ(Requests("groq"), 3);
}

// A Retry-After longer than a call should wait fails the call over to the next provider
// at once, instead of sleeping or retrying.
TEST_F(ProviderStatusTest, ALongRetryAfterMovesToTheNextProviderAtOnce) {
  Start([](emulator::EmulatorOptions& options) {
    emulator::ProviderOptions& cerebras = Emulated(options, "cerebras");
    cerebras.faults.error_503 = 1.0;
    cerebras.faults.retry_after_seconds = 600;
  });
  FallbackModel model({{.provider = "cerebras", .model = kModel, .client = &Provider("cerebras")},
                       {.provider = "groq", .model = kModel, .client = &Provider("groq")}});
  const auto start = std::chrono::steady_clock::now();
  Result<ChatResponse> reply = model.Complete(Hello(), {});
  ASSERT_TRUE(reply.has_value()) << reply.error().ToString();
  EXPECT_EQ(reply->provider, "groq");
  EXPECT_EQ(Requests("cerebras"), 1);
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(2));
}

// The provider counts a request it received even when HFS never gets (or cannot use) the
// answer; so does the key pool, and so does the usage row, from which the windows are
// rebuilt at the next start.
TEST_F(ProviderStatusTest, AbandonedAndFailedRequestsCountTheirTokens) {
  ProviderSetOptions options;
  options.client.timeout = milliseconds(300);
  options.rotating.retry.max_retries = 0;
  Start(
      [](emulator::EmulatorOptions& options) {
        emulator::ProviderOptions& groq = Emulated(options, "groq");
        groq.faults.hang = 1.0;  // nothing comes back: the client gives up
        groq.faults.hang_seconds = 2;
        Emulated(options, "cerebras").faults.error_500 = 1.0;
      },
      options);
  ASSERT_FALSE(Provider("groq").Complete(Hello(), {}).has_value());
  ASSERT_FALSE(Provider("cerebras").Complete(Hello(), {}).has_value());
  const std::vector<store::UsageRecord> rows = Rows();
  ASSERT_EQ(rows.size(), 2u);
  const RotatingModel* groq = nullptr;
  for (const ProviderEntry& entry : providers_->entries()) {
    if (entry.options.name == "groq") groq = entry.model.get();
  }
  ASSERT_NE(groq, nullptr);
  const ChatRequest request = Hello();
  // The abandoned request: the whole estimate (the model may have written it all).
  EXPECT_EQ(rows[0].provider, "groq");
  EXPECT_EQ(rows[0].status, "transport_error");
  EXPECT_EQ(rows[0].prompt_tokens, groq->EstimatePromptTokens(request));
  EXPECT_EQ(rows[0].prompt_tokens + rows[0].completion_tokens, groq->EstimateTokens(request));
  // The emulator admitted and charged it; HFS counts at least as much.
  const json stats = Stats();
  EXPECT_EQ(stats["providers"]["groq"]["accepted"], 1);
  EXPECT_GT(stats["providers"]["groq"]["total_tokens"].get<int64_t>(), 0);
  EXPECT_GE(CountedTokens("groq"), stats["providers"]["groq"]["total_tokens"].get<int64_t>());
  EXPECT_EQ(CountedTokens("groq"), rows[0].prompt_tokens + rows[0].completion_tokens);
  // The 500: the prompt estimate.
  EXPECT_EQ(rows[1].provider, "cerebras");
  EXPECT_EQ(rows[1].status, "server_error");
  EXPECT_EQ(rows[1].prompt_tokens, groq->EstimatePromptTokens(request));
  EXPECT_GT(rows[1].prompt_tokens, 0);
  EXPECT_EQ(rows[1].completion_tokens, 0);
  EXPECT_EQ(CountedTokens("cerebras"), rows[1].prompt_tokens);
  // A later run rebuilds the same windows from the rows.
  std::vector<ProviderOptions> builtin = BuiltinProviders();
  for (ProviderOptions& provider : builtin) provider.limits = Roomy();
  ProviderSet restarted(builtin, env_, *transport_, clock_);
  restarted.Hydrate(rows);
  int64_t hydrated = 0;
  for (const keys::BucketStatus& bucket : restarted.Pool("groq")->Buckets()) {
    for (const auto& [rule, used] : bucket.usage) {
      if (rule.kind == keys::LimitKind::kTokens) hydrated += used;
    }
  }
  EXPECT_EQ(hydrated, CountedTokens("groq"));
}

}  // namespace
}  // namespace hfs::llm
