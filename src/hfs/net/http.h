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
};

struct HttpResponse {
  int status = 0;
  Headers headers;
  // The body; with a streaming callback only for non-2xx responses.
  std::string body;
};

}  // namespace hfs::net
