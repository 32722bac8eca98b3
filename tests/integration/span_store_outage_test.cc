// Issue #17, finding 10: spans written to the SQL span store survive a short database
// outage. The run's telemetry writes spans into a private mariadbd that this test starts
// (temp datadir, free port on 127.0.0.1), kills with SIGKILL in the middle of the run and
// starts again on the same datadir and port. Without mariadb-server installed the tests
// are skipped with the reason.
#include <fcntl.h>
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "hfs/app/telemetry.h"
#include "hfs/base/check.h"
#include "hfs/store/open_database.h"
#include "hfs/store/span_store.h"
#include "hfs/testing/temp_dir.h"

namespace hfs::app {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

constexpr int kSpansPerPhase = 20;
constexpr char kRunId[] = "outage-run";

std::optional<std::filesystem::path> FindProgram(std::initializer_list<const char*> names) {
  for (const char* directory : {"/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"}) {
    for (const char* name : names) {
      std::filesystem::path candidate = std::filesystem::path(directory) / name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
  }
  return std::nullopt;
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

// Starts argv with its output appended to `log`; the child dies with this process.
pid_t Spawn(const std::vector<std::string>& argv, const std::filesystem::path& log) {
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  HFS_CHECK(log_fd >= 0, "cannot open the server log");
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

std::string ReadAll(const std::filesystem::path& file) {
  std::ifstream stream(file);
  std::stringstream text;
  text << stream.rdbuf();
  return text.str();
}

// One private mariadbd that can be killed and started again on the same data.
class Server {
 public:
  ~Server() { Kill(); }

  // "" when running; otherwise why not (skip_reason set: not installed).
  std::string Install() {
    server_ = FindProgram({"mariadbd", "mysqld"});
    auto install = FindProgram({"mariadb-install-db", "mysql_install_db"});
    if (!server_ || !install) {
      skip_reason_ = "mariadb-server is not installed (no mariadbd/mariadb-install-db)";
      return skip_reason_;
    }
    const passwd* user = ::getpwuid(::geteuid());
    user_ = user != nullptr ? user->pw_name : "root";
    pid_t pid = Spawn({install->string(), "--no-defaults", "--datadir=" + Data(),
                       "--auth-root-authentication-method=normal", "--user=" + user_,
                       "--skip-test-db", "--tmpdir=" + dir_.path().string()},
                      dir_.path() / "install.log");
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      return "mariadb-install-db failed:\n" + ReadAll(dir_.path() / "install.log");
    }
    std::ofstream(dir_.path() / "init.sql")
        << "CREATE DATABASE IF NOT EXISTS hfs_test;\n"
           "CREATE USER IF NOT EXISTS 'hfs'@'%' IDENTIFIED BY 'outage-test';\n"
           "GRANT ALL PRIVILEGES ON hfs_test.* TO 'hfs'@'%';\n";
    port_ = FreePort();
    return Start();
  }

  // Starts mariadbd and waits (at most 30 s) until it accepts connections.
  std::string Start() {
    pid_ = Spawn({server_->string(), "--no-defaults", "--datadir=" + Data(),
                  "--socket=" + (dir_.path() / "sock").string(), fmt::format("--port={}", port_),
                  "--bind-address=127.0.0.1", "--user=" + user_,
                  "--pid-file=" + (dir_.path() / "pid").string(),
                  "--log-error=" + (dir_.path() / "server.log").string(),
                  "--init-file=" + (dir_.path() / "init.sql").string(), "--skip-name-resolve",
                  "--innodb-buffer-pool-size=16M", "--tmpdir=" + dir_.path().string()},
                 dir_.path() / "server.out");
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (true) {
      auto db = store::OpenDatabase(Url());
      if (db) return "";
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return "mariadbd exited:\n" + ReadAll(dir_.path() / "server.log");
      }
      if (std::chrono::steady_clock::now() > deadline) {
        return "mariadbd did not accept connections in 30 s: " + db.error().ToString();
      }
      std::this_thread::sleep_for(100ms);
    }
  }

  // SIGKILL, as a crash or an OOM kill would.
  void Kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  std::string Url() const {
    return fmt::format("mysql://hfs:outage-test@127.0.0.1:{}/hfs_test", port_);
  }
  const std::string& skip_reason() const { return skip_reason_; }

 private:
  std::string Data() const { return (dir_.path() / "data").string(); }

  testing::TempDir dir_;
  std::optional<std::filesystem::path> server_;
  std::string user_;
  std::string skip_reason_;
  int port_ = 0;
  pid_t pid_ = -1;
};

class SpanStoreOutageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error = server_.Install();
    if (!server_.skip_reason().empty()) GTEST_SKIP() << server_.skip_reason();
    ASSERT_EQ(error, "");
    auto db = store::OpenDatabase(server_.Url());
    ASSERT_TRUE(db.has_value()) << db.error().ToString();
    std::shared_ptr<store::Database> shared = std::move(*db);
    std::ostringstream warnings;
    auto telemetry = StartTelemetry({.sql_export = true},
                                    {.clock = clock_,
                                     .run_dir = run_dir_.path(),
                                     .usage_database = shared,
                                     .batch = {.max_batch_size = 8, .schedule_delay = 50ms}},
                                    warnings);
    ASSERT_TRUE(telemetry.has_value()) << telemetry.error().ToString();
    ASSERT_EQ(warnings.str(), "");
    telemetry_ = std::move(*telemetry);
    run_.emplace(
        telemetry_->tracer().StartSpan("hfs.run", {.attributes = {{"hfs.run.id", kRunId}}}));
  }

