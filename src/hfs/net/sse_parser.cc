#include "hfs/net/sse_parser.h"

namespace hfs::net {

void SseParser::Feed(std::string_view chunk, const EventCallback& on_event) {
  for (char c : chunk) {
    if (skip_lf_) {
      skip_lf_ = false;
      if (c == '\n') continue;
    }
    if (c == '\r' || c == '\n') {
      skip_lf_ = c == '\r';
      Line(line_, on_event);
      line_.clear();
    } else {
      line_.push_back(c);
    }
  }
}

void SseParser::Finish(const EventCallback& on_event) {
  if (!line_.empty()) {
    Line(line_, on_event);
    line_.clear();
  }
  if (has_data_) Dispatch(on_event);
}

void SseParser::Line(std::string_view line, const EventCallback& on_event) {
  if (line.empty()) {
    Dispatch(on_event);
    return;
  }
  if (line.front() == ':') {
    ++comment_count_;
    return;
  }
  size_t colon = line.find(':');
  std::string_view field = line.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? "" : line.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (field == "data") {
    if (has_data_) pending_.data.push_back('\n');
    pending_.data.append(value);
    has_data_ = true;
  } else if (field == "event") {
    pending_.event = value;
  } else if (field == "id") {
    pending_.id = value;
  }
}

void SseParser::Dispatch(const EventCallback& on_event) {
  // An event whose data is empty (a bare `data:` line) is not dispatched (WHATWG).
  if (has_data_ && !pending_.data.empty()) on_event(pending_);
  pending_ = SseEvent{};
  has_data_ = false;
}

}  // namespace hfs::net
