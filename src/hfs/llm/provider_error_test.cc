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
      {400, ErrorCode::kInvalidArgument},   {422, ErrorCode::kInvalidArgument},
      {413, ErrorCode::kInvalidArgument},   {401, ErrorCode::kUnauthenticated},
      {402, ErrorCode::kResourceExhausted}, {403, ErrorCode::kPermissionDenied},
      {404, ErrorCode::kNotFound},          {408, ErrorCode::kDeadlineExceeded},
      {409, ErrorCode::kAborted},           {429, ErrorCode::kResourceExhausted},
      {500, ErrorCode::kUnavailable},       {502, ErrorCode::kUnavailable},
      {503, ErrorCode::kUnavailable},       {504, ErrorCode::kUnavailable},
      {529, ErrorCode::kUnavailable},       {501, ErrorCode::kUnavailable},
      {418, ErrorCode::kInternal},          {302, ErrorCode::kInternal},
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

}  // namespace
}  // namespace hfs::llm
