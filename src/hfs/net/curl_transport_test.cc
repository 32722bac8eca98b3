// CurlTransport against a real HTTP server on 127.0.0.1 (cpp-httplib, in this process).
#include "hfs/net/curl_transport.h"

#include <curl/curl.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <stdexcept>
#include <thread>

#include "hfs/net/sse_parser.h"

namespace hfs::net {
namespace {

class CurlTransportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { curl_global_init(CURL_GLOBAL_DEFAULT); }

  void SetUp() override {
    server_.Post("/echo", [](const httplib::Request& request, httplib::Response& response) {
      response.set_header("X-RateLimit-Remaining", "7");
      response.set_content(request.body + "|" + request.get_header_value("Authorization"),
                           "text/plain");
    });
    server_.Get("/limited", [](const httplib::Request&, httplib::Response& response) {
      response.status = 429;
      response.set_header("retry-after", "3");
      response.set_content("{\"error\":\"slow down\"}", "application/json");
    });
    server_.Get("/slow", [](const httplib::Request&, httplib::Response& response) {
      std::this_thread::sleep_for(std::chrono::milliseconds(600));
      response.set_content("late", "text/plain");
    });
    server_.Get("/events", [](const httplib::Request&, httplib::Response& response) {
      response.set_header("x-ratelimit-remaining-requests", "41");
      response.set_chunked_content_provider(
          "text/event-stream", [](size_t, httplib::DataSink& sink) {
            for (int i = 0; i < 5; ++i) {
              std::string event = "data: {\"n\":" + std::to_string(i) + "}\n\n";
              sink.write(event.data(), event.size());
            }
            sink.write("data: [DONE]\n\n", 14);
            sink.done();
            return true;
          });
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }

  void TearDown() override {
    transport_.reset();  // closes kept-alive connections, so the server stops at once
    server_.stop();
    thread_.join();
  }

  std::string Url(std::string_view path) {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::unique_ptr<CurlTransport> transport_ = std::make_unique<CurlTransport>();
};

TEST_F(CurlTransportTest, PostsBodyAndHeadersAndReadsResponse) {
  HttpRequest request{.method = "POST", .url = Url("/echo"), .body = "{\"q\":1}"};
  request.headers.Add("Authorization", "Bearer k");
  for (int i = 0; i < 3; ++i) {  // the pooled handle is reused
    Result<HttpResponse> response = transport_->Send(request);
    ASSERT_TRUE(response.has_value()) << response.error().ToString();
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "{\"q\":1}|Bearer k");
    EXPECT_EQ(response->headers.Get("x-ratelimit-remaining"), "7");
  }
}

TEST_F(CurlTransportTest, ErrorStatusIsAResponse) {
  Result<HttpResponse> response = transport_->Send({.url = Url("/limited")});
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 429);
  EXPECT_EQ(response->headers.Get("Retry-After"), "3");
  EXPECT_EQ(response->body, "{\"error\":\"slow down\"}");
}

TEST_F(CurlTransportTest, TimeoutIsDeadlineExceeded) {
  Result<HttpResponse> response =
      transport_->Send({.url = Url("/slow"), .timeout = std::chrono::milliseconds(100)});
  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().code, ErrorCode::kDeadlineExceeded);
}

TEST_F(CurlTransportTest, ATimeoutUnderAMillisecondStillEnds) {
  Result<HttpResponse> response =
      transport_->Send({.url = Url("/slow"), .timeout = std::chrono::microseconds(300)});
  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().code, ErrorCode::kDeadlineExceeded);
}

TEST_F(CurlTransportTest, ConnectionRefusedIsUnavailable) {
  Result<HttpResponse> response = transport_->Send({.url = "http://127.0.0.1:1/nothing"});
  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
}

TEST_F(CurlTransportTest, StreamsBodyChunksToTheCallback) {
  SseParser parser;
  std::vector<std::string> data;
  Result<HttpResponse> response =
      transport_->Send({.url = Url("/events")}, [&](std::string_view c) {
        parser.Feed(c, [&](const SseEvent& event) { data.push_back(event.data); });
        return true;
      });
  ASSERT_TRUE(response.has_value()) << response.error().ToString();
  EXPECT_EQ(response->status, 200);
  EXPECT_TRUE(response->body.empty());
  ASSERT_EQ(data.size(), 6u);
  EXPECT_EQ(data[4], "{\"n\":4}");
  EXPECT_EQ(data[5], "[DONE]");
}

// A reader that stops (a stream's error event) still learns the status and the headers,
// where the rate-limit headers of a streamed reply are.
TEST_F(CurlTransportTest, CallbackCanStopTheTransferAndKeepsStatusAndHeaders) {
  Result<HttpResponse> response =
      transport_->Send({.url = Url("/events")}, [](std::string_view) { return false; });
  ASSERT_TRUE(response.has_value()) << response.error().ToString();
  EXPECT_TRUE(response->stopped_by_reader);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->headers.Get("x-ratelimit-remaining-requests"), "41");
}

TEST_F(CurlTransportTest, AnExceptionFromTheCallbackStopsTheTransferAndFails) {
  Result<HttpResponse> response = transport_->Send(
      {.url = Url("/events")},
      [](std::string_view) -> bool { throw std::runtime_error("the reader broke"); });
  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().code, ErrorCode::kInternal);
  EXPECT_NE(response.error().message.find("the reader broke"), std::string::npos);
  // The handle went back to the pool in a usable state.
  Result<HttpResponse> next = transport_->Send({.url = Url("/events")});
  ASSERT_TRUE(next.has_value()) << next.error().ToString();
  EXPECT_EQ(next->status, 200);
}

}  // namespace
}  // namespace hfs::net
