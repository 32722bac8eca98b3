#include "hfs/store/mariadb_test_server.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>
#include <utility>

#include "hfs/base/check.h"
#include "hfs/base/try.h"
#include "hfs/store/open_database.h"

namespace hfs::store {
namespace {

using namespace std::chrono_literals;

constexpr auto kStartTimeout = 30s;
constexpr auto kInstallTimeout = 120s;
constexpr auto kStopTimeout = 20s;

// Starts `argv` with stdout and stderr appended to `log`. The child is killed if this
// process dies first, so a crashed test leaves no server behind.
pid_t Spawn(const std::vector<std::string>& argv, const std::filesystem::path& log) {
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  HFS_CHECK(log_fd >= 0, "cannot open the log of a test program");
  pid_t pid = ::fork();
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(log_fd);
  return pid;
}

// Waits for `pid` until `deadline`; nullopt when it is still running then.
std::optional<int> WaitUntil(pid_t pid, std::chrono::steady_clock::time_point deadline) {
  while (true) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) return status;
    if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
    std::this_thread::sleep_for(20ms);
  }
}

int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  HFS_CHECK(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0, "bind");
  socklen_t length = sizeof(address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

std::string Tail(const std::filesystem::path& file) {
  std::ifstream stream(file);
  std::string text((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
  return text.size() > 2000 ? text.substr(text.size() - 2000) : text;
}

}  // namespace

std::optional<std::filesystem::path> FindProgram(std::initializer_list<std::string_view> names) {
  std::vector<std::filesystem::path> directories;
  if (const char* path = std::getenv("PATH"); path != nullptr) {
    std::stringstream stream(path);
    for (std::string entry; std::getline(stream, entry, ':');) {
      if (!entry.empty()) directories.emplace_back(entry);
    }
  }
  for (const char* extra : {"/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"}) {
    directories.emplace_back(extra);
  }
  for (std::string_view name : names) {
    for (const auto& directory : directories) {
      auto candidate = directory / name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
  }
  return std::nullopt;
}

Result<void> RunProgram(const std::vector<std::string>& argv, const std::filesystem::path& log,
                        std::chrono::seconds timeout) {
  pid_t pid = Spawn(argv, log);
  std::optional<int> status = WaitUntil(pid, std::chrono::steady_clock::now() + timeout);
  if (!status) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    return Fail(ErrorCode::kInternal,
                fmt::format("{} took more than {} s:\n{}", argv[0], timeout.count(), Tail(log)));
  }
  if (!WIFEXITED(*status) || WEXITSTATUS(*status) != 0) {
    return Fail(ErrorCode::kInternal, fmt::format("{} failed:\n{}", argv[0], Tail(log)));
  }
  return Ok();
}

std::string PercentEncode(std::string_view text) {
  std::string encoded;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      encoded.push_back(static_cast<char>(c));
    } else {
      encoded += fmt::format("%{:02X}", c);
    }
  }
  return encoded;
}

std::string MariaDbTestServer::MissingReason() {
  if (FindProgram({"mariadbd", "mysqld"}) &&
      FindProgram({"mariadb-install-db", "mysql_install_db"})) {
    return "";
  }
  return "mariadb-server is not installed (no mariadbd/mariadb-install-db in PATH or /usr/sbin); "
         "apt-get install mariadb-server to run these tests";
}

std::string MariaDbTestServer::Url(std::string_view host, std::string_view parameters) const {
  return fmt::format("mysql://hfs:{}@{}:{}/hfs_test{}{}", PercentEncode(password_), host, port_,
                     parameters.empty() ? "" : "?", parameters);
}

