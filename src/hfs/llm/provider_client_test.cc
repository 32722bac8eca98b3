#include "hfs/llm/provider_client.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "hfs/testing/fake_clock.h"
#include "hfs/testing/fake_transport.h"

namespace hfs::llm {
namespace {

using nlohmann::json;
using testing::FakeClock;
using testing::FakeTransport;
using testing::ScriptedResponse;

constexpr const char* kCanary = "csk-CANARY-7f3a9b2c4d5e6f708192a3b4c5d6e7f8";

constexpr const char* kCompletion = R"({"id":"c1","object":"chat.completion","model":"m",
  "choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],
  "usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}})";

ChatRequest Request() { return {.model = "m", .messages = {Message::User("hello")}}; }

ProviderOptions Provider(std::string name, std::string base_url, bool requires_key = true) {
  return {.name = std::move(name), .base_url = std::move(base_url), .requires_key = requires_key};
}

std::string Data(const std::string& json_text) { return "data: " + json_text + "\n\n"; }

std::string ContentChunk(const std::string& text) {
  return Data(
      R"({"id":"s","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"content":")" +
      text + R"("},"finish_reason":null}]})");
}

class ProviderClientTest : public ::testing::Test {
 protected:
  FakeTransport transport_;
  FakeClock clock_;
  keys::Secret key_{kCanary};
};

TEST_F(ProviderClientTest, BuildsTheUrlPerProvider) {
  struct Case {
    ProviderOptions provider;
    std::string url;
  };
  const std::vector<Case> cases = {
      {Provider("cerebras", "https://api.cerebras.ai/v1"),
       "https://api.cerebras.ai/v1/chat/completions"},
      {Provider("groq", "https://api.groq.com/openai/v1/"),
       "https://api.groq.com/openai/v1/chat/completions"},
      {Provider("gemini", "https://generativelanguage.googleapis.com/v1beta/openai/"),
       "https://generativelanguage.googleapis.com/v1beta/openai/chat/completions"},
      {Provider("openrouter", "https://openrouter.ai/api/v1"),
       "https://openrouter.ai/api/v1/chat/completions"},
      {Provider("local", "http://127.0.0.1:11434/v1", false),
       "http://127.0.0.1:11434/v1/chat/completions"},
  };
  for (const Case& c : cases) {
    transport_.PushBody(200, kCompletion);
    ProviderClient client(c.provider, transport_, clock_);
    EXPECT_EQ(client.url(), c.url);
    Result<ProviderReply> reply = client.Send(Request(), &key_, nullptr);
    ASSERT_TRUE(reply.has_value()) << reply.error().ToString();
    EXPECT_EQ(transport_.requests().back().url, c.url);
    EXPECT_EQ(transport_.requests().back().method, "POST");
  }
}

TEST_F(ProviderClientTest, HeadersWithKeyAndOpenRouterAttribution) {
  transport_.PushBody(200, kCompletion);
  ProviderClient client(Provider("openrouter", "https://openrouter.ai/api/v1"), transport_, clock_);
  ASSERT_TRUE(client.Send(Request(), &key_, nullptr).has_value());
  const net::HttpRequest sent = transport_.requests().at(0);
  EXPECT_EQ(sent.headers.Get("authorization"), "Bearer " + std::string(kCanary));
  EXPECT_EQ(sent.headers.Get("content-type"), "application/json");
  EXPECT_EQ(sent.headers.Get("x-title"), "HFS");
  EXPECT_TRUE(sent.headers.Get("http-referer").has_value());
  json body = json::parse(sent.body);
  EXPECT_EQ(body["model"], "m");

  transport_.PushBody(200, kCompletion);
  ProviderClient groq(Provider("groq", "https://api.groq.com/openai/v1"), transport_, clock_);
  ASSERT_TRUE(groq.Send(Request(), &key_, nullptr).has_value());
  EXPECT_FALSE(transport_.requests().at(1).headers.Get("x-title").has_value());
}

TEST_F(ProviderClientTest, NoAuthorizationWithoutKey) {
  transport_.PushBody(200, kCompletion);
  ProviderClient local(Provider("ollama", "http://localhost:11434/v1", false), transport_, clock_);
  Result<ProviderReply> reply = local.Send(Request(), nullptr, nullptr);
  ASSERT_TRUE(reply.has_value());
  EXPECT_FALSE(transport_.requests().at(0).headers.Get("authorization").has_value());

  ProviderClient groq(Provider("groq", "https://api.groq.com/openai/v1"), transport_, clock_);
  Result<ProviderReply> refused = groq.Send(Request(), nullptr, nullptr);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(transport_.requests().size(), 1u);  // nothing sent
}

