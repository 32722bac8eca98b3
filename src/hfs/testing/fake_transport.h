// hfs/testing/fake_transport.h
//
// FakeTransport: a net::Transport that answers from a scripted queue, in order, and
// records every request it receives. A scripted response may stream its body in chunks
// (to a body callback, for 2xx) and may end in an Error (a reset after some chunks).
// A call with nothing scripted returns kFailedPrecondition
// "FakeTransport: no scripted response for POST <url>".
//
//   testing::FakeTransport transport;
//   transport.Push({.status = 200, .body = R"({"choices": [...]})"});
//   transport.Push({.chunks = {"data: {...}\n\n", "data: [DONE]\n\n"}});
//   transport.Push({.chunks = {"data: {...}\n\n"}, .error = Error{ErrorCode::kUnavailable,
//   "reset"}});
//   ... code under test ...
//   EXPECT_EQ(transport.requests()[0].url, "https://api.groq.com/openai/v1/chat/completions");
//
// Thread-safe; the body callback runs without the lock held.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "hfs/base/mutex.h"
#include "hfs/net/transport.h"

namespace hfs::testing {

struct ScriptedResponse {
  int status = 200;
  net::Headers headers;
  // The body; ignored when chunks is non-empty.
  std::string body;
  // The body in pieces: each is one callback call when streaming; joined otherwise.
  std::vector<std::string> chunks;
  // Returned after the chunks were delivered, instead of the response.
  std::optional<Error> error;
};

class FakeTransport final : public net::Transport {
 public:
  void Push(ScriptedResponse response);
  // A response with a status and body (no chunks).
  void PushBody(int status, std::string body);
  // An Error with no body delivered.
  void PushError(ErrorCode code, std::string message);

  Result<net::HttpResponse> Send(const net::HttpRequest& request,
                                 const net::BodyCallback& on_body = nullptr) override;

  // Every request received, oldest first.
  std::vector<net::HttpRequest> requests() const;
  // Scripted responses not yet used.
  size_t pending() const;

 private:
  mutable Mutex mu_;
  std::deque<ScriptedResponse> script_ HFS_GUARDED_BY(mu_);
  std::vector<net::HttpRequest> requests_ HFS_GUARDED_BY(mu_);
};

}  // namespace hfs::testing
