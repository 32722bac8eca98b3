// tools/emulator/reply.h
//
// Reply: one HTTP answer the emulator decided on, independent of the HTTP library, so
// the decision logic is tested without sockets. A streaming reply carries SSE events
// instead of a body; faults say how the server must misbehave while sending it.
//
//   Reply reply{.status = 429, .body = R"({"error":...})"};
//   reply.headers.push_back({"retry-after", "7"});
//
// Thread-compatible value type.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "hfs/base/clock.h"

namespace hfs::emulator {

using Header = std::pair<std::string, std::string>;

// How the server misbehaves while sending a reply (chosen by faults.h).
enum class Delivery {
  kNormal,
  kHang,   // send nothing until the client gives up (or the server stops)
  kReset,  // send part of the response, then drop the connection
  kStall,  // send part of the events, then nothing until the client gives up, then drop
};

struct Reply {
  int status = 200;
  std::vector<Header> headers;
  std::string content_type = "application/json";
  std::string body;
  // Non-empty for a streaming reply: each element is one full SSE event or comment,
  // e.g. "data: {...}\n\n" or ": OPENROUTER PROCESSING\n\n".
  std::vector<std::string> events;
  bool streaming = false;
  Delivery delivery = Delivery::kNormal;
  // Latency: waited before the first byte, and before each SSE event after the first.
  Duration first_byte_delay{0};
  Duration per_event_delay{0};
};

}  // namespace hfs::emulator
