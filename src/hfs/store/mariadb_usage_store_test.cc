// Integration tests of the MariaDB backend against a private mariadbd that this binary
// starts itself (temp datadir, free port on 127.0.0.1, a user with a password), and stops
// at the end. Without mariadb-server installed, every test is skipped with the reason.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "hfs/base/check.h"
#include "hfs/base/try.h"
#include "hfs/store/mariadb_database.h"
#include "hfs/store/mariadb_test_server.h"
#include "hfs/store/migrations.h"
#include "hfs/store/open_database.h"
#include "hfs/store/span_store_contract_test.h"
#include "hfs/store/usage_store_contract_test.h"
#include "hfs/testing/temp_dir.h"

namespace hfs::store {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

std::string ReadFileText(const std::filesystem::path& file) {
  std::ifstream stream(file);
  return std::string((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
}

// The private server, started once before the first test and stopped after the last.
class MariaDbServer final : public ::testing::Environment {
 public:
  static MariaDbServer& Get() {
    static auto* server = new MariaDbServer;  // owned by GoogleTest once registered
    return *server;
  }

  void SetUp() override {
    skip_reason_ = MariaDbTestServer::MissingReason();
    if (!skip_reason_.empty()) return;
    auto started = server_.Start({});
    if (!started) set_up_error_ = started.error().ToString();
  }
  void TearDown() override { server_.Stop(); }

  // Set when mariadb-server is not installed: the tests skip.
  const std::string& skip_reason() const { return skip_reason_; }
  // Set when it is installed but would not start: the tests fail.
  const std::string& set_up_error() const { return set_up_error_; }
  const std::string& password() const { return server_.password(); }
  int port() const { return server_.port(); }
  // mysql://hfs:<encoded password>@127.0.0.1:PORT/DATABASE
  std::string Url(std::string_view password, std::string_view database = "hfs_test") const {
    return fmt::format("mysql://hfs:{}@127.0.0.1:{}/{}", PercentEncode(password), port(), database);
  }
  std::string Url() const { return server_.Url(); }

  // Kills the server at once (SIGKILL), as a crash or an outage does.
  void Kill() { server_.Kill(); }
  // Starts the killed server again on the same port and data directory.
  Result<void> Restart() { return server_.Restart(); }

 private:
  MariaDbTestServer server_;
  std::string skip_reason_;
  std::string set_up_error_;
};

[[maybe_unused]] ::testing::Environment* const kServer =
    ::testing::AddGlobalTestEnvironment(&MariaDbServer::Get());

Result<std::unique_ptr<Database>> OpenTestDatabase() {
  return OpenDatabase(MariaDbServer::Get().Url());
}

// An empty hfs_test database for each test.
struct MariaDbBackend {
  MariaDbBackend() {
    auto db = OpenTestDatabase();
    HFS_CHECK(db.has_value(), db.error().ToString());
    HFS_CHECK((*db)->Execute("DROP TABLE IF EXISTS `usage`, spans, schema_version, t").has_value(),
              "cannot empty hfs_test");
  }
  static std::string SkipReason() { return MariaDbServer::Get().skip_reason(); }
  static std::string SetUpError() { return MariaDbServer::Get().set_up_error(); }
  Result<std::unique_ptr<Database>> Open() { return OpenTestDatabase(); }
};

class MariaDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string reason = MariaDbBackend::SkipReason(); !reason.empty()) {
      GTEST_SKIP() << reason;
    }
    if (std::string error = MariaDbBackend::SetUpError(); !error.empty()) FAIL() << error;
    backend_.emplace();
    auto db = backend_->Open();
    ASSERT_TRUE(db.has_value()) << db.error().ToString();
    db_ = std::move(*db);
  }
  const std::string& password() const { return MariaDbServer::Get().password(); }

  std::optional<MariaDbBackend> backend_;
  std::unique_ptr<Database> db_;
};