// Every call streams, with the provider's timeouts; a provider that cannot stream gets a
// plain request, bounded by the connect and whole-call timeouts only.
TEST_F(ProviderClientTest, CallsStreamWithTheProvidersTimeouts) {
  ProviderOptions groq = Provider("groq", "https://g/v1");
  groq.timeouts = {.connect = std::chrono::seconds(3),
                   .first_byte = std::chrono::seconds(40),
                   .idle = std::chrono::seconds(7),
                   .total = std::chrono::seconds(90)};
  transport_.PushBody(200, kCompletion);
  ProviderClient client(groq, transport_, clock_);
  ASSERT_TRUE(client.Send(Request(), &key_, nullptr).value().response.has_value());
  const net::HttpRequest streamed = transport_.requests().at(0);
  EXPECT_EQ(json::parse(streamed.body)["stream"], true);
  EXPECT_EQ(streamed.headers.Get("accept"), "text/event-stream");
  EXPECT_EQ(streamed.timeout, std::chrono::seconds(90));
  EXPECT_EQ(streamed.connect_timeout, std::chrono::seconds(3));
  EXPECT_EQ(streamed.first_byte_timeout, std::chrono::seconds(40));
  EXPECT_EQ(streamed.idle_timeout, std::chrono::seconds(7));

  groq.capabilities.streaming = false;
  transport_.PushBody(200, kCompletion);
  ProviderClient plain(groq, transport_, clock_, {.timeout = std::chrono::seconds(20)});
  ASSERT_TRUE(plain.Send(Request(), &key_, nullptr).value().response.has_value());
  const net::HttpRequest whole = transport_.requests().at(1);
  EXPECT_FALSE(json::parse(whole.body).contains("stream"));
  EXPECT_EQ(whole.timeout, std::chrono::seconds(20));  // the client's bound is sooner
  EXPECT_EQ(whole.connect_timeout, std::chrono::seconds(3));
  EXPECT_EQ(whole.first_byte_timeout, Duration::zero());
  EXPECT_EQ(whole.idle_timeout, Duration::zero());
}

TEST_F(ProviderClientTest, NonStreamingSuccessAndLatency) {
  net::Headers headers;
  headers.Add("x-ratelimit-remaining-requests", "99");
  transport_.Push({.status = 200, .headers = headers, .body = kCompletion});
  ProviderOptions groq = Provider("groq", "https://g/v1");
  groq.capabilities.streaming = false;
  ProviderClient client(groq, transport_, clock_);
  ProviderReply reply = client.Send(Request(), &key_, nullptr).value();
  EXPECT_EQ(reply.http_status, 200);
  ASSERT_TRUE(reply.response.has_value());
  EXPECT_FALSE(reply.error.has_value());
  EXPECT_EQ(reply.response->content, "hi");
  EXPECT_EQ(reply.response->usage->total(), 6);
  EXPECT_EQ(reply.headers.Get("x-ratelimit-remaining-requests"), "99");
  EXPECT_FALSE(reply.delta_delivered);
}

// A server that echoes the key where the body is cut (and where the error message is cut)
// must not leave a prefix of it behind.
TEST_F(ProviderClientTest, AKeyEchoedAcrossTheCutLeavesNoPrefixBehind) {
  const std::string prefix = R"({"error":{"message":")";
  std::string body =
      prefix + std::string(kMaxErrorBody - prefix.size() - 10, 'x') + kCanary + R"("}})";
  transport_.PushBody(400, body);
  ProviderClient client(Provider("groq", "https://g/v1"), transport_, clock_);
  ProviderReply reply = client.Send(Request(), &key_, nullptr).value();
  const std::string start = std::string(kCanary).substr(0, 8);  // "csk-CANA"
  EXPECT_EQ(reply.error_body.find(start), std::string::npos) << reply.error_body.substr(4000);
  ASSERT_TRUE(reply.error.has_value());
  EXPECT_EQ(reply.error->message.find(start), std::string::npos);
}

