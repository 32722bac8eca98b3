// tools/emulator/sse_test.cc
#include "tools/emulator/sse.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "tools/emulator/seeded.h"

namespace hfs::emulator {
namespace {

using nlohmann::json;

// A streaming client fed arbitrary byte slices, as a socket would deliver them.
class StreamReader {
 public:
  void Feed(std::string_view bytes) {
    buffer_ += bytes;
    size_t end;
    while ((end = buffer_.find("\n\n")) != std::string::npos) {
      Event(buffer_.substr(0, end));
      buffer_.erase(0, end + 2);
    }
  }
  std::string content;
  std::map<int, std::string> arguments;
  std::map<int, std::string> names;
  json usage;
  json x_groq_usage;
  std::string finish_reason;
  int comments = 0;
  bool done = false;
  bool usage_last = false;  // the usage chunk came right before [DONE]

 private:
  void Event(const std::string& event) {
    if (event.starts_with(":")) {
      ++comments;
      return;
    }
    ASSERT_TRUE(event.starts_with("data: ")) << event;
    const std::string data = event.substr(6);
    if (data == "[DONE]") {
      done = true;
      return;
    }
    const json chunk = json::parse(data);
    usage_last = chunk["choices"].empty();
    if (chunk.contains("usage") && !chunk["usage"].is_null()) usage = chunk["usage"];
    if (chunk.contains("x_groq")) x_groq_usage = chunk["x_groq"]["usage"];
    for (const auto& choice : chunk["choices"]) Choice(choice);
  }
  void Choice(const json& choice) {
    if (!choice["finish_reason"].is_null()) finish_reason = choice["finish_reason"];
    const json& delta = choice["delta"];
    if (delta.contains("content")) content += delta["content"].get<std::string>();
    for (const auto& call : delta.value("tool_calls", json::array())) {
      const int index = call["index"];
      if (call["function"].contains("name")) names[index] = call["function"]["name"];
      arguments[index] += call["function"]["arguments"].get<std::string>();
    }
  }
  std::string buffer_;
};

Completion Sample() {
  return Completion{
      .content = "Hello, wörld — a streamed answer with ünïcode and enough text.",
      .tool_calls = {{.id = "call_1",
                      .name = "propose",
                      .arguments = R"({"section":"hero","code":"<p>é</p>"})"},
                     {.id = "call_2", .name = "vote", .arguments = R"({"vote":"approve"})"}},
      .finish_reason = "tool_calls",
      .prompt_tokens = 11,
      .completion_tokens = 22};
}

StreamReader ReadInSlices(const std::vector<std::string>& events, uint64_t seed) {
  std::string wire;
  for (const auto& e : events) wire += e;
  StreamReader reader;
  size_t at = 0;
  uint64_t h = seed;
  while (at < wire.size()) {
    h = Mix(h);
    const size_t n = std::min(wire.size() - at, 1 + h % 9);
    reader.Feed(std::string_view(wire).substr(at, n));
    at += n;
  }
  return reader;
}

TEST(EmulatorSseTest, ReassemblesContentAndToolArgumentsFromArbitrarySlices) {
  const Completion completion = Sample();
  const auto events = SseEvents(completion, {.id = "c1", .model = "m"}, {.include_usage = true});
  EXPECT_GT(events.size(), 8u);  // really split across chunks
  for (uint64_t seed = 0; seed < 20; ++seed) {
    const StreamReader reader = ReadInSlices(events, seed);
    EXPECT_TRUE(reader.done);
    EXPECT_EQ(reader.content, completion.content);
    EXPECT_EQ(reader.arguments.at(0), completion.tool_calls[0].arguments);
    EXPECT_EQ(reader.arguments.at(1), completion.tool_calls[1].arguments);
    EXPECT_EQ(reader.names.at(1), "vote");
    EXPECT_EQ(reader.finish_reason, "tool_calls");
    EXPECT_TRUE(reader.usage_last);
    EXPECT_EQ(reader.usage["total_tokens"], 33);
  }
}

TEST(EmulatorSseTest, UsageChunkOnlyWhenAskedAndBeforeDone) {
  const auto events = SseEvents(Sample(), {.id = "c1", .model = "m"}, {.include_usage = true});
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events.back(), kSseDone);
  const json usage_chunk = json::parse(events[events.size() - 2].substr(6));
  EXPECT_TRUE(usage_chunk["choices"].empty());
  EXPECT_EQ(usage_chunk["usage"]["prompt_tokens"], 11);
  EXPECT_TRUE(json::parse(events[0].substr(6))["usage"].is_null());
  const auto without = SseEvents(Sample(), {.id = "c1", .model = "m"}, {});
  for (const auto& e : without) EXPECT_EQ(e.find("\"usage\""), std::string::npos) << e;
}

TEST(EmulatorSseTest, OpenRouterCommentsAndGroqUsage) {
  const auto openrouter =
      SseEvents(Sample(), {.id = "c", .model = "m", .personality = Personality::kOpenRouter}, {});
  EXPECT_EQ(openrouter.front(), kOpenRouterComment);
  const StreamReader reader = ReadInSlices(openrouter, 3);
  EXPECT_EQ(reader.comments, 2);
  EXPECT_EQ(reader.content, Sample().content);
  const auto groq =
      SseEvents(Sample(), {.id = "c", .model = "m", .personality = Personality::kGroq}, {});
  const StreamReader groq_reader = ReadInSlices(groq, 4);
  EXPECT_EQ(groq_reader.x_groq_usage["completion_tokens"], 22);
  EXPECT_TRUE(groq_reader.usage.is_null());
}

TEST(EmulatorSseTest, SplitNeverCutsACharacter) {
  const std::string text = "aé€😀b";
  for (size_t bytes = 1; bytes < 6; ++bytes) {
    std::string joined;
    for (const auto& piece : SplitUtf8(text, bytes)) {
      EXPECT_NO_THROW((void)json(piece).dump()) << bytes;
      joined += piece;
    }
    EXPECT_EQ(joined, text);
  }
}

}  // namespace
}  // namespace hfs::emulator
