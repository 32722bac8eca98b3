#include "hfs/store/sqlite_database.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <thread>
#include <vector>

#include "hfs/store/open_database.h"
#include "hfs/testing/temp_dir.h"

namespace hfs::store {
namespace {

using ::testing::HasSubstr;

std::unique_ptr<Database> OpenOrDie(const std::filesystem::path& path) {
  auto db = OpenSqliteDatabase(path);
  EXPECT_TRUE(db.has_value()) << db.error().ToString();
  return db ? std::move(*db) : nullptr;
}

TEST(SqliteDatabaseTest, RoundTripsEveryValueTypeThroughParameters) {
  auto db = OpenOrDie(":memory:");
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->dialect(), Dialect::kSqlite);
  ASSERT_TRUE(db->Execute("CREATE TABLE t (i INTEGER, d REAL, s TEXT, n TEXT)").has_value());
  std::string text_with_nul("a\0b \xc3\xa9", 6);
  Params params = {int64_t{-9007199254740993}, 0.125, text_with_nul, kNull};
  auto inserted = db->Execute("INSERT INTO t (i, d, s, n) VALUES (?, ?, ?, ?)", params);
  ASSERT_TRUE(inserted.has_value()) << inserted.error().ToString();
  EXPECT_EQ(*inserted, 1);

  auto rows = db->Query("SELECT i, d, s, n FROM t WHERE i = ?", {int64_t{-9007199254740993}});
  ASSERT_TRUE(rows.has_value()) << rows.error().ToString();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0], params);
}

TEST(SqliteDatabaseTest, ExecuteCountsChangedRows) {
  auto db = OpenOrDie(":memory:");
  ASSERT_TRUE(db->Execute("CREATE TABLE t (i INTEGER)").has_value());
  for (int64_t i = 0; i < 5; ++i) ASSERT_TRUE(db->Execute("INSERT INTO t VALUES (?)", {i}));
  EXPECT_EQ(db->Execute("DELETE FROM t WHERE i >= ?", {int64_t{2}}).value(), 3);
  EXPECT_EQ(db->Query("SELECT COUNT(*) FROM t")->at(0).at(0), Value(int64_t{2}));
}

