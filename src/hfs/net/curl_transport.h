// hfs/net/curl_transport.h
//
// CurlTransport: Transport over libcurl. Easy handles are pooled so connections (and TLS
// sessions) are reused across calls; TLS peers are verified; the proxy variables
// (https_proxy, no_proxy, ...) are honoured as libcurl does by default. The request's
// connect and whole-exchange timeouts are libcurl's own; its first-byte and idle timeouts
// are checked in libcurl's progress callback (about once a second while idle), so they
// may fire up to a second late.
//
//   CurlTransport transport;                   // the first one initialises libcurl
//   Result<HttpResponse> response = transport.Send(request);
//
// Thread-safe: concurrent Sends use different handles.
#pragma once

#include <vector>

#include "hfs/base/mutex.h"
#include "hfs/net/transport.h"

namespace hfs::net {

class CurlTransport final : public Transport {
 public:
  CurlTransport();
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  Result<HttpResponse> Send(const HttpRequest& request,
                            const BodyCallback& on_body = nullptr) override;

 private:
  void* TakeHandle();
  void ReturnHandle(void* handle);

  Mutex mu_;
  std::vector<void*> idle_ HFS_GUARDED_BY(mu_);
};

}  // namespace hfs::net
