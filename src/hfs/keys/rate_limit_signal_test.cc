#include "hfs/keys/rate_limit_signal.h"

#include <gtest/gtest.h>

#include <ostream>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace hfs::keys {

// Readable failure messages (found by argument-dependent lookup, so not in the anonymous
// namespace).
void PrintTo(const LimitObservation& seen, std::ostream* out) {
  auto opt = [](const auto& value) {
    return value ? std::to_string(static_cast<long long>(value->count())) : std::string("-");
  };
  *out << (seen.kind == LimitKind::kRequests ? "requests" : "tokens")
       << " window_ns=" << opt(seen.window)
       << " limit=" << (seen.limit ? std::to_string(*seen.limit) : "-")
       << " remaining=" << (seen.remaining ? std::to_string(*seen.remaining) : "-")
       << " reset_ns=" << opt(seen.reset_after);
}

namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::nanoseconds;
using std::chrono::seconds;

constexpr Duration kMinute = minutes(1);
constexpr Duration kDay = hours(24);

// 2025-03-06 12:00:00 UTC (a Thursday) = 1741262400 s since the epoch.
const Timestamp kNow = Timestamp(seconds(1741262400));

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct SignalCase {
  std::string name;
  std::string provider;
  int status = 429;
  HeaderList headers;
  std::string body;
  RateLimitSignal want;
  std::optional<Duration> hint;
};

// Nanosecond counts print readably in failure messages.
std::optional<int64_t> Nanos(std::optional<Duration> d) {
  return d ? std::optional<int64_t>(d->count()) : std::nullopt;
}

net::Headers MakeHeaders(const HeaderList& list) {
  net::Headers headers;
  for (const auto& [name, value] : list) headers.Add(name, value);
  return headers;
}

class ParseRateLimitSignalTest : public testing::TestWithParam<SignalCase> {};

TEST_P(ParseRateLimitSignalTest, Parses) {
  const SignalCase& c = GetParam();
  RateLimitSignal got =
      ParseRateLimitSignal(c.provider, c.status, MakeHeaders(c.headers), c.body, kNow);
  EXPECT_EQ(got.observations, c.want.observations);
  EXPECT_EQ(Nanos(got.retry_after), Nanos(c.want.retry_after));
  EXPECT_EQ(got.quota_scope, c.want.quota_scope);
  EXPECT_EQ(got.exhausted, c.want.exhausted);
  EXPECT_EQ(got.upstream, c.want.upstream);
  EXPECT_EQ(got, c.want);
  EXPECT_EQ(Nanos(got.CooldownHint()), Nanos(c.hint));
}

constexpr LimitKind kRequests = LimitKind::kRequests;
constexpr LimitKind kTokens = LimitKind::kTokens;

const HeaderList kGroqHeaders = {
    {"x-ratelimit-limit-requests", "14400"},     {"x-ratelimit-limit-tokens", "6000"},
    {"x-ratelimit-remaining-requests", "14399"}, {"x-ratelimit-remaining-tokens", "5810"},
    {"x-ratelimit-reset-requests", "6s"},        {"x-ratelimit-reset-tokens", "1.57s"}};

const std::string kGroqTpmBody =
    R"({"error":{"message":"Rate limit reached for model `llama-3.3-70b-versatile` in )"
    R"(organization `org_01` service tier `on_demand` on tokens per minute (TPM): Limit 7500, )"
    R"(Used 16673, Requested ~3658. Please try again in 1m42.653s. Need more tokens? Upgrade )"
    R"(to Dev Tier today at https://console.groq.com/settings/billing","type":"tokens",)"
    R"("code":"rate_limit_exceeded"}})";

const std::string kGroqRpdBody =
    R"({"error":{"message":"Rate limit reached for model `qwen/qwen3-32b` on requests per )"
    R"(day (RPD): Limit 1000, Used 1000, Requested 1. Please try again in 2m59.56s.",)"
    R"("type":"requests","code":"rate_limit_exceeded"}})";

std::string GeminiError(const std::string& details, const std::string& message) {
  return R"({"error":{"code":429,"message":")" + message +
         R"(","status":"RESOURCE_EXHAUSTED","details":[)" + details + "]}}";
}

std::string QuotaFailure(const std::string& quota_id, const std::string& metric) {
  return R"({"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[)"
         R"({"quotaMetric":")" +
         metric + R"(","quotaId":")" + quota_id + R"("}]})";
}

