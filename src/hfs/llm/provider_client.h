// hfs/llm/provider_client.h
//
// ProviderClient sends one chat completion to one OpenAI-compatible provider with one key:
// POST {base_url}/chat/completions (base_url used as configured, so Gemini's stays
// without /v1), Bearer auth, OpenRouter's attribution headers. It makes exactly one
// attempt; retries, key choice and fallback belong to the wrappers (RotatingModel,
// FallbackModel), which learn from the reply's status and headers.
//
// Every call streams ("stream": true, through the SSE parser and StreamAssembler) unless
// the provider's capabilities say it cannot (Capabilities::streaming); with or without a
// delta callback the reply is the same ChatResponse the plain request gives. A server that
// ignores "stream" and answers with one JSON body is read as a plain reply. A streamed
// call is bounded by the provider's CallTimeouts (connect, first byte, idle, total); a
// plain one by connect and total only. A broken timeout is a transport error
// (kDeadlineExceeded, http_status 0). A stream's `error` event keeps the 2xx status and
// the headers, so the wrappers treat it as they treat the same error in a plain 2xx body.
//
//   ProviderClient client(provider_options, transport, clock);
//   ProviderReply reply = HFS_TRY(client.Send(request, &key.secret, &on_delta));
//   if (reply.response) use(*reply.response);
//   else if (!reply.delta_delivered) retry_or_rotate(*reply.error, reply.http_status,
//   reply.headers);
//
// Every outcome after the request was built is a ProviderReply, so callers always learn
// delta_delivered; Send fails only before sending: kInvalidArgument (the request cannot be
// encoded), kFailedPrecondition (the provider needs a key and none was given),
// kDeadlineExceeded (the deadline has already passed).
// The key text never appears in an Error, a log line or any field of the reply.
// Thread-safe (the transport is; the client holds no mutable state).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "hfs/base/clock.h"
#include "hfs/base/error.h"
#include "hfs/keys/key_discovery.h"
#include "hfs/llm/chat.h"
#include "hfs/llm/model.h"
#include "hfs/llm/provider_options.h"
#include "hfs/net/http.h"
#include "hfs/net/transport.h"

namespace hfs::llm {

// The most bytes of a non-2xx body a ProviderReply keeps.
inline constexpr size_t kMaxErrorBody = 4096;

// How much of a streamed reply has arrived, for a progress display.
struct ReceiveProgress {
  // Unique per call in this process.
  uint64_t call = 0;
  std::string provider;
  // Characters of content, reasoning and tool-call arguments received so far.
  int64_t chars = 0;
  // The call ended: this is its last report.
  bool done = false;
};

using ReceiveObserver = std::function<void(const ReceiveProgress&)>;

struct ClientOptions {
  // An upper bound on the whole exchange over the provider's CallTimeouts::total; a
  // sooner deadline passed to Send shortens it too.
  Duration timeout = Duration::max();
  // OpenRouter's attribution headers (HTTP-Referer, X-Title).
  std::string referer = "https://github.com/hfs/hfs";
  std::string title = "HFS";
  // Told how much of each streamed reply has arrived, at most once per receive_interval
  // per call, and once more (done) when a call that reported ends. Runs on the calling
  // thread inside the transfer: it must be cheap; what it throws fails the call.
  ReceiveObserver on_receive;
  Duration receive_interval = std::chrono::milliseconds(250);
};

struct ProviderReply {
  // 0 when no HTTP response arrived (a transport error).
  int http_status = 0;
  net::Headers headers;
  // Set for a 2xx reply that decoded (or a stream that reached [DONE]).
  std::optional<ChatResponse> response;
  // Set exactly when response is not: the transport's error (reset, timeout, ...),
  // ErrorForStatus for a non-2xx, kInternal for an undecodable 2xx body, the stream's
  // error event, or kUnavailable for a stream cut before [DONE].
  std::optional<Error> error;
  // The start (kMaxErrorBody bytes) of a non-2xx body.
  std::string error_body;
  Duration latency{0};
  // True once a streamed delta reached the callback: the call must not be restarted.
  bool delta_delivered = false;
};

class ProviderClient {
 public:
  // `transport` and `clock` must outlive the client.
  ProviderClient(ProviderOptions provider, net::Transport& transport, Clock& clock,
                 ClientOptions options = {});

  // Hands each streamed delta to on_delta when it is non-null (a provider that cannot
  // stream hands none). `key` may be null only for a provider that does not require one.
  // The request must end by `deadline`.
  Result<ProviderReply> Send(const ChatRequest& request, const keys::Secret* key,
                             const DeltaCallback* on_delta,
                             Timestamp deadline = Timestamp::max()) const;

  const ProviderOptions& provider() const { return provider_; }
  // base_url without a trailing '/', plus "/chat/completions".
  const std::string& url() const { return url_; }

 private:
  Result<net::HttpRequest> BuildRequest(const ChatRequest& request, const keys::Secret* key,
                                        bool stream, Timestamp deadline) const;
  void Plain(const net::HttpRequest& http, const keys::Secret* key, ProviderReply& reply) const;
  void Stream(const net::HttpRequest& http, const keys::Secret* key, const DeltaCallback* on_delta,
              ProviderReply& reply) const;
  // Decodes a 2xx JSON body into reply.response or reply.error.
  static void Decode(std::string body, const keys::Secret* key, ProviderReply& reply);

  ProviderOptions provider_;
  net::Transport& transport_;
  Clock& clock_;
  ClientOptions options_;
  std::string url_;
};

}  // namespace hfs::llm
