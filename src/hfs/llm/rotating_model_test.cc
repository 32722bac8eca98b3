#include "hfs/llm/rotating_model.h"

#include <gtest/gtest.h>

#include <set>

#include "hfs/llm/fallback_model.h"
#include "hfs/testing/fake_clock.h"
#include "hfs/testing/fake_transport.h"

namespace hfs::llm {
namespace {

using std::chrono::seconds;

constexpr char kOk[] =
    R"({"id":"c1","object":"chat.completion","model":"llama-3.3-70b-versatile",)"
    R"("choices":[{"index":0,"message":{"role":"assistant","content":"hello"},)"
    R"("finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}})";
constexpr char kLimited[] =
    R"({"error":{"message":"Rate limit reached. Please try again in 7s.","type":"requests",)"
    R"("code":"rate_limit_exceeded"}})";

std::vector<keys::ApiKey> Keys(int count, const std::string& provider = "groq") {
  std::vector<keys::ApiKey> out;
  for (int i = 1; i <= count; ++i) {
    std::string secret = "gsk-CANARY-" + std::to_string(i);
    keys::ApiKey key{.provider = provider,
                     .index = i,
                     .fingerprint = keys::Fingerprint(secret),
                     .secret = keys::Secret(secret)};
    key.scope = key.id();
    out.push_back(std::move(key));
  }
  return out;
}

// One provider's stack on fake time and a scripted wire, for provider-specific replies.
struct Rig {
  explicit Rig(const std::string& provider, int keys = 2)
      : pool({.provider = provider, .keys = Keys(keys, provider)}, clock),
        client({.name = provider, .base_url = "https://api." + provider + ".example/v1"}, wire,
               clock),
        model(pool, client, clock,
              {.on_call = [this](const ProviderCall& call) { calls.push_back(call); }}) {}

  std::string KeyOf(size_t request) const {
    return std::string(*wire.requests().at(request).headers.Get("Authorization"));
  }
  size_t Disabled() const {
    size_t disabled = 0;
    for (const keys::KeyStatus& key : pool.Keys()) disabled += key.disabled;
    return disabled;
  }

  testing::FakeClock clock;
  testing::FakeTransport wire;
  keys::KeyPool pool;
  ProviderClient client;
  RotatingModel model;
  std::vector<ProviderCall> calls;
};

class RotatingModelTest : public ::testing::Test {
 protected:
  RotatingModelTest()
      : pool_({.provider = "groq", .keys = Keys(3)}, clock_),
        client_({.name = "groq", .base_url = "https://api.groq.com/openai/v1"}, transport_, clock_),
        model_(pool_, client_, clock_,
               {.on_call = [this](const ProviderCall& call) { calls_.push_back(call); }}) {}

  std::string KeyOf(size_t request) {
    return std::string(*transport_.requests().at(request).headers.Get("Authorization"));
  }

  ChatRequest request_{.model = "llama-3.3-70b-versatile", .messages = {Message::User("hi")}};
  CallContext context_{.run_id = "r1", .triad = "layout", .role = "orchestrator"};
  testing::FakeClock clock_;
  testing::FakeTransport transport_;
  keys::KeyPool pool_;
  ProviderClient client_;
  RotatingModel model_;
  std::vector<ProviderCall> calls_;
};

TEST_F(RotatingModelTest, SuccessIsRecordedWithUsage) {
  transport_.PushBody(200, kOk);
  Result<ChatResponse> reply = model_.Complete(request_, context_);
  ASSERT_TRUE(reply.has_value()) << reply.error().ToString();
  EXPECT_EQ(reply->content, "hello");
  EXPECT_EQ(reply->provider, "groq");
  ASSERT_EQ(calls_.size(), 1u);
  EXPECT_EQ(calls_[0].status, CallStatus::kOk);
  EXPECT_EQ(calls_[0].prompt_tokens, 12);
  EXPECT_EQ(calls_[0].completion_tokens, 3);
  EXPECT_EQ(calls_[0].context.triad, "layout");
  EXPECT_TRUE(calls_[0].key_id.starts_with("groq#"));
  EXPECT_EQ(calls_[0].key_id.find("CANARY"), std::string::npos);
}