  // One phase span with kSpansPerPhase children, then a flush to the sinks.
  void RunPhase(const std::string& name) {
    trace::Span phase = telemetry_->tracer().StartSpan(name, {.parent = run_->context()});
    for (int i = 0; i < kSpansPerPhase; ++i) {
      telemetry_->tracer().StartSpan("execute_tool x", {.parent = phase.context()}).End();
    }
    phase.End();
    (void)telemetry_->tracer().ForceFlush();
  }

  static constexpr uint64_t kTotalSpans = 1 + 3 * (1 + kSpansPerPhase);

  Server server_;
  SystemClock clock_;
  testing::TempDir run_dir_;
  std::unique_ptr<Telemetry> telemetry_;
  std::optional<trace::Span> run_;
};

TEST_F(SpanStoreOutageTest, AKilledAndRestartedDatabaseLosesNoSpan) {
  RunPhase("hfs.phase.input");
  server_.Kill();
  RunPhase("hfs.phase.claims");  // the database is down: these are kept
  ASSERT_EQ(server_.Start(), "");
  RunPhase("hfs.phase.output");
  run_->End();
  ASSERT_TRUE(telemetry_->Shutdown().has_value());

  TelemetryStats stats = telemetry_->stats();
  EXPECT_EQ(stats.sql_spans_written, kTotalSpans);
  EXPECT_EQ(stats.sql_spans_lost, 0u);
  EXPECT_THAT(telemetry_->DeliverySummary(),
              HasSubstr(fmt::format("SQL ({0} of {0} spans stored)", kTotalSpans)));
  auto db = store::OpenDatabase(server_.Url());
  ASSERT_TRUE(db.has_value()) << db.error().ToString();
  auto spans = store::LoadRunSpans(**db, kRunId);
  ASSERT_TRUE(spans.has_value()) << spans.error().ToString();
  ASSERT_EQ(spans->size(), kTotalSpans);
  std::set<std::string> ids;
  for (const trace::SpanData& span : *spans) ids.insert(ToHex(span.span_id));
  for (const trace::SpanData& span : *spans) {
    if (!span.IsRoot()) {
      EXPECT_TRUE(ids.count(ToHex(span.parent_span_id))) << span.name;
    }
  }
}

TEST_F(SpanStoreOutageTest, ADatabaseThatStaysDownIsReportedWithWhatWasLostAndWhy) {
  RunPhase("hfs.phase.input");
  server_.Kill();
  RunPhase("hfs.phase.claims");
  run_->End();
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(telemetry_->Shutdown().has_value());
  // The store retries for its 5 s window, then gives up.
  EXPECT_LT(std::chrono::steady_clock::now() - start, 20s);
  TelemetryStats stats = telemetry_->stats();
  const uint64_t lost = 1 + 1 + kSpansPerPhase;  // the claims phase and the root
  EXPECT_EQ(stats.sql_spans_written, 1u + kSpansPerPhase);
  EXPECT_EQ(stats.sql_spans_lost, lost);
  EXPECT_THAT(telemetry_->DeliverySummary(),
              HasSubstr(fmt::format("SQL ({} of {} spans stored; {} lost: span store: ",
                                    1 + kSpansPerPhase, 1 + lost + kSpansPerPhase, lost)));
  EXPECT_THAT(stats.sql_loss_reason, HasSubstr("after the run ended"));
  EXPECT_THAT(stats.sql_loss_reason, Not(HasSubstr("outage-test")));  // no password
}

}  // namespace
}  // namespace hfs::app
