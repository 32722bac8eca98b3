// Integration tests of the MariaDB backend's TLS modes, host handling and retried errors,
// against private servers that this binary starts itself (see mariadb_test_server.h): one
// without TLS, listening on every address so that a test can reach it through a
// non-loopback address, and one with TLS whose certificate (for "localhost" only) comes
// from a throwaway CA made with the `openssl` command. Without mariadb-server every test
// is skipped; without openssl the TLS-on tests are skipped; the reason is shown.
#include <arpa/inet.h>
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <sstream>

#include "hfs/base/check.h"
#include "hfs/base/try.h"
#include "hfs/store/mariadb_test_server.h"
#include "hfs/store/open_database.h"

namespace hfs::store {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

constexpr auto kOpensslTimeout = 60s;

// A throwaway CA, a server certificate it signed for "localhost" (no IP address), and an
// unrelated CA, in a temporary directory removed with them.
class Certificates {
 public:
  Certificates() {
    std::string pattern = (std::filesystem::temp_directory_path() / "hfs-tls-XXXXXX").string();
    HFS_CHECK(::mkdtemp(pattern.data()) != nullptr, "mkdtemp failed");
    dir_ = pattern;
  }
  ~Certificates() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  Certificates(const Certificates&) = delete;
  Certificates& operator=(const Certificates&) = delete;

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path ca() const { return dir_ / "ca.pem"; }
  std::filesystem::path other_ca() const { return dir_ / "other-ca.pem"; }
  std::filesystem::path server_cert() const { return dir_ / "server.pem"; }
  std::filesystem::path server_key() const { return dir_ / "server.key"; }

 private:
  std::filesystem::path dir_;
};

Result<void> MakeCa(const std::filesystem::path& openssl, const std::filesystem::path& dir,
                    const std::string& name) {
  return RunProgram(
      {openssl.string(), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
       (dir / (name + ".key")).string(), "-out", (dir / (name + ".pem")).string(), "-days", "2",
       "-subj", "/CN=hfs-test-" + name, "-addext", "basicConstraints=critical,CA:TRUE", "-addext",
       "keyUsage=critical,keyCertSign,cRLSign"},
      dir / "openssl.log", kOpensslTimeout);
}

Result<void> MakeCertificates(const std::filesystem::path& openssl, const Certificates& certs) {
  const std::filesystem::path& dir = certs.dir();
  HFS_RETURN_IF_ERROR(MakeCa(openssl, dir, "ca"));
  HFS_RETURN_IF_ERROR(MakeCa(openssl, dir, "other-ca"));
  HFS_RETURN_IF_ERROR(RunProgram({openssl.string(), "req", "-newkey", "rsa:2048", "-nodes",
                                  "-keyout", certs.server_key().string(), "-out",
                                  (dir / "server.csr").string(), "-subj", "/CN=localhost"},
                                 dir / "openssl.log", kOpensslTimeout));
  std::ofstream(dir / "server.ext") << "subjectAltName=DNS:localhost\n"
                                       "basicConstraints=CA:FALSE\n"
                                       "extendedKeyUsage=serverAuth\n";
  return RunProgram(
      {openssl.string(), "x509", "-req", "-in", (dir / "server.csr").string(), "-CA",
       certs.ca().string(), "-CAkey", (dir / "ca.key").string(), "-set_serial", "2", "-days", "2",
       "-extfile", (dir / "server.ext").string(), "-out", certs.server_cert().string()},
      dir / "openssl.log", kOpensslTimeout);
}

// The servers, each started when a test first needs it and stopped after the last test.
class Servers final : public ::testing::Environment {
 public:
  static Servers& Get() {
    static auto* servers = new Servers;  // owned by GoogleTest once registered
    return *servers;
  }

  void TearDown() override {
    plain_.reset();
    tls_.reset();
    certificates_.reset();
  }

  // The server without TLS, listening on every address.
  Result<MariaDbTestServer*> Plain() {
    if (!plain_started_) {
      plain_started_ = true;
      plain_ = std::make_unique<MariaDbTestServer>();
      plain_result_ = plain_->Start({.bind_address = "0.0.0.0"});
    }
    HFS_RETURN_IF_ERROR(plain_result_);
    return plain_.get();
  }

  // The server with TLS (kFailedPrecondition without openssl).
  Result<MariaDbTestServer*> Tls() {
    if (!tls_started_) {
      tls_started_ = true;
      tls_result_ = StartTls();
    }
    HFS_RETURN_IF_ERROR(tls_result_);
    return tls_.get();
  }
  const Certificates& certificates() const { return *certificates_; }