TEST_F(ProviderClientTest, HttpErrorsKeepStatusHeadersAndTruncatedBody) {
  net::Headers headers;
  headers.Add("retry-after", "7");
  std::string body = R"({"error":{"message":"Rate limit reached","code":"rate_limit_exceeded"}})" +
                     std::string(10000, ' ');
  transport_.Push({.status = 429, .headers = headers, .body = body});
  ProviderClient client(Provider("groq", "https://g/v1"), transport_, clock_);
  ProviderReply reply = client.Send(Request(), &key_, nullptr).value();
  EXPECT_EQ(reply.http_status, 429);
  EXPECT_FALSE(reply.response.has_value());
  ASSERT_TRUE(reply.error.has_value());
  EXPECT_EQ(reply.error->code, ErrorCode::kResourceExhausted);
  EXPECT_EQ(reply.error->message, "HTTP 429: Rate limit reached");
  EXPECT_EQ(reply.headers.Get("retry-after"), "7");
  EXPECT_EQ(reply.error_body.size(), kMaxErrorBody);
}

TEST_F(ProviderClientTest, UndecodableSuccessBodyIsInternal) {
  transport_.PushBody(200, R"({"id":"c1","choices":[{"message":)");
  ProviderClient client(Provider("groq", "https://g/v1"), transport_, clock_);
  ProviderReply reply = client.Send(Request(), &key_, nullptr).value();
  EXPECT_EQ(reply.http_status, 200);
  ASSERT_TRUE(reply.error.has_value());
  EXPECT_EQ(reply.error->code, ErrorCode::kInternal);
}

TEST_F(ProviderClientTest, StreamsThroughChunks) {
  std::string stream = ": OPENROUTER PROCESSING\n\n" + ContentChunk("Hel") + ContentChunk("lo") +
                       Data(R"({"choices":[],"usage":{"prompt_tokens":4,"completion_tokens":2}})") +
                       "data: [DONE]\n\n";
  ScriptedResponse scripted;
  for (size_t at = 0; at < stream.size(); at += 9) scripted.chunks.push_back(stream.substr(at, 9));
  transport_.Push(scripted);
  std::string seen;
  DeltaCallback on_delta = [&](const ChatDelta& delta) { seen += delta.content; };
  ProviderClient client(Provider("openrouter", "https://o/api/v1"), transport_, clock_);
  ProviderReply reply = client.Send(Request(), &key_, &on_delta).value();
  ASSERT_TRUE(reply.response.has_value()) << reply.error->ToString();
  EXPECT_EQ(reply.response->content, "Hello");
  EXPECT_EQ(seen, "Hello");
  EXPECT_EQ(reply.response->usage->completion_tokens, 2);
  EXPECT_TRUE(reply.delta_delivered);
  const net::HttpRequest sent = transport_.requests().at(0);
  json body = json::parse(sent.body);
  EXPECT_EQ(body["stream"], true);
  EXPECT_EQ(body["stream_options"]["include_usage"], true);
  EXPECT_EQ(sent.headers.Get("accept"), "text/event-stream");
}

// A server that ignores "stream" and answers with one JSON body gives the plain reply.
TEST_F(ProviderClientTest, AServerThatIgnoresStreamIsReadAsAPlainReply) {
  net::Headers headers;
  headers.Add("x-ratelimit-remaining-requests", "98");
  transport_.Push({.status = 200, .headers = headers, .chunks = {"\n  ", kCompletion}});
  std::string seen;
  DeltaCallback on_delta = [&](const ChatDelta& delta) { seen += delta.content; };
  ProviderClient client(Provider("groq", "https://g/v1"), transport_, clock_);
  ProviderReply reply = client.Send(Request(), &key_, &on_delta).value();
  ASSERT_TRUE(reply.response.has_value()) << reply.error->ToString();
  EXPECT_EQ(reply.response->content, "hi");
  EXPECT_EQ(reply.response->usage->total(), 6);
  EXPECT_EQ(reply.headers.Get("x-ratelimit-remaining-requests"), "98");
  EXPECT_EQ(seen, "");
  EXPECT_FALSE(reply.delta_delivered);
}

// A bare `data:` line (no payload) inside a stream is skipped, not a broken chunk.
TEST_F(ProviderClientTest, ABareDataLineInAStreamIsIgnored) {
  transport_.Push({.chunks = {"data:\n\n", ContentChunk("Hel"), "data: \n\n", ContentChunk("lo"),
                              "data:\ndata:\n\n", "data: [DONE]\n\n"}});
  DeltaCallback on_delta = [](const ChatDelta&) {};
  ProviderClient client(Provider("groq", "https://g/v1"), transport_, clock_);
  ProviderReply reply = client.Send(Request(), &key_, &on_delta).value();
  ASSERT_TRUE(reply.response.has_value()) << reply.error->ToString();
  EXPECT_EQ(reply.response->content, "Hello");
}

