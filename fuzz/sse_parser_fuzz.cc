// Fuzz target for the server-sent events parser (hfs/net/sse_parser.h): any bytes parse
// without crashing; the events do not depend on how the stream is cut into chunks (whole,
// byte by byte, or at two cut points taken from the input); no event field holds a line
// break other than the "\n" that joins data lines; and the events written back as an
// event stream parse to the same events.
//
//   build-fuzz/fuzz/sse_parser_fuzz fuzz/corpus/sse_parser   (libFuzzer)
//   build/fuzz/sse_parser_fuzz_regression fuzz/corpus/sse_parser
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hfs/net/sse_parser.h"

namespace hfs::net {
namespace {

void Check(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "sse_parser_fuzz: %s\n", what);
  std::abort();
}

struct Parsed {
  std::vector<SseEvent> events;
  int comments = 0;
};

bool Same(const std::vector<SseEvent>& a, const std::vector<SseEvent>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].event != b[i].event || a[i].data != b[i].data || a[i].id != b[i].id) return false;
  }
  return true;
}

Parsed ParseChunks(const std::vector<std::string_view>& chunks) {
  Parsed parsed;
  SseParser parser;
  auto collect = [&](const SseEvent& event) { parsed.events.push_back(event); };
  for (std::string_view chunk : chunks) parser.Feed(chunk, collect);
  parser.Finish(collect);
  parsed.comments = parser.comment_count();
  return parsed;
}

// The events as an event stream: event and id lines when set, one data line per line.
std::string Render(const std::vector<SseEvent>& events) {
  std::string out;
  for (const SseEvent& event : events) {
    if (!event.event.empty()) out += "event: " + event.event + "\n";
    if (!event.id.empty()) out += "id: " + event.id + "\n";
    size_t start = 0;
    while (true) {
      size_t end = event.data.find('\n', start);
      out += "data: " + event.data.substr(start, end - start) + "\n";
      if (end == std::string::npos) break;
      start = end + 1;
    }
    out += "\n";
  }
  return out;
}

void CheckStream(std::string_view cuts, std::string_view stream) {
  Parsed whole = ParseChunks({stream});
  for (const SseEvent& event : whole.events) {
    Check(event.event.find_first_of("\r\n") == std::string::npos, "event type has a line break");
    Check(event.id.find_first_of("\r\n") == std::string::npos, "id has a line break");
    Check(event.data.find('\r') == std::string::npos, "data has a carriage return");
  }

  std::vector<std::string_view> bytes;
  for (size_t i = 0; i < stream.size(); ++i) bytes.push_back(stream.substr(i, 1));
  Parsed by_byte = ParseChunks(bytes);
  Check(Same(by_byte.events, whole.events), "byte-by-byte feeding gave other events");
  Check(by_byte.comments == whole.comments, "byte-by-byte feeding counted other comments");

  size_t first = stream.empty() ? 0 : static_cast<unsigned char>(cuts[0]) % (stream.size() + 1);
  size_t second = stream.empty() ? 0 : static_cast<unsigned char>(cuts[1]) % (stream.size() + 1);
  if (second < first) std::swap(first, second);
  Parsed cut = ParseChunks(
      {stream.substr(0, first), stream.substr(first, second - first), stream.substr(second)});
  Check(Same(cut.events, whole.events), "feeding in three chunks gave other events");

  Check(Same(ParseChunks({Render(whole.events)}).events, whole.events),
        "the events written back parse differently");
}

}  // namespace
}  // namespace hfs::net

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The first two bytes choose the cut points; the rest is the stream.
  if (size < 2 || size > 16 * 1024) return 0;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  hfs::net::CheckStream(input.substr(0, 2), input.substr(2));
  return 0;
}
