#include "hfs/net/curl_transport.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <optional>

namespace hfs::net {
namespace {

// Idle handles kept for reuse; more concurrent calls than this still work.
constexpr size_t kMaxIdleHandles = 64;

using Steady = std::chrono::steady_clock;

struct Exchange {
  CURL* curl = nullptr;
  const BodyCallback* on_body = nullptr;
  const HttpRequest* request = nullptr;
  HttpResponse response;
  Steady::time_point start = Steady::now();
  // The latest body byte; unset until the body starts.
  std::optional<Steady::time_point> last_byte;
  // Why the transfer was stopped from a callback (a timeout, or the reader threw).
  std::optional<Error> stopped;
};

int64_t Milliseconds(Duration duration) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(duration).count();
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  std::string_view line(data, size * count);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.starts_with("HTTP/")) {
    exchange->response.headers = Headers();  // a new status line (redirect, 100 Continue)
  } else if (size_t colon = line.find(':'); colon != std::string_view::npos) {
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    exchange->response.headers.Add(std::string(line.substr(0, colon)), std::string(value));
  }
  return size * count;
}

// Hands a 2xx chunk to the reader; false stops the transfer. The reader's exceptions
// stop here: they must not unwind through libcurl.
bool Deliver(Exchange& exchange, std::string_view chunk) {
  try {
    if ((*exchange.on_body)(chunk)) return true;
    exchange.response.stopped_by_reader = true;
  } catch (const std::exception& e) {
    exchange.stopped =
        Error{ErrorCode::kInternal, fmt::format("the body reader failed: {}", e.what())};
  } catch (...) {
    exchange.stopped = Error{ErrorCode::kInternal, "the body reader failed"};
  }
  return false;
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  std::string_view chunk(data, size * count);
  if (!chunk.empty()) exchange->last_byte = Steady::now();
  long status = 0;
  curl_easy_getinfo(exchange->curl, CURLINFO_RESPONSE_CODE, &status);
  if (exchange->on_body != nullptr && *exchange->on_body && status >= 200 && status < 300) {
    if (!Deliver(*exchange, chunk)) return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
  } else {
    exchange->response.body.append(chunk);
  }
  return chunk.size();
}

// Called by libcurl about once a second, and more often while data flows: enforces the
// first-byte and idle timeouts. Non-zero stops the transfer.
int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* exchange = static_cast<Exchange*>(user);
  const HttpRequest& request = *exchange->request;
  const Steady::time_point now = Steady::now();
  std::string what;
  if (!exchange->last_byte) {
    if (request.first_byte_timeout > Duration::zero() &&
        now - exchange->start > request.first_byte_timeout) {
      what = fmt::format("no reply within the first-byte timeout ({} ms)",
                         Milliseconds(request.first_byte_timeout));
    }
  } else if (request.idle_timeout > Duration::zero() &&
             now - *exchange->last_byte > request.idle_timeout) {
    what = fmt::format("the reply stalled: nothing received for the idle timeout ({} ms)",
                       Milliseconds(request.idle_timeout));
  }
  if (what.empty()) return 0;
  exchange->stopped = Error{ErrorCode::kDeadlineExceeded,
                            fmt::format("{} {}: {}", request.method, request.url, what)};
  return 1;
}

Error TransferError(CURLcode code, const char* detail, const HttpRequest& request) {
  std::string what = detail[0] != '\0' ? detail : curl_easy_strerror(code);
  std::string message = fmt::format("{} {}: {}", request.method, request.url, what);
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return Error{ErrorCode::kDeadlineExceeded, message};
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return Error{ErrorCode::kInvalidArgument, message};
    default:
      return Error{ErrorCode::kUnavailable, message};
  }
}

void Configure(CURL* curl, const HttpRequest& request, curl_slist* headers, Exchange& exchange) {
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  // At least 1 ms: libcurl reads 0 as "no timeout", and a request whose deadline is less
  // than a millisecond away must still end.
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(std::max<int64_t>(Milliseconds(request.timeout), 1)));
  if (request.connect_timeout > Duration::zero()) {
    curl_easy_setopt(
        curl, CURLOPT_CONNECTTIMEOUT_MS,
        static_cast<long>(std::max<int64_t>(Milliseconds(request.connect_timeout), 1)));
  }
  if (request.first_byte_timeout > Duration::zero() || request.idle_timeout > Duration::zero()) {
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, OnProgress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &exchange);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &exchange);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &exchange);
  if (request.method == "POST" || !request.body.empty()) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  }
  if (request.method != "GET" && request.method != "POST") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
}

}  // namespace

CurlTransport::CurlTransport() {
  // Once per process; libcurl 7.84 and later make this thread-safe.
  static const CURLcode initialised = curl_global_init(CURL_GLOBAL_DEFAULT);
  (void)initialised;
}

CurlTransport::~CurlTransport() {
  MutexLock lock(mu_);
  for (void* handle : idle_) curl_easy_cleanup(static_cast<CURL*>(handle));
}

void* CurlTransport::TakeHandle() {
  {
    MutexLock lock(mu_);
    if (!idle_.empty()) {
      void* handle = idle_.back();
      idle_.pop_back();
      return handle;
    }
  }
  return curl_easy_init();
}

void CurlTransport::ReturnHandle(void* handle) {
  curl_easy_reset(static_cast<CURL*>(handle));
  MutexLock lock(mu_);
  if (idle_.size() < kMaxIdleHandles) {
    idle_.push_back(handle);
  } else {
    curl_easy_cleanup(static_cast<CURL*>(handle));
  }
}

Result<HttpResponse> CurlTransport::Send(const HttpRequest& request, const BodyCallback& on_body) {
  CURL* curl = static_cast<CURL*>(TakeHandle());
  if (curl == nullptr) return Fail(ErrorCode::kInternal, "curl_easy_init failed");
  curl_slist* headers = curl_slist_append(nullptr, "Expect:");
  for (const auto& [name, value] : request.headers.all()) {
    headers = curl_slist_append(headers, fmt::format("{}: {}", name, value).c_str());
  }
  Exchange exchange{.curl = curl, .on_body = &on_body, .request = &request};
  char detail[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, detail);
  Configure(curl, request, headers, exchange);
  CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  ReturnHandle(curl);
  if (exchange.stopped) return Fail(std::move(*exchange.stopped));
  if (code != CURLE_OK && !exchange.response.stopped_by_reader) {
    return Fail(TransferError(code, detail, request));
  }
  exchange.response.status = static_cast<int>(status);
  return std::move(exchange.response);
}

}  // namespace hfs::net
