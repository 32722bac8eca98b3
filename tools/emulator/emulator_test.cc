// tools/emulator/emulator_test.cc
#include "tools/emulator/emulator.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "hfs/testing/fake_clock.h"

namespace hfs::emulator {
namespace {

using nlohmann::json;

std::string Header(const Reply& reply, const std::string& name) {
  for (const auto& [key, value] : reply.headers) {
    if (key == name) return value;
  }
  return "<missing>";
}

EmulatorOptions Limited() {
  EmulatorOptions options = DefaultOptions();
  for (ProviderOptions& provider : options.providers) {
    provider.default_limits = {{.kind = LimitKind::kRequests, .limit = 2, .window_seconds = 60}};
  }
  ProviderOptions& groq = options.providers[1];
  groq.keys[6].scope = "shared";
  groq.keys[7].scope = "shared";
  groq.keys[5].revoked = true;
  return options;
}

const std::string kBody =
    R"({"model": "llama", "messages": [{"role": "user", "content": "hello there"}]})";

TEST(EmulatorCoreTest, AuthFailuresAndBadBodies) {
  testing::FakeClock clock;
  Emulator emulator(Limited(), clock);
  const ProviderOptions& groq = *emulator.FindProvider("/groq/openai/v1");
  EXPECT_EQ(emulator.Chat(groq, {.authorization = "Bearer nope", .body = kBody}).status, 401);
  EXPECT_EQ(emulator.Chat(groq, {.authorization = "emu-groq-1", .body = kBody}).status, 401);
  EXPECT_EQ(emulator.Chat(groq, {.authorization = "Bearer emu-cerebras-1", .body = kBody}).status,
            401);
  EXPECT_EQ(emulator.Chat(groq, {.authorization = "Bearer emu-groq-6", .body = kBody}).status, 403);
  EXPECT_EQ(emulator.Chat(groq, {.authorization = "Bearer emu-groq-1", .body = "{"}).status, 400);
  EXPECT_EQ(emulator.Chat(groq, {.authorization = "Bearer emu-groq-1", .body = "{}"}).status, 400);
  EXPECT_EQ(emulator.stats().Total().errors, 6);
  EXPECT_EQ(emulator.stats().Total().accepted, 0);
}

TEST(EmulatorCoreTest, SuccessThen429WithProviderHeadersAndStats) {
  testing::FakeClock clock;
  Emulator emulator(Limited(), clock);
  const ProviderOptions& groq = *emulator.FindProvider("/groq/openai/v1");
  const ChatInput input{.authorization = "Bearer emu-groq-1", .body = kBody};
  const Reply first = emulator.Chat(groq, input);
  ASSERT_EQ(first.status, 200) << first.body;
  const json body = json::parse(first.body);
  EXPECT_EQ(body["object"], "chat.completion");
  EXPECT_EQ(body["model"], "llama");
  EXPECT_GT(body["usage"]["prompt_tokens"].get<int>(), 0);
  EXPECT_EQ(body["usage"]["total_tokens"], body["usage"]["prompt_tokens"].get<int>() +
                                               body["usage"]["completion_tokens"].get<int>());
  EXPECT_TRUE(body.contains("x_groq"));
  EXPECT_EQ(Header(first, "x-ratelimit-remaining-requests"), "1");
  EXPECT_EQ(Header(first, "x-ratelimit-reset-requests"), "1m0s");
  EXPECT_EQ(emulator.Chat(groq, input).status, 200);
  clock.Advance(std::chrono::seconds(15));
  const Reply limited = emulator.Chat(groq, input);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(Header(limited, "retry-after"), "45");
  EXPECT_EQ(Header(limited, "x-ratelimit-remaining-requests"), "0");
  EXPECT_EQ(emulator.Chat(groq, {.authorization = "Bearer emu-groq-2", .body = kBody}).status, 200);
  const json stats = json::parse(emulator.StatsJson());
  EXPECT_EQ(stats["keys"]["emu-groq-1"]["accepted"], 2);
  EXPECT_EQ(stats["keys"]["emu-groq-1"]["rate_limited"], 1);
  EXPECT_EQ(stats["models"]["groq"]["llama"]["requests"], 4);
  EXPECT_EQ(stats["total"]["prompt_tokens"], 3 * body["usage"]["prompt_tokens"].get<int>());
  emulator.Reset();
  EXPECT_EQ(emulator.Chat(groq, input).status, 200);
  EXPECT_EQ(json::parse(emulator.StatsJson())["total"]["requests"], 1);
}

TEST(EmulatorCoreTest, KeysSharingAScopeShareTheWindow) {
  testing::FakeClock clock;
  Emulator emulator(Limited(), clock);
  const ProviderOptions& groq = *emulator.FindProvider("/groq/openai/v1");
  EXPECT_EQ(emulator.Chat(groq, {.authorization = "Bearer emu-groq-7", .body = kBody}).status, 200);
  EXPECT_EQ(emulator.Chat(groq, {.authorization = "Bearer emu-groq-8", .body = kBody}).status, 200);
  EXPECT_EQ(emulator.Chat(groq, {.authorization = "Bearer emu-groq-7", .body = kBody}).status, 429);
  EXPECT_EQ(json::parse(emulator.StatsJson())["scopes"]["groq"]["shared"]["rate_limited"], 1);
}

TEST(EmulatorCoreTest, StreamingReplyAndSteeringHeader) {
  testing::FakeClock clock;
  Emulator emulator(DefaultOptions(), clock);
  const ProviderOptions& openrouter = *emulator.FindProvider("/openrouter/api/v1");
  const std::string body =
      R"({"model": "x:free", "stream": true, "stream_options": {"include_usage": true},
          "messages": [{"role": "user", "content": "hi"}]})";
  const Reply reply = emulator.Chat(
      openrouter,
      {.authorization = "Bearer emu-openrouter-3", .behaviour = "concede", .body = body});
  ASSERT_EQ(reply.status, 200);
  ASSERT_TRUE(reply.streaming);
  EXPECT_EQ(reply.content_type, "text/event-stream");
  EXPECT_EQ(reply.events.front(), ": OPENROUTER PROCESSING\n\n");
  EXPECT_EQ(reply.events.back(), "data: [DONE]\n\n");
  std::string all;
  for (const auto& e : reply.events) all += e;
  EXPECT_NE(all.find("concede"), std::string::npos);
  EXPECT_NE(all.find("\"choices\":[]"), std::string::npos);
}