 private:
  Result<void> StartTls() {
    auto openssl = FindProgram({"openssl"});
    if (!openssl) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "the openssl command is not installed; the TLS-on tests need it to make a "
                  "throwaway CA and server certificate");
    }
    certificates_ = std::make_unique<Certificates>();
    HFS_RETURN_IF_ERROR(MakeCertificates(*openssl, *certificates_));
    tls_ = std::make_unique<MariaDbTestServer>();
    return tls_->Start({.extra_arguments = {"--ssl-ca=" + certificates_->ca().string(),
                                            "--ssl-cert=" + certificates_->server_cert().string(),
                                            "--ssl-key=" + certificates_->server_key().string()}});
  }

  bool plain_started_ = false;
  Result<void> plain_result_ = Ok();
  std::unique_ptr<MariaDbTestServer> plain_;
  bool tls_started_ = false;
  Result<void> tls_result_ = Ok();
  std::unique_ptr<Certificates> certificates_;
  std::unique_ptr<MariaDbTestServer> tls_;
};

[[maybe_unused]] ::testing::Environment* const kServers =
    ::testing::AddGlobalTestEnvironment(&Servers::Get());

// Whether the connection of `db` is encrypted, as the server sees it.
bool Encrypted(Database& db) {
  auto rows = db.Query(
      "SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS "
      "WHERE VARIABLE_NAME = 'SSL_CIPHER'");
  return rows.has_value() && !rows->empty() && !ToText(rows->at(0).at(0)).empty();
}

// An IPv4 address of this machine that is not a loopback address, if it has one.
std::optional<std::string> NonLoopbackAddress() {
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return std::nullopt;
  std::optional<std::string> found;
  for (ifaddrs* entry = list; entry != nullptr && !found; entry = entry->ifa_next) {
    if (entry->ifa_addr == nullptr || entry->ifa_addr->sa_family != AF_INET) continue;
    auto* address = reinterpret_cast<sockaddr_in*>(entry->ifa_addr);
    if ((ntohl(address->sin_addr.s_addr) >> 24) == 127) continue;
    char text[INET_ADDRSTRLEN] = {};
    if (::inet_ntop(AF_INET, &address->sin_addr, text, sizeof(text)) != nullptr) found = text;
  }
  ::freeifaddrs(list);
  return found;
}

// Collects what is logged through the default logger while it lives.
class LogCapture {
 public:
  LogCapture() : previous_(spdlog::default_logger()) {
    spdlog::set_default_logger(std::make_shared<spdlog::logger>(
        "tls_test", std::make_shared<spdlog::sinks::ostream_sink_mt>(stream_)));
  }
  ~LogCapture() { spdlog::set_default_logger(previous_); }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  std::string text() const { return stream_.str(); }

 private:
  std::ostringstream stream_;
  std::shared_ptr<spdlog::logger> previous_;
};

size_t Count(const std::string& text, std::string_view fragment) {
  size_t count = 0;
  for (size_t at = text.find(fragment); at != std::string::npos; at = text.find(fragment, at + 1)) {
    ++count;
  }
  return count;
}

class PlainServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string reason = MariaDbTestServer::MissingReason(); !reason.empty()) {
      GTEST_SKIP() << reason;
    }
    auto server = Servers::Get().Plain();
    ASSERT_TRUE(server.has_value()) << server.error().ToString();
    server_ = *server;
  }

  std::unique_ptr<Database> Open(std::string_view host, std::string_view parameters = "") {
    auto db = OpenDatabase(server_->Url(host, parameters));
    EXPECT_TRUE(db.has_value()) << db.error().ToString();
    return db ? std::move(*db) : nullptr;
  }

  MariaDbTestServer* server_ = nullptr;
};

class TlsServerTest : public PlainServerTest {
 protected:
  void SetUp() override {
    if (std::string reason = MariaDbTestServer::MissingReason(); !reason.empty()) {
      GTEST_SKIP() << reason;
    }
    auto server = Servers::Get().Tls();
    if (!server && server.error().code == ErrorCode::kFailedPrecondition) {
      GTEST_SKIP() << server.error().message;
    }
    ASSERT_TRUE(server.has_value()) << server.error().ToString();
    server_ = *server;
  }
  std::string Ca() const { return Servers::Get().certificates().ca().string(); }
  std::string OtherCa() const { return Servers::Get().certificates().other_ca().string(); }
};

