// hfs/net/http.h
//
// Plain HTTP request and response values, and Headers with case-insensitive lookup
// (providers vary the case: `X-RateLimit-Reset` and `x-ratelimit-reset`).
//
//   HttpRequest request{.method = "POST", .url = base + "/chat/completions", .body = json};
//   request.headers.Add("Content-Type", "application/json");
//   std::optional<std::string_view> retry = response.headers.Get("retry-after");
//
// Thread-compatible value types.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hfs/base/clock.h"

namespace hfs::net {

class Headers {
 public:
  void Add(std::string name, std::string value);
  // The first value of `name`, compared without regard to case.
  std::optional<std::string_view> Get(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& all() const { return entries_; }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string body;
  // The whole exchange, connection included, must end within this time.
  Duration timeout = std::chrono::seconds(120);
  // Zero means no bound of its own (the whole-exchange timeout still applies).
  // The connection (TLS included) must be up within connect_timeout, the first byte of
  // the body must arrive within first_byte_timeout of the start, and once the body has
  // started no more than idle_timeout may pass without a byte.
  Duration connect_timeout{0};
  Duration first_byte_timeout{0};
  Duration idle_timeout{0};
};

struct HttpResponse {
  int status = 0;
  Headers headers;
  // The body; with a streaming callback only for non-2xx responses.
  std::string body;
  // True when the body callback returned false and the transfer stopped there.
  bool stopped_by_reader = false;
};

}  // namespace hfs::net
