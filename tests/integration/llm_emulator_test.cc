// tests/integration/llm_emulator_test.cc
//
// Integration: ProviderClient over CurlTransport against an in-process hfs-emulator on
// 127.0.0.1 (ephemeral port), through each provider's URL prefix.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "hfs/llm/provider_client.h"
#include "hfs/net/curl_transport.h"
#include "tools/emulator/config.h"
#include "tools/emulator/emulator.h"
#include "tools/emulator/server.h"

namespace hfs::llm {
namespace {

using nlohmann::json;

struct ProviderCase {
  const char* name;
  const char* prefix;
};

constexpr ProviderCase kProviders[] = {
    {"cerebras", "/cerebras/v1"},
    {"groq", "/groq/openai/v1"},
    {"gemini", "/gemini/v1beta/openai/"},  // as configured: no /v1 added, trailing '/' ok
    {"openrouter", "/openrouter/api/v1"},
};

constexpr const char* kVoteSchema =
    R"({"type":"object","properties":{"choice":{"type":"string","enum":["accept","reject"]},
        "reason":{"type":"string","maxLength":40}},"required":["choice","reason"]})";

ChatRequest TextRequest() {
  return {.model = "llama-3.3-70b",
          .messages = {Message::System("You are terse."),
                       Message::User("Say something long enough to be split into chunks.")}};
}

class LlmEmulatorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }

  // Each test starts the emulator itself and sends at least one request before TearDown:
  // a Server::Stop right after Start can run before the listener is up and then hangs.
  void SetUp() override {}
  void TearDown() override { StopEmulator(); }

  // Closes our pooled keep-alive connections first, so the server need not wait them out.
  void StopEmulator() {
    transport_.reset();
    if (server_) server_->Stop();
  }

  void StartEmulator(emulator::EmulatorOptions options = emulator::DefaultOptions()) {
    transport_ = std::make_unique<net::CurlTransport>();
    emulator_ = std::make_unique<emulator::Emulator>(std::move(options), clock_);
    server_ = std::make_unique<emulator::Server>(*emulator_, 8);
    Result<int> port = server_->Start("127.0.0.1", 0);
    ASSERT_TRUE(port.has_value()) << port.error().ToString();
    base_ = "http://127.0.0.1:" + std::to_string(*port);
  }

  ProviderClient Client(const std::string& name, const std::string& prefix) {
    return ProviderClient({.name = name, .base_url = base_ + prefix}, *transport_, clock_,
                          {.timeout = std::chrono::seconds(10)});
  }

  SystemClock clock_;
  std::unique_ptr<net::CurlTransport> transport_;
  std::unique_ptr<emulator::Emulator> emulator_;
  std::unique_ptr<emulator::Server> server_;
  std::string base_;
};

TEST_F(LlmEmulatorTest, NonStreamingCompletionWithUsage) {
  StartEmulator();
  ProviderClient client = Client("groq", "/groq/openai/v1");
  keys::Secret key("emu-groq-1");
  Result<ProviderReply> reply = client.Send(TextRequest(), &key, nullptr);
  ASSERT_TRUE(reply.has_value()) << reply.error().ToString();
  ASSERT_TRUE(reply->response.has_value()) << reply->error->ToString();
  EXPECT_EQ(reply->http_status, 200);
  EXPECT_FALSE(reply->response->content.empty());
  EXPECT_EQ(reply->response->finish_reason, FinishReason::kStop);
  ASSERT_TRUE(reply->response->usage.has_value());
  EXPECT_GT(reply->response->usage->prompt_tokens, 0);
  EXPECT_GT(reply->response->usage->completion_tokens, 0);
  EXPECT_GT(reply->latency.count(), 0);
}

