#include "hfs/app/usage_database.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <sstream>

#include "hfs/store/open_database.h"
#include "hfs/store/usage_spill.h"
#include "hfs/testing/temp_dir.h"

namespace hfs::app {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

store::UsageRecord Row(std::string id) {
  return {.request_id = std::move(id),
          .time = Timestamp(std::chrono::seconds(1767225600)),
          .provider = "groq",
          .status = "ok"};
}

class UsageDatabaseTest : public ::testing::Test {
 protected:
  Env env() const { return Env({{"HFS_HOME", dir_.path().string()}}); }
  std::filesystem::path db_path() const { return dir_.path() / "usage.db"; }
  std::filesystem::path spill_path() const { return dir_.path() / "usage.db.spill.jsonl"; }

  testing::TempDir dir_;
};

TEST_F(UsageDatabaseTest, WritesTheRowsAnEarlierRunSpilledAndSaysSo) {
  ASSERT_TRUE(store::AppendUsageSpill(spill_path(), std::vector{Row("r1"), Row("r2")}, 5s));
  std::ostringstream warnings;
  auto usage = OpenUsageStore(env(), {}, warnings);
  ASSERT_TRUE(usage.has_value()) << usage.error().ToString();
  EXPECT_THAT(warnings.str(), HasSubstr("Note: wrote 2 usage rows"));
  EXPECT_THAT(warnings.str(), HasSubstr(spill_path().string()));
  EXPECT_EQ((*usage)->Recent(Timestamp{}).value().size(), 2u);
  EXPECT_FALSE(std::filesystem::exists(spill_path()));
  EXPECT_EQ((*usage)->spill_path(), spill_path());
}

// Issue #17 item 17: a lock held past the busy timeout is not a bad URL.
TEST_F(UsageDatabaseTest, ALockedDatabaseGetsALockHintNotAUrlHint) {
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(db_path().c_str(), &other), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(other, "BEGIN EXCLUSIVE; CREATE TABLE t (i INTEGER)", nullptr, nullptr, nullptr),
      SQLITE_OK);
  std::ostringstream warnings;
  auto usage = OpenUsageStore(env(), {}, warnings);  // waits out the 5 s busy timeout
  sqlite3_close_v2(other);
  ASSERT_FALSE(usage.has_value());
  EXPECT_EQ(usage.error().code, ErrorCode::kDeadlineExceeded) << usage.error().ToString();
  EXPECT_THAT(usage.error().message, HasSubstr("database is locked"));
  EXPECT_THAT(usage.error().message, HasSubstr("Another process keeps the database locked"));
  EXPECT_THAT(usage.error().message, Not(HasSubstr("Fix the URL")));
}

TEST_F(UsageDatabaseTest, ABadUrlStillGetsTheUrlHint) {
  std::ostringstream warnings;
  auto usage = OpenUsageStore(env(), {.url = "mysql://hfs:pw@:1/db"}, warnings);
  ASSERT_FALSE(usage.has_value());
  EXPECT_THAT(usage.error().message, HasSubstr("Fix the URL"));
}

// Issue #17 item 9: a failed read of the rate-limit history was skipped silently.
TEST_F(UsageDatabaseTest, UnreadableHistoryIsAWarningAndNoRows) {
  std::ostringstream warnings;
  auto usage = OpenUsageStore(env(), {}, warnings);
  ASSERT_TRUE(usage.has_value()) << usage.error().ToString();
  auto other = store::OpenDatabase("sqlite://" + db_path().string()).value();
  ASSERT_TRUE(other->Execute("DROP TABLE `usage`").has_value());
  auto rows = RecentUsageOrWarn(**usage, Timestamp{}, warnings);
  EXPECT_TRUE(rows.empty());
  EXPECT_THAT(warnings.str(), HasSubstr("Warning: cannot read the recent usage"));
  EXPECT_THAT(warnings.str(), HasSubstr("no such table"));
  EXPECT_THAT(warnings.str(), HasSubstr("rate-limit windows start empty"));
}

TEST_F(UsageDatabaseTest, RecentUsageOrWarnIsQuietWhenTheHistoryReads) {
  std::ostringstream warnings;
  auto usage = OpenUsageStore(env(), {}, warnings);
  ASSERT_TRUE(usage.has_value());
  (*usage)->Record(Row("r1"));
  ASSERT_TRUE((*usage)->Flush().has_value());
  EXPECT_EQ(RecentUsageOrWarn(**usage, Timestamp{}, warnings).size(), 1u);
  EXPECT_EQ(warnings.str(), "");
}

TEST(UsageSavedLineTest, SaysHowManyRowsWereSpilledAndWhere) {
  EXPECT_EQ(UsageSavedLine({.recorded = 5, .written = 5}), "");
  EXPECT_EQ(UsageSavedLine({.recorded = 132,
                            .written = 28,
                            .spilled = 104,
                            .spill_path = "/h/usage.db.spill.jsonl",
                            .error = Error{ErrorCode::kUnavailable, "server gone"}}),
            "  usage: 28 of 132 rows written to the database; 104 saved to "
            "/h/usage.db.spill.jsonl (written at the next start) - server gone\n");
  EXPECT_THAT(UsageSavedLine({.recorded = 3, .unsaved = 3}), HasSubstr("3 LOST"));
}

}  // namespace
}  // namespace hfs::app
