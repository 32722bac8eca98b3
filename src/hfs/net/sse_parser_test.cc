#include "hfs/net/sse_parser.h"

#include <gtest/gtest.h>

#include <vector>

namespace hfs::net {
namespace {

std::vector<SseEvent> ParseInChunks(std::string_view stream, size_t chunk_size) {
  SseParser parser;
  std::vector<SseEvent> events;
  auto collect = [&](const SseEvent& event) { events.push_back(event); };
  for (size_t i = 0; i < stream.size(); i += chunk_size) {
    parser.Feed(stream.substr(i, chunk_size), collect);
  }
  parser.Finish(collect);
  return events;
}

constexpr std::string_view kStream =
    ": OPENROUTER PROCESSING\r\n\r\n"
    "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\r\n\r\n"
    "data: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}\n\n"
    "event: error\r"
    "data: first\r"
    "data:second\r\r"
    "id: 7\n"
    "data: [DONE]\n\n";

TEST(SseParserTest, EveryChunkingGivesTheSameEvents) {
  std::vector<SseEvent> whole = ParseInChunks(kStream, kStream.size());
  ASSERT_EQ(whole.size(), 4u);
  EXPECT_EQ(whole[0].data, "{\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}");
  EXPECT_EQ(whole[2].event, "error");
  EXPECT_EQ(whole[2].data, "first\nsecond");
  EXPECT_EQ(whole[3].data, "[DONE]");
  EXPECT_EQ(whole[3].id, "7");
  for (size_t chunk = 1; chunk < 12; ++chunk) {
    std::vector<SseEvent> split = ParseInChunks(kStream, chunk);
    ASSERT_EQ(split.size(), whole.size()) << "chunk size " << chunk;
    for (size_t i = 0; i < whole.size(); ++i) {
      EXPECT_EQ(split[i].data, whole[i].data) << "chunk size " << chunk;
      EXPECT_EQ(split[i].event, whole[i].event);
    }
  }
}

TEST(SseParserTest, CommentsAreCountedNotDispatched) {
  SseParser parser;
  int events = 0;
  parser.Feed(": keep-alive\n\n: again\n\n", [&](const SseEvent&) { ++events; });
  EXPECT_EQ(events, 0);
  EXPECT_EQ(parser.comment_count(), 2);
}

TEST(SseParserTest, FinishDispatchesAnUnterminatedEvent) {
  std::vector<SseEvent> events = ParseInChunks("data: {\"partial\":true}", 5);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "{\"partial\":true}");
  EXPECT_TRUE(ParseInChunks("event: ping\n\n", 3).empty());
}

// A bare `data:` line (a keep-alive some servers send) makes no event, also at the end.
TEST(SseParserTest, ABareDataLineMakesNoEvent) {
  std::vector<SseEvent> events =
      ParseInChunks("data:\n\ndata: {\"n\":1}\n\ndata:\n\ndata: [DONE]\n\ndata:", 3);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].data, "{\"n\":1}");
  EXPECT_EQ(events[1].data, "[DONE]");
}

}  // namespace
}  // namespace hfs::net