TEST_F(RotatingModelTest, RateLimitRotatesToAnotherKeyAtOnce) {
  net::Headers headers;
  headers.Add("retry-after", "7");
  transport_.Push({.status = 429, .headers = headers, .body = kLimited});
  transport_.PushBody(200, kOk);
  Timestamp start = clock_.Now();
  Result<ChatResponse> reply = model_.Complete(request_, context_);
  ASSERT_TRUE(reply.has_value()) << reply.error().ToString();
  EXPECT_NE(KeyOf(0), KeyOf(1));
  EXPECT_EQ(clock_.Now(), start);  // no waiting: another key was free
  ASSERT_EQ(calls_.size(), 2u);
  EXPECT_EQ(calls_[0].status, CallStatus::kRateLimited);
  EXPECT_EQ(calls_[0].http_status, 429);
}

TEST_F(RotatingModelTest, ServerErrorsBackOffThenRetry) {
  transport_.PushBody(503, R"({"error":{"message":"overloaded"}})");
  transport_.PushError(ErrorCode::kUnavailable, "connection reset");
  transport_.PushBody(200, kOk);
  Timestamp start = clock_.Now();
  Result<ChatResponse> reply = model_.Complete(request_, context_);
  ASSERT_TRUE(reply.has_value()) << reply.error().ToString();
  EXPECT_GT(clock_.Now() - start, std::chrono::milliseconds(1000));  // 0.5 s then 1 s, +-25%
  EXPECT_LT(clock_.Now() - start, std::chrono::milliseconds(2000));
  EXPECT_EQ(calls_[1].status, CallStatus::kTransportError);
}

TEST_F(RotatingModelTest, AnUnreadableReplyIsRetriedNotReturnedAsAFailure) {
  transport_.PushBody(200, R"({"id":"c1","choices":[{"message":{"content":"trunc)");
  transport_.PushBody(200, kOk);
  Result<ChatResponse> reply = model_.Complete(request_, context_);
  ASSERT_TRUE(reply.has_value()) << reply.error().ToString();
  EXPECT_EQ(reply->content, "hello");
  ASSERT_EQ(calls_.size(), 2u);
  EXPECT_EQ(calls_[0].status, CallStatus::kBadResponse);
}

TEST_F(RotatingModelTest, RepeatedUnreadableRepliesFailAsUnavailableSoFallbackMovesOn) {
  for (int i = 0; i < 3; ++i) transport_.PushBody(200, "<html>502 Bad Gateway</html>");
  Result<ChatResponse> reply = model_.Complete(request_, context_);
  ASSERT_FALSE(reply.has_value());
  EXPECT_EQ(reply.error().code, ErrorCode::kUnavailable);
  // Read as a plain body ("reply is not JSON") or as a stream that never ended.
  EXPECT_NE(reply.error().message.find("after 3 attempts on groq"), std::string::npos)
      << reply.error().message;
  EXPECT_EQ(transport_.requests().size(), 3u);  // 1 + max_retries
  // Each counted as a request that reached a model (an answer HFS could not use).
  ASSERT_EQ(calls_.size(), 3u);
  EXPECT_TRUE(calls_[0].tokens_estimated);
  EXPECT_EQ(calls_[0].prompt_tokens + calls_[0].completion_tokens, model_.EstimateTokens(request_));
}