// stream_error ends a stream with OpenRouter's mid-stream error event and no [DONE];
// stream_stall sends part of the events and then stays silent; neither applies to a
// request that does not stream.
TEST(EmulatorCoreTest, StreamFaultsErrorEventAndStall) {
  testing::FakeClock clock;
  EmulatorOptions options = DefaultOptions();
  options.providers[1].faults.stream_error = 1;  // groq
  options.providers[0].faults.stream_stall = 1;  // cerebras
  Emulator emulator(options, clock);
  const std::string streamed =
      R"({"model": "llama", "stream": true, "messages": [{"role": "user", "content": "hi"}]})";
  const Reply failed = emulator.Chat(*emulator.FindProvider("/groq/openai/v1"),
                                     {.authorization = "Bearer emu-groq-1", .body = streamed});
  ASSERT_EQ(failed.status, 200);
  EXPECT_EQ(Header(failed, "x-emulator-fault"), "stream_error");
  ASSERT_FALSE(failed.events.empty());
  const std::string& last = failed.events.back();
  ASSERT_TRUE(last.starts_with("data: ")) << last;
  const json event = json::parse(last.substr(6));
  EXPECT_EQ(event["error"]["code"], 429);
  EXPECT_EQ(event["choices"][0]["finish_reason"], "error");
  for (const std::string& e : failed.events) EXPECT_NE(e, "data: [DONE]\n\n");

  const Reply stalled = emulator.Chat(*emulator.FindProvider("/cerebras/v1"),
                                      {.authorization = "Bearer emu-cerebras-1", .body = streamed});
  EXPECT_EQ(stalled.delivery, Delivery::kStall);
  EXPECT_EQ(Header(stalled, "x-emulator-fault"), "stream_stall");

  const Reply plain = emulator.Chat(*emulator.FindProvider("/groq/openai/v1"),
                                    {.authorization = "Bearer emu-groq-1", .body = kBody});
  EXPECT_EQ(Header(plain, "x-emulator-fault"), "<missing>");
  EXPECT_EQ(plain.delivery, Delivery::kNormal);
}

TEST(EmulatorCoreTest, LatencyIsFixedPlusPerTokenPlusSeededJitter) {
  testing::FakeClock clock;
  EmulatorOptions options = DefaultOptions();
  options.providers[4].latency = {.fixed_ms = 100, .per_token_ms = 2, .jitter_ms = 10};
  Emulator emulator(options, clock);
  const Reply reply = emulator.Chat(*emulator.FindProvider("/v1"),
                                    {.authorization = "Bearer emu-plain-1", .body = kBody});
  const int64_t tokens = json::parse(reply.body)["usage"]["completion_tokens"];
  const auto low = std::chrono::milliseconds(100 + 2 * tokens);
  EXPECT_GE(reply.first_byte_delay, low);
  EXPECT_LT(reply.first_byte_delay, low + std::chrono::milliseconds(10));
  const auto models = emulator.Models(*emulator.FindProvider("/v1"), "Bearer emu-plain-1");
  EXPECT_EQ(json::parse(models.body)["object"], "list");
}

}  // namespace
}  // namespace hfs::emulator
