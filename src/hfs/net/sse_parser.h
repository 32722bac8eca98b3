// hfs/net/sse_parser.h
//
// SseParser turns a text/event-stream body, fed in chunks of any size, into events, as
// the WHATWG server-sent events rules say: lines end in LF, CRLF or CR (also when the
// CR and LF arrive in different chunks); `data:` lines of one event are joined with
// "\n"; a blank line ends the event, which is dispatched unless its data is empty (a bare
// `data:` line, which some servers send as a keep-alive); lines starting with ':' are comments
// (OpenRouter's
// ": OPENROUTER PROCESSING" keep-alives) and are reported separately; `event:` and `id:`
// are kept; other fields are ignored.
//
//   SseParser parser;
//   parser.Feed(chunk, [&](const SseEvent& event) { if (event.data == "[DONE]") ...; });
//   parser.Finish(on_event);          // a final event not followed by a blank line
//
// Thread-compatible.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace hfs::net {

struct SseEvent {
  std::string event;  // "" when no event: field (the default type, "message")
  std::string data;
  std::string id;
};

class SseParser {
 public:
  using EventCallback = std::function<void(const SseEvent&)>;

  // Calls on_event for every event completed by `chunk`.
  void Feed(std::string_view chunk, const EventCallback& on_event);
  // Ends the stream: dispatches a pending event that had data but no closing blank line.
  void Finish(const EventCallback& on_event);

  // Comment lines seen so far (without the leading ':').
  int comment_count() const { return comment_count_; }

 private:
  void Line(std::string_view line, const EventCallback& on_event);
  void Dispatch(const EventCallback& on_event);

  std::string line_;
  bool skip_lf_ = false;  // the previous chunk ended in CR
  SseEvent pending_;
  bool has_data_ = false;
  int comment_count_ = 0;
};

}  // namespace hfs::net
