#include "hfs/store/database_url.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace hfs::store {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::string_view kPassword = "Sup3rS3cret";

TEST(ParseDatabaseUrlTest, SqlitePaths) {
  struct Case {
    std::string url;
    std::string path;
  };
  for (const Case& c : std::vector<Case>{
           {"sqlite:///var/lib/hfs/usage.db", "/var/lib/hfs/usage.db"},
           {"sqlite:////var/lib/hfs/usage.db", "/var/lib/hfs/usage.db"},
           {"sqlite://data/usage.db", "data/usage.db"},
           {"sqlite://:memory:", ":memory:"},
           {"sqlite:///:memory:", ":memory:"},
           {"SQLite://usage.db", "usage.db"},
       }) {
    SCOPED_TRACE(c.url);
    auto url = ParseDatabaseUrl(c.url);
    ASSERT_TRUE(url.has_value()) << url.error().ToString();
    EXPECT_EQ(url->dialect, Dialect::kSqlite);
    EXPECT_EQ(url->path, c.path);
  }
}

TEST(ParseDatabaseUrlTest, MysqlFamily) {
  auto url = ParseDatabaseUrl("mysql://hfs:s3cr3t@db.example.com:3307/usage");
  ASSERT_TRUE(url.has_value()) << url.error().ToString();
  EXPECT_EQ(url->dialect, Dialect::kMysql);
  EXPECT_EQ(url->scheme, "mysql");
  EXPECT_EQ(url->user, "hfs");
  EXPECT_EQ(url->password, "s3cr3t");
  EXPECT_EQ(url->host, "db.example.com");
  EXPECT_EQ(url->port, 3307);
  EXPECT_EQ(url->database, "usage");
  EXPECT_TRUE(url->port_given);
  // No TLS parameter: MySQL clients' default, PREFERRED.
  EXPECT_FALSE(url->tls.mode.has_value());
  EXPECT_EQ(url->tls.EffectiveMode(), TlsMode::kPreferred);

  auto mariadb = ParseDatabaseUrl("mariadb://hfs:pw@localhost/usage");
  ASSERT_TRUE(mariadb.has_value());
  EXPECT_EQ(mariadb->dialect, Dialect::kMysql);
  EXPECT_EQ(mariadb->port, 3306);
  EXPECT_FALSE(mariadb->port_given);

  auto no_database = ParseDatabaseUrl("mysql://hfs@localhost");
  ASSERT_TRUE(no_database.has_value());
  EXPECT_EQ(no_database->password, "");
  EXPECT_EQ(no_database->database, "");

  auto ipv6 = ParseDatabaseUrl("mysql://u:p@[::1]:3310/db");
  ASSERT_TRUE(ipv6.has_value());
  EXPECT_EQ(ipv6->host, "::1");
  EXPECT_EQ(ipv6->port, 3310);
}

TEST(ParseDatabaseUrlTest, TidbCloudWithTlsAndEncodedCredentials) {
  auto url = ParseDatabaseUrl(
      "tidb://3xQ.root:p%40ss%2Fw%3Ard@gateway01.eu-central-1.prod.aws.tidbcloud.com/test"
      "?ssl-ca=/etc/ssl/certs/ca-certificates.crt&ssl-mode=VERIFY_IDENTITY");
  ASSERT_TRUE(url.has_value()) << url.error().ToString();
  EXPECT_EQ(url->user, "3xQ.root");
  EXPECT_EQ(url->password, "p@ss/w:rd");
  EXPECT_EQ(url->port, 4000);
  EXPECT_EQ(url->tls.ca, "/etc/ssl/certs/ca-certificates.crt");
  EXPECT_EQ(url->tls.EffectiveMode(), TlsMode::kVerifyIdentity);
  EXPECT_TRUE(url->tls.VerifiesServerCert());
}

TEST(ParseDatabaseUrlTest, TlsParameters) {
  auto url = ParseDatabaseUrl(
      "mysql://u:p@h/db?ssl_mode=required&ssl-cert=/c.pem&ssl-key=/k.pem&socket=/run/m.sock");
  ASSERT_TRUE(url.has_value()) << url.error().ToString();
  EXPECT_EQ(url->tls.EffectiveMode(), TlsMode::kRequired);
  EXPECT_FALSE(url->tls.VerifiesServerCert());
  EXPECT_EQ(url->tls.cert, "/c.pem");
  EXPECT_EQ(url->tls.key, "/k.pem");
  EXPECT_EQ(url->socket, "/run/m.sock");

  auto ca_only = ParseDatabaseUrl("mysql://u:p@h/db?ssl-ca=/ca.pem");
  ASSERT_TRUE(ca_only.has_value());
  EXPECT_EQ(ca_only->tls.EffectiveMode(), TlsMode::kVerifyIdentity);

  auto unverified =
      ParseDatabaseUrl("mysql://u:p@h/db?ssl-ca=/ca.pem&ssl-verify-server-cert=false");
  ASSERT_TRUE(unverified.has_value());
  EXPECT_EQ(unverified->tls.EffectiveMode(), TlsMode::kRequired);
  EXPECT_FALSE(unverified->tls.VerifiesServerCert());
}