// Progress reports are throttled per call (the fake clock stands still: one report for
// many chunks) and end with a report marked done.
TEST_F(ProviderClientTest, ReceiveProgressIsThrottledAndEndsWithDone) {
  transport_.Push({.chunks = {ContentChunk("Hel"), ContentChunk("lo"), ContentChunk(" you"),
                              "data: [DONE]\n\n"}});
  std::vector<ReceiveProgress> reports;
  ProviderClient client(Provider("groq", "https://g/v1"), transport_, clock_,
                        {.on_receive = [&](const ReceiveProgress& p) { reports.push_back(p); }});
  ASSERT_TRUE(client.Send(Request(), &key_, nullptr).value().response.has_value());
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].chars, 3);
  EXPECT_FALSE(reports[0].done);
  EXPECT_EQ(reports[1].chars, 9);
  EXPECT_TRUE(reports[1].done);
  EXPECT_EQ(reports[0].call, reports[1].call);
  EXPECT_EQ(reports[1].provider, "groq");
}

// A delta callback that throws fails the call; the exception goes no further.
TEST_F(ProviderClientTest, AThrowingDeltaCallbackFailsTheCall) {
  transport_.Push({.chunks = {ContentChunk("a"), "data: [DONE]\n\n"}});
  DeltaCallback on_delta = [](const ChatDelta&) { throw std::runtime_error("sink full"); };
  ProviderClient client(Provider("groq", "https://g/v1"), transport_, clock_);
  ProviderReply reply = client.Send(Request(), &key_, &on_delta).value();
  EXPECT_FALSE(reply.response.has_value());
  ASSERT_TRUE(reply.error.has_value());
  EXPECT_EQ(reply.error->code, ErrorCode::kInternal);
  EXPECT_NE(reply.error->message.find("sink full"), std::string::npos);
}

TEST_F(ProviderClientTest, TransportErrorAfterADeltaKeepsDeltaDelivered) {
  transport_.Push({.chunks = {ContentChunk("Par"), ContentChunk("tial")},
                   .error = Error{ErrorCode::kUnavailable, "connection reset by peer"}});
  DeltaCallback on_delta = [](const ChatDelta&) {};
  ProviderClient client(Provider("groq", "https://g/v1"), transport_, clock_);
  ProviderReply reply = client.Send(Request(), &key_, &on_delta).value();
  EXPECT_FALSE(reply.response.has_value());
  ASSERT_TRUE(reply.error.has_value());
  EXPECT_EQ(reply.error->code, ErrorCode::kUnavailable);
  EXPECT_EQ(reply.error->message, "connection reset by peer");
  EXPECT_TRUE(reply.delta_delivered);

  transport_.PushError(ErrorCode::kDeadlineExceeded, "timed out");
  ProviderReply early = client.Send(Request(), &key_, &on_delta).value();
  EXPECT_EQ(early.error->code, ErrorCode::kDeadlineExceeded);
  EXPECT_EQ(early.http_status, 0);
  EXPECT_FALSE(early.delta_delivered);
}

TEST_F(ProviderClientTest, CutStreamAndMidStreamErrorAbortTheTransfer) {
  transport_.Push({.chunks = {ContentChunk("a")}});  // clean close, no [DONE]
  DeltaCallback on_delta = [](const ChatDelta&) {};
  ProviderClient client(Provider("openrouter", "https://o/api/v1"), transport_, clock_);
  ProviderReply cut = client.Send(Request(), &key_, &on_delta).value();
  EXPECT_EQ(cut.http_status, 200);
  EXPECT_EQ(cut.error->code, ErrorCode::kUnavailable);
  EXPECT_EQ(cut.error->message, "stream ended without [DONE]");
  EXPECT_TRUE(cut.delta_delivered);

  transport_.Push({.chunks = {Data(R"({"error":{"code":502,"message":"upstream died"}})"),
                              ContentChunk("never"), "data: [DONE]\n\n"}});
  std::string seen;
  DeltaCallback collect = [&](const ChatDelta& delta) { seen += delta.content; };
  ProviderReply failed = client.Send(Request(), &key_, &collect).value();
  EXPECT_EQ(failed.error->code, ErrorCode::kUnavailable);
  EXPECT_NE(failed.error->message.find("upstream died"), std::string::npos);
  EXPECT_EQ(seen, "");
  EXPECT_FALSE(failed.delta_delivered);
}