TEST_F(RotatingModelTest, ARateLimitInsideA200CoolsTheKeyAndRotatesAtOnce) {
  transport_.PushBody(200, R"({"error":{"code":429,"message":"Rate limit exceeded"}})");
  transport_.PushBody(200, R"({"error":{"code":"rate_limit_exceeded","message":"slow down"}})");
  transport_.PushBody(200, kOk);
  Timestamp start = clock_.Now();
  Result<ChatResponse> reply = model_.Complete(request_, context_);
  ASSERT_TRUE(reply.has_value()) << reply.error().ToString();
  EXPECT_EQ(clock_.Now(), start);  // no backoff: a rate limit rotates
  ASSERT_EQ(calls_.size(), 3u);
  EXPECT_EQ(calls_[0].status, CallStatus::kRateLimited);
  EXPECT_EQ(calls_[1].status, CallStatus::kRateLimited);
  std::set<std::string> keys = {KeyOf(0), KeyOf(1), KeyOf(2)};
  EXPECT_EQ(keys.size(), 3u);  // each limited key cooled, so each attempt used another
}

TEST(RotatingModelUpstreamTest, AnUpstreamRateLimitCoolsNoKeyAndFailsOverAtOnce) {
  testing::FakeClock clock;
  testing::FakeTransport transport;
  keys::KeyPool pool({.provider = "openrouter", .keys = Keys(2, "openrouter")}, clock);
  ProviderClient client({.name = "openrouter", .base_url = "https://openrouter.ai/api/v1"},
                        transport, clock);
  RotatingModel model(pool, client, clock);
  transport.PushBody(
      429, R"({"error":{"message":"Provider returned error","code":429,"metadata":{"raw":)"
           R"("google/gemma-3-27b-it:free is temporarily rate-limited upstream. Please retry )"
           R"(shortly","provider_name":"Google AI Studio"}}})");
  const ChatRequest request{.model = "google/gemma-3-27b-it:free",
                            .messages = {Message::User("hi")}};
  Result<ChatResponse> reply = model.Complete(request, {});
  ASSERT_FALSE(reply.has_value());
  EXPECT_EQ(reply.error().code, ErrorCode::kUnavailable);  // FallbackModel moves on
  EXPECT_NE(reply.error().message.find("not our key"), std::string::npos);
  EXPECT_EQ(transport.requests().size(), 1u);  // the other key was not spent on it
  // Neither key was cooled: both can be had at once.
  Result<keys::KeyLease> first = pool.Acquire({.model = request.model, .deadline = clock.Now()});
  Result<keys::KeyLease> second = pool.Acquire({.model = request.model, .deadline = clock.Now()});
  EXPECT_TRUE(first.has_value() && second.has_value());
}

// Two providers behind a FallbackModel, the first with every key cooling for a minute:
// the call is answered by the second within the short first-pass wait, not after the
// first provider's keys free.
TEST(RotatingModelFallbackTest, AProviderWhoseKeysAllCoolDoesNotHoldTheCall) {
  testing::FakeClock clock;
  testing::FakeTransport cerebras_wire;
  testing::FakeTransport groq_wire;
  keys::KeyPool cerebras_keys({.provider = "cerebras", .keys = Keys(1, "cerebras")}, clock);
  keys::KeyPool groq_keys({.provider = "groq", .keys = Keys(1)}, clock);
  ProviderClient cerebras_client({.name = "cerebras", .base_url = "https://api.cerebras.ai/v1"},
                                 cerebras_wire, clock);
  ProviderClient groq_client({.name = "groq", .base_url = "https://api.groq.com/openai/v1"},
                             groq_wire, clock);
  RotatingModel cerebras(cerebras_keys, cerebras_client, clock);
  RotatingModel groq(groq_keys, groq_client, clock);
  keys::RateLimitSignal cooling;
  cooling.retry_after = std::chrono::seconds(60);
  Result<keys::KeyLease> lease = cerebras_keys.Acquire({.model = "m1", .deadline = clock.Now()});
  ASSERT_TRUE(lease.has_value()) << lease.error().ToString();
  lease->Fail(keys::Outcome::kRateLimited, cooling);
  groq_wire.PushBody(200, kOk);
  FallbackModel model({{.provider = "cerebras", .model = "m1", .client = &cerebras},
                       {.provider = "groq", .model = "m2", .client = &groq}});
  const Timestamp start = clock.Now();
  Result<ChatResponse> reply = model.Complete({.messages = {Message::User("hi")}},
                                              {.deadline = start + std::chrono::seconds(120)});
  ASSERT_TRUE(reply.has_value()) << reply.error().ToString();
  EXPECT_EQ(reply->provider, "groq");
  EXPECT_LE(clock.Now() - start, kDefaultFallbackKeyWait);
  EXPECT_TRUE(cerebras_wire.requests().empty());
}

