// tools/emulator/server_test.cc
//
// Integration: a real Server on 127.0.0.1 (ephemeral port) driven by httplib's client.
#include "tools/emulator/server.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <vector>

namespace hfs::emulator {
namespace {

using nlohmann::json;

const std::string kBody =
    R"({"model": "llama-3.1-8b-instant", "messages": [{"role": "user", "content": "hello"}]})";

class EmulatorServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EmulatorOptions options = DefaultOptions();
    for (ProviderOptions& provider : options.providers) {
      provider.default_limits = {{.kind = LimitKind::kRequests, .limit = 2, .window_seconds = 60}};
    }
    emulator_ = std::make_unique<Emulator>(options, clock_);
    server_ = std::make_unique<Server>(*emulator_, 8);
    auto port = server_->Start("127.0.0.1", 0);
    ASSERT_TRUE(port.has_value()) << port.error().ToString();
    port_ = *port;
    client_ = std::make_unique<httplib::Client>("127.0.0.1", *port);
    client_->set_read_timeout(5, 0);
  }
  void TearDown() override { server_->Stop(); }

  httplib::Result Post(const std::string& path, const std::string& key, const std::string& body) {
    return client_->Post(path, {{"Authorization", "Bearer " + key}}, body, "application/json");
  }

  SystemClock clock_;
  int port_ = 0;
  std::unique_ptr<Emulator> emulator_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(EmulatorServerTest, AuthSuccessRateLimitAndStatsOverHttp) {
  const std::string path = "/groq/openai/v1/chat/completions";
  auto unauthorized = Post(path, "wrong", kBody);
  ASSERT_TRUE(unauthorized);
  EXPECT_EQ(unauthorized->status, 401);
  EXPECT_EQ(json::parse(unauthorized->body)["error"]["code"], "invalid_api_key");

  auto ok = Post(path, "emu-groq-1", kBody);
  ASSERT_TRUE(ok);
  ASSERT_EQ(ok->status, 200) << ok->body;
  const json body = json::parse(ok->body);
  EXPECT_GT(body["usage"]["total_tokens"].get<int>(), 0);
  EXPECT_EQ(ok->get_header_value("x-ratelimit-limit-requests"), "2");
  EXPECT_EQ(ok->get_header_value("x-ratelimit-remaining-requests"), "1");

  ASSERT_EQ(Post(path, "emu-groq-1", kBody)->status, 200);
  auto limited = Post(path, "emu-groq-1", kBody);
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->status, 429);
  EXPECT_EQ(limited->get_header_value("x-ratelimit-remaining-requests"), "0");
  EXPECT_FALSE(limited->get_header_value("retry-after").empty());
  EXPECT_NE(limited->body.find("Please try again in"), std::string::npos);

  auto stats = client_->Get("/_emulator/stats");
  ASSERT_TRUE(stats);
  const json counts = json::parse(stats->body);
  EXPECT_EQ(counts["keys"]["emu-groq-1"]["accepted"], 2);
  EXPECT_EQ(counts["keys"]["emu-groq-1"]["rate_limited"], 1);
  EXPECT_EQ(counts["total"]["errors"], 1);  // the 401
  EXPECT_EQ(counts["total"]["total_tokens"], 2 * body["usage"]["total_tokens"].get<int>());

  ASSERT_EQ(client_->Post("/_emulator/reset")->status, 200);
  EXPECT_EQ(Post(path, "emu-groq-1", kBody)->status, 200);
}

// `curl -XPOST http://.../_emulator/reset`, as docs/emulator.md shows it: a POST with no
// body and no Content-Length header.
TEST_F(EmulatorServerTest, ResetWithoutABodyResets) {
  const std::string path = "/groq/openai/v1/chat/completions";
  ASSERT_EQ(Post(path, "emu-groq-1", kBody)->status, 200);
  ASSERT_EQ(Post(path, "emu-groq-1", kBody)->status, 200);
  ASSERT_EQ(Post(path, "emu-groq-1", kBody)->status, 429);

  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  timeval timeout{.tv_sec = 5, .tv_usec = 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port_));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  const std::string request =
      "POST /_emulator/reset HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  ASSERT_EQ(::send(fd, request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
  std::string reply;
  char buffer[1024];
  for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) reply.append(buffer, n);
  ::close(fd);
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 200")) << reply;
  EXPECT_NE(reply.find("\"reset\":true"), std::string::npos) << reply;
  // The rate windows were cleared: the key is admitted again.
  EXPECT_EQ(Post(path, "emu-groq-1", kBody)->status, 200);
}