TEST_F(PlainServerTest, TlsRequiredRefusesAServerWithoutTls) {
  auto plain = Open("127.0.0.1", "ssl-mode=DISABLED");
  ASSERT_NE(plain, nullptr);
  ASSERT_FALSE(Encrypted(*plain));
  for (std::string parameters :
       {"ssl-mode=REQUIRED", "sslmode=REQUIRED", "ssl-mode=VERIFY_CA&ssl-ca=/nonexistent/ca.pem",
        "ssl-ca=/nonexistent/ca.pem&ssl-verify-server-cert=false", "ssl_verify_cert=false",
        "ssl-cert=/nonexistent/client.pem&ssl-key=/nonexistent/client.key"}) {
    SCOPED_TRACE(parameters);
    auto db = OpenDatabase(server_->Url("127.0.0.1", parameters));
    ASSERT_FALSE(db.has_value()) << "connected without TLS";
    EXPECT_EQ(db.error().code, ErrorCode::kUnavailable);
    EXPECT_THAT(db.error().message, HasSubstr("needs TLS but the server does not offer it"));
    EXPECT_THAT(db.error().message, HasSubstr("hfs:***@127.0.0.1"));
    EXPECT_THAT(db.error().message, Not(HasSubstr(server_->password())));
  }
  // Connector/C itself refuses before logging in when it is to verify the host name.
  auto identity = OpenDatabase(server_->Url("localhost", "ssl-mode=VERIFY_IDENTITY"));
  ASSERT_FALSE(identity.has_value());
  EXPECT_EQ(identity.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(identity.error().message, Not(HasSubstr(server_->password())));
}

TEST_F(PlainServerTest, WarnsOnceForARemoteHostWithoutTlsParameters) {
  std::optional<std::string> address = NonLoopbackAddress();
  if (!address) GTEST_SKIP() << "this machine has no non-loopback IPv4 address";
  LogCapture log;
  auto local = Open("127.0.0.1");
  auto explicit_mode = Open(*address, "ssl-mode=DISABLED");
  ASSERT_NE(local, nullptr);
  ASSERT_NE(explicit_mode, nullptr);
  EXPECT_THAT(log.text(), Not(HasSubstr("clear text")));

  auto remote = Open(*address);
  ASSERT_NE(remote, nullptr);
  EXPECT_FALSE(Encrypted(*remote));
  // A reconnect does not repeat the warning.
  int64_t id = ToInt(remote->Query("SELECT CONNECTION_ID()").value().at(0).at(0));
  ASSERT_TRUE(local->Execute(fmt::format("KILL CONNECTION {}", id)));
  ASSERT_TRUE(remote->Query("SELECT 1"));
  std::string text = log.text();
  EXPECT_EQ(Count(text, "clear text"), 1u) << text;
  EXPECT_THAT(text, HasSubstr(fmt::format("hfs:***@{}:{}", *address, server_->port())));
  EXPECT_THAT(text, HasSubstr("ssl-mode=VERIFY_IDENTITY"));
  EXPECT_THAT(text, Not(HasSubstr(server_->password())));
  EXPECT_THAT(text, Not(HasSubstr(PercentEncode(server_->password()))));
}

TEST_F(PlainServerTest, LocalhostWithAPortUsesThatTcpPort) {
  auto db = Open("localhost");
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(ToInt(db->Query("SELECT @@port").value().at(0).at(0)), server_->port());
}

// A compound statement that fails with `error_number` the first time it runs (it leaves a
// row in t) and succeeds the next time.
std::string FailsOnceWith(unsigned error_number) {
  return fmt::format(
      "BEGIN NOT ATOMIC IF (SELECT COUNT(*) FROM t) = 0 THEN INSERT INTO t VALUES (1); "
      "SIGNAL SQLSTATE 'HY000' SET MYSQL_ERRNO = {}, MESSAGE_TEXT = 'injected error {}'; "
      "END IF; END",
      error_number, error_number);
}

TEST_F(PlainServerTest, RunsAStatementTheServerAbortedOnceMore) {
  auto db = Open("127.0.0.1");
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Execute("CREATE OR REPLACE TABLE t (i BIGINT) ENGINE=InnoDB"));
  for (unsigned error_number : {8028u, 9007u, 8002u, 8005u, 8022u, 1213u}) {  // TiDB, deadlock
    SCOPED_TRACE(error_number);
    ASSERT_TRUE(db->Execute("DELETE FROM t"));
    auto ran = db->Execute(FailsOnceWith(error_number));
    EXPECT_TRUE(ran.has_value()) << ran.error().ToString();
    EXPECT_EQ(db->Query("SELECT COUNT(*) FROM t").value(), (Rows{{int64_t{1}}}));
  }
}

TEST_F(PlainServerTest, AnAbortedTransactionIsAbortedForTheCallerToRunAgain) {
  auto db = Open("127.0.0.1");
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Execute("CREATE OR REPLACE TABLE t (i BIGINT) ENGINE=InnoDB"));
  for (unsigned error_number : {8028u, 9007u, 8002u, 8005u, 8022u}) {
    SCOPED_TRACE(error_number);
    ASSERT_TRUE(db->Execute("DELETE FROM t"));
    auto ran = db->RunInTransaction(
        [&](Executor& tx) { return tx.Execute(FailsOnceWith(error_number)).map([](int64_t) {}); });
    ASSERT_FALSE(ran.has_value());
    EXPECT_EQ(ran.error().code, ErrorCode::kAborted) << ran.error().ToString();
  }
}