TEST_F(RotatingModelTest, InvalidRequestsAreNotRetried) {
  transport_.PushBody(400, R"({"error":{"message":"messages: field required"}})");
  Result<ChatResponse> reply = model_.Complete(request_, context_);
  ASSERT_FALSE(reply.has_value());
  EXPECT_EQ(reply.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(transport_.requests().size(), 1u);
}

TEST_F(RotatingModelTest, UnauthorizedKeysAreSkippedForGood) {
  transport_.PushBody(401, R"({"error":{"message":"Invalid API Key"}})");
  transport_.PushBody(200, kOk);
  transport_.PushBody(200, kOk);
  transport_.PushBody(200, kOk);
  ASSERT_TRUE(model_.Complete(request_, context_).has_value());
  std::string bad = KeyOf(0);
  ASSERT_TRUE(model_.Complete(request_, context_).has_value());
  ASSERT_TRUE(model_.Complete(request_, context_).has_value());
  for (size_t i = 1; i < transport_.requests().size(); ++i) EXPECT_NE(KeyOf(i), bad);
}

TEST_F(RotatingModelTest, AllKeysLimitedWaitsForTheHintedMoment) {
  net::Headers headers;
  headers.Add("retry-after", "7");
  for (int i = 0; i < 3; ++i)
    transport_.Push({.status = 429, .headers = headers, .body = kLimited});
  transport_.PushBody(200, kOk);
  Timestamp start = clock_.Now();
  context_.deadline = start + seconds(60);
  Result<ChatResponse> reply = model_.Complete(request_, context_);
  ASSERT_TRUE(reply.has_value()) << reply.error().ToString();
  EXPECT_EQ(clock_.Now(), start + seconds(7));
}

TEST_F(RotatingModelTest, NoKeyBeforeTheDeadlineIsResourceExhausted) {
  net::Headers headers;
  headers.Add("retry-after", "30");
  for (int i = 0; i < 3; ++i)
    transport_.Push({.status = 429, .headers = headers, .body = kLimited});
  context_.deadline = clock_.Now() + seconds(10);
  Result<ChatResponse> reply = model_.Complete(request_, context_);
  ASSERT_FALSE(reply.has_value());
  EXPECT_EQ(reply.error().code, ErrorCode::kResourceExhausted);
  EXPECT_EQ(reply.error().message.find("CANARY"), std::string::npos);
}

TEST_F(RotatingModelTest, StreamIsNeverRestartedAfterItsFirstDelta) {
  transport_.Push(
      {.chunks = {"data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n"},
       .error = Error{ErrorCode::kUnavailable, "connection reset"}});
  transport_.PushBody(200, kOk);
  std::string seen;
  Result<ChatResponse> reply =
      model_.Stream(request_, context_, [&](const ChatDelta& delta) { seen += delta.content; });
  ASSERT_FALSE(reply.has_value());
  EXPECT_EQ(seen, "Hel");
  EXPECT_EQ(transport_.requests().size(), 1u);
  EXPECT_EQ(transport_.pending(), 1u);
}

TEST_F(RotatingModelTest, StreamFailingBeforeAnyDeltaIsRetried) {
  transport_.PushError(ErrorCode::kUnavailable, "connection refused");
  transport_.Push({.chunks = {"data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},"
                              "\"finish_reason\":\"stop\"}]}\n\n",
                              "data: [DONE]\n\n"}});
  std::string seen;
  Result<ChatResponse> reply =
      model_.Stream(request_, context_, [&](const ChatDelta& delta) { seen += delta.content; });
  ASSERT_TRUE(reply.has_value()) << reply.error().ToString();
  EXPECT_EQ(seen, "ok");
}

TEST_F(RotatingModelTest, ServerErrorsAreRetriedMaxRetriesTimes) {
  for (int i = 0; i < 8; ++i) transport_.PushBody(500, R"({"error":{"message":"boom"}})");
  context_.deadline = clock_.Now() + std::chrono::hours(1);
  Result<ChatResponse> reply = model_.Complete(request_, context_);
  ASSERT_FALSE(reply.has_value());
  EXPECT_EQ(reply.error().code, ErrorCode::kUnavailable);
  // The default policy: one attempt and two retries.
  EXPECT_NE(reply.error().message.find("after 3 attempts on groq"), std::string::npos)
      << reply.error().message;
  EXPECT_EQ(transport_.requests().size(), 3u);
}

TEST_F(RotatingModelTest, RateLimitsRotateUpToMaxAttempts) {
  for (int i = 0; i < 8; ++i) {
    transport_.PushBody(429, kLimited);
  }
  context_.deadline = clock_.Now() + std::chrono::hours(1);
  Result<ChatResponse> reply = model_.Complete(request_, context_);
  ASSERT_FALSE(reply.has_value());
  EXPECT_EQ(reply.error().code, ErrorCode::kResourceExhausted);
  EXPECT_NE(reply.error().message.find("after 8 attempts on groq"), std::string::npos)
      << reply.error().message;
}

// ---- Provider semantics (docs/providers.md, "How a reply is treated") ----

constexpr char kOpenRouterNoCredit[] =
    R"({"error":{"code":402,"message":"This request requires more credits, or fewer )"
    R"(max_tokens. You requested up to 4096 tokens, but can only afford 1000."}})";
