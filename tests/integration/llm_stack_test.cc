// tests/integration/llm_stack_test.cc
//
// Integration: the whole LLM stack of a run (ProviderSet: key pools, rotating models over
// CurlTransport; FallbackModel; UsageStore on SQLite) against an in-process hfs-emulator.
// Checks rotation, fallback between providers, streaming usage, that the usage rows equal
// what the emulator saw, and that key text appears in no log line, database row or error.
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "hfs/base/file.h"
#include "hfs/llm/fallback_model.h"
#include "hfs/llm/provider_set.h"
#include "hfs/llm/usage_rows.h"
#include "hfs/net/curl_transport.h"
#include "hfs/store/open_database.h"
#include "hfs/store/usage_store.h"
#include "hfs/testing/temp_dir.h"
#include "tools/emulator/config.h"
#include "tools/emulator/emulator.h"
#include "tools/emulator/server.h"

namespace hfs::llm {
namespace {

using nlohmann::json;

constexpr char kCanary[] = "CANARY-7f3e9a";
constexpr char kModel[] = "llama-3.3-70b";

std::string Secret(const std::string& provider, int index) {
  return "sk-" + provider + "-" + kCanary + "-" + std::to_string(index);
}

ChatRequest Hello() {
  return {.model = kModel, .messages = {Message::User("Describe the pricing section.")}};
}

class LlmStackTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }

  void SetUp() override {
    logs_ = std::make_shared<std::ostringstream>();
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(*logs_);
    previous_logger_ = spdlog::default_logger();
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("test", sink));
    spdlog::set_level(spdlog::level::trace);
  }

  void TearDown() override {
    providers_.reset();
    transport_.reset();
    if (server_) server_->Stop();
    spdlog::set_default_logger(previous_logger_);
  }

  // Keys carry the canary. The emulator knows every key except those of the provider
  // `unknown_keys_of`, whose keys it refuses with 401.
  // `tweak` changes each provider's emulator options last.
  void Start(int keys_per_provider, const std::string& unknown_keys_of = "",
             std::vector<emulator::LimitRule> limits = {},
             const std::function<void(emulator::ProviderOptions&)>& tweak = {}) {
    emulator::EmulatorOptions options = emulator::DefaultOptions();
    Env::Variables variables;
    for (emulator::ProviderOptions& provider : options.providers) {
      provider.keys.clear();
      provider.default_limits = limits;
      std::string prefix = keys::EnvPrefix(provider.name);
      variables["NUM_" + prefix] = std::to_string(keys_per_provider);
      for (int i = 1; i <= keys_per_provider; ++i) {
        variables[prefix + "_API_KEY_" + std::to_string(i)] = Secret(provider.name, i);
        std::string key = provider.name != unknown_keys_of ? Secret(provider.name, i)
                                                           : "someone-else-" + std::to_string(i);
        provider.keys.push_back({.key = key, .scope = key});
      }
      if (tweak) tweak(provider);
    }
    emulator_ = std::make_unique<emulator::Emulator>(options, clock_);
    server_ = std::make_unique<emulator::Server>(*emulator_, 8);
    Result<int> port = server_->Start("127.0.0.1", 0);
    ASSERT_TRUE(port.has_value()) << port.error().ToString();
    const std::string base = "http://127.0.0.1:" + std::to_string(*port);
    variables["HFS_CEREBRAS_BASE_URL"] = base + "/cerebras/v1";
    variables["HFS_GROQ_BASE_URL"] = base + "/groq/openai/v1";
    variables["HFS_GEMINI_BASE_URL"] = base + "/gemini/v1beta/openai";
    variables["HFS_OPENROUTER_BASE_URL"] = base + "/openrouter/api/v1";
    env_ = Env(variables);

    db_path_ = dir_.path() / "usage.db";
    auto database = store::OpenDatabase("sqlite://" + db_path_.string());
    ASSERT_TRUE(database.has_value()) << database.error().ToString();
    auto usage = store::UsageStore::Open(std::move(*database));
    ASSERT_TRUE(usage.has_value()) << usage.error().ToString();
    usage_ = std::move(*usage);

    transport_ = std::make_unique<net::CurlTransport>();
    ProviderSetOptions set_options;
    set_options.client.timeout = std::chrono::seconds(10);
    set_options.rotating.retry.initial_backoff = std::chrono::milliseconds(5);
    set_options.rotating.on_call = [this](const ProviderCall& call) {
      usage_->Record(ToUsageRecord(call));
    };
    providers_ =
        std::make_unique<ProviderSet>(BuiltinProviders(), env_, *transport_, clock_, set_options);
  }

  std::vector<store::UsageRecord> Rows() {
    EXPECT_TRUE(usage_->Flush().has_value());
    Result<std::vector<store::UsageRecord>> rows = usage_->Recent(Timestamp{});
    EXPECT_TRUE(rows.has_value());
    return rows.value_or(std::vector<store::UsageRecord>{});
  }

  void ExpectNoCanary(const std::string& text, const std::string& where) {
    EXPECT_EQ(text.find(kCanary), std::string::npos) << where << " holds key text";
  }

  SystemClock clock_;
  testing::TempDir dir_;
  std::filesystem::path db_path_;
  Env env_;
  std::shared_ptr<std::ostringstream> logs_;
  std::shared_ptr<spdlog::logger> previous_logger_;
  std::unique_ptr<emulator::Emulator> emulator_;
  std::unique_ptr<emulator::Server> server_;
  std::unique_ptr<store::UsageStore> usage_;
  std::unique_ptr<net::CurlTransport> transport_;
  std::unique_ptr<ProviderSet> providers_;
};