TEST_F(MariaDbTest, RoundTripsValuesThroughPreparedStatements) {
  EXPECT_EQ(db_->dialect(), Dialect::kMysql);
  ASSERT_TRUE(db_->Execute(
      "CREATE TABLE t (i BIGINT, d DOUBLE, s TEXT, n VARCHAR(8)) DEFAULT CHARSET=utf8mb4"));
  Params params = {int64_t{-9007199254740993}, 0.125, std::string("h\xc3\xa9llo \xf0\x9f\x8e\x89"),
                   kNull};
  auto inserted = db_->Execute("INSERT INTO t (i, d, s, n) VALUES (?, ?, ?, ?)", params);
  ASSERT_TRUE(inserted.has_value()) << inserted.error().ToString();
  EXPECT_EQ(*inserted, 1);
  auto rows = db_->Query("SELECT i, d, s, n FROM t WHERE i = ?", {int64_t{-9007199254740993}});
  ASSERT_TRUE(rows.has_value()) << rows.error().ToString();
  EXPECT_EQ(*rows, (Rows{params}));
  // SUM of integers is a DECIMAL in MySQL; it reads as an integer.
  EXPECT_EQ(db_->Query("SELECT SUM(i), COUNT(*) FROM t").value(),
            (Rows{{int64_t{-9007199254740993}, int64_t{1}}}));
}

TEST_F(MariaDbTest, TransactionRollsBackOnError) {
  ASSERT_TRUE(db_->Execute("CREATE TABLE t (i BIGINT) ENGINE=InnoDB"));
  auto failed = db_->RunInTransaction([](Executor& tx) -> Result<void> {
    HFS_TRY(tx.Execute("INSERT INTO t VALUES (?)", {int64_t{1}}));
    return Fail(ErrorCode::kAborted, "no");
  });
  EXPECT_FALSE(failed.has_value());
  auto committed = db_->RunInTransaction([](Executor& tx) -> Result<void> {
    HFS_TRY(tx.Execute("INSERT INTO t VALUES (?)", {int64_t{2}}));
    return Ok();
  });
  EXPECT_TRUE(committed.has_value());
  EXPECT_EQ(db_->Query("SELECT i FROM t").value(), (Rows{{int64_t{2}}}));
}

TEST_F(MariaDbTest, MigrationsAreIdempotentWithIndexes) {
  ASSERT_EQ(ApplyMigrations(*db_, StoreMigrations()).value(), 2);
  auto again = OpenTestDatabase().value();
  auto version = ApplyMigrations(*again, StoreMigrations());
  ASSERT_TRUE(version.has_value()) << version.error().ToString();
  EXPECT_EQ(*version, 2);
  EXPECT_EQ(db_->Query("SELECT COUNT(*) FROM schema_version").value(), (Rows{{int64_t{2}}}));
  Rows indexes = db_->Query(
                        "SELECT index_name, GROUP_CONCAT(column_name ORDER BY seq_in_index) "
                        "FROM information_schema.statistics WHERE table_schema = 'hfs_test' "
                        "AND table_name = 'usage' GROUP BY index_name ORDER BY index_name")
                     .value();
  EXPECT_EQ(indexes, (Rows{{std::string("PRIMARY"), std::string("request_id")},
                           {std::string("usage_provider_time"), std::string("provider,time")},
                           {std::string("usage_time"), std::string("time")}}));
}

TEST_F(MariaDbTest, WrongPasswordIsUnauthenticatedAndNeverShown) {
  std::string wrong = "Wr0ng-Pa55word";
  auto db = OpenDatabase(MariaDbServer::Get().Url(wrong));
  ASSERT_FALSE(db.has_value());
  EXPECT_EQ(db.error().code, ErrorCode::kUnauthenticated) << db.error().ToString();
  EXPECT_THAT(db.error().message, HasSubstr("Access denied"));
  EXPECT_THAT(db.error().message,
              HasSubstr(fmt::format("hfs:***@127.0.0.1:{}", MariaDbServer::Get().port())));
  EXPECT_THAT(db.error().message, Not(HasSubstr(wrong)));
  EXPECT_THAT(db.error().message, Not(HasSubstr(password())));
}

