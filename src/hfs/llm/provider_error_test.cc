#include "hfs/llm/provider_error.h"

#include <gtest/gtest.h>

#include <string>

namespace hfs::llm {
namespace {

struct StatusCase {
  int status;
  ErrorCode code;
};

TEST(ProviderErrorTest, MapsEveryStatusToItsCode) {
  const StatusCase cases[] = {
      {400, ErrorCode::kInvalidArgument},
      {422, ErrorCode::kInvalidArgument},
      {413, ErrorCode::kInvalidArgument},
      {401, ErrorCode::kUnauthenticated},
      {402, ErrorCode::kFailedPrecondition},
      {403, ErrorCode::kPermissionDenied},
      {404, ErrorCode::kNotFound},
      {408, ErrorCode::kDeadlineExceeded},
      {409, ErrorCode::kAborted},
      {429, ErrorCode::kResourceExhausted},
      {500, ErrorCode::kUnavailable},
      {502, ErrorCode::kUnavailable},
      {503, ErrorCode::kUnavailable},
      {504, ErrorCode::kUnavailable},
      {529, ErrorCode::kUnavailable},
      {501, ErrorCode::kUnavailable},
      {418, ErrorCode::kInternal},
      {302, ErrorCode::kInternal},
  };
  for (const StatusCase& c : cases) {
    Error error = ErrorForStatus(c.status, R"({"error":{"message":"boom"}})");
    EXPECT_EQ(error.code, c.code) << c.status;
    EXPECT_EQ(error.message, "HTTP " + std::to_string(c.status) + ": boom");
  }
}

TEST(ProviderErrorTest, ExtractsMessagesFromEachProviderShape) {
  // Groq / OpenAI.
  EXPECT_EQ(ProviderErrorMessage(
                R"({"error":{"message":"Invalid API Key","type":"invalid_request_error",
                    "code":"invalid_api_key"}})"),
            "Invalid API Key");
  // Gemini's array form.
  EXPECT_EQ(
      ErrorForStatus(
          429,
          R"([{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}])")
          .message,
      "HTTP 429: Resource has been exhausted (e.g. check quota).");
  // Cerebras top-level message.
  EXPECT_EQ(
      ProviderErrorMessage(
          R"({"message":"Requests per day limit exceeded","type":"too_many_requests_error"})"),
      "Requests per day limit exceeded");
  // OpenRouter upstream error with metadata.raw.
  EXPECT_EQ(ProviderErrorMessage(
                R"({"error":{"message":"Provider returned error","code":429,
                    "metadata":{"raw":"m is temporarily rate-limited upstream"}}})"),
            "Provider returned error (m is temporarily rate-limited upstream)");
  // A plain string error.
  EXPECT_EQ(ProviderErrorMessage(R"({"error":"model not found"})"), "model not found");
  // Not JSON: the start of the body, control characters flattened.
  EXPECT_EQ(ProviderErrorMessage("<html>\nBad Gateway</html>"), "<html> Bad Gateway</html>");
  EXPECT_EQ(ErrorForStatus(502, "").message, "HTTP 502");
}

TEST(ProviderErrorTest, TrimsLongMessages) {
  std::string body = R"({"error":{"message":")" + std::string(5000, 'x') + R"("}})";
  Error error = ErrorForStatus(500, body);
  EXPECT_LE(error.message.size(), kMaxProviderMessage + 20);
  EXPECT_NE(error.message.find("..."), std::string::npos);
  std::string raw(10000, 'y');
  EXPECT_LE(ProviderErrorMessage(raw).size(), kMaxProviderMessage + 3);
}