constexpr char kOpenRouterModeration[] =
    R"({"error":{"code":403,"message":"openai/gpt-4o requires moderation on OpenAI. Your )"
    R"(input was flagged for \"harassment\". No credits were charged.","metadata":{)"
    R"("reasons":["harassment"],"flagged_input":"...","provider_name":"OpenAI",)"
    R"("model_slug":"openai/gpt-4o"}}})";
constexpr char kGeminiKeyInvalid[] =
    R"([{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.",)"
    R"("status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo",)"
    R"("reason":"API_KEY_INVALID","domain":"googleapis.com"}]}}])";
constexpr char kGeminiSuspended[] =
    R"([{"error":{"code":403,"message":"Permission denied: Consumer 'api_key:X' has been )"
    R"(suspended.","status":"PERMISSION_DENIED"}}])";

TEST(RotatingModelStatusTest, NoCreditDisablesTheKeyInsteadOfRetryingItAsARateLimit) {
  Rig rig("openrouter");
  rig.wire.PushBody(402, kOpenRouterNoCredit);
  rig.wire.PushBody(402, kOpenRouterNoCredit);
  const Timestamp start = rig.clock.Now();
  Result<ChatResponse> reply = rig.model.Complete({.model = "m", .messages = {Message::User("hi")}},
                                                  {.deadline = start + seconds(300)});
  ASSERT_FALSE(reply.has_value());
  EXPECT_EQ(reply.error().code, ErrorCode::kFailedPrecondition);  // FallbackModel moves on
  EXPECT_NE(reply.error().message.find("out of credit"), std::string::npos)
      << reply.error().message;
  EXPECT_EQ(rig.clock.Now(), start);  // no cool-down waited out
  EXPECT_EQ(rig.wire.requests().size(), 2u);
  EXPECT_NE(rig.KeyOf(0), rig.KeyOf(1));
  EXPECT_EQ(rig.Disabled(), 2u);
  ASSERT_EQ(rig.calls.size(), 2u);
  EXPECT_EQ(CallStatusName(rig.calls[0].status), "no_credit");
  // The next call does not send anything: no key has credit.
  EXPECT_FALSE(rig.model.Complete({.model = "m", .messages = {Message::User("hi")}}, {}));
  EXPECT_EQ(rig.wire.requests().size(), 2u);
}

