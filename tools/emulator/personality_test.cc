// tools/emulator/personality_test.cc
#include "tools/emulator/personality.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "hfs/testing/fake_clock.h"

namespace hfs::emulator {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

std::string HeaderValue(const std::vector<Header>& headers, const std::string& name) {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return "<missing>";
}

// RPD 14400 with 6 s to reset, TPM 6000 refused, retry in 1m42.653s.
Admission TokensRefused() {
  Admission a{.admitted = false,
              .violated = 1,
              .retry_after = milliseconds(102653),
              .requested_tokens = 3658};
  a.windows.push_back(
      {.rule = {.kind = LimitKind::kRequests, .limit = 14400, .window_seconds = 86400},
       .used = 10,
       .remaining = 14390,
       .reset = seconds(6)});
  a.windows.push_back({.rule = {.kind = LimitKind::kTokens, .limit = 6000, .window_seconds = 60},
                       .used = 5800,
                       .remaining = 200,
                       .reset = milliseconds(1570)});
  a.windows.push_back({.rule = {.kind = LimitKind::kRequests, .limit = 30, .window_seconds = 60},
                       .used = 3,
                       .remaining = 27,
                       .reset = seconds(50)});
  return a;
}

TEST(EmulatorPersonalityTest, GoAndProtoDurations) {
  EXPECT_EQ(GoDuration(seconds(6)), "6s");
  EXPECT_EQ(GoDuration(milliseconds(179560)), "2m59.56s");
  EXPECT_EQ(GoDuration(milliseconds(1570)), "1.57s");
  EXPECT_EQ(GoDuration(milliseconds(102653), 3), "1m42.653s");
  EXPECT_EQ(GoDuration(seconds(3723)), "1h2m3s");
  EXPECT_EQ(GoDuration(milliseconds(500)), "500ms");
  EXPECT_EQ(ProtoDuration(milliseconds(34400)), "34.4s");
}

TEST(EmulatorPersonalityTest, GroqHeadersAndBody) {
  testing::FakeClock clock;
  Reply reply =
      RateLimitedReply(Personality::kGroq, TokensRefused(), "llama-3.1-8b-instant", clock.Now());
  EXPECT_EQ(reply.status, 429);
  EXPECT_EQ(HeaderValue(reply.headers, "x-ratelimit-limit-requests"), "14400");  // RPD
  EXPECT_EQ(HeaderValue(reply.headers, "x-ratelimit-limit-tokens"), "6000");     // TPM
  EXPECT_EQ(HeaderValue(reply.headers, "x-ratelimit-remaining-tokens"), "200");
  EXPECT_EQ(HeaderValue(reply.headers, "x-ratelimit-reset-requests"), "6s");
  EXPECT_EQ(HeaderValue(reply.headers, "x-ratelimit-reset-tokens"), "1.57s");
  EXPECT_EQ(HeaderValue(reply.headers, "retry-after"), "103");
  const json body = json::parse(reply.body);
  EXPECT_EQ(body["error"]["code"], "rate_limit_exceeded");
  EXPECT_EQ(body["error"]["type"], "tokens");
  const std::string message = body["error"]["message"];
  EXPECT_NE(message.find("Please try again in 1m42.653s."), std::string::npos) << message;
  EXPECT_NE(message.find("tokens per minute (TPM): Limit 6000, Used 5800, Requested 3658"),
            std::string::npos)
      << message;
}

// With a window scale, 429 messages name the window the emulator enforces, so a client
// that learns a limit from the message gets the window the resets and retries agree with.
TEST(EmulatorPersonalityTest, MessagesNameTheScaledWindow) {
  testing::FakeClock clock;
  Admission a = TokensRefused();
  a.violated = 2;
  a.retry_after = milliseconds(734);
  a.window_scale = 1.0 / 60;
  a.windows[2].used = 30;
  a.windows[2].remaining = 0;
  auto message = [&](Personality personality) {
    json body = json::parse(RateLimitedReply(personality, a, "llama", clock.Now()).body);
    return body.contains("error") ? body["error"]["message"].get<std::string>()
                                  : body["message"].get<std::string>();
  };
  EXPECT_NE(message(Personality::kGroq).find("on requests per 1s: Limit 30, Used 30"),
            std::string::npos)
      << message(Personality::kGroq);
  EXPECT_TRUE(message(Personality::kCerebras).starts_with("requests per 1s limit exceeded"))
      << message(Personality::kCerebras);
  a.window_scale = 60;  // a minute lasts an hour
  EXPECT_NE(message(Personality::kGroq).find("requests per hour (RPH): Limit 30"),
            std::string::npos)
      << message(Personality::kGroq);
}

TEST(EmulatorPersonalityTest, CerebrasHeadersUseFloatSeconds) {
  testing::FakeClock clock;
  Admission ok = TokensRefused();
  ok.admitted = true;
  ok.violated = -1;
  const auto headers = RateLimitHeaders(Personality::kCerebras, ok, clock.Now());
  EXPECT_EQ(HeaderValue(headers, "x-ratelimit-limit-requests-day"), "14400");
  EXPECT_EQ(HeaderValue(headers, "x-ratelimit-remaining-requests-day"), "14390");
  EXPECT_EQ(HeaderValue(headers, "x-ratelimit-reset-requests-day"), "6.00");
  EXPECT_EQ(HeaderValue(headers, "x-ratelimit-limit-tokens-minute"), "6000");
  EXPECT_EQ(HeaderValue(headers, "x-ratelimit-reset-tokens-minute"), "1.57");
  Reply reply =
      RateLimitedReply(Personality::kCerebras, TokensRefused(), "llama-3.3-70b", clock.Now());
  EXPECT_EQ(reply.status, 429);
  EXPECT_EQ(json::parse(reply.body)["type"], "too_many_requests_error");
}

TEST(EmulatorPersonalityTest, GeminiHasNoHeadersAndAnArrayBody) {
  testing::FakeClock clock;
  Admission daily = TokensRefused();
  daily.violated = 0;
  daily.retry_after = milliseconds(34400);
  Reply reply = RateLimitedReply(Personality::kGemini, daily, "gemini-2.5-flash", clock.Now());
  EXPECT_EQ(reply.status, 429);
  EXPECT_TRUE(reply.headers.empty());
  const json body = json::parse(reply.body);
  ASSERT_TRUE(body.is_array());
  const json& error = body[0]["error"];
  EXPECT_EQ(error["status"], "RESOURCE_EXHAUSTED");
  EXPECT_EQ(error["details"][0]["@type"], "type.googleapis.com/google.rpc.QuotaFailure");
  EXPECT_EQ(error["details"][0]["violations"][0]["quotaId"],
            "GenerateRequestsPerDayPerProjectPerModel-FreeTier");
  EXPECT_EQ(error["details"][1]["retryDelay"], "34.4s");
  Admission minute = TokensRefused();
  minute.violated = 2;
  const json per_minute =
      json::parse(RateLimitedReply(Personality::kGemini, minute, "m", clock.Now()).body);
  EXPECT_EQ(per_minute[0]["error"]["details"][0]["violations"][0]["quotaId"],
            "GenerateRequestsPerMinutePerProjectPerModel-FreeTier");
}

TEST(EmulatorPersonalityTest, OpenRouterOwnAndUpstream429s) {
  testing::FakeClock clock;
  Admission own = TokensRefused();
  own.violated = 2;
  Reply reply = RateLimitedReply(Personality::kOpenRouter, own, "x:free", clock.Now());
  EXPECT_EQ(reply.status, 429);
  EXPECT_EQ(HeaderValue(reply.headers, "X-RateLimit-Limit"), "30");
  EXPECT_EQ(HeaderValue(reply.headers, "X-RateLimit-Remaining"), "27");
  const int64_t reset_ms = (testing::FakeClock::kDefaultStartSeconds + 50) * 1000;
  EXPECT_EQ(HeaderValue(reply.headers, "X-RateLimit-Reset"), std::to_string(reset_ms));
  EXPECT_EQ(json::parse(reply.body)["error"]["code"], 429);
  own.windows[2].rule.upstream = true;
  Reply upstream = RateLimitedReply(Personality::kOpenRouter, own, "x:free", clock.Now());
  const json body = json::parse(upstream.body);
  EXPECT_EQ(body["error"]["message"], "Provider returned error");
  EXPECT_NE(
      body["error"]["metadata"]["raw"].get<std::string>().find("temporarily rate-limited upstream"),
      std::string::npos);
  EXPECT_EQ(HeaderValue(upstream.headers, "X-RateLimit-Limit"), "<missing>");
}

TEST(EmulatorPersonalityTest, AuthErrorsPerProvider) {
  EXPECT_EQ(json::parse(UnauthorizedReply(Personality::kGroq).body)["error"]["code"],
            "invalid_api_key");
  EXPECT_EQ(json::parse(UnauthorizedReply(Personality::kCerebras).body)["code"], "wrong_api_key");
  EXPECT_EQ(json::parse(UnauthorizedReply(Personality::kGemini).body)[0]["error"]["status"],
            "UNAUTHENTICATED");
  EXPECT_EQ(json::parse(UnauthorizedReply(Personality::kOpenRouter).body)["error"]["code"], 401);
  for (Personality p : {Personality::kPlain, Personality::kCerebras, Personality::kGroq,
                        Personality::kGemini, Personality::kOpenRouter}) {
    EXPECT_EQ(UnauthorizedReply(p).status, 401);
    EXPECT_EQ(ForbiddenReply(p).status, 403);
  }
  const json failed = json::parse(ToolUseFailedReply("<function=x>{</function>").body);
  EXPECT_EQ(failed["error"]["code"], "tool_use_failed");
  EXPECT_EQ(failed["error"]["failed_generation"], "<function=x>{</function>");
}

}  // namespace
}  // namespace hfs::emulator
