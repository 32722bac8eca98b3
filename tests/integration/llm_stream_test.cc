// tests/integration/llm_stream_test.cc
//
// Integration: streamed model calls over CurlTransport against an in-process hfs-emulator
// whose stream faults misbehave the way real servers do: a server that never answers
// (`hang`), a stream that goes silent after its headers and first events
// (`stream_stall`), a mid-stream `error` event (`stream_error`), and a slow token
// trickle (per-token latency) that must not be mistaken for a dead connection.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "hfs/base/env.h"
#include "hfs/llm/provider_client.h"
#include "hfs/llm/provider_set.h"
#include "hfs/llm/rotating_model.h"
#include "hfs/net/curl_transport.h"
#include "tools/emulator/config.h"
#include "tools/emulator/emulator.h"
#include "tools/emulator/server.h"

namespace hfs::llm {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kVoteSchema[] =
    R"({"type":"object","properties":{"choice":{"type":"string","enum":["accept","reject"]},
        "reason":{"type":"string","maxLength":40}},"required":["choice","reason"]})";

ChatRequest TextRequest() {
  return {.model = "llama-3.3-70b",
          .messages = {Message::System("You are terse."),
                       Message::User("Say something long enough to be split into chunks.")}};
}

ChatRequest ToolRequest() {
  ChatRequest request{.model = "llama-3.3-70b", .messages = {Message::User("Cast your vote.")}};
  request.tools.push_back({.name = "vote", .description = "Vote", .parameters_json = kVoteSchema});
  request.tool_choice = ToolChoice::kRequired;
  return request;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

class LlmStreamTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }

  void TearDown() override {
    providers_.reset();
    transport_.reset();  // closes pooled keep-alive connections first
    if (server_) server_->Stop();
  }

  // `change` edits every emulated provider (faults, latency).
  template <typename Change>
  void StartEmulator(Change change) {
    emulator::EmulatorOptions options = emulator::DefaultOptions();
    for (emulator::ProviderOptions& provider : options.providers) change(provider);
    transport_ = std::make_unique<net::CurlTransport>();
    emulator_ = std::make_unique<emulator::Emulator>(std::move(options), clock_);
    server_ = std::make_unique<emulator::Server>(*emulator_, 8);
    Result<int> port = server_->Start("127.0.0.1", 0);
    ASSERT_TRUE(port.has_value()) << port.error().ToString();
    base_ = "http://127.0.0.1:" + std::to_string(*port);
  }

  ProviderOptions Groq(CallTimeouts timeouts) const {
    ProviderOptions groq{.name = "groq",
                         .base_url = base_ + "/groq/openai/v1",
                         .capabilities = BuiltinCapabilities("groq"),
                         .timeouts = timeouts};
    return groq;
  }

  SystemClock clock_;
  std::unique_ptr<net::CurlTransport> transport_;
  std::unique_ptr<emulator::Emulator> emulator_;
  std::unique_ptr<emulator::Server> server_;
  std::unique_ptr<ProviderSet> providers_;
  std::string base_;
};

// A server that accepts the request and never answers (llama-server shutting down) fails
// the call at the first-byte timeout, as a lost connection, not after the whole-call
// bound or the 30 s the emulator hangs.
TEST_F(LlmStreamTest, ASilentServerFailsAtTheFirstByteTimeout) {
  StartEmulator([](emulator::ProviderOptions& provider) {
    provider.faults.hang = 1;
    provider.faults.hang_seconds = 30;
  });
  ProviderClient client(Groq({.first_byte = seconds(1), .idle = seconds(1), .total = seconds(60)}),
                        *transport_, clock_);
  keys::Secret key("emu-groq-1");
  const auto start = std::chrono::steady_clock::now();
  Result<ProviderReply> reply = client.Send(TextRequest(), &key, nullptr);
  const double took = SecondsSince(start);
  ASSERT_TRUE(reply.has_value()) << reply.error().ToString();
  ASSERT_TRUE(reply->error.has_value());
  EXPECT_EQ(reply->error->code, ErrorCode::kDeadlineExceeded) << reply->error->ToString();
  EXPECT_NE(reply->error->message.find("first-byte timeout"), std::string::npos);
  EXPECT_EQ(reply->http_status, 0);
  EXPECT_EQ(ClassifyReply(*reply), CallStatus::kTransportError);
  EXPECT_LT(took, 10.0);
}