TEST_F(ProviderClientTest, StreamingRequestWithHttpErrorUsesTheBody) {
  transport_.PushBody(401, R"({"error":{"message":"Invalid API Key","code":"invalid_api_key"}})");
  DeltaCallback on_delta = [](const ChatDelta&) {};
  ProviderClient client(Provider("groq", "https://g/v1"), transport_, clock_);
  ProviderReply reply = client.Send(Request(), &key_, &on_delta).value();
  EXPECT_EQ(reply.http_status, 401);
  EXPECT_EQ(reply.error->code, ErrorCode::kUnauthenticated);
  EXPECT_NE(reply.error_body.find("invalid_api_key"), std::string::npos);
  EXPECT_FALSE(reply.delta_delivered);
}

TEST_F(ProviderClientTest, DeadlineShortensTheTimeoutOrFailsBeforeSending) {
  transport_.PushBody(200, kCompletion);
  ProviderClient client(Provider("groq", "https://g/v1"), transport_, clock_);
  ASSERT_TRUE(client.Send(Request(), &key_, nullptr, clock_.Now() + std::chrono::seconds(5)));
  EXPECT_EQ(transport_.requests().at(0).timeout, std::chrono::seconds(5));
  Result<ProviderReply> late = client.Send(Request(), &key_, nullptr, clock_.Now());
  ASSERT_FALSE(late.has_value());
  EXPECT_EQ(late.error().code, ErrorCode::kDeadlineExceeded);
  EXPECT_EQ(transport_.requests().size(), 1u);
}

TEST_F(ProviderClientTest, UnscriptedCallIsReportedClearly) {
  ProviderClient client(Provider("groq", "https://g/v1"), transport_, clock_);
  ProviderReply reply = client.Send(Request(), &key_, nullptr).value();
  ASSERT_TRUE(reply.error.has_value());
  EXPECT_EQ(reply.error->code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(reply.error->message,
            "FakeTransport: no scripted response for POST https://g/v1/chat/completions");
}

// The key text must not appear in anything the client returns, even when the provider
// echoes it back in a body, a header or a transport error.
TEST_F(ProviderClientTest, CanaryKeyAppearsNowhere) {
  const std::string canary = kCanary;
  net::Headers echo;
  echo.Add("x-echo", "key=" + canary);
  transport_.Push({.status = 401,
                   .headers = echo,
                   .body = R"({"error":{"message":"Incorrect API key provided: )" + canary +
                           R"(","code":"invalid_api_key"}})"});
  transport_.Push({.chunks = {ContentChunk("x")},
                   .error = Error{ErrorCode::kUnavailable, "reset while sending " + canary}});
  transport_.Push(
      {.chunks = {Data(R"({"error":{"code":"bad","message":"key )" + canary + R"("}})")}});
  transport_.PushBody(500, canary);
  DeltaCallback on_delta = [](const ChatDelta&) {};
  ProviderClient client(Provider("openrouter", "https://o/api/v1"), transport_, clock_);
  std::vector<ProviderReply> replies;
  replies.push_back(client.Send(Request(), &key_, nullptr).value());
  replies.push_back(client.Send(Request(), &key_, &on_delta).value());
  replies.push_back(client.Send(Request(), &key_, &on_delta).value());
  replies.push_back(client.Send(Request(), &key_, nullptr).value());
  for (const ProviderReply& reply : replies) {
    ASSERT_TRUE(reply.error.has_value());
    EXPECT_EQ(reply.error->ToString().find(canary), std::string::npos) << reply.error->ToString();
    EXPECT_EQ(reply.error_body.find(canary), std::string::npos);
    for (const auto& [name, value] : reply.headers.all()) {
      EXPECT_EQ(value.find(canary), std::string::npos) << name;
    }
  }
  EXPECT_NE(replies[0].error_body.find("[redacted]"), std::string::npos);
  // The failures that happen before sending do not quote the key either.
  ProviderClient groq(Provider("groq", "https://g/v1"), transport_, clock_);
  Result<ProviderReply> late = groq.Send(Request(), &key_, nullptr, clock_.Now());
  ASSERT_FALSE(late.has_value());
  EXPECT_EQ(late.error().ToString().find(canary), std::string::npos) << late.error().ToString();
  ChatRequest bad_tool = Request();
  bad_tool.tools.push_back({.name = "t", .parameters_json = "not json"});
  Result<ProviderReply> refused = groq.Send(bad_tool, &key_, nullptr);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().ToString().find(canary), std::string::npos)
      << refused.error().ToString();
  // The key went where it belongs: the Authorization header, and nowhere else.
  for (const net::HttpRequest& sent : transport_.requests()) {
    EXPECT_EQ(sent.body.find(canary), std::string::npos);
    EXPECT_EQ(sent.url.find(canary), std::string::npos);
  }
}

}  // namespace
}  // namespace hfs::llm
