// hfs/store/mariadb_test_server.h
//
// MariaDbTestServer: a private mariadbd for integration tests. Start() runs
// mariadb-install-db into a temporary directory, starts mariadbd on a free port with a
// database `hfs_test` and a user `hfs` whose password is random, and waits until it accepts
// connections; Stop() (or the destructor) stops it and removes the directory. Kill() ends
// the server with SIGKILL, as a crash or an outage does, and keeps the directory; Restart()
// starts it again on the same port and data. The server is killed if the test process dies
// first. Test-only: never linked into the hfs binary.
//
//   if (std::string reason = MariaDbTestServer::MissingReason(); !reason.empty()) GTEST_SKIP();
//   MariaDbTestServer server;
//   ASSERT_TRUE(server.Start({.extra_arguments = {"--ssl-cert=" + cert.string()}}));
//   auto db = OpenDatabase(server.Url("127.0.0.1", "ssl-mode=REQUIRED"));
//
// Thread-compatible. Start and Restart return kInternal with the tail of the server's log
// when the install or the start fails, or when the server does not answer within 30 s.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/base/error.h"

namespace hfs::store {

// The first of `names` found in PATH or the usual sbin/bin folders.
std::optional<std::filesystem::path> FindProgram(std::initializer_list<std::string_view> names);

// Runs `argv` with stdout and stderr appended to `log` and waits at most `timeout` for it
// to exit; kInternal (with the log's tail) when it fails or takes longer (then it is killed).
Result<void> RunProgram(const std::vector<std::string>& argv, const std::filesystem::path& log,
                        std::chrono::seconds timeout);

// `text` with every byte but [A-Za-z0-9._-] written as %XX.
std::string PercentEncode(std::string_view text);

struct MariaDbTestServerOptions {
  std::string bind_address = "127.0.0.1";
  std::vector<std::string> extra_arguments;  // e.g. --ssl-cert=... --ssl-key=...
};

class MariaDbTestServer {
 public:
  // Why these tests cannot run here (mariadb-server is not installed); empty when they can.
  static std::string MissingReason();

  MariaDbTestServer() = default;
  ~MariaDbTestServer() { Stop(); }
  MariaDbTestServer(const MariaDbTestServer&) = delete;
  MariaDbTestServer& operator=(const MariaDbTestServer&) = delete;

  Result<void> Start(const MariaDbTestServerOptions& options);
  void Stop();
  // Kills the running server at once (SIGKILL) and keeps its data directory.
  void Kill();
  // Starts the killed server again with the same arguments (port, data directory) and waits
  // until it accepts connections.
  Result<void> Restart();

  const std::string& password() const { return password_; }
  int port() const { return port_; }
  // mysql://hfs:<encoded password>@HOST:PORT/hfs_test[?PARAMETERS]
  std::string Url(std::string_view host = "127.0.0.1", std::string_view parameters = "") const;

 private:
  Result<void> Install(const std::filesystem::path& install, const std::string& user_name);
  Result<void> WaitUntilReady();

  std::filesystem::path dir_;
  std::vector<std::string> argv_;  // how mariadbd was last started
  std::string password_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace hfs::store