Result<void> MariaDbTestServer::Start(const MariaDbTestServerOptions& options) {
  auto server = FindProgram({"mariadbd", "mysqld"});
  auto install = FindProgram({"mariadb-install-db", "mysql_install_db"});
  if (!server || !install) return Fail(ErrorCode::kFailedPrecondition, MissingReason());
  std::string pattern = (std::filesystem::temp_directory_path() / "hfs-mariadb-XXXXXX").string();
  HFS_CHECK(::mkdtemp(pattern.data()) != nullptr, "mkdtemp failed");
  dir_ = pattern;
  const passwd* user = ::getpwuid(::geteuid());
  std::string user_name = user != nullptr ? user->pw_name : "root";
  HFS_RETURN_IF_ERROR(Install(*install, user_name));
  std::random_device random;
  // Characters that need percent-encoding in the URL, to exercise decoding too.
  password_ = fmt::format("Pw@/:{:08x}{:08x}", random(), random());
  std::ofstream(dir_ / "init.sql") << fmt::format(
      "CREATE DATABASE IF NOT EXISTS hfs_test;\n"
      "CREATE USER IF NOT EXISTS 'hfs'@'%' IDENTIFIED BY '{}';\n"
      "GRANT ALL PRIVILEGES ON hfs_test.* TO 'hfs'@'%';\n",
      password_);
  // Another process may take the free port before mariadbd binds it: try a few ports.
  Result<void> ready = Ok();
  for (int attempt = 1; attempt <= 3; ++attempt) {
    port_ = FreePort();
    std::vector<std::string> argv = {server->string(),
                                     "--no-defaults",
                                     "--datadir=" + (dir_ / "data").string(),
                                     "--socket=" + (dir_ / "sock").string(),
                                     fmt::format("--port={}", port_),
                                     "--bind-address=" + options.bind_address,
                                     "--user=" + user_name,
                                     "--pid-file=" + (dir_ / "pid").string(),
                                     "--log-error=" + (dir_ / "server.log").string(),
                                     "--init-file=" + (dir_ / "init.sql").string(),
                                     "--skip-name-resolve",
                                     "--innodb-buffer-pool-size=16M",
                                     "--innodb-flush-log-at-trx-commit=2",
                                     "--tmpdir=" + dir_.string()};
    argv.insert(argv.end(), options.extra_arguments.begin(), options.extra_arguments.end());
    argv_ = std::move(argv);
    pid_ = Spawn(argv_, dir_ / "server.out");
    ready = WaitUntilReady();
    if (ready || pid_ > 0) break;  // ready, or running but not answering: do not retry
  }
  return ready;
}

Result<void> MariaDbTestServer::Install(const std::filesystem::path& install,
                                        const std::string& user_name) {
  return RunProgram({install.string(), "--no-defaults", "--datadir=" + (dir_ / "data").string(),
                     "--auth-root-authentication-method=normal", "--user=" + user_name,
                     "--skip-test-db", "--tmpdir=" + dir_.string()},
                    dir_ / "install.log", kInstallTimeout);
}

Result<void> MariaDbTestServer::WaitUntilReady() {
  auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (true) {
    auto db = OpenDatabase(Url("127.0.0.1", "ssl-mode=DISABLED"));
    if (db) return Ok();
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return Fail(ErrorCode::kInternal, "mariadbd exited:\n" + Tail(dir_ / "server.log"));
    }
    if (std::chrono::steady_clock::now() > deadline) {
      return Fail(db.error().WithContext("mariadbd did not accept connections in 30 s:\n" +
                                         Tail(dir_ / "server.log")));
    }
    std::this_thread::sleep_for(100ms);
  }
}

void MariaDbTestServer::Kill() {
  HFS_CHECK(pid_ > 0, "the test server is not running");
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

Result<void> MariaDbTestServer::Restart() {
  HFS_CHECK(pid_ <= 0 && !argv_.empty(), "only a started and killed test server restarts");
  pid_ = Spawn(argv_, dir_ / "server.out");
  return WaitUntilReady();
}

void MariaDbTestServer::Stop() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    if (!WaitUntil(pid_, std::chrono::steady_clock::now() + kStopTimeout)) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    pid_ = -1;
  }
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    dir_.clear();
  }
  argv_.clear();
}

}  // namespace hfs::store