TEST(ParseDatabaseUrlTest, TlsParametersResolveToOneMode) {
  struct Case {
    std::string parameters;
    std::optional<TlsMode> mode;
  };
  for (const Case& c : std::vector<Case>{
           {"", std::nullopt},
           {"ssl-mode=DISABLED", TlsMode::kDisabled},
           {"sslmode=preferred", TlsMode::kPreferred},
           {"ssl-mode=REQUIRED", TlsMode::kRequired},
           {"sslmode=REQUIRED", TlsMode::kRequired},
           {"ssl-mode=verify-ca&ssl-ca=/ca.pem", TlsMode::kVerifyCa},
           {"ssl-mode=VERIFY_IDENTITY", TlsMode::kVerifyIdentity},  // system CA store
           // Any TLS parameter without ssl-mode requires TLS.
           {"ssl-ca=/ca.pem", TlsMode::kVerifyIdentity},
           {"ssl-cert=/c.pem&ssl-key=/k.pem", TlsMode::kRequired},
           {"ssl-ca=/ca.pem&ssl-verify-server-cert=false", TlsMode::kRequired},
           {"ssl-verify-server-cert=true", TlsMode::kVerifyIdentity},
           {"ssl-mode=REQUIRED&ssl-ca=/ca.pem", TlsMode::kRequired},
           {"ssl-mode=VERIFY_IDENTITY&ssl-verify-server-cert=true", TlsMode::kVerifyIdentity},
           // PyMySQL's names, as in TiDB Cloud's sample URLs.
           {"ssl_ca=/ca.pem&ssl_verify_cert=true&ssl_verify_identity=true",
            TlsMode::kVerifyIdentity},
           {"ssl_ca=&ssl_verify_cert=true&ssl_verify_identity=true", TlsMode::kVerifyIdentity},
           {"ssl_verify_cert=true&ssl_verify_identity=true", TlsMode::kVerifyIdentity},
           {"ssl_ca=/ca.pem&ssl_verify_cert=true", TlsMode::kVerifyCa},
           {"ssl_ca=/ca.pem&ssl_verify_identity=false", TlsMode::kVerifyCa},
           {"ssl_verify_cert=false", TlsMode::kRequired},
           {"ssl_ca=/ca.pem&ssl_verify_cert=false", TlsMode::kRequired},
           {"ssl_ca=", std::nullopt},
       }) {
    SCOPED_TRACE(c.parameters);
    auto url = ParseDatabaseUrl("mysql://u:p@db.example.com/db?" + c.parameters);
    ASSERT_TRUE(url.has_value()) << url.error().ToString();
    EXPECT_EQ(url->tls.mode, c.mode);
  }
}

TEST(DatabaseUrlTest, IsLocalForSocketsAndLoopbackHosts) {
  for (std::string_view local : {"mysql://u@localhost/db", "mysql://u@localhost:3307/db",
                                 "mysql://u@127.0.0.1/db", "mysql://u@127.1.2.3:4000/db",
                                 "mysql://u@[::1]/db", "mysql://u@db.example.com/db?socket=/s"}) {
    SCOPED_TRACE(local);
    EXPECT_TRUE(ParseDatabaseUrl(local).value().IsLocal());
  }
  for (std::string_view remote : {"mysql://u@db.example.com/db", "mysql://u@192.0.2.2/db",
                                  "mysql://u@127.example.com/db", "mysql://u@[fd00::2]/db"}) {
    SCOPED_TRACE(remote);
    EXPECT_FALSE(ParseDatabaseUrl(remote).value().IsLocal());
  }
}

TEST(ParseDatabaseUrlTest, SqlAlchemyDriverSchemeAndRawAtInPassword) {
  auto url = ParseDatabaseUrl("mysql+pymysql://u:p@ss@h:4000/db?ssl_ca=/ca.pem");
  ASSERT_TRUE(url.has_value()) << url.error().ToString();
  EXPECT_EQ(url->dialect, Dialect::kMysql);
  EXPECT_EQ(url->scheme, "mysql+pymysql");
  EXPECT_EQ(url->password, "p@ss");
  EXPECT_EQ(url->host, "h");
  EXPECT_EQ(url->tls.ca, "/ca.pem");
}