TEST_F(PlainServerTest, ReconnectsWhenTheServerClosedAnIdleConnection) {
  auto db = Open("127.0.0.1");
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Execute("CREATE OR REPLACE TABLE t (i BIGINT) ENGINE=InnoDB"));
  int64_t id = ToInt(db->Query("SELECT CONNECTION_ID()").value().at(0).at(0));
  auto ran = db->Execute(FailsOnceWith(4031));  // MySQL 8: disconnected for inactivity
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  EXPECT_NE(ToInt(db->Query("SELECT CONNECTION_ID()").value().at(0).at(0)), id);
}

TEST_F(TlsServerTest, WithoutTlsParametersTlsIsUsedWhenOffered) {
  auto db = Open("127.0.0.1");
  ASSERT_NE(db, nullptr);
  EXPECT_TRUE(Encrypted(*db));
  auto disabled = Open("127.0.0.1", "ssl-mode=DISABLED");
  ASSERT_NE(disabled, nullptr);
  EXPECT_FALSE(Encrypted(*disabled));
}

TEST_F(TlsServerTest, RequiredEncryptsWithoutVerifying) {
  for (std::string parameters : {"ssl-mode=REQUIRED", "sslmode=REQUIRED"}) {
    SCOPED_TRACE(parameters);
    auto db = Open("127.0.0.1", parameters);
    ASSERT_NE(db, nullptr);
    EXPECT_TRUE(Encrypted(*db));
  }
}

TEST_F(TlsServerTest, VerificationTurnedOffIsOffEvenWithACa) {
  // other-ca did not sign the server's certificate, and 127.0.0.1 is not its name.
  for (std::string parameters : {"ssl-ca=" + OtherCa() + "&ssl-verify-server-cert=false",
                                 "ssl_ca=" + OtherCa() + "&ssl_verify_cert=false",
                                 "ssl-mode=REQUIRED&ssl-ca=" + OtherCa()}) {
    SCOPED_TRACE(parameters);
    auto db = Open("127.0.0.1", parameters);
    ASSERT_NE(db, nullptr);
    EXPECT_TRUE(Encrypted(*db));
  }
}

TEST_F(TlsServerTest, VerifyCaChecksTheChainAndVerifyIdentityTheHostName) {
  auto chain = Open("127.0.0.1", "ssl-mode=VERIFY_CA&ssl-ca=" + Ca());
  ASSERT_NE(chain, nullptr);
  EXPECT_TRUE(Encrypted(*chain));
  auto identity = Open("localhost", "ssl-mode=VERIFY_IDENTITY&ssl-ca=" + Ca());
  ASSERT_NE(identity, nullptr);
  EXPECT_TRUE(Encrypted(*identity));

  for (auto [host, parameters] : std::vector<std::pair<std::string, std::string>>{
           {"127.0.0.1", "ssl-mode=VERIFY_CA&ssl-ca=" + OtherCa()},
           {"localhost", "ssl-mode=VERIFY_IDENTITY&ssl-ca=" + OtherCa()},
           {"127.0.0.1", "ssl-mode=VERIFY_IDENTITY&ssl-ca=" + Ca()},  // not its name
           {"localhost", "ssl-mode=VERIFY_IDENTITY"},  // the system store lacks the test CA
       }) {
    SCOPED_TRACE(host + " " + parameters);
    auto db = OpenDatabase(server_->Url(host, parameters));
    ASSERT_FALSE(db.has_value()) << "connected without a valid certificate";
    EXPECT_EQ(db.error().code, ErrorCode::kUnavailable);
    EXPECT_THAT(db.error().message, Not(HasSubstr(server_->password())));
  }
}

TEST_F(TlsServerTest, PyMySqlParametersOfTidbCloudSamples) {
  auto both =
      Open("localhost", "ssl_ca=" + Ca() + "&ssl_verify_cert=true&ssl_verify_identity=true");
  ASSERT_NE(both, nullptr);
  EXPECT_TRUE(Encrypted(*both));
  auto chain_only = Open("127.0.0.1", "ssl_ca=" + Ca() + "&ssl_verify_cert=true");
  ASSERT_NE(chain_only, nullptr);
  EXPECT_TRUE(Encrypted(*chain_only));
  auto wrong_name = OpenDatabase(server_->Url(
      "127.0.0.1", "ssl_ca=" + Ca() + "&ssl_verify_cert=true&ssl_verify_identity=true"));
  ASSERT_FALSE(wrong_name.has_value());
  EXPECT_EQ(wrong_name.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace hfs::store
