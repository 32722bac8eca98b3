// tools/emulator/server.h
//
// Server: serves an Emulator over HTTP/1.1 (cpp-httplib) on a thread pool:
//   POST {prefix}/chat/completions and GET {prefix}/models for every configured provider,
//   GET /_emulator/stats, POST /_emulator/reset.
// It applies the reply's latency and delivery faults (hang, connection reset).
//
//   Server server(emulator);
//   int port = HFS_TRY(server.Start("127.0.0.1", 0));   // 0 = ephemeral
//   ...
//   server.Stop();                                       // also done by the destructor
//
// Thread-safe. Start returns kUnavailable when the address cannot be bound and
// kFailedPrecondition when already started.
#pragma once

#include <memory>
#include <string>

#include "hfs/base/error.h"
#include "tools/emulator/emulator.h"

namespace hfs::emulator {

class Server {
 public:
  // `emulator` must outlive the server. `threads` sizes the connection thread pool.
  explicit Server(Emulator& emulator, int threads = 64);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and serves on a background thread; returns the bound port.
  Result<int> Start(const std::string& host, int port);
  // Stops accepting, wakes handlers that sleep or hang, and joins. Idempotent.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hfs::emulator