TEST_F(EmulatorServerTest, GeminiPrefixModelsAndStreaming) {
  auto models = client_->Get("/gemini/v1beta/openai/models",
                             httplib::Headers{{"Authorization", "Bearer emu-gemini-1"}});
  ASSERT_TRUE(models);
  EXPECT_EQ(models->status, 200);
  auto unauthorized = Post("/gemini/v1beta/openai/chat/completions", "emu-groq-1", kBody);
  ASSERT_TRUE(unauthorized);
  EXPECT_EQ(unauthorized->status, 401);
  EXPECT_TRUE(json::parse(unauthorized->body).is_array());

  const std::string stream_body =
      R"({"model": "m", "stream": true, "stream_options": {"include_usage": true},
          "messages": [{"role": "user", "content": "tell me something long enough to split"}]})";
  std::string received;
  auto streamed = client_->Post("/cerebras/v1/chat/completions",
                                httplib::Headers{{"Authorization", "Bearer emu-cerebras-2"}},
                                stream_body, "application/json");
  ASSERT_TRUE(streamed);
  EXPECT_EQ(streamed->status, 200);
  EXPECT_EQ(streamed->get_header_value("Content-Type"), "text/event-stream");
  EXPECT_NE(streamed->body.find("\"object\":\"chat.completion.chunk\""), std::string::npos);
  EXPECT_TRUE(streamed->body.ends_with("data: [DONE]\n\n"));
  EXPECT_FALSE(streamed->get_header_value("x-ratelimit-limit-requests-day").empty());
}

// On a kept-alive connection a small reply arrives at once: without TCP_NODELAY its body
// would wait for the client's delayed ACK of the headers (about 40 ms on Linux). And it is
// not compressed, even when the client accepts br (httplib's brotli costs ~1 ms a reply).
TEST_F(EmulatorServerTest, RepliesAreUncompressedAndPromptOnAKeptAliveConnection) {
  client_->set_keep_alive(true);
  client_->set_tcp_nodelay(true);  // libcurl's default: the request leaves at once
  client_->set_decompress(false);
  std::vector<std::chrono::steady_clock::duration> took;
  for (int i = 0; i < 20; ++i) {
    const auto start = std::chrono::steady_clock::now();
    auto reply = client_->Post("/groq/openai/v1/chat/completions",
                               {{"Authorization", "Bearer emu-groq-" + std::to_string(1 + i % 8)},
                                {"Accept-Encoding", "deflate, gzip, br, zstd"}},
                               kBody, "application/json");
    took.push_back(std::chrono::steady_clock::now() - start);
    ASSERT_TRUE(reply);
    EXPECT_FALSE(reply->has_header("Content-Encoding"))
        << reply->get_header_value("Content-Encoding");
    EXPECT_TRUE(reply->get_header_value("Content-Type").starts_with("application/json"));
    EXPECT_TRUE(json::parse(reply->body).is_object());
  }
  std::sort(took.begin(), took.end());
  EXPECT_LT(took[took.size() / 2], std::chrono::milliseconds(20));
  client_->stop();  // closes the kept-alive connection, so Stop need not wait it out
}

// Tests elsewhere replay one realism behaviour at a time through a real HTTP client.
TEST_F(EmulatorServerTest, RealismHeaderForcesOneBehaviourOverHttp) {
  const std::string body = R"({"model": "m", "messages": [{"role": "user", "content": "plan"}],
      "response_format": {"type": "json_schema", "json_schema": {"name": "plan",
      "schema": {"type": "object", "required": ["title"],
                 "properties": {"title": {"type": "string"}}}}}})";
  auto fenced = client_->Post(
      "/v1/chat/completions",
      {{"Authorization", "Bearer emu-plain-1"}, {"X-Emulator-Realism", "fenced_json"}}, body,
      "application/json");
  ASSERT_TRUE(fenced);
  ASSERT_EQ(fenced->status, 200) << fenced->body;
  EXPECT_EQ(fenced->get_header_value("x-emulator-realism"), "fenced_json");
  const std::string content = json::parse(fenced->body)["choices"][0]["message"]["content"];
  EXPECT_FALSE(json::accept(content)) << content;
  auto unknown =
      client_->Post("/v1/chat/completions",
                    {{"Authorization", "Bearer emu-plain-1"}, {"X-Emulator-Realism", "fenced"}},
                    body, "application/json");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 400);
  const json stats = json::parse(client_->Get("/_emulator/stats")->body);
  EXPECT_EQ(stats["providers"]["plain"]["realism"]["fenced_json"], 1);
}

TEST_F(EmulatorServerTest, UnknownRouteIs404AndStopIsClean) {
  auto missing = client_->Get("/nowhere");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  server_->Stop();
  server_->Stop();  // idempotent
  EXPECT_FALSE(client_->Get("/_emulator/stats"));
}

}  // namespace
}  // namespace hfs::emulator