TEST(RotatingModelStatusTest, AModerationRefusalOfOnePromptBarsNoKey) {
  Rig rig("openrouter");
  rig.wire.PushBody(403, kOpenRouterModeration);
  rig.wire.PushBody(200, kOk);
  const ChatRequest request{.model = "openai/gpt-4o", .messages = {Message::User("hi")}};
  Result<ChatResponse> flagged = rig.model.Complete(request, {});
  ASSERT_FALSE(flagged.has_value());
  EXPECT_EQ(flagged.error().code, ErrorCode::kPermissionDenied);  // the next provider may take it
  EXPECT_EQ(rig.wire.requests().size(), 1u);                      // not sent again with another key
  for (const keys::KeyStatus& key : rig.pool.Keys()) {
    EXPECT_FALSE(key.disabled) << key.key_id;
    EXPECT_TRUE(key.forbidden_models.empty()) << key.key_id;
  }
  EXPECT_EQ(rig.calls[0].status, CallStatus::kClientError);
  // Both keys still serve this model.
  ASSERT_TRUE(rig.model.Complete(request, {}).has_value());
}

TEST(RotatingModelStatusTest, AGeminiInvalidKeyIsA400ThatDisablesTheKeyAndRotates) {
  Rig rig("gemini");
  rig.wire.PushBody(400, kGeminiKeyInvalid);
  rig.wire.PushBody(200, kOk);
  const ChatRequest request{.model = "gemini-2.5-flash", .messages = {Message::User("hi")}};
  Result<ChatResponse> reply = rig.model.Complete(request, {});
  ASSERT_TRUE(reply.has_value()) << reply.error().ToString();
  EXPECT_NE(rig.KeyOf(0), rig.KeyOf(1));
  EXPECT_EQ(rig.Disabled(), 1u);
  EXPECT_EQ(rig.calls[0].status, CallStatus::kUnauthorized);
  EXPECT_EQ(rig.calls[0].http_status, 400);
}

TEST(RotatingModelStatusTest, AGeminiPermissionDeniedTakesTheKeyOutForEveryModel) {
  Rig rig("gemini", 1);
  rig.wire.PushBody(403, kGeminiSuspended);
  Result<ChatResponse> reply =
      rig.model.Complete({.model = "gemini-2.5-flash", .messages = {Message::User("hi")}}, {});
  ASSERT_FALSE(reply.has_value());
  EXPECT_EQ(reply.error().code, ErrorCode::kUnauthenticated);
  // Another model is refused too, without a request: the key itself is out.
  Result<ChatResponse> other =
      rig.model.Complete({.model = "gemini-2.5-pro", .messages = {Message::User("hi")}}, {});
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(other.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(rig.wire.requests().size(), 1u);
}

TEST(RotatingModelStatusTest, A503RetryAfterIsWaitedOutNotABackoff) {
  Rig rig("groq");
  net::Headers headers;
  headers.Add("retry-after", "5");
  rig.wire.Push({.status = 503, .headers = headers, .body = R"({"error":{"message":"busy"}})"});
  rig.wire.PushBody(200, kOk);
  const Timestamp start = rig.clock.Now();
  Result<ChatResponse> reply =
      rig.model.Complete({.model = "m", .messages = {Message::User("hi")}}, {});
  ASSERT_TRUE(reply.has_value()) << reply.error().ToString();
  EXPECT_EQ(rig.clock.Now(), start + seconds(5));  // not the 0.5 s backoff
}

TEST(RotatingModelStatusTest, A503RetryAfterHoldsTheOtherCallsToTheProvider) {
  Rig rig("groq");
  net::Headers headers;
  headers.Add("retry-after", "30");
  rig.wire.Push({.status = 503, .headers = headers, .body = R"({"error":{"message":"busy"}})"});
  const ChatRequest request{.model = "m", .messages = {Message::User("hi")}};
  const Timestamp start = rig.clock.Now();
  // This call cannot wait 30 s: it fails, so a FallbackModel moves on.
  Result<ChatResponse> first = rig.model.Complete(request, {.deadline = start + seconds(10)});
  ASSERT_FALSE(first.has_value());
  EXPECT_EQ(first.error().code, ErrorCode::kUnavailable);
  // Nor is the provider asked again by another call before the 30 s are up.
  Result<ChatResponse> second = rig.model.Complete(request, {.key_wait = seconds(3)});
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code, ErrorCode::kResourceExhausted);  // as a key freeing too late
  EXPECT_NE(second.error().message.find("Retry-After"), std::string::npos);
  EXPECT_EQ(rig.wire.requests().size(), 1u);
  // A call that may wait waits until then, and is answered.
  rig.wire.PushBody(200, kOk);
  ASSERT_TRUE(rig.model.Complete(request, {.deadline = start + seconds(60)}).has_value());
  EXPECT_EQ(rig.clock.Now(), start + seconds(30));
}

