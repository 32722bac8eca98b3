#include "hfs/store/sqlite_database.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <thread>
#include <vector>

#include "hfs/store/open_database.h"
#include "hfs/store/usage_store.h"
#include "hfs/testing/temp_dir.h"

namespace hfs::store {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

// A connection of its own, outside HFS: another process's sqlite3 shell, say.
class RawConnection {
 public:
  explicit RawConnection(const std::filesystem::path& path) {
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
  }
  ~RawConnection() { sqlite3_close_v2(db_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  int Run(const char* sql) { return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr); }

 private:
  sqlite3* db_ = nullptr;
};

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

// Issue #17 item 17: a writer on a new file (still in rollback-journal mode) made
// `PRAGMA journal_mode=WAL` fail at once with "database is locked".
TEST(SqliteDatabaseTest, OpenWaitsForAWriterThatHoldsTheLockOfANewFile) {
  testing::TempDir dir;
  auto path = dir.path() / "usage.db";
  RawConnection writer(path);
  ASSERT_EQ(writer.Run("BEGIN IMMEDIATE; CREATE TABLE t (i INTEGER)"), SQLITE_OK);
  std::jthread release([&writer] {
    std::this_thread::sleep_for(300ms);  // well within the 5 s busy timeout
    EXPECT_EQ(writer.Run("COMMIT"), SQLITE_OK);
  });
  auto db = OpenSqliteDatabase(path);
  ASSERT_TRUE(db.has_value()) << db.error().ToString();
  release.join();
  EXPECT_EQ((*db)->Query("PRAGMA journal_mode").value(), (Rows{{std::string("wal")}}));
  EXPECT_EQ((*db)->Query("SELECT COUNT(*) FROM t").value(), (Rows{{int64_t{0}}}));
}

TEST(SqliteDatabaseTest, ALockHeldPastTheBusyTimeoutIsDeadlineExceeded) {
  testing::TempDir dir;
  auto path = dir.path() / "usage.db";
  RawConnection writer(path);
  ASSERT_EQ(writer.Run("BEGIN EXCLUSIVE; CREATE TABLE t (i INTEGER)"), SQLITE_OK);
  auto db = OpenSqliteDatabase(path, {.busy_timeout = 100ms});
  ASSERT_FALSE(db.has_value());
  EXPECT_EQ(db.error().code, ErrorCode::kDeadlineExceeded) << db.error().ToString();
  EXPECT_THAT(db.error().message, HasSubstr("locked"));
  EXPECT_EQ(writer.Run("COMMIT"), SQLITE_OK);
}

// The exit status of child `pid`; kills it when it is still running at `deadline`.
int WaitForChild(pid_t pid, std::chrono::steady_clock::time_point deadline) {
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(5ms);
  }
  return status;
}

// In a child process: opens `path`, migrates it and writes one usage row. Never returns.
[[noreturn]] void OpenMigrateAndWrite(const std::filesystem::path& path, int child) {
  auto db = OpenSqliteDatabase(path);
  if (!db) {
    fmt::print(stderr, "child {}: {}\n", child, db.error().ToString());
    ::_exit(1);
  }
  auto store = UsageStore::Open(std::move(*db));
  if (!store) {
    fmt::print(stderr, "child {}: {}\n", child, store.error().ToString());
    ::_exit(2);
  }
  (*store)->Record({.request_id = fmt::format("child-{}", child), .status = "ok"});
  ::_exit((*store)->Flush().has_value() ? 0 : 4);
}

// Issue #17 item 17: four `hfs run`s starting at once on a fresh $HFS_HOME while another
// process holds the write lock of the new file (as the first of them does while it sets
// the file up). Each is a process of its own; all must succeed.
TEST(SqliteDatabaseTest, FourProcessesOpeningANewFileAtOnceAllSucceed) {
  constexpr int kProcesses = 4;
  constexpr int kRounds = 3;
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE(fmt::format("round {}", round));
    testing::TempDir dir;
    std::filesystem::create_directories(dir.path() / "home");
    const auto path = dir.path() / "home" / "usage.db";
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    int start[2];
    int locked[2];
    ASSERT_EQ(::pipe(start), 0);
    ASSERT_EQ(::pipe(locked), 0);
    pid_t holder = ::fork();
    ASSERT_GE(holder, 0);
    if (holder == 0) {  // takes the write lock of the new file for a moment
      ::close(start[0]);
      ::close(start[1]);  // or the children would wait for this process to end
      RawConnection writer(path);
      if (writer.Run("BEGIN IMMEDIATE; CREATE TABLE held (i INTEGER)") != SQLITE_OK) ::_exit(1);
      if (::write(locked[1], "x", 1) != 1) ::_exit(1);
      std::this_thread::sleep_for(300ms);
      ::_exit(writer.Run("COMMIT") == SQLITE_OK ? 0 : 1);
    }
    ::close(locked[1]);
    char ready = 0;
    ASSERT_EQ(::read(locked[0], &ready, 1), 1) << "the lock holder failed";
    ::close(locked[0]);
    std::vector<pid_t> children;
    for (int child = 0; child < kProcesses; ++child) {
      pid_t pid = ::fork();
      ASSERT_GE(pid, 0);
      if (pid == 0) {
        ::close(start[1]);
        char go = 0;
        if (::read(start[0], &go, 1) != 0) ::_exit(3);  // returns 0 once the parent closes
        OpenMigrateAndWrite(path, child);
      }
      children.push_back(pid);
    }
    ::close(start[0]);
    ::close(start[1]);  // all children start now
    for (pid_t pid : children) {
      int status = WaitForChild(pid, deadline);
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
          << "a process failed (status " << status << ")";
    }
    int status = WaitForChild(holder, deadline);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the lock holder failed";
    auto db = OpenOrDie(path);
    ASSERT_NE(db, nullptr);
    EXPECT_EQ(db->Query("SELECT COUNT(*) FROM `usage`").value(), (Rows{{int64_t{kProcesses}}}));
  }
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

TEST(UsageSpillPathTest, BesideASqliteFileUnderHfsHomeForAServerNoneInMemory) {
  Env env(Env::Variables{{"HFS_HOME", "/srv/hfs"}});
  EXPECT_EQ(UsageSpillPath(ParseDatabaseUrl("sqlite:///data/usage.db").value(), env),
            std::filesystem::path("/data/usage.db.spill.jsonl"));
  EXPECT_EQ(UsageSpillPath(ParseDatabaseUrl("sqlite://:memory:").value(), env),
            std::filesystem::path());
  auto server =
      UsageSpillPath(ParseDatabaseUrl("mysql://hfs:S3cret@db.local:3307/hfs").value(), env);
  EXPECT_EQ(server, std::filesystem::path("/srv/hfs/usage-spill/hfs@db.local-3307-hfs.jsonl"));
  EXPECT_THAT(server.string(), ::testing::Not(HasSubstr("S3cret")));
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
