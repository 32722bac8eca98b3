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
  EXPECT_NE(reply.error().message.find("unreadable reply: reply is not JSON"), std::string::npos)
      << reply.error().message;
  EXPECT_EQ(transport_.requests().size(), 3u);  // 1 + max_retries
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
  cerebras_keys.Acquire({.model = "m1", .deadline = clock.Now()})
      ->Fail(keys::Outcome::kRateLimited, cooling);
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

TEST_F(RotatingModelTest, EstimateCountsPromptAndCompletion) {
  ChatRequest request{.messages = {Message::User(std::string(400, 'x'))}, .max_tokens = 50};
  EXPECT_EQ(model_.EstimateTokens(request), 150);
}

}  // namespace
}  // namespace hfs::llm
