#include "hfs/testing/fake_transport.h"

#include <utility>

namespace hfs::testing {

void FakeTransport::Push(ScriptedResponse response) {
  MutexLock lock(mu_);
  script_.push_back(std::move(response));
}

void FakeTransport::PushBody(int status, std::string body) {
  Push({.status = status, .body = std::move(body)});
}

void FakeTransport::PushError(ErrorCode code, std::string message) {
  Push({.error = Error{code, std::move(message)}});
}

Result<net::HttpResponse> FakeTransport::Send(const net::HttpRequest& request,
                                              const net::BodyCallback& on_body) {
  ScriptedResponse scripted;
  {
    MutexLock lock(mu_);
    requests_.push_back(request);
    if (script_.empty()) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "FakeTransport: no scripted response for " + request.method + " " + request.url);
    }
    scripted = std::move(script_.front());
    script_.pop_front();
  }
  std::vector<std::string> chunks = std::move(scripted.chunks);
  if (chunks.empty() && !scripted.body.empty()) chunks.push_back(std::move(scripted.body));
  net::HttpResponse response{.status = scripted.status, .headers = std::move(scripted.headers)};
  bool streaming = on_body && response.status >= 200 && response.status <= 299;
  for (const std::string& chunk : chunks) {
    if (!streaming) {
      response.body += chunk;
    } else if (!on_body(chunk)) {
      // As CurlTransport: the reader stopped the transfer; the status and headers stand.
      response.stopped_by_reader = true;
      return response;
    }
  }
  if (scripted.error) return Fail(*scripted.error);
  return response;
}

std::vector<net::HttpRequest> FakeTransport::requests() const {
  MutexLock lock(mu_);
  return requests_;
}

size_t FakeTransport::pending() const {
  MutexLock lock(mu_);
  return script_.size();
}

}  // namespace hfs::testing