TEST(ProviderErrorTest, RecognisesGroqToolUseFailures) {
  const std::string groq =
      R"({"error":{"message":"Failed to call a function. Please adjust your prompt.",
          "type":"invalid_request_error","code":"tool_use_failed",
          "failed_generation":"<function=vote>{\"choice\": maybe}</function>"}})";
  EXPECT_TRUE(IsToolUseFailure(400, groq));
  EXPECT_FALSE(IsToolUseFailure(500, groq));
  EXPECT_EQ(FailedGeneration(groq), "<function=vote>{\"choice\": maybe}</function>");
  Error error = ErrorForStatus(400, groq);
  EXPECT_EQ(error.code, ErrorCode::kInvalidArgument);
  EXPECT_NE(error.message.find("tool_use_failed"), std::string::npos);
  // The model's own text goes into the message, so the repair turn can show it.
  EXPECT_NE(error.message.find("failed_generation: <function=vote>{\"choice\": maybe}"),
            std::string::npos);

  const std::string validation =
      R"({"error":{"message":"Tool call validation failed: parameters for tool vote did not match schema","type":"invalid_request_error"}})";
  EXPECT_TRUE(IsToolUseFailure(400, validation));
  EXPECT_EQ(FailedGeneration(validation), std::nullopt);

  EXPECT_FALSE(IsToolUseFailure(400, R"({"error":{"message":"max_tokens too large"}})"));
  EXPECT_FALSE(IsToolUseFailure(400, "not json"));
  EXPECT_EQ(FailedGeneration("[1,2]"), std::nullopt);
}

TEST(ProviderErrorTest, RetryableCodes) {
  EXPECT_TRUE(IsRetryable(ErrorForStatus(503, "")));
  EXPECT_TRUE(IsRetryable(Error{ErrorCode::kDeadlineExceeded, "timeout"}));
  EXPECT_FALSE(IsRetryable(ErrorForStatus(429, "")));
  EXPECT_FALSE(IsRetryable(ErrorForStatus(400, "")));
  EXPECT_FALSE(IsRetryable(ErrorForStatus(401, "")));
}

// Real bodies, as the providers send them (sources in docs/providers.md).
constexpr char kGeminiKeyInvalid[] =
    R"([{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.",)"
    R"("status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo",)"
    R"("reason":"API_KEY_INVALID","domain":"googleapis.com",)"
    R"("metadata":{"service":"generativelanguage.googleapis.com"}}]}}])";
constexpr char kGeminiSuspended[] =
    R"({"error":{"code":403,"message":"Permission denied: Consumer 'api_key:X' has been )"
    R"(suspended.","status":"PERMISSION_DENIED","details":[{"@type":)"
    R"("type.googleapis.com/google.rpc.ErrorInfo","reason":"CONSUMER_SUSPENDED"}]}})";
constexpr char kGeminiNoFreeTier[] =
    R"([{"error":{"code":400,"message":"User location is not supported for the API use.",)"
    R"("status":"FAILED_PRECONDITION"}}])";
constexpr char kGeminiBadRequest[] =
    R"([{"error":{"code":400,"message":"Invalid JSON payload received.",)"
    R"("status":"INVALID_ARGUMENT"}}])";
constexpr char kGroqRestricted[] =
    R"({"error":{"message":"Organization has been restricted. Please reach out to support )"
    R"(if you believe this was in error.","type":"invalid_request_error",)"
    R"("code":"organization_restricted"}})";
constexpr char kOpenRouterModeration[] =
    R"({"error":{"code":403,"message":"openai/gpt-4o requires moderation on OpenAI. Your )"
    R"(input was flagged for \"harassment\". No credits were charged.","metadata":{)"
    R"("reasons":["harassment"],"flagged_input":"...","provider_name":"OpenAI",)"
    R"("model_slug":"openai/gpt-4o"}}})";
constexpr char kOpenRouterKeyLimit[] =
    R"({"error":{"message":"Key limit exceeded (monthly limit). Manage it using )"
    R"(https://openrouter.ai/settings/keys","code":403}})";
constexpr char kOpenRouterNoCredit[] =
    R"({"error":{"code":402,"message":"This request requires more credits, or fewer )"
    R"(max_tokens. You requested up to 4096 tokens, but can only afford 1000."}})";

struct PolicyCase {
  const char* provider;
  int status;
  const char* body;
  ReplyPolicy policy;
};