// A stream that stops after its headers and first events, with the connection left open,
// fails at the idle timeout; the deltas it did deliver are reported.
TEST_F(LlmStreamTest, AStreamSilentAfterItsHeadersFailsAtTheIdleTimeout) {
  StartEmulator([](emulator::ProviderOptions& provider) {
    provider.faults.stream_stall = 1;
    provider.faults.hang_seconds = 30;
  });
  ProviderClient client(Groq({.first_byte = seconds(60), .idle = seconds(1), .total = seconds(60)}),
                        *transport_, clock_);
  keys::Secret key("emu-groq-1");
  std::string seen;
  DeltaCallback on_delta = [&](const ChatDelta& delta) { seen += delta.content; };
  const auto start = std::chrono::steady_clock::now();
  Result<ProviderReply> reply = client.Send(TextRequest(), &key, &on_delta);
  const double took = SecondsSince(start);
  ASSERT_TRUE(reply.has_value()) << reply.error().ToString();
  ASSERT_TRUE(reply->error.has_value());
  EXPECT_EQ(reply->error->code, ErrorCode::kDeadlineExceeded) << reply->error->ToString();
  EXPECT_NE(reply->error->message.find("idle timeout"), std::string::npos);
  EXPECT_EQ(ClassifyReply(*reply), CallStatus::kTransportError);
  EXPECT_FALSE(seen.empty());
  EXPECT_TRUE(reply->delta_delivered);
  EXPECT_LT(took, 10.0);
}

// Tokens that trickle in slowly keep the call alive however long it takes in all: the
// idle timeout bounds the gaps, not the whole.
TEST_F(LlmStreamTest, ASlowTrickleOfTokensDoesNotTimeOut) {
  StartEmulator([](emulator::ProviderOptions& provider) { provider.latency.per_token_ms = 150; });
  ProviderClient client(Groq({.first_byte = seconds(1), .idle = seconds(1), .total = seconds(60)}),
                        *transport_, clock_);
  keys::Secret key("emu-groq-1");
  int deltas = 0;
  DeltaCallback on_delta = [&](const ChatDelta&) { ++deltas; };
  const auto start = std::chrono::steady_clock::now();
  Result<ProviderReply> reply = client.Send(TextRequest(), &key, &on_delta);
  const double took = SecondsSince(start);
  ASSERT_TRUE(reply.has_value()) << reply.error().ToString();
  ASSERT_TRUE(reply->response.has_value()) << reply->error->ToString();
  EXPECT_EQ(reply->response->finish_reason, FinishReason::kStop);
  EXPECT_GT(deltas, 3);
  // The stream lasted longer than both the first-byte and the idle timeout.
  EXPECT_GT(took, 2.0);
}

// OpenRouter reports an error that happens after the 200 as a `data:` event with an
// `error` object. The reply keeps the 200 and the rate-limit headers, and the error maps
// as the same error in a plain 200 body does (a 429 here).
TEST_F(LlmStreamTest, AStreamErrorEventKeepsStatusAndHeadersAndMapsLikeTheBody) {
  StartEmulator([](emulator::ProviderOptions& provider) {
    provider.faults.stream_error = 1;
    // A limit far away, so that Groq-style rate-limit headers come with every reply.
    provider.default_limits = {
        {.kind = emulator::LimitKind::kRequests, .limit = 1000, .window_seconds = 60}};
  });
  ProviderClient client(Groq({}), *transport_, clock_);
  keys::Secret key("emu-groq-1");
  DeltaCallback on_delta = [](const ChatDelta&) {};
  Result<ProviderReply> reply = client.Send(TextRequest(), &key, &on_delta);
  ASSERT_TRUE(reply.has_value()) << reply.error().ToString();
  ASSERT_TRUE(reply->error.has_value());
  EXPECT_FALSE(reply->response.has_value());
  EXPECT_EQ(reply->http_status, 200);
  EXPECT_EQ(reply->error->code, ErrorCode::kResourceExhausted) << reply->error->ToString();
  EXPECT_TRUE(reply->headers.Get("x-ratelimit-remaining-requests").has_value());
  EXPECT_EQ(reply->headers.Get("x-emulator-fault"), "stream_error");
  EXPECT_EQ(EffectiveStatus(*reply), 429);
  EXPECT_EQ(ClassifyReply(*reply), CallStatus::kRateLimited);
}

// Through key rotation: a rate-limit error event moves the call to another key at once
// (no backoff, as for a 429 status), instead of counting as a lost connection.
TEST_F(LlmStreamTest, AStreamErrorEventRotatesToAnotherKey) {
  StartEmulator([](emulator::ProviderOptions& provider) { provider.faults.stream_error = 1; });
  Env env(Env::Variables{{"NUM_GROQ", "3"},
                         {"GROQ_API_KEY_1", "emu-groq-1"},
                         {"GROQ_API_KEY_2", "emu-groq-2"},
                         {"GROQ_API_KEY_3", "emu-groq-3"},
                         {"HFS_GROQ_BASE_URL", base_ + "/groq/openai/v1"}});
  std::mutex mu;
  std::vector<ProviderCall> calls;
  ProviderSetOptions options;
  options.rotating.retry.max_attempts = 3;
  options.rotating.on_call = [&](const ProviderCall& call) {
    std::lock_guard lock(mu);
    calls.push_back(call);
  };
  std::vector<ProviderOptions> builtin = BuiltinProviders();
  std::erase_if(builtin, [](const ProviderOptions& p) { return p.name != "groq"; });
  providers_ = std::make_unique<ProviderSet>(builtin, env, *transport_, clock_, options);
  Model* groq = providers_->Find("groq");
  ASSERT_NE(groq, nullptr);
  Result<ChatResponse> reply =
      groq->Complete(TextRequest(), {.deadline = clock_.Now() + seconds(20)});
  ASSERT_FALSE(reply.has_value());
  EXPECT_EQ(reply.error().code, ErrorCode::kResourceExhausted) << reply.error().ToString();
  std::lock_guard lock(mu);
  ASSERT_EQ(calls.size(), 3u);
  for (const ProviderCall& call : calls) {
    EXPECT_EQ(call.status, CallStatus::kRateLimited);
    EXPECT_EQ(call.http_status, 200);
  }
  EXPECT_NE(calls[0].key_id, calls[1].key_id);
  EXPECT_NE(calls[1].key_id, calls[2].key_id);
  EXPECT_NE(calls[0].key_id, calls[2].key_id);
}

