#include "hfs/llm/provider_client.h"

#include <algorithm>
#include <atomic>
#include <exception>
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

// A streamed 2xx body is normally server-sent events; a server that ignores "stream"
// sends one JSON object (or a JSON array, Gemini's error form) instead.
enum class BodyForm { kUndecided, kEvents, kJson };

BodyForm FormOf(std::string_view start) {
  const size_t first = start.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return BodyForm::kUndecided;
  return start[first] == '{' || start[first] == '[' ? BodyForm::kJson : BodyForm::kEvents;
}

// Reports a call's received characters to the observer, throttled, and its end.
class ReceiveReporter {
 public:
  ReceiveReporter(const ClientOptions& options, const std::string& provider, Clock& clock)
      : options_(options), clock_(clock) {
    static std::atomic<uint64_t> next_call{1};
    progress_.call = next_call.fetch_add(1);
    progress_.provider = provider;
  }
  ~ReceiveReporter() {
    if (!reported_ || !options_.on_receive) return;
    progress_.done = true;
    try {
      options_.on_receive(progress_);
    } catch (...) {  // the call is over: nothing is left to fail
    }
  }
  ReceiveReporter(const ReceiveReporter&) = delete;
  ReceiveReporter& operator=(const ReceiveReporter&) = delete;

  void Update(int64_t chars) {
    if (!options_.on_receive || chars == progress_.chars) return;
    progress_.chars = chars;
    const Timestamp now = clock_.Now();
    if (reported_ && now - last_ < options_.receive_interval) return;
    reported_ = true;
    last_ = now;
    options_.on_receive(progress_);
  }

 private:
  const ClientOptions& options_;
  Clock& clock_;
  ReceiveProgress progress_;
  bool reported_ = false;
  Timestamp last_{};
};

// Reads a streamed 2xx body as it arrives: SSE events into the StreamAssembler (with
// progress reports), or, when the server sent one JSON body instead, that body whole.
class StreamReader {
 public:
  StreamReader(const DeltaCallback* on_delta, ReceiveReporter& progress)
      : assembler_(on_delta), progress_(progress) {}

  // The transport's body callback: false stops the transfer (an error event, or a
  // callback that threw; the exception stops here).
  bool Take(std::string_view chunk) {
    try {
      return Feed(chunk);
    } catch (const std::exception& e) {
      error_ = Error{ErrorCode::kInternal, std::string("reading the stream failed: ") + e.what()};
    } catch (...) {
      error_ = Error{ErrorCode::kInternal, "reading the stream failed"};
    }
    return false;
  }
  // The end of the body: a last event without its blank line.
  void Finish() {
    parser_.Finish([this](const net::SseEvent& event) { Event(event); });
  }

  StreamAssembler& assembler() { return assembler_; }
  bool failed() const { return failed_; }
  const std::optional<Error>& error() const { return error_; }
  bool is_json() const { return form_ == BodyForm::kJson; }
  std::string TakeJson() { return std::move(head_); }

 private:
  bool Feed(std::string_view chunk) {
    if (form_ != BodyForm::kEvents) {
      head_.append(chunk);
      if (form_ == BodyForm::kUndecided) form_ = FormOf(head_);
      if (form_ != BodyForm::kEvents) return true;
      chunk = head_;
    }
    parser_.Feed(chunk, [this](const net::SseEvent& event) { Event(event); });
    return !failed_;  // a stream error event ends the transfer
  }
  void Event(const net::SseEvent& event) {
    if (failed_) return;
    if (!assembler_.Feed(event.data)) failed_ = true;
    progress_.Update(assembler_.received_chars());
  }

  StreamAssembler assembler_;
  ReceiveReporter& progress_;
  net::SseParser parser_;
  BodyForm form_ = BodyForm::kUndecided;
  std::string head_;  // the body until its form is known; all of a JSON body
  bool failed_ = false;
  std::optional<Error> error_;
};

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
  const bool stream = provider_.capabilities.streaming;
  net::HttpRequest http = HFS_TRY(BuildRequest(request, key, stream, deadline));
  ProviderReply reply;
  Timestamp start = clock_.Now();
  if (stream) {
    Stream(http, key, on_delta, reply);
  } else {
    Plain(http, key, reply);
  }
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
  Duration timeout = std::min(options_.timeout, provider_.timeouts.total);
  if (deadline != Timestamp::max()) {
    Duration left = deadline - clock_.Now();
    if (left <= Duration::zero()) {
      return Fail(ErrorCode::kDeadlineExceeded,
                  "deadline passed before the request to '" + provider_.name + "' was sent");
    }
    timeout = std::min(timeout, left);
  }
  net::HttpRequest http{.method = "POST",
                        .url = url_,
                        .timeout = timeout,
                        .connect_timeout = provider_.timeouts.connect};
  if (stream) {
    http.first_byte_timeout = provider_.timeouts.first_byte;
    http.idle_timeout = provider_.timeouts.idle;
  }
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

void ProviderClient::Plain(const net::HttpRequest& http, const keys::Secret* key,
                           ProviderReply& reply) const {
  Result<net::HttpResponse> response = transport_.Send(http);
  if (!response) {
    reply.error = response.error();
    return;
  }
  std::string body = IsSuccess(response->status) ? std::move(response->body) : "";
  TakeStatus(std::move(*response), reply, key);
  if (reply.error) return;
  Decode(std::move(body), key, reply);
}

void ProviderClient::Stream(const net::HttpRequest& http, const keys::Secret* key,
                            const DeltaCallback* on_delta, ProviderReply& reply) const {
  ReceiveReporter progress(options_, provider_.name, clock_);
  StreamReader reader(on_delta, progress);
  Result<net::HttpResponse> response =
      transport_.Send(http, [&](std::string_view chunk) { return reader.Take(chunk); });
  reply.delta_delivered = on_delta != nullptr && reader.assembler().delta_delivered();
  if (response) {
    const bool stopped = response->stopped_by_reader;
    TakeStatus(std::move(*response), reply, key);
    if (reply.error) return;
    if (reader.is_json() && !reader.error()) return Decode(reader.TakeJson(), key, reply);
    if (!stopped) reader.Finish();
  }
  if (reader.error()) {  // a callback threw
    reply.error = *reader.error();
    return;
  }
  // A transport error after [DONE] (a reset while closing) lost nothing.
  if (!response && !reader.failed() && !reader.assembler().done()) {
    reply.error = response.error();
    return;
  }
  Result<ChatResponse> assembled = reader.assembler().Finish();
  if (assembled) {
    reply.response = std::move(*assembled);
  } else {
    reply.error = assembled.error();
  }
}

void ProviderClient::Decode(std::string body, const keys::Secret* key, ProviderReply& reply) {
  Scrub(body, key);
  Result<ChatResponse> decoded = DecodeChatResponse(body);
  if (decoded) {
    reply.response = std::move(*decoded);
  } else {
    reply.error = decoded.error();
  }
}

}  // namespace hfs::llm