TEST(ParseDatabaseUrlTest, BadUrlsAreInvalidArgumentsWithoutThePassword) {
  struct Case {
    std::string url;
    std::string message;  // a fragment of the expected message
  };
  std::string password(kPassword);
  for (const Case& c : std::vector<Case>{
           {"", "expected sqlite://PATH"},
           {"usage.db", "expected sqlite://PATH"},
           {"postgres://u:" + password + "@h/db", "unknown scheme 'postgres'"},
           {"mysql://h/db", "missing user name"},
           {"mysql://u:" + password + "/db", "missing user name"},
           {"mysql://:" + password + "@h/db", "missing user name"},
           {"mysql://u:" + password + "@/db", "missing host"},
           {"mysql://u:" + password + "@h:port/db", "port must be a number"},
           {"mysql://u:" + password + "@h:0/db", "port must be a number"},
           {"mysql://u:" + password + "@h:70000/db", "port must be a number"},
           {"mysql://u:" + password + "@[::1/db", "unclosed '['"},
           {"mysql://u:" + password + "%zz@h/db", "bad percent escape in the password"},
           {"mysql://u:" + password + "@h/db/extra", "must not contain '/'"},
           {"mysql://u:" + password + "@h/db?ssl-mode=maybe", "ssl-mode must be one of"},
           {"mysql://u:" + password + "@h/db?colour=blue", "unknown parameter 'colour'"},
           {"mysql://u:" + password + "@h/db?ssl-verify-server-cert=perhaps", "true or false"},
           {"mysql://u:" + password + "@h/db?ssl_verify_identity=maybe", "true or false"},
           {"mysql://u:" + password + "@h/db?ssl_verify_cert=true", "needs ssl-ca"},
           {"mysql://u:" + password + "@h/db?ssl-mode=VERIFY_CA", "needs ssl-ca"},
           {"mysql://u:" + password + "@h/db?ssl_verify_identity=true&ssl_verify_cert=false",
            "contradict each other"},
           {"mysql://u:" + password + "@h/db?ssl-verify-server-cert=false&ssl_verify_cert=true",
            "contradict each other"},
           {"mysql://u:" + password + "@h/db?ssl-mode=REQUIRED&ssl_verify_cert=true",
            "ssl-mode=REQUIRED contradicts"},
           {"mysql://u:" + password + "@h/db?ssl-mode=PREFERRED&ssl-verify-server-cert=true",
            "ssl-mode=PREFERRED contradicts"},
           {"mysql://u:" + password + "@h/db?ssl-mode=VERIFY_IDENTITY&ssl_verify_identity=false",
            "ssl-mode=VERIFY_IDENTITY contradicts"},
           {"sqlite://", "no path"},
           {"sqlite:///x.db?mode=ro", "take no parameters"},
       }) {
    SCOPED_TRACE(c.url);
    auto url = ParseDatabaseUrl(c.url);
    ASSERT_FALSE(url.has_value());
    EXPECT_EQ(url.error().code, ErrorCode::kInvalidArgument);
    EXPECT_THAT(url.error().message, HasSubstr(c.message));
    EXPECT_THAT(url.error().message, Not(HasSubstr(password)));
  }
}

TEST(DatabaseUrlTest, RedactedHidesThePassword) {
  struct Case {
    std::string url;
    std::string redacted;
  };
  for (const Case& c : std::vector<Case>{
           {"tidb://user:Sup3rS3cret@host/db", "tidb://user:***@host:4000/db"},
           {"mysql://user:Sup3rS3cret@host:3307/db", "mysql://user:***@host:3307/db"},
           {"mysql://user@host/db", "mysql://user@host:3306/db"},
           {"mysql://u:Sup3rS3cret@[::1]/db", "mysql://u:***@[::1]:3306/db"},
           {"mysql://u:Sup3rS3cret@h/db?ssl-mode=verify_ca&ssl-ca=/ca.pem",
            "mysql://u:***@h:3306/db?ssl-mode=VERIFY_CA&ssl-ca=/ca.pem"},
           {"mysql+pymysql://u:Sup3rS3cret@h:4000/db?ssl_ca=/ca.pem&ssl_verify_cert=true",
            "mysql+pymysql://u:***@h:4000/db?ssl-mode=VERIFY_CA&ssl-ca=/ca.pem"},
           {"sqlite:///var/hfs/usage.db", "sqlite:///var/hfs/usage.db"},
           {"sqlite://usage.db", "sqlite://usage.db"},
       }) {
    SCOPED_TRACE(c.url);
    auto url = ParseDatabaseUrl(c.url);
    ASSERT_TRUE(url.has_value()) << url.error().ToString();
    EXPECT_EQ(url->Redacted(), c.redacted);
    EXPECT_THAT(url->Redacted(), Not(HasSubstr(kPassword)));
  }
}

TEST(PercentDecodeTest, DecodesEscapesAndRejectsBadOnes) {
  EXPECT_EQ(PercentDecode("a%20b%2Fc%25"), "a b/c%");
  EXPECT_EQ(PercentDecode("plus+stays"), "plus+stays");
  EXPECT_EQ(PercentDecode("%4a%4A"), "JJ");
  EXPECT_EQ(PercentDecode("bad%2"), std::nullopt);
  EXPECT_EQ(PercentDecode("bad%"), std::nullopt);
  EXPECT_EQ(PercentDecode("bad%g1"), std::nullopt);
}

}  // namespace
}  // namespace hfs::store
