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
// When the callback returns false the transfer stops and Send returns the response as far
// as it came (status and headers, stopped_by_reader set). An exception thrown by the
// callback never crosses the HTTP library: the transfer stops and Send fails.
//
// Implementations are thread-safe. Failures: kUnavailable (connect, DNS, TLS, reset),
// kDeadlineExceeded (a timeout of the request: whole exchange, connect, first byte or
// idle), kInternal (the callback threw), kInvalidArgument (a malformed URL). An HTTP
// error status is a response, not an Error.
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
