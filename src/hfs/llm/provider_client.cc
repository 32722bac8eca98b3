#include "hfs/llm/provider_client.h"

#include <algorithm>
#include <utility>

#include "hfs/base/try.h"
#include "hfs/keys/key_discovery.h"
#include "hfs/llm/openai_wire.h"
#include "hfs/llm/provider_error.h"
#include "hfs/net/sse_parser.h"

namespace hfs::llm {
namespace {

std::string ChatUrl(std::string base_url) {
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  return base_url + "/chat/completions";
}

bool IsSuccess(int status) { return status >= 200 && status <= 299; }

// Replaces the key text, whole or cut at the end (defence in depth: a server might echo
// it).
void Scrub(std::string& text, const keys::Secret* key) {
  if (key == nullptr || key->empty()) return;
  keys::RedactSecret(text, *key);
}

void ScrubReply(ProviderReply& reply, const keys::Secret* key) {
  if (reply.error) Scrub(reply.error->message, key);
  Scrub(reply.error_body, key);
  net::Headers clean;
  for (auto [name, value] : reply.headers.all()) {
    Scrub(value, key);
    clean.Add(std::move(name), std::move(value));
  }
  reply.headers = std::move(clean);
}

// Fills status, headers and, for a non-2xx, error and error_body. The body is scrubbed
// of the key before anything is cut from it, so no prefix of a key survives a cut.
void TakeStatus(net::HttpResponse response, ProviderReply& reply, const keys::Secret* key) {
  reply.http_status = response.status;
  reply.headers = std::move(response.headers);
  if (IsSuccess(response.status)) return;
  Scrub(response.body, key);
  reply.error = ErrorForStatus(response.status, response.body);
  response.body.resize(std::min(response.body.size(), kMaxErrorBody));
  reply.error_body = std::move(response.body);
}

}  // namespace

ProviderClient::ProviderClient(ProviderOptions provider, net::Transport& transport, Clock& clock,
                               ClientOptions options)
    : provider_(std::move(provider)),
      transport_(transport),
      clock_(clock),
      options_(std::move(options)),
      url_(ChatUrl(provider_.base_url)) {}

Result<ProviderReply> ProviderClient::Send(const ChatRequest& request, const keys::Secret* key,
                                           const DeltaCallback* on_delta,
                                           Timestamp deadline) const {
  net::HttpRequest http = HFS_TRY(BuildRequest(request, key, on_delta != nullptr, deadline));
  ProviderReply reply;
  Timestamp start = clock_.Now();
  Exchange(http, key, on_delta, reply);
  reply.latency = clock_.Now() - start;
  ScrubReply(reply, key);
  return reply;
}

Result<net::HttpRequest> ProviderClient::BuildRequest(const ChatRequest& request,
                                                      const keys::Secret* key, bool stream,
                                                      Timestamp deadline) const {
  if (provider_.requires_key && (key == nullptr || key->empty())) {
    return Fail(ErrorCode::kFailedPrecondition,
                "provider '" + provider_.name + "' requires a key and none was given");
  }
  Duration timeout = options_.timeout;
  if (deadline != Timestamp::max()) {
    Duration left = deadline - clock_.Now();
    if (left <= Duration::zero()) {
      return Fail(ErrorCode::kDeadlineExceeded,
                  "deadline passed before the request to '" + provider_.name + "' was sent");
    }
    timeout = std::min(timeout, left);
  }
  net::HttpRequest http{.method = "POST", .url = url_, .timeout = timeout};
  http.body = HFS_TRY(EncodeChatRequest(
      request, {.stream = stream, .include_usage = true, .capabilities = provider_.capabilities}));
  http.headers.Add("Content-Type", "application/json");
  if (stream) http.headers.Add("Accept", "text/event-stream");
  if (key != nullptr && !key->empty()) {
    http.headers.Add("Authorization", "Bearer " + key->Reveal());
  }
  if (provider_.name == "openrouter") {
    http.headers.Add("HTTP-Referer", options_.referer);
    http.headers.Add("X-Title", options_.title);
  }
  return http;
}

void ProviderClient::Exchange(const net::HttpRequest& http, const keys::Secret* key,
                              const DeltaCallback* on_delta, ProviderReply& reply) const {
  if (on_delta != nullptr) {
    Stream(http, key, *on_delta, reply);
    return;
  }
  Result<net::HttpResponse> response = transport_.Send(http);
  if (!response) {
    reply.error = response.error();
    return;
  }
  std::string body = IsSuccess(response->status) ? std::move(response->body) : "";
  TakeStatus(std::move(*response), reply, key);
  if (reply.error) return;
  Scrub(body, key);
  Result<ChatResponse> decoded = DecodeChatResponse(body);
  if (decoded) {
    reply.response = std::move(*decoded);
  } else {
    reply.error = decoded.error();
  }
}

void ProviderClient::Stream(const net::HttpRequest& http, const keys::Secret* key,
                            const DeltaCallback& on_delta, ProviderReply& reply) const {
  StreamAssembler assembler(&on_delta);
  net::SseParser parser;
  bool failed = false;
  auto on_event = [&](const net::SseEvent& event) {
    if (!assembler.Feed(event.data)) failed = true;
  };
  Result<net::HttpResponse> response = transport_.Send(http, [&](std::string_view chunk) {
    parser.Feed(chunk, on_event);
    return !failed;  // a stream error event ends the transfer
  });
  if (response) {
    TakeStatus(std::move(*response), reply, key);
    if (reply.error) return;
    parser.Finish(on_event);
  }
  reply.delta_delivered = assembler.delta_delivered();
  // A transport error after [DONE] (a reset while closing) lost nothing.
  if (!response && !failed && !assembler.done()) {
    reply.error = response.error();
    return;
  }
  Result<ChatResponse> assembled = assembler.Finish();
  if (assembled) {
    reply.response = std::move(*assembled);
  } else {
    reply.error = assembled.error();
  }
}

}  // namespace hfs::llm