TEST_F(LlmStackTest, RotationSpreadsRequestsAndRowsMatchTheEmulator) {
  Start(3);
  Model* groq = providers_->Find("groq");
  ASSERT_NE(groq, nullptr);
  for (int i = 0; i < 9; ++i) {
    Result<ChatResponse> reply = groq->Complete(Hello(), {.run_id = "run-rotation"});
    ASSERT_TRUE(reply) << reply.error().ToString();
    EXPECT_EQ(reply->provider, "groq");
  }
  json stats = json::parse(emulator_->StatsJson());
  for (int i = 1; i <= 3; ++i) {
    EXPECT_EQ(stats["keys"][Secret("groq", i)]["accepted"], 3) << "key " << i;
  }
  std::vector<store::UsageRecord> rows = Rows();
  ASSERT_EQ(rows.size(), 9u);
  int64_t tokens = 0;
  for (const store::UsageRecord& row : rows) {
    EXPECT_EQ(row.status, "ok");
    EXPECT_EQ(row.run_id, "run-rotation");
    tokens += row.prompt_tokens + row.completion_tokens;
  }
  EXPECT_EQ(tokens, stats["providers"]["groq"]["total_tokens"].get<int64_t>());
}

TEST_F(LlmStackTest, RateLimitedKeysRotateWithoutOverrunningTheEmulator) {
  // Each key takes 2 requests a minute; the pool learns the limit from the headers.
  Start(2, "", {{.kind = emulator::LimitKind::kRequests, .limit = 2, .window_seconds = 60}});
  Model* cerebras = providers_->Find("cerebras");
  ASSERT_NE(cerebras, nullptr);
  int answered = 0;
  for (int i = 0; i < 4; ++i) answered += cerebras->Complete(Hello(), {}).has_value();
  EXPECT_EQ(answered, 4);
  // Both keys are full now: the next call fails at its deadline instead of sending.
  Result<ChatResponse> over =
      cerebras->Complete(Hello(), {.deadline = clock_.Now() + std::chrono::milliseconds(200)});
  ASSERT_FALSE(over.has_value());
  EXPECT_EQ(over.error().code, ErrorCode::kResourceExhausted);
  ExpectNoCanary(over.error().message, "error");
  json stats = json::parse(emulator_->StatsJson());
  EXPECT_EQ(stats["providers"]["cerebras"]["accepted"], 4);
  EXPECT_LE(stats["providers"]["cerebras"]["rate_limited"].get<int>(), 1);
}

// OpenRouter's 429 for a `:free` model whose upstream is busy says so in its body
// (error.metadata.raw, provider_name): the busy party is not our key, so no key cools and
// no other key is spent on the same busy upstream (docs/providers.md).
TEST_F(LlmStackTest, AnUpstreamLimitBehindOpenRouterCoolsNoKeyAndSpendsNoOtherKey) {
  Start(3, "", {}, [](emulator::ProviderOptions& provider) {
    if (provider.name != "openrouter") return;
    // One upstream shared by every key, taking one request a minute.
    for (emulator::KeyOptions& key : provider.keys) key.scope = "busy-upstream";
    provider.default_limits = {{.kind = emulator::LimitKind::kRequests,
                                .limit = 1,
                                .window_seconds = 60,
                                .upstream = true}};
  });
  Model* openrouter = providers_->Find("openrouter");
  ASSERT_NE(openrouter, nullptr);
  ChatRequest request = Hello();
  request.model = "meta-llama/llama-3.3-70b-instruct:free";
  ASSERT_TRUE(openrouter->Complete(request, {}).has_value());
  Result<ChatResponse> busy =
      openrouter->Complete(request, {.deadline = clock_.Now() + std::chrono::seconds(5)});
  ASSERT_FALSE(busy.has_value());
  EXPECT_EQ(busy.error().code, ErrorCode::kUnavailable) << busy.error().ToString();
  EXPECT_NE(busy.error().message.find("upstream"), std::string::npos) << busy.error().message;
  json stats = json::parse(emulator_->StatsJson());
  EXPECT_EQ(stats["providers"]["openrouter"]["rate_limited"], 1);  // not one per key
  const Timestamp now = clock_.Now();
  for (const keys::BucketStatus& bucket : providers_->Pool("openrouter")->Buckets()) {
    EXPECT_LE(bucket.cooldown_until, now) << bucket.scope << " was cooled";
  }
}