TEST(ProviderErrorTest, PolicyFollowsTheTableOfEachProvider) {
  using enum KeyAction;
  using enum CallAction;
  const PolicyCase cases[] = {
      // A bad key: Gemini says 400, the others 401; either way the key is out for good.
      {"gemini", 400, kGeminiKeyInvalid, {kDisable, kRotate, "API_KEY_INVALID"}},
      {"gemini", 400, kGeminiNoFreeTier, {kDisable, kRotate, "FAILED_PRECONDITION"}},
      {"gemini", 400, kGeminiBadRequest, {kCount, kFail, ""}},
      {"groq", 400, kGroqRestricted, {kDisable, kRotate, "organization_restricted"}},
      {"groq", 400, R"({"error":{"message":"bad"}})", {kCount, kFail, ""}},
      {"cerebras", 401, R"({"message":"Wrong API Key"})", {kDisable, kRotate, "unauthorized"}},
      {"custom", 401, "", {kDisable, kRotate, "unauthorized"}},
      // No credit: never a rate limit to wait out.
      {"openrouter", 402, kOpenRouterNoCredit, {kNoCredit, kRotate, "no credit"}},
      {"cerebras", 402, "", {kNoCredit, kRotate, "no credit"}},
      // 403: OpenRouter's moderation refuses a prompt, not the key; its spent key limit
      // is the key's; Gemini's PERMISSION_DENIED is the key's; others bar the model.
      {"openrouter", 403, kOpenRouterModeration, {kCount, kFailOver, "moderation"}},
      {"openrouter", 403, kOpenRouterKeyLimit, {kNoCredit, kRotate, "key limit exceeded"}},
      {"gemini", 403, kGeminiSuspended, {kDisable, kRotate, "PERMISSION_DENIED"}},
      {"groq", 403, R"({"error":{"message":"not allowed"}})", {kBarModel, kRotate, ""}},
      {"cerebras", 403, "", {kBarModel, kRotate, ""}},
      {"custom", 403, "", {kBarModel, kRotate, ""}},
      {"groq", 404, "", {kCount, kFailOver, ""}},
      {"openrouter", 408, "", {kCount, kRetry, ""}},
      {"groq", 413, "", {kCount, kFailOver, "too large"}},
      {"groq", 422, "", {kCount, kFail, ""}},
      {"gemini", 429, "", {kCool, kRotate, ""}},
      {"groq", 500, "", {kCount, kRetry, ""}},
      {"gemini", 503, "", {kCount, kRetry, ""}},
      {"openrouter", 503, "", {kCount, kFailOver, "no provider"}},
      {"custom", 529, "", {kCount, kRetry, ""}},
      {"custom", 0, "", {kCount, kRetry, ""}},
  };
  for (const PolicyCase& c : cases) {
    ReplyPolicy policy = PolicyForReply(c.provider, c.status, c.body);
    EXPECT_EQ(policy, c.policy) << c.provider << " " << c.status << " " << c.body
                                << " gave reason '" << policy.reason << "'";
  }
}

TEST(ProviderErrorTest, ReadsTheUsageAnErrorBodyReports) {
  std::optional<Usage> usage = UsageInErrorBody(
      R"({"error":{"message":"boom"},"usage":{"prompt_tokens":812,"completion_tokens":40}})");
  ASSERT_TRUE(usage.has_value());
  EXPECT_EQ(usage->prompt_tokens, 812);
  EXPECT_EQ(usage->completion_tokens, 40);
  usage = UsageInErrorBody(R"({"error":{"message":"x","usage":{"prompt_tokens":9}}})");
  ASSERT_TRUE(usage.has_value());
  EXPECT_EQ(usage->prompt_tokens, 9);
  EXPECT_FALSE(UsageInErrorBody(R"({"error":{"message":"x"}})").has_value());
  EXPECT_FALSE(UsageInErrorBody(R"({"usage":{"prompt_tokens":-5}})").has_value());
  EXPECT_FALSE(UsageInErrorBody("not json").has_value());
}

}  // namespace
}  // namespace hfs::llm
