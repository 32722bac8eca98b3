// tools/emulator/server.cc
#include "tools/emulator/server.h"

#include <httplib.h>

#include <thread>

#include "hfs/base/mutex.h"

namespace hfs::emulator {
namespace {

constexpr int kKeepAliveMaxCount = 10000;
constexpr time_t kKeepAliveSeconds = 30;
constexpr time_t kReadTimeoutSeconds = 60;
constexpr const char* kBehaviourHeader = "X-Emulator-Behaviour";
constexpr const char* kRealismHeader = "X-Emulator-Realism";

// httplib compresses an application/json body with brotli at quality 11 whenever the
// client accepts br (libcurl's default list does), which costs about a millisecond of CPU
// per reply and dominates the emulator under load. With a charset parameter the type is
// still JSON to clients, and httplib leaves the body as it is.
std::string UncompressedType(const std::string& content_type) {
  return content_type == "application/json" ? "application/json; charset=utf-8" : content_type;
}

std::string EscapeRegex(const std::string& text) {
  std::string escaped;
  for (char c : text) {
    if (std::string_view(".^$|()[]{}*+?\\").find(c) != std::string_view::npos) escaped += '\\';
    escaped += c;
  }
  return escaped;
}

}  // namespace

struct Server::Impl {
  Impl(Emulator& emulator_in, int threads_in) : emulator(emulator_in), threads(threads_in) {}

  Emulator& emulator;
  int threads;
  httplib::Server http;
  std::thread thread;
  Mutex mu;
  CondVar wake;
  bool stopping HFS_GUARDED_BY(mu) = false;
  bool started HFS_GUARDED_BY(mu) = false;

  // Sleeps for `duration`; false when the server started stopping meanwhile.
  bool Sleep(Duration duration) {
    const auto deadline = std::chrono::steady_clock::now() + duration;
    MutexLock lock(mu);
    wake.WaitUntil(mu, deadline, [this]() HFS_REQUIRES(mu) { return stopping; });
    return !stopping;
  }

  // `stall` is how long a stalled stream stays silent before the line is dropped.
  void Send(const Reply& reply, httplib::Response& res, Duration stall = Duration::zero());
  void SendStream(const Reply& reply, httplib::Response& res, Duration stall);
  void Routes();
};

void Server::Impl::SendStream(const Reply& reply, httplib::Response& res, Duration stall) {
  res.set_chunked_content_provider(reply.content_type, [this, reply, stall](
                                                           size_t, httplib::DataSink& sink) {
    const bool partial = reply.delivery == Delivery::kReset || reply.delivery == Delivery::kStall;
    const size_t count = partial ? reply.events.size() / 2 : reply.events.size();
    for (size_t i = 0; i < count; ++i) {
      if (i > 0 && reply.per_event_delay > Duration::zero() && !Sleep(reply.per_event_delay)) {
        return false;
      }
      if (!sink.write(reply.events[i].data(), reply.events[i].size())) return false;
    }
    if (reply.delivery == Delivery::kStall) Sleep(stall);  // silent, the line open
    if (partial) return false;                             // drop the connection
    sink.done();
    return true;
  });
}

void Server::Impl::Send(const Reply& reply, httplib::Response& res, Duration stall) {
  res.status = reply.status;
  for (const auto& [name, value] : reply.headers) res.set_header(name, value);
  if (reply.first_byte_delay > Duration::zero()) Sleep(reply.first_byte_delay);
  if (reply.streaming) return SendStream(reply, res, stall);
  if (reply.delivery == Delivery::kReset) {
    const std::string body = reply.body;
    res.set_content_provider(body.size(), reply.content_type,
                             [body](size_t, size_t, httplib::DataSink& sink) {
                               sink.write(body.data(), body.size() / 2);
                               return false;
                             });
    return;
  }
  res.set_content(reply.body, UncompressedType(reply.content_type));
}

void Server::Impl::Routes() {
  for (const ProviderOptions& provider : emulator.options().providers) {
    const ProviderOptions* p = &provider;
    const std::string prefix = EscapeRegex(provider.prefix);
    http.Post(prefix + "/chat/completions", [this, p](const httplib::Request& req,
                                                      httplib::Response& res) {
      Reply reply = emulator.Chat(*p, {.authorization = req.get_header_value("Authorization"),
                                       .behaviour = req.get_header_value(kBehaviourHeader),
                                       .body = req.body,
                                       .realism = req.get_header_value(kRealismHeader)});
      const auto hang = std::chrono::duration_cast<Duration>(
          std::chrono::duration<double>(p->faults.hang_seconds));
      if (reply.delivery == Delivery::kHang) {
        Sleep(hang);
        reply.delivery = Delivery::kReset;  // the client gave up long ago: drop the line
      }
      Send(reply, res, hang);
    });
    http.Get(prefix + "/models", [this, p](const httplib::Request& req, httplib::Response& res) {
      Send(emulator.Models(*p, req.get_header_value("Authorization")), res);
    });
  }
  http.Get("/_emulator/stats", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(emulator.StatsJson(), "application/json");
  });
  // `curl -XPOST .../_emulator/reset` sends no body and no Content-Length, which the HTTP
  // library refuses (400) before routing; the reset is answered before that check.
  http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (req.method != "POST" || req.path != "/_emulator/reset") {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    emulator.Reset();
    res.set_content("{\"reset\":true}", "application/json");
    return httplib::Server::HandlerResponse::Handled;
  });
}

Server::Server(Emulator& emulator, int threads)
    : impl_(std::make_unique<Impl>(emulator, threads)) {}

Server::~Server() { Stop(); }

Result<int> Server::Start(const std::string& host, int port) {
  {
    MutexLock lock(impl_->mu);
    if (impl_->started) return Fail(ErrorCode::kFailedPrecondition, "server already started");
    impl_->started = true;
  }
  Impl& impl = *impl_;
  const int threads = std::max(1, impl.threads);
  impl.http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  impl.http.set_keep_alive_max_count(kKeepAliveMaxCount);
  impl.http.set_keep_alive_timeout(kKeepAliveSeconds);
  impl.http.set_read_timeout(kReadTimeoutSeconds, 0);
  // httplib writes a reply's headers and body separately; with Nagle's algorithm the body
  // then waits for the client's delayed ACK of the headers (about 40 ms on Linux).
  impl.http.set_tcp_nodelay(true);
  impl.Routes();
  int bound = port;
  if (port == 0) {
    bound = impl.http.bind_to_any_port(host);
  } else if (!impl.http.bind_to_port(host, port)) {
    bound = -1;
  }
  if (bound <= 0) {
    return Fail(ErrorCode::kUnavailable, "cannot bind " + host + ":" + std::to_string(port));
  }
  impl.thread = std::thread([&impl] { impl.http.listen_after_bind(); });
  return bound;
}

void Server::Stop() {
  {
    MutexLock lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->wake.NotifyAll();
  impl_->http.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

}  // namespace hfs::emulator