// Gemini answers a spent daily quota with the same ~30 s RetryInfo as a per-minute one;
// the quota id says per day. The key then rests until the daily reset (midnight Pacific,
// 08:00 UTC), and no request is sent to it meanwhile.
TEST_F(LlmStackTest, AGeminiKeyOutOfItsDailyQuotaRestsUntilTheResetNotForTheRetryHint) {
  Start(2, "", {}, [](emulator::ProviderOptions& provider) {
    if (provider.name != "gemini") return;
    provider.default_limits = {
        {.kind = emulator::LimitKind::kRequests, .limit = 1, .window_seconds = 86400}};
  });
  Model* gemini = providers_->Find("gemini");
  ASSERT_NE(gemini, nullptr);
  ChatRequest request = Hello();
  request.model = "gemini-2.5-flash";
  const Timestamp before = clock_.Now();
  Timestamp reset = std::chrono::floor<std::chrono::days>(before) + std::chrono::hours(8);
  if (reset <= before) reset += std::chrono::hours(24);
  // Each key answers once today; then both are spent.
  int answered = 0;
  for (int i = 0; i < 3; ++i) {
    answered +=
        gemini->Complete(request, {.deadline = clock_.Now() + std::chrono::seconds(3)}).has_value();
  }
  EXPECT_EQ(answered, 2);
  int cooled = 0;
  for (const keys::BucketStatus& bucket : providers_->Pool("gemini")->Buckets()) {
    if (bucket.cooldown_until <= clock_.Now()) continue;
    ++cooled;
    EXPECT_GE(bucket.cooldown_until, reset) << bucket.scope;
    EXPECT_LE(bucket.cooldown_until, before + std::chrono::hours(25)) << bucket.scope;
  }
  EXPECT_EQ(cooled, 2);
  const int limited = json::parse(emulator_->StatsJson())["providers"]["gemini"]["rate_limited"];
  EXPECT_FALSE(
      gemini->Complete(request, {.deadline = clock_.Now() + std::chrono::milliseconds(300)})
          .has_value());
  EXPECT_EQ(json::parse(emulator_->StatsJson())["providers"]["gemini"]["rate_limited"], limited);
}

// A call waiting for a key (its only key is full for a minute) ends as soon as the run is
// cancelled (Ctrl-C), not when a key frees or the deadline passes.
TEST_F(LlmStackTest, CancellingTheRunWakesACallWaitingForAKey) {
  Start(1, "", {{.kind = emulator::LimitKind::kRequests, .limit = 1, .window_seconds = 60}});
  Model* groq = providers_->Find("groq");
  ASSERT_NE(groq, nullptr);
  ASSERT_TRUE(groq->Complete(Hello(), {}).has_value());
  std::atomic<bool> cancelled{false};
  std::thread interrupt([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    cancelled = true;
  });
  const auto started = std::chrono::steady_clock::now();
  Result<ChatResponse> waited = groq->Complete(
      Hello(), {.deadline = clock_.Now() + std::chrono::seconds(60), .cancelled = &cancelled});
  const auto waited_for = std::chrono::steady_clock::now() - started;
  interrupt.join();
  ASSERT_FALSE(waited.has_value());
  EXPECT_EQ(waited.error().code, ErrorCode::kCancelled) << waited.error().ToString();
  // Woken by the cancellation, far from the minute the key needs or the deadline.
  EXPECT_LT(waited_for, std::chrono::seconds(10));
  EXPECT_EQ(json::parse(emulator_->StatsJson())["providers"]["groq"]["accepted"], 1);
}