TEST_F(LlmEmulatorTest, StreamedCompletionReassembledWithUsageForEveryProvider) {
  StartEmulator();
  for (const ProviderCase& provider : kProviders) {
    SCOPED_TRACE(provider.name);
    ProviderClient client = Client(provider.name, provider.prefix);
    keys::Secret key(std::string("emu-") + provider.name + "-2");
    std::string streamed;
    int deltas = 0;
    DeltaCallback on_delta = [&](const ChatDelta& delta) {
      streamed += delta.content;
      ++deltas;
    };
    Result<ProviderReply> reply = client.Send(TextRequest(), &key, &on_delta);
    ASSERT_TRUE(reply.has_value()) << reply.error().ToString();
    ASSERT_TRUE(reply->response.has_value()) << reply->error->ToString();
    EXPECT_TRUE(reply->delta_delivered);
    EXPECT_GT(deltas, 1);  // the emulator sends 16-byte pieces
    EXPECT_EQ(reply->response->content, streamed);
    EXPECT_EQ(reply->response->finish_reason, FinishReason::kStop);
    ASSERT_TRUE(reply->response->usage.has_value());
    EXPECT_GT(reply->response->usage->prompt_tokens, 0);
    EXPECT_GT(reply->response->usage->completion_tokens, 0);

    // The same request without streaming reports the same usage.
    Result<ProviderReply> plain = client.Send(TextRequest(), &key, nullptr);
    ASSERT_TRUE(plain.has_value() && plain->response.has_value());
    EXPECT_EQ(plain->response->content, reply->response->content);
    EXPECT_EQ(plain->response->usage->total(), reply->response->usage->total());
  }
}

TEST_F(LlmEmulatorTest, ToolCallArgumentsParseAsJson) {
  StartEmulator();
  ChatRequest request{.model = "llama-3.3-70b", .messages = {Message::User("Cast your vote.")}};
  request.tools.push_back({.name = "vote", .description = "Vote", .parameters_json = kVoteSchema});
  request.tool_choice = ToolChoice::kRequired;
  for (bool stream : {false, true}) {
    SCOPED_TRACE(stream ? "streaming" : "not streaming");
    ProviderClient client = Client("openrouter", "/openrouter/api/v1");
    keys::Secret key("emu-openrouter-1");
    DeltaCallback on_delta = [](const ChatDelta&) {};
    Result<ProviderReply> reply = client.Send(request, &key, stream ? &on_delta : nullptr);
    ASSERT_TRUE(reply.has_value()) << reply.error().ToString();
    ASSERT_TRUE(reply->response.has_value()) << reply->error->ToString();
    EXPECT_EQ(reply->response->finish_reason, FinishReason::kToolCalls);
    ASSERT_EQ(reply->response->tool_calls.size(), 1u);
    const ToolCall& call = reply->response->tool_calls[0];
    EXPECT_EQ(call.name, "vote");
    EXPECT_FALSE(call.id.empty());
    json arguments = json::parse(call.arguments, nullptr, false);
    ASSERT_FALSE(arguments.is_discarded()) << call.arguments;
    EXPECT_TRUE(arguments["choice"] == "accept" || arguments["choice"] == "reject");
    EXPECT_TRUE(arguments["reason"].is_string());
  }
}

TEST_F(LlmEmulatorTest, WrongKeyIsUnauthenticated) {
  StartEmulator();
  for (const ProviderCase& provider : kProviders) {
    SCOPED_TRACE(provider.name);
    ProviderClient client = Client(provider.name, provider.prefix);
    keys::Secret wrong("wrong-key-CANARY-91d2");
    Result<ProviderReply> reply = client.Send(TextRequest(), &wrong, nullptr);
    ASSERT_TRUE(reply.has_value()) << reply.error().ToString();
    EXPECT_EQ(reply->http_status, 401);
    ASSERT_TRUE(reply->error.has_value());
    EXPECT_EQ(reply->error->code, ErrorCode::kUnauthenticated);
    EXPECT_EQ(reply->error->message.find("CANARY"), std::string::npos);
    EXPECT_FALSE(reply->error_body.empty());
  }
}

TEST_F(LlmEmulatorTest, CutStreamReportsDeliveredDeltas) {
  emulator::EmulatorOptions options = emulator::DefaultOptions();
  for (emulator::ProviderOptions& provider : options.providers) provider.faults.stream_cut = 1;
  StartEmulator(std::move(options));
  ProviderClient client = Client("cerebras", "/cerebras/v1");
  keys::Secret key("emu-cerebras-1");
  DeltaCallback on_delta = [](const ChatDelta&) {};
  Result<ProviderReply> reply = client.Send(TextRequest(), &key, &on_delta);
  ASSERT_TRUE(reply.has_value()) << reply.error().ToString();
  EXPECT_FALSE(reply->response.has_value());
  ASSERT_TRUE(reply->error.has_value());
  EXPECT_EQ(reply->error->code, ErrorCode::kUnavailable);
  EXPECT_TRUE(reply->delta_delivered);
}

}  // namespace
}  // namespace hfs::llm