TEST_F(MariaDbTest, OtherErrorsAreClassifiedAndNeverShowThePassword) {
  auto other_database = OpenDatabase(MariaDbServer::Get().Url(password(), "not_granted"));
  ASSERT_FALSE(other_database.has_value());
  EXPECT_EQ(other_database.error().code, ErrorCode::kPermissionDenied);
  EXPECT_THAT(other_database.error().message, Not(HasSubstr(password())));

  // The SQL text is quoted in errors; a password inside it is replaced.
  auto bad = db_->Query(fmt::format("SELECT '{}' FROM missing_table", password()));
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(bad.error().message, HasSubstr("missing_table"));
  EXPECT_THAT(bad.error().message, HasSubstr("'***'"));
  EXPECT_THAT(bad.error().message, Not(HasSubstr(password())));

  auto wrong_count = db_->Query("SELECT ?", {int64_t{1}, int64_t{2}});
  ASSERT_FALSE(wrong_count.has_value());
  EXPECT_EQ(wrong_count.error().code, ErrorCode::kInvalidArgument);

  auto unreachable =
      OpenDatabase(fmt::format("mysql://hfs:{}@127.0.0.1:1/hfs_test", PercentEncode(password())));
  ASSERT_FALSE(unreachable.has_value());
  EXPECT_EQ(unreachable.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(unreachable.error().message, Not(HasSubstr(password())));
}

TEST_F(MariaDbTest, ReconnectsOnceAfterTheConnectionIsKilled) {
  int64_t id = ToInt(db_->Query("SELECT CONNECTION_ID()").value().at(0).at(0));
  auto killer = OpenTestDatabase().value();
  ASSERT_TRUE(killer->Execute(fmt::format("KILL CONNECTION {}", id)));
  auto after = db_->Query("SELECT CONNECTION_ID()");
  ASSERT_TRUE(after.has_value()) << after.error().ToString();
  EXPECT_NE(ToInt(after->at(0).at(0)), id);
}

// Issue #17 item 9: the server goes away before the end of a run. The rows it did not get
// are saved to the spill file, and the first start after it is back writes them, once.
TEST_F(MariaDbTest, RowsTheServerMissesAtTheEndOfARunAreSpilledAndReplayedOnce) {
  testing::TempDir dir;
  const auto spill = dir.path() / "usage-spill" / "hfs.jsonl";
  const UsageStoreOptions options = {
      .write_attempts = 2, .retry_pause = 10ms, .spill_path = spill, .close_timeout = 10s};
  auto store = UsageStore::Open(OpenTestDatabase().value(), options);
  ASSERT_TRUE(store.has_value()) << store.error().ToString();
  for (int i = 0; i < 28; ++i) (*store)->Record(contract::MakeUsage(fmt::format("a{:03}", i), i));
  ASSERT_TRUE((*store)->Flush().has_value());

  MariaDbServer::Get().Kill();
  for (int i = 0; i < 104; ++i) {
    (*store)->Record(contract::MakeUsage(fmt::format("b{:03}", i), 100 + i));
  }
  UsageCloseReport report = (*store)->Close();
  EXPECT_EQ(report.recorded, 132u);
  EXPECT_EQ(report.written, 28u);
  EXPECT_EQ(report.spilled, 104u);
  EXPECT_EQ(report.unsaved, 0u);
  ASSERT_TRUE(report.error.has_value());
  EXPECT_EQ(report.error->code, ErrorCode::kUnavailable) << report.error->ToString();
  EXPECT_THAT(report.error->message, Not(HasSubstr(password())));
  store->reset();
  db_.reset();  // its connection died with the server
  ASSERT_TRUE(std::filesystem::exists(spill));
  EXPECT_THAT(ReadFileText(spill), Not(HasSubstr(password())));

  auto restarted = MariaDbServer::Get().Restart();
  ASSERT_TRUE(restarted.has_value()) << restarted.error().ToString();
  auto next = UsageStore::Open(OpenTestDatabase().value(), options);
  ASSERT_TRUE(next.has_value()) << next.error().ToString();
  EXPECT_EQ((*next)->rows_replayed(), 104u);
  EXPECT_EQ((*next)->Recent(contract::BaseTime()).value().size(), 132u);
  EXPECT_FALSE(std::filesystem::exists(spill));
  next->reset();

  auto again = UsageStore::Open(OpenTestDatabase().value(), options);
  ASSERT_TRUE(again.has_value()) << again.error().ToString();
  EXPECT_EQ((*again)->rows_replayed(), 0u);
  EXPECT_EQ(ToInt(OpenTestDatabase().value()->Query("SELECT COUNT(*) FROM `usage`")->at(0).at(0)),
            132);
}

}  // namespace

namespace contract {
INSTANTIATE_TYPED_TEST_SUITE_P(MariaDb, UsageStoreContract, MariaDbBackend);
}  // namespace contract

namespace span_contract {
INSTANTIATE_TYPED_TEST_SUITE_P(MariaDb, SpanStoreContract, MariaDbBackend);
}  // namespace span_contract

}  // namespace hfs::store
