// hfs/net/transport.h
//
// Transport sends one HTTP request and returns the response. All network access of HFS
// goes through it, so tests swap in a fake. With a body callback the 2xx body is handed
// over chunk by chunk as it arrives (for server-sent events) instead of being collected.
//
//   Result<HttpResponse> response = transport.Send(request);
//   Result<HttpResponse> streamed = transport.Send(request, [&](std::string_view chunk) {
//     parser.Feed(chunk, on_event);
//     return true;                            // false aborts the transfer
//   });
//
// Implementations are thread-safe. Failures: kUnavailable (connect, DNS, TLS, reset),
// kDeadlineExceeded (request timeout), kCancelled (the callback returned false),
// kInvalidArgument (a malformed URL). An HTTP error status is a response, not an Error.
#pragma once

#include <functional>
#include <string_view>

#include "hfs/base/error.h"
#include "hfs/net/http.h"

namespace hfs::net {

using BodyCallback = std::function<bool(std::string_view chunk)>;

class Transport {
 public:
  virtual ~Transport() = default;
  virtual Result<HttpResponse> Send(const HttpRequest& request,
                                    const BodyCallback& on_body = nullptr) = 0;
};

}  // namespace hfs::net