// A call without a delta callback streams too, reports its progress, and folds into
// exactly the reply a provider that cannot stream gives.
TEST_F(LlmStreamTest, ACompleteCallStreamsAndFoldsIntoThePlainReply) {
  StartEmulator([](emulator::ProviderOptions&) {});
  std::vector<ReceiveProgress> reports;
  ClientOptions options{.on_receive = [&](const ReceiveProgress& p) { reports.push_back(p); },
                        .receive_interval = Duration::zero()};
  ProviderOptions streaming = Groq({});
  ProviderOptions plain = Groq({});
  plain.capabilities.streaming = false;
  ProviderClient streamed_client(streaming, *transport_, clock_, options);
  ProviderClient plain_client(plain, *transport_, clock_, options);
  keys::Secret key("emu-groq-1");
  for (const ChatRequest& request : {TextRequest(), ToolRequest()}) {
    SCOPED_TRACE(request.tools.empty() ? "text" : "tool call");
    reports.clear();
    Result<ProviderReply> streamed = streamed_client.Send(request, &key, nullptr);
    ASSERT_TRUE(streamed.has_value() && streamed->response) << streamed->error->ToString();
    ASSERT_GE(reports.size(), 2u);
    EXPECT_GT(reports[reports.size() - 2].chars, 0);
    EXPECT_TRUE(reports.back().done);
    EXPECT_EQ(reports.back().provider, "groq");
    EXPECT_FALSE(streamed->delta_delivered);  // nobody saw a delta: a retry may restart it

    reports.clear();
    Result<ProviderReply> whole = plain_client.Send(request, &key, nullptr);
    ASSERT_TRUE(whole.has_value() && whole->response) << whole->error->ToString();
    EXPECT_TRUE(reports.empty());  // nothing streamed

    const ChatResponse& a = *streamed->response;
    const ChatResponse& b = *whole->response;
    EXPECT_EQ(a.model, b.model);
    EXPECT_EQ(a.content, b.content);
    EXPECT_EQ(a.reasoning, b.reasoning);
    EXPECT_EQ(a.finish_reason, b.finish_reason);
    ASSERT_EQ(a.tool_calls.size(), b.tool_calls.size());
    for (size_t i = 0; i < a.tool_calls.size(); ++i) {
      EXPECT_EQ(a.tool_calls[i].name, b.tool_calls[i].name);
      EXPECT_EQ(a.tool_calls[i].arguments, b.tool_calls[i].arguments);
      EXPECT_FALSE(a.tool_calls[i].id.empty());
    }
    ASSERT_TRUE(a.usage && b.usage);
    EXPECT_EQ(a.usage->prompt_tokens, b.usage->prompt_tokens);
    EXPECT_EQ(a.usage->completion_tokens, b.usage->completion_tokens);
  }
}

// A delta callback that throws fails the call with an error; nothing unwinds through
// libcurl, and the transport stays usable.
TEST_F(LlmStreamTest, AThrowingDeltaCallbackFailsTheCallCleanly) {
  StartEmulator([](emulator::ProviderOptions&) {});
  ProviderClient client(Groq({}), *transport_, clock_);
  keys::Secret key("emu-groq-1");
  DeltaCallback on_delta = [](const ChatDelta&) { throw std::runtime_error("display broke"); };
  Result<ProviderReply> reply = client.Send(TextRequest(), &key, &on_delta);
  ASSERT_TRUE(reply.has_value()) << reply.error().ToString();
  ASSERT_TRUE(reply->error.has_value());
  EXPECT_FALSE(reply->response.has_value());
  EXPECT_EQ(reply->error->code, ErrorCode::kInternal);
  EXPECT_NE(reply->error->message.find("display broke"), std::string::npos);
  Result<ProviderReply> next = client.Send(TextRequest(), &key, nullptr);
  ASSERT_TRUE(next.has_value() && next->response) << next->error->ToString();
}

}  // namespace
}  // namespace hfs::llm