TEST(SqliteDatabaseTest, ClassifiesErrors) {
  auto db = OpenOrDie(":memory:");
  ASSERT_TRUE(db->Execute("CREATE TABLE t (id TEXT PRIMARY KEY)").has_value());

  auto bad_sql = db->Execute("INSERT INTO nowhere VALUES (1)");
  ASSERT_FALSE(bad_sql.has_value());
  EXPECT_EQ(bad_sql.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(bad_sql.error().message, HasSubstr("no such table"));

  auto wrong_count = db->Execute("INSERT INTO t VALUES (?)", {"a", "b"});
  ASSERT_FALSE(wrong_count.has_value());
  EXPECT_EQ(wrong_count.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(wrong_count.error().message, HasSubstr("takes 1 parameters, got 2"));

  auto two_statements = db->Execute("SELECT 1; SELECT 2");
  ASSERT_FALSE(two_statements.has_value());
  EXPECT_EQ(two_statements.error().code, ErrorCode::kInvalidArgument);

  ASSERT_TRUE(db->Execute("INSERT INTO t VALUES (?)", {"a"}).has_value());
  auto duplicate = db->Execute("INSERT INTO t VALUES (?)", {"a"});
  ASSERT_FALSE(duplicate.has_value());
  EXPECT_EQ(duplicate.error().code, ErrorCode::kAlreadyExists);
  // A failed statement leaves the connection usable.
  EXPECT_EQ(db->Query("SELECT COUNT(*) FROM t")->at(0).at(0), Value(int64_t{1}));
}

TEST(SqliteDatabaseTest, TransactionCommitsOrRollsBack) {
  auto db = OpenOrDie(":memory:");
  ASSERT_TRUE(db->Execute("CREATE TABLE t (i INTEGER)").has_value());
  auto committed = db->RunInTransaction([](Executor& tx) -> Result<void> {
    for (int64_t i = 0; i < 3; ++i) {
      if (auto r = tx.Execute("INSERT INTO t VALUES (?)", {i}); !r) return Fail(r.error());
    }
    return Ok();
  });
  ASSERT_TRUE(committed.has_value()) << committed.error().ToString();

  auto failed = db->RunInTransaction([](Executor& tx) -> Result<void> {
    EXPECT_TRUE(tx.Execute("INSERT INTO t VALUES (99)").has_value());
    return Fail(ErrorCode::kAborted, "changed my mind");
  });
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().code, ErrorCode::kAborted);

  auto failed_statement = db->RunInTransaction([](Executor& tx) -> Result<void> {
    EXPECT_TRUE(tx.Execute("INSERT INTO t VALUES (100)").has_value());
    return tx.Execute("INSERT INTO missing VALUES (1)").map([](int64_t) {});
  });
  ASSERT_FALSE(failed_statement.has_value());
  EXPECT_EQ(failed_statement.error().code, ErrorCode::kInvalidArgument);

  EXPECT_EQ(db->Query("SELECT COUNT(*), MAX(i) FROM t").value(), (Rows{{int64_t{3}, int64_t{2}}}));
}

TEST(SqliteDatabaseTest, CreatesParentDirectoriesUsesWalAndPersists) {
  testing::TempDir dir;
  auto path = dir.path() / "nested" / "deeper" / "usage.db";
  {
    auto db = OpenOrDie(path);
    ASSERT_NE(db, nullptr);
    EXPECT_EQ(db->Query("PRAGMA journal_mode").value(), (Rows{{std::string("wal")}}));
    ASSERT_TRUE(db->Execute("CREATE TABLE t (s TEXT)").has_value());
    ASSERT_TRUE(db->Execute("INSERT INTO t VALUES (?)", {"kept"}).has_value());
  }
  EXPECT_TRUE(std::filesystem::exists(path));
  auto reopened = OpenOrDie(path);
  EXPECT_EQ(reopened->Query("SELECT s FROM t").value(), (Rows{{std::string("kept")}}));
}

TEST(SqliteDatabaseTest, UnopenablePathIsUnavailable) {
  testing::TempDir dir;
  std::ofstream(dir.path() / "file") << "not a directory";
  auto db = OpenSqliteDatabase(dir.path() / "file" / "usage.db");
  ASSERT_FALSE(db.has_value());
  EXPECT_EQ(db.error().code, ErrorCode::kUnavailable);
}

TEST(SqliteDatabaseTest, FileThatIsNotADatabaseIsDataLoss) {
  testing::TempDir dir;
  std::ofstream(dir.path() / "junk.db") << std::string(4096, 'x');
  auto db = OpenSqliteDatabase(dir.path() / "junk.db");
  ASSERT_FALSE(db.has_value());
  EXPECT_EQ(db.error().code, ErrorCode::kDataLoss);
}

TEST(SqliteDatabaseTest, SharedBetweenThreads) {
  testing::TempDir dir;
  auto db = OpenOrDie(dir.path() / "shared.db");
  ASSERT_TRUE(db->Execute("CREATE TABLE t (thread INTEGER, i INTEGER)").has_value());
  std::vector<std::jthread> threads;
  for (int64_t thread = 0; thread < 4; ++thread) {
    threads.emplace_back([&db, thread] {
      for (int64_t i = 0; i < 50; ++i) {
        auto done = db->RunInTransaction([&](Executor& tx) -> Result<void> {
          return tx.Execute("INSERT INTO t VALUES (?, ?)", {thread, i}).map([](int64_t) {});
        });
        EXPECT_TRUE(done.has_value());
        EXPECT_TRUE(db->Query("SELECT COUNT(*) FROM t").has_value());
      }
    });
  }
  threads.clear();  // joins
  EXPECT_EQ(db->Query("SELECT COUNT(*) FROM t")->at(0).at(0), Value(int64_t{200}));
}

TEST(OpenDatabaseTest, OpensSqliteUrlsAndRejectsBadOnes) {
  testing::TempDir dir;
  auto db = OpenDatabase("sqlite://" + (dir.path() / "a" / "usage.db").string());
  ASSERT_TRUE(db.has_value()) << db.error().ToString();
  EXPECT_EQ((*db)->dialect(), Dialect::kSqlite);
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "a" / "usage.db"));

  auto bad = OpenDatabase("mysql://user:Sup3rS3cret@:1/db");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(bad.error().message, ::testing::Not(HasSubstr("Sup3rS3cret")));
}

TEST(OpenDatabaseTest, UnreachableServerIsUnavailableWithoutPassword) {
  // Port 1 on localhost: nothing listens there, so the connect is refused at once.
  auto db = OpenDatabase("mysql://user:Sup3rS3cret@127.0.0.1:1/db");
  ASSERT_FALSE(db.has_value());
  EXPECT_EQ(db.error().code, ErrorCode::kUnavailable) << db.error().ToString();
  EXPECT_THAT(db.error().message, HasSubstr("user:***@127.0.0.1:1/db"));
  EXPECT_THAT(db.error().message, ::testing::Not(HasSubstr("Sup3rS3cret")));
}

TEST(UsageDatabaseUrlTest, PrefersHfsThenTidbThenSqliteUnderHfsHome) {
  auto env = [](Env::Variables variables) { return Env(std::move(variables)); };
  EXPECT_EQ(
      UsageDatabaseUrl(env({{"HFS_DB_URL", "mysql://a@h/x"}, {"TIDB_DB_URL", "tidb://b@h/y"}})),
      "mysql://a@h/x");
  EXPECT_EQ(UsageDatabaseUrl(env({{"HFS_DB_URL", ""}, {"TIDB_DB_URL", "tidb://b@h/y"}})),
            "tidb://b@h/y");
  EXPECT_EQ(UsageDatabaseUrl(env({{"HFS_HOME", "/srv/hfs"}})), "sqlite:///srv/hfs/usage.db");
  EXPECT_EQ(UsageDatabaseUrl(env({{"HOME", "/home/ada"}})), "sqlite:///home/ada/.hfs/usage.db");
}

}  // namespace
}  // namespace hfs::store