std::string RetryInfo(const std::string& delay) {
  return R"({"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":)" + delay + "}";
}

const std::string kRequestsMetric =
    "generativelanguage.googleapis.com/generate_content_free_tier_requests";
const std::string kTokensMetric =
    "generativelanguage.googleapis.com/generate_content_free_tier_input_token_count";

const std::string kOpenRouterUpstreamBody =
    R"({"error":{"message":"Provider returned error","code":429,"metadata":{"raw":)"
    R"("google/gemini-2.0-flash-exp:free is temporarily rate-limited upstream. Please retry )"
    R"(shortly, or add your own key","provider_name":"Google AI Studio"}},"user_id":"u1"})";

const std::string kOpenRouterPerDayBody =
    R"({"error":{"message":"Rate limit exceeded: free-models-per-day. Add 10 credits to )"
    R"(unlock 1000 free model requests per day","code":429,"metadata":{"headers":{)"
    R"("X-RateLimit-Limit":"50","X-RateLimit-Remaining":"0","X-RateLimit-Reset":)"
    R"("1741305600000"}}}})";

std::vector<SignalCase> SignalCases() {
  const LimitObservation groq_requests{kRequests, kDay, 14400, 14399, seconds(6)};
  const LimitObservation groq_tokens{kTokens, kMinute, 6000, 5810, milliseconds(1570)};
  return {
      // --- Groq ---
      {"GroqHeadersOnSuccess",
       "groq",
       200,
       kGroqHeaders,
       "",
       {.observations = {groq_requests, groq_tokens}},
       std::nullopt},
      {"GroqTpm429RetryAfterHeaderFirst",
       "groq",
       429,
       {{"retry-after", "103"},
        {"x-ratelimit-limit-tokens", "7500"},
        {"x-ratelimit-remaining-tokens", "0"},
        {"x-ratelimit-reset-tokens", "1m42.653s"}},
       kGroqTpmBody,
       {.observations = {{kTokens, kMinute, 7500, 0, milliseconds(102653)}},
        .retry_after = seconds(103),
        .quota_scope = QuotaScope::kPerMinute,
        .exhausted = kTokens},
       seconds(103)},
      {"GroqTpmBodyOnly",
       "groq",
       429,
       {},
       kGroqTpmBody,
       {.observations = {{kTokens, kMinute, 7500}},
        .retry_after = milliseconds(102653),
        .quota_scope = QuotaScope::kPerMinute,
        .exhausted = kTokens},
       milliseconds(102653)},
      {"GroqRpdBody",
       "groq",
       429,
       {},
       kGroqRpdBody,
       {.observations = {{kRequests, kDay, 1000}},
        .retry_after = milliseconds(179560),
        .quota_scope = QuotaScope::kPerDay,
        .exhausted = kRequests},
       milliseconds(179560)},
      // Groq's RPM is in no header; only a 429's message states it.
      {"GroqRpm429StatesTheLimitNoHeaderShows",
       "groq",
       429,
       {{"x-ratelimit-limit-requests", "14400"},
        {"x-ratelimit-remaining-requests", "14370"},
        {"x-ratelimit-reset-requests", "2m59.56s"},
        {"retry-after", "2"}},
       R"({"error":{"message":"Rate limit reached for model `llama-3.1-8b-instant` on )"
       R"(requests per minute (RPM): Limit 30, Used 30, Requested 1. Please try again in )"
       R"(1.5s.","type":"requests","code":"rate_limit_exceeded"}})",
       {.observations = {{kRequests, kDay, 14400, 14370, milliseconds(179560)},
                         {kRequests, kMinute, 30}},
        .retry_after = seconds(2),
        .quota_scope = QuotaScope::kPerMinute,
        .exhausted = kRequests},
       seconds(2)},
      {"StatedWindowAsADuration",
       "plain",
       429,
       {},
       R"({"error":{"message":"Rate limit reached on requests per 10s: Limit 5, Used 5, )"
       R"(Requested 1. Please try again in 250ms."}})",
       {.observations = {{kRequests, seconds(10), 5}},
        .retry_after = milliseconds(250),
        .exhausted = kRequests},
       milliseconds(250)},
      {"StatedLimitNeedsANumberNearItsWindow",
       "cerebras",
       429,
       {},
       R"({"message":"Requests per minute limit exceeded - too many requests sent.",)"
       R"("type":"too_many_requests_error","param":"quota","code":"request_quota_exceeded"})",
       {.quota_scope = QuotaScope::kPerMinute, .exhausted = kRequests},
       std::nullopt},
      {"GroqZeroRemainingOnSuccess",
       "groq",
       200,
       {{"x-ratelimit-remaining-requests", "0"}, {"x-ratelimit-reset-requests", "2m59.56s"}},
       "",
       {.observations = {{kRequests, kDay, std::nullopt, 0, milliseconds(179560)}}},
       milliseconds(179560)},
      {"GroqBodyIgnoredOnSuccess", "groq", 200, {}, kGroqTpmBody, {}, std::nullopt},

      // --- Cerebras ---
      {"CerebrasHeadersOnSuccess",
       "cerebras",
       200,
       {{"x-ratelimit-limit-requests-day", "14400"},
        {"x-ratelimit-limit-tokens-minute", "60000"},
        {"x-ratelimit-remaining-requests-day", "14399"},
        {"x-ratelimit-remaining-tokens-minute", "59000"},
        {"x-ratelimit-reset-requests-day", "33011.4"},
        {"x-ratelimit-reset-tokens-minute", "11.38"}},
       "",
       {.observations = {{kRequests, kDay, 14400, 14399, milliseconds(33011400)},
                         {kTokens, kMinute, 60000, 59000, milliseconds(11380)}}},
       std::nullopt},
      {"CerebrasOtherWindows",
       "cerebras",
       200,
       {{"x-ratelimit-limit-requests-minute", "30"},
        {"x-ratelimit-remaining-requests-minute", "29"},
        {"x-ratelimit-limit-tokens-day", "1000000"},
        {"x-ratelimit-reset-tokens-day", "3600"},
        {"x-ratelimit-limit-requests-hour", "900"}},
       "",
       {.observations = {{kRequests, kMinute, 30, 29, std::nullopt},
                         {kTokens, kDay, 1000000, std::nullopt, hours(1)},
                         {kRequests, hours(1), 900, std::nullopt, std::nullopt}}},
       std::nullopt},
      {"CerebrasTokens429InfersFromHeaders",
       "cerebras",
       429,
       {{"x-ratelimit-remaining-tokens-minute", "0"}, {"x-ratelimit-reset-tokens-minute", "11.38"}},
       R"({"message":"Rate limit exceeded","type":"rate_limit_error","code":"rate_limit_error"})",
       {.observations = {{kTokens, kMinute, std::nullopt, 0, milliseconds(11380)}},
        .quota_scope = QuotaScope::kPerMinute,
        .exhausted = kTokens},
       milliseconds(11380)},
      {"CerebrasTwoExhaustedWaitsForLatest",
       "cerebras",
       429,
       {{"x-ratelimit-remaining-tokens-minute", "0"},
        {"x-ratelimit-reset-tokens-minute", "11.38"},
        {"x-ratelimit-remaining-requests-day", "0"},
        {"x-ratelimit-reset-requests-day", "33011.4"}},
       "",
       {.observations = {{kTokens, kMinute, std::nullopt, 0, milliseconds(11380)},
                         {kRequests, kDay, std::nullopt, 0, milliseconds(33011400)}},
        .quota_scope = QuotaScope::kPerDay,
        .exhausted = kRequests},
       milliseconds(33011400)},

      // --- Gemini ---
      {"GeminiArrayWithoutDetails",
       "gemini",
       429,
       {},
       R"([{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).",)"
       R"("status":"RESOURCE_EXHAUSTED"}}])",
       {},
       std::nullopt},
      {"GeminiArrayPerDayRequests",
       "gemini",
       429,
       {},
       "[" +
           GeminiError(
               QuotaFailure("GenerateRequestsPerDayPerProjectPerModel-FreeTier", kRequestsMetric) +
                   "," + RetryInfo(R"("34.4s")"),
               "You exceeded your current quota.") +
           "]",
       {.retry_after = milliseconds(34400),
        .quota_scope = QuotaScope::kPerDay,
        .exhausted = kRequests},
       milliseconds(34400)},
      {"GeminiObjectPerMinuteTokens",
       "gemini",
       429,
       {},
       GeminiError(
           QuotaFailure("GenerateContentInputTokensPerModelPerMinute-FreeTier", kTokensMetric) +
               "," + RetryInfo(R"("45.837906927s")"),
           "You exceeded your current quota."),
       {.retry_after = nanoseconds(45837906927),
        .quota_scope = QuotaScope::kPerMinute,
        .exhausted = kTokens},
       nanoseconds(45837906927)},
      {"GeminiPerDayBeatsPerMinute",
       "gemini",
       429,
       {},
       GeminiError(
           QuotaFailure("GenerateContentInputTokensPerModelPerMinute-FreeTier", kTokensMetric) +
               "," +
               QuotaFailure("GenerateRequestsPerDayPerProjectPerModel-FreeTier", kRequestsMetric),
           "Quota exceeded."),
       {.quota_scope = QuotaScope::kPerDay, .exhausted = kRequests},
       std::nullopt},
      {"GeminiRetryInMessage",
       "gemini",
       429,
       {},
       GeminiError("",
                   "Quota exceeded for metric: generate_content_free_tier_requests, "
                   "limit: 20. Please retry in 19.695311654s."),
       {.retry_after = nanoseconds(19695311654)},
       nanoseconds(19695311654)},
      {"GeminiRetryDelayObject",
       "gemini",
       429,
       {},
       GeminiError(RetryInfo(R"({"seconds":3,"nanos":500000000})"), "busy"),
       {.retry_after = milliseconds(3500)},
       milliseconds(3500)},
      {"GeminiUnavailableRetryInfo",
       "gemini",
       503,
       {},
       GeminiError(RetryInfo(R"("2s")"), "The model is overloaded."),
       {.retry_after = seconds(2)},
       seconds(2)},

      // --- OpenRouter ---
      {"OpenRouterOwn429ResetEpochMillis",
       "openrouter",
       429,
       {{"X-RateLimit-Limit", "20"},
        {"X-RateLimit-Remaining", "0"},
        {"X-RateLimit-Reset", "1741262437000"}},
       R"({"error":{"message":"Rate limit exceeded: free-models-per-min.","code":429}})",
       {.observations = {{kRequests, std::nullopt, 20, 0, seconds(37)}},
        .retry_after = seconds(37),
        .quota_scope = QuotaScope::kPerMinute,
        .exhausted = kRequests},
       seconds(37)},
      {"OpenRouterPerDayHeadersInBody",
       "openrouter",
       429,
       {},
       kOpenRouterPerDayBody,
       {.observations = {{kRequests, std::nullopt, 50, 0, hours(12)}},
        .retry_after = hours(12),
        .quota_scope = QuotaScope::kPerDay,
        .exhausted = kRequests},
       hours(12)},
      {"OpenRouterUpstreamIsNotOurKey",
       "openrouter",
       429,
       {{"X-RateLimit-Limit", "20"},
        {"X-RateLimit-Remaining", "15"},
        {"X-RateLimit-Reset", "1741262437000"}},
       kOpenRouterUpstreamBody,
       {.observations = {{kRequests, std::nullopt, 20, 15, seconds(37)}}, .upstream = true},
       std::nullopt},
      {"OpenRouterUpstreamQuotaIsNotOurs",
       "openrouter",
       429,
       {},
       R"({"error":{"message":"Provider returned error","code":429,"metadata":{"raw":)"
       R"("{\"error\":{\"code\":429,\"message\":\"Quota exceeded: )"
       R"(GenerateRequestsPerDayPerProjectPerModel. Please retry in 20s.\"}}",)"
       R"("provider_name":"Google AI Studio"}}})",
       {.retry_after = seconds(20), .upstream = true},
       seconds(20)},
      {"OpenRouterHeadersOnSuccess",
       "openrouter",
       200,
       {{"x-ratelimit-limit", "20"},
        {"x-ratelimit-remaining", "19"},
        {"x-ratelimit-reset", "1741262437000"}},
       "",
       {.observations = {{kRequests, std::nullopt, 20, 19, seconds(37)}}},
       std::nullopt},
      {"OpenRouterPastResetIsZero",
       "openrouter",
       429,
       {{"X-RateLimit-Remaining", "0"}, {"X-RateLimit-Reset", "1741262000000"}},
       "",
       {.observations = {{kRequests, std::nullopt, std::nullopt, 0, Duration::zero()}},
        .retry_after = Duration::zero(),
        .exhausted = kRequests},
       Duration::zero()},

      // --- Generic providers and retry-after ---
      {"RetryAfterHttpDate",
       "myllm",
       429,
       {{"Retry-After", "Fri, 07 Mar 2025 00:00:00 GMT"}},
       "",
       {.retry_after = hours(12)},
       hours(12)},
      {"RetryAfterPastHttpDate",
       "myllm",
       429,
       {{"retry-after", "Thu, 06 Mar 2025 11:00:00 GMT"}},
       "",
       {.retry_after = Duration::zero()},
       Duration::zero()},
      {"RetryAfterSecondsOn503",
       "myllm",
       503,
       {{"retry-after", "120"}},
       "",
       {.retry_after = seconds(120)},
       seconds(120)},
      {"RetryAfterSecondsOn529Overloaded",
       "myllm",
       529,
       {{"retry-after", "3"}},
       R"({"error":{"type":"overloaded_error","message":"Overloaded"}})",
       {.retry_after = seconds(3)},
       seconds(3)},
      {"RetryAfterIgnoredOnSuccess", "myllm", 200, {{"retry-after", "120"}}, "", {}, std::nullopt},
      {"RetryAfterBeatsZeroRemainingReset",
       "myllm",
       429,
       {{"retry-after", "5"},
        {"x-ratelimit-remaining-tokens", "0"},
        {"x-ratelimit-reset-tokens", "30s"}},
       "",
       {.observations = {{kTokens, std::nullopt, std::nullopt, 0, seconds(30)}},
        .retry_after = seconds(5),
        .exhausted = kTokens},
       seconds(5)},
      {"OpenAiStyleHeadersHaveNoWindow",
       "myllm",
       200,
       {{"x-ratelimit-limit-requests", "500"},
        {"x-ratelimit-remaining-requests", "499"},
        {"x-ratelimit-reset-requests", "120ms"}},
       "",
       {.observations = {{kRequests, std::nullopt, 500, 499, milliseconds(120)}}},
       std::nullopt},
      {"HeaderNamesIgnoreCase",
       "groq",
       200,
       {{"X-RATELIMIT-REMAINING-TOKENS", "12"}, {"X-RateLimit-Reset-Tokens", "7.66s"}},
       "",
       {.observations = {{kTokens, kMinute, std::nullopt, 12, milliseconds(7660)}}},
       std::nullopt},
      {"FirstHeaderValueWins",
       "groq",
       200,
       {{"x-ratelimit-remaining-tokens", "12"}, {"x-ratelimit-remaining-tokens", "99"}},
       "",
       {.observations = {{kTokens, kMinute, std::nullopt, 12, std::nullopt}}},
       std::nullopt},
      {"IetfRateLimitHeaders",
       "myllm",
       429,
       {{"RateLimit-Limit", "100"}, {"RateLimit-Remaining", "0"}, {"RateLimit-Reset", "30"}},
       "",
       {.observations = {{kRequests, std::nullopt, 100, 0, seconds(30)}},
        .retry_after = seconds(30),
        .exhausted = kRequests},
       seconds(30)},
      {"ErrorAsString",
       "myllm",
       429,
       {},
       R"({"error":"Too many requests, please try again in 30s"})",
       {.retry_after = seconds(30)},
       seconds(30)},

      // --- Malformed input yields fewer fields ---
      {"MalformedHeaderValues",
       "groq",
       429,
       {{"retry-after", "later"},
        {"x-ratelimit-limit-tokens", "6000"},
        {"x-ratelimit-remaining-tokens", "lots"},
        {"x-ratelimit-reset-tokens", "soon"},
        {"x-ratelimit-reset-requests", "-3s"},
        {"x-ratelimit-limit-widgets", "5"},
        {"x-ratelimit-policy", "100;w=60"},
        {"x-ratelimit-used-tokens", "5"},
        {"x-ratelimit-limit-tokens-fortnight", "5"},
        {"x-ratelimit-limit-tokens-day-extra", "5"}},
       "",
       {.observations = {{kTokens, kMinute, 6000, std::nullopt, std::nullopt}}},
       std::nullopt},
      {"HtmlBody",
       "groq",
       429,
       {},
       "<html><body><h1>429 Too Many Requests</h1>try again in 5s</body></html>",
       {},
       std::nullopt},
      {"TruncatedJsonBody",
       "gemini",
       429,
       {},
       R"([{"error":{"code":429,"details":[{"@type)",
       {},
       std::nullopt},
      {"EmptyBodyWithRetryAfter",
       "cerebras",
       429,
       {{"retry-after", "7"}},
       "",
       {.retry_after = seconds(7)},
       seconds(7)},
      {"WrongJsonTypes",
       "gemini",
       429,
       {},
       R"({"error":{"message":5,"type":["tokens"],"details":{"@type":1},)"
       R"("metadata":{"raw":7,"headers":[1],"provider_name":null}}})",
       {},
       std::nullopt},
      {"WrongJsonTypesInDetails",
       "gemini",
       429,
       {},
       GeminiError(R"(7,{"@type":"google.rpc.QuotaFailure","violations":[1,{"quotaId":2}]},)"
                   R"({"@type":"google.rpc.RetryInfo","retryDelay":{"seconds":"3"}},)"
                   R"({"@type":"google.rpc.RetryInfo","retryDelay":-4})",
                   "x"),
       {},
       std::nullopt},
  };
}