// A 503 whose Retry-After is absurd (about 285,000 years, past what the clock can add)
// neither overflows the clock nor makes the call wait: the provider is held (at most 25 h,
// docs/providers.md), the call fails at once, and the next one sends nothing.
TEST_F(LlmStackTest, AnAbsurdRetryAfterNeitherOverflowsNorHoldsTheCall) {
  Start(2, "", {}, [](emulator::ProviderOptions& provider) {
    if (provider.name != "cerebras") return;
    provider.faults.error_503 = 1.0;
    provider.faults.retry_after_seconds = 9e12;
  });
  Model* cerebras = providers_->Find("cerebras");
  ASSERT_NE(cerebras, nullptr);
  const auto started = std::chrono::steady_clock::now();
  Result<ChatResponse> first =
      cerebras->Complete(Hello(), {.deadline = clock_.Now() + std::chrono::seconds(30)});
  ASSERT_FALSE(first.has_value());
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
  const json before = json::parse(emulator_->StatsJson())["providers"]["cerebras"];
  Result<ChatResponse> second =
      cerebras->Complete(Hello(), {.deadline = clock_.Now() + std::chrono::seconds(30)});
  ASSERT_FALSE(second.has_value());
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20));
  EXPECT_EQ(json::parse(emulator_->StatsJson())["providers"]["cerebras"], before)
      << "the held provider was sent another request";
}

TEST_F(LlmStackTest, FallbackMovesToTheNextProviderWhenKeysAreRefused) {
  Start(2, /*unknown_keys_of=*/"cerebras");
  FallbackModel model(
      {{.provider = "cerebras", .model = kModel, .client = providers_->Find("cerebras")},
       {.provider = "groq", .model = kModel, .client = providers_->Find("groq")}});
  Result<ChatResponse> reply = model.Complete(Hello(), {});
  ASSERT_TRUE(reply) << reply.error().ToString();
  EXPECT_EQ(reply->provider, "groq");
  // Both cerebras keys were tried once and disabled; groq answered.
  std::vector<store::UsageRecord> rows = Rows();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].status, "unauthorized");
  EXPECT_EQ(rows[1].status, "unauthorized");
  EXPECT_NE(rows[0].key_id, rows[1].key_id);
  EXPECT_EQ(rows[2].provider, "groq");
  // The next call skips cerebras at once: its keys are disabled for the process.
  ASSERT_TRUE(model.Complete(Hello(), {}).has_value());
  EXPECT_EQ(Rows().size(), 4u);
}

TEST_F(LlmStackTest, StreamingRecordsTheUsageTheEmulatorCounted) {
  Start(1);
  std::string streamed;
  Result<ChatResponse> reply =
      providers_->Find("openrouter")
          ->Stream(Hello(), {.phase = "deliberation"},
                   [&](const ChatDelta& delta) { streamed += delta.content; });
  ASSERT_TRUE(reply) << reply.error().ToString();
  EXPECT_EQ(reply->content, streamed);
  std::vector<store::UsageRecord> rows = Rows();
  ASSERT_EQ(rows.size(), 1u);
  json stats = json::parse(emulator_->StatsJson());
  EXPECT_EQ(rows[0].prompt_tokens, stats["providers"]["openrouter"]["prompt_tokens"]);
  EXPECT_EQ(rows[0].completion_tokens, stats["providers"]["openrouter"]["completion_tokens"]);
  EXPECT_EQ(rows[0].phase, "deliberation");
}

TEST_F(LlmStackTest, KeyTextAppearsInNoLogRowOrError) {
  Start(2, /*unknown_keys_of=*/"gemini");
  std::vector<std::string> errors;
  for (const char* name : {"groq", "gemini", "cerebras", "openrouter"}) {
    for (int i = 0; i < 3; ++i) {
      Result<ChatResponse> reply = providers_->Find(name)->Complete(Hello(), {});
      if (!reply) errors.push_back(reply.error().ToString());
    }
  }
  ASSERT_FALSE(errors.empty());  // gemini refused every key
  for (const std::string& error : errors) ExpectNoCanary(error, "error message");
  std::vector<store::UsageRecord> rows = Rows();
  EXPECT_GE(rows.size(), 11u);
  for (const store::UsageRecord& row : rows) {
    EXPECT_TRUE(row.key_id.starts_with(row.provider + "#")) << row.key_id;
    ExpectNoCanary(row.key_id + row.scope + row.model_answered, "usage row");
  }
  usage_.reset();  // flushes and closes the database, so the file is complete
  Result<std::string> bytes = ReadFile(db_path_);
  ASSERT_TRUE(bytes.has_value());
  ExpectNoCanary(*bytes, "database file");
  std::ifstream wal(db_path_.string() + "-wal", std::ios::binary);
  ExpectNoCanary(std::string(std::istreambuf_iterator<char>(wal), {}), "database WAL");
  spdlog::default_logger()->flush();
  ExpectNoCanary(logs_->str(), "log");
}

}  // namespace
}  // namespace hfs::llm