TEST(RotatingModelStatusTest, ARetryAfterLongerThanTheBoundFailsOverAtOnce) {
  Rig rig("groq");
  net::Headers headers;
  headers.Add("retry-after", "600");
  rig.wire.Push({.status = 503, .headers = headers, .body = R"({"error":{"message":"down"}})"});
  const Timestamp start = rig.clock.Now();
  Result<ChatResponse> reply = rig.model.Complete({.model = "m", .messages = {Message::User("hi")}},
                                                  {.deadline = start + seconds(3600)});
  ASSERT_FALSE(reply.has_value());
  EXPECT_EQ(reply.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(reply.error().message.find("600 s"), std::string::npos) << reply.error().message;
  EXPECT_EQ(rig.clock.Now(), start);
  EXPECT_EQ(rig.wire.requests().size(), 1u);
}

TEST(RotatingModelStatusTest, TokensOfFailedAndAbandonedRequestsAreCounted) {
  Rig rig("groq", 1);
  const ChatRequest request{
      .model = "m", .messages = {Message::User(std::string(4000, 'x'))}, .max_tokens = 500};
  // No reply (a timeout after the request was sent): prompt and completion estimated.
  rig.wire.PushError(ErrorCode::kDeadlineExceeded, "timed out");
  // A 5xx: the prompt estimate.
  rig.wire.PushBody(500, R"({"error":{"message":"boom"}})");
  // A failure that reports its usage: that usage.
  rig.wire.PushBody(
      500, R"({"error":{"message":"boom"},"usage":{"prompt_tokens":990,"completion_tokens":7}})");
  Result<ChatResponse> reply =
      rig.model.Complete(request, {.deadline = rig.clock.Now() + seconds(60)});
  ASSERT_FALSE(reply.has_value());
  ASSERT_EQ(rig.calls.size(), 3u);
  EXPECT_EQ(rig.calls[0].status, CallStatus::kTransportError);
  EXPECT_EQ(rig.calls[0].prompt_tokens, 1000);
  EXPECT_EQ(rig.calls[0].completion_tokens, 500);
  EXPECT_TRUE(rig.calls[0].tokens_estimated);
  EXPECT_EQ(rig.calls[1].prompt_tokens, 1000);
  EXPECT_EQ(rig.calls[1].completion_tokens, 0);
  EXPECT_EQ(rig.calls[2].prompt_tokens, 990);
  EXPECT_EQ(rig.calls[2].completion_tokens, 7);
  EXPECT_FALSE(rig.calls[2].tokens_estimated);
}

TEST(RotatingModelStatusTest, RequestsRefusedBeforeTheyRanCountNoTokens) {
  Rig rig("groq", 3);
  const ChatRequest request{
      .model = "m", .messages = {Message::User(std::string(4000, 'x'))}, .max_tokens = 500};
  rig.wire.PushBody(200, R"({"error":{"code":429,"message":"Rate limit exceeded"}})");
  rig.wire.PushBody(429, kLimited);
  rig.wire.PushBody(
      400, R"({"error":{"message":"Failed to call a function.",)"
           R"("code":"tool_use_failed","failed_generation":"<function=f>{}</function>"}})");
  ASSERT_FALSE(rig.model.Complete(request, {}).has_value());
  ASSERT_EQ(rig.calls.size(), 3u);
  EXPECT_EQ(rig.calls[0].status, CallStatus::kRateLimited);
  EXPECT_EQ(rig.calls[0].prompt_tokens + rig.calls[0].completion_tokens, 0);
  EXPECT_EQ(rig.calls[1].prompt_tokens + rig.calls[1].completion_tokens, 0);
  // Groq's tool_use_failed ran the model: the prompt and what it wrote.
  EXPECT_EQ(rig.calls[2].prompt_tokens, 1000);
  EXPECT_EQ(rig.calls[2].completion_tokens, 6);  // 26 characters / 4
}

TEST(RotatingModelStatusTest, AnAbandonedRequestCountsItsEstimateInTheKeysWindow) {
  testing::FakeClock clock;
  testing::FakeTransport wire;
  keys::KeyPool pool(
      {.provider = "groq",
       .keys = Keys(1),
       .limits = {.models = {{keys::kAnyModel,
                              {{keys::LimitKind::kTokens, 2000, std::chrono::minutes(1)}}}}}},
      clock);
  ProviderClient client({.name = "groq", .base_url = "https://api.groq.com/openai/v1"}, wire,
                        clock);
  RotatingModel model(pool, client, clock, {.retry = {.max_retries = 0}});
  const ChatRequest request{
      .model = "m", .messages = {Message::User(std::string(4000, 'x'))}, .max_tokens = 500};
  wire.PushError(ErrorCode::kDeadlineExceeded, "timed out");
  ASSERT_FALSE(model.Complete(request, {}).has_value());
  // 1,500 tokens were counted for the abandoned request: another 1,500 do not fit the
  // 2,000 a minute, so the next call waits for the window instead of drawing a 429.
  wire.PushBody(200, kOk);
  const Timestamp start = clock.Now();
  ASSERT_TRUE(model.Complete(request, {.deadline = start + seconds(120)}).has_value());
  EXPECT_GE(clock.Now() - start, seconds(59));
}

TEST(RotatingModelStatusTest, ARequestTimeoutIsRetriedAndTooLargeFailsOver) {
  Rig rig("openrouter");
  rig.wire.PushBody(408, R"({"error":{"code":408,"message":"Your request timed out"}})");
  rig.wire.PushBody(200, kOk);
  const ChatRequest request{.model = "m", .messages = {Message::User("hi")}};
  ASSERT_TRUE(rig.model.Complete(request, {}).has_value());
  Rig groq("groq");
  groq.wire.PushBody(413, R"({"error":{"message":"Request too large for model `m` on tokens )"
                          R"(per minute (TPM): Limit 6000, Requested 9000","type":"tokens",)"
                          R"("code":"rate_limit_exceeded"}})");
  Result<ChatResponse> large = groq.model.Complete(request, {});
  ASSERT_FALSE(large.has_value());
  EXPECT_TRUE(ShouldFallBack(large.error())) << large.error().ToString();
  EXPECT_EQ(groq.wire.requests().size(), 1u);
}

TEST_F(RotatingModelTest, EstimateCountsPromptAndCompletion) {
  ChatRequest request{.messages = {Message::User(std::string(400, 'x'))}, .max_tokens = 50};
  EXPECT_EQ(model_.EstimateTokens(request), 150);
}

}  // namespace
}  // namespace hfs::llm