INSTANTIATE_TEST_SUITE_P(Table, ParseRateLimitSignalTest, testing::ValuesIn(SignalCases()),
                         [](const testing::TestParamInfo<SignalCase>& info) {
                           return info.param.name;
                         });

TEST(RateLimitSignalTest, CooldownHintPrefersRetryAfter) {
  RateLimitSignal signal;
  signal.observations.push_back({.kind = kTokens, .remaining = 0, .reset_after = seconds(40)});
  EXPECT_EQ(signal.CooldownHint(), seconds(40));
  signal.retry_after = seconds(3);
  EXPECT_EQ(signal.CooldownHint(), seconds(3));
}

TEST(RateLimitSignalTest, CooldownHintIgnoresObservationsWithSomethingLeft) {
  RateLimitSignal signal;
  signal.observations.push_back({.kind = kTokens, .remaining = 10, .reset_after = seconds(40)});
  signal.observations.push_back({.kind = kRequests, .remaining = 0});  // no reset given
  EXPECT_EQ(signal.CooldownHint(), std::nullopt);
  signal.observations.push_back({.kind = kRequests, .remaining = -2, .reset_after = seconds(9)});
  EXPECT_EQ(signal.CooldownHint(), seconds(9));
}

// Every prefix of real bodies, and random bytes, must parse without crashing.
// Malformed input gives a signal with fewer fields, never a crash and never a made-up
// fact: a body cut anywhere before its end, or bytes that are no error object, say
// nothing beyond what the (here unreadable) headers say, which is nothing.
TEST(RateLimitSignalTest, SurvivesTruncatedAndRandomInput) {
  const std::vector<std::string> whole = {
      kGroqTpmBody, kOpenRouterUpstreamBody, kOpenRouterPerDayBody,
      "[" +
          GeminiError(QuotaFailure("PerDay", kRequestsMetric) + "," + RetryInfo(R"("34.4s")"),
                      "m") +
          "]"};
  std::vector<std::string> noise;
  std::mt19937 random(42);
  for (int i = 0; i < 200; ++i) {
    std::string bytes(random() % 64, '\0');
    for (char& c : bytes) c = static_cast<char>(random() % 256);
    noise.push_back(bytes);
  }
  net::Headers headers = MakeHeaders({{"retry-after", "\x01\xff"}, {"x-ratelimit-reset", ""}});
  for (const char* provider : {"groq", "gemini", "openrouter"}) {
    const RateLimitSignal nothing = ParseRateLimitSignal(provider, 429, headers, "", kNow);
    EXPECT_EQ(nothing, RateLimitSignal{}) << provider;
    EXPECT_EQ(nothing.CooldownHint(), std::nullopt);
    for (const std::string& body : whole) {
      for (size_t length = 0; length < body.size(); ++length) {
        const std::string_view cut = std::string_view(body).substr(0, length);
        ASSERT_EQ(ParseRateLimitSignal(provider, 429, headers, cut, kNow), nothing)
            << provider << " read something from the cut body: " << cut;
      }
      // The whole body does say something (so the cut ones were read, and said nothing).
      EXPECT_NE(ParseRateLimitSignal(provider, 429, headers, body, kNow), nothing) << body;
    }
    for (const std::string& bytes : noise) {
      ASSERT_EQ(ParseRateLimitSignal(provider, 429, headers, bytes, kNow), nothing) << provider;
    }
  }
}

}  // namespace
}  // namespace hfs::keys
