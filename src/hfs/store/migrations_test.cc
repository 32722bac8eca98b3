#include "hfs/store/migrations.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>

#include "hfs/store/sqlite_database.h"
#include "hfs/testing/temp_dir.h"

namespace hfs::store {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> Column(const Rows& rows, size_t column) {
  std::vector<std::string> values;
  for (const Row& row : rows) values.push_back(ToText(row.at(column)));
  return values;
}

TEST(MigrationsTest, CreatesUsageTableWithIndexes) {
  auto db = OpenSqliteDatabase(":memory:").value();
  EXPECT_EQ(SchemaVersion(*db).value(), 0);
  auto version = ApplyMigrations(*db, StoreMigrations());
  ASSERT_TRUE(version.has_value()) << version.error().ToString();
  EXPECT_EQ(*version, 2);
  EXPECT_EQ(SchemaVersion(*db).value(), 2);

  Rows columns = db->Query("PRAGMA table_info(`usage`)").value();
  EXPECT_THAT(Column(columns, 1),
              ElementsAre("request_id", "time", "provider", "model_requested", "model_answered",
                          "key_id", "scope", "status", "http_status", "prompt_tokens",
                          "completion_tokens", "latency_ms", "run_id", "triad", "role", "phase"));
  Rows indexes = db->Query("PRAGMA index_list(`usage`)").value();
  EXPECT_THAT(Column(indexes, 1), ::testing::IsSupersetOf({"usage_time", "usage_provider_time"}));
  Rows provider_time = db->Query("PRAGMA index_info(usage_provider_time)").value();
  EXPECT_THAT(Column(provider_time, 2), ElementsAre("provider", "time"));
}

TEST(MigrationsTest, CreatesSpansTableWithIndexes) {
  auto db = OpenSqliteDatabase(":memory:").value();
  ASSERT_EQ(ApplyMigrations(*db, StoreMigrations()).value(), 2);
  Rows columns = db->Query("PRAGMA table_info(spans)").value();
  EXPECT_THAT(Column(columns, 1),
              ElementsAre("trace_id", "span_id", "parent_span_id", "run_id", "name", "kind",
                          "start_unix_nano", "end_unix_nano", "status_code", "error_type",
                          "input_tokens", "output_tokens", "model", "span_json"));
  Rows indexes = db->Query("PRAGMA index_list(spans)").value();
  EXPECT_THAT(Column(indexes, 1), ::testing::IsSupersetOf({"spans_run", "spans_start"}));
}

TEST(MigrationsTest, IdempotentAcrossOpens) {
  testing::TempDir dir;
  auto path = dir.path() / "usage.db";
  {
    auto db = OpenSqliteDatabase(path).value();
    ASSERT_EQ(ApplyMigrations(*db, StoreMigrations()).value(), 2);
    ASSERT_TRUE(db->Execute("INSERT INTO `usage` (request_id, `time`) VALUES ('r1', 5)"));
    ASSERT_EQ(ApplyMigrations(*db, StoreMigrations()).value(), 2);
  }
  auto db = OpenSqliteDatabase(path).value();
  auto again = ApplyMigrations(*db, StoreMigrations());
  ASSERT_TRUE(again.has_value()) << again.error().ToString();
  EXPECT_EQ(*again, 2);
  EXPECT_EQ(
      db->Query("SELECT version, name FROM schema_version ORDER BY version").value(),
      (Rows{{int64_t{1}, std::string("create usage")}, {int64_t{2}, std::string("create spans")}}));
  EXPECT_EQ(db->Query("SELECT request_id FROM `usage`").value(), (Rows{{std::string("r1")}}));
}

std::vector<std::string> CreateA(Dialect) { return {"CREATE TABLE IF NOT EXISTS a (x INTEGER)"}; }
std::vector<std::string> CreateB(Dialect) { return {"CREATE TABLE IF NOT EXISTS b (y INTEGER)"}; }
std::vector<std::string> Broken(Dialect) {
  return {"CREATE TABLE IF NOT EXISTS c (z INTEGER)", "THIS IS NOT SQL"};
}

TEST(MigrationsTest, AppliesOnlyNewMigrationsInOrder) {
  auto db = OpenSqliteDatabase(":memory:").value();
  std::array<Migration, 1> first = {{{.version = 1, .name = "a", .statements = &CreateA}}};
  ASSERT_EQ(ApplyMigrations(*db, first).value(), 1);
  ASSERT_TRUE(db->Execute("INSERT INTO a VALUES (7)"));

  std::array<Migration, 2> both = {{{.version = 1, .name = "a", .statements = &CreateA},
                                    {.version = 2, .name = "b", .statements = &CreateB}}};
  ASSERT_EQ(ApplyMigrations(*db, both).value(), 2);
  EXPECT_EQ(db->Query("SELECT x FROM a").value(), (Rows{{int64_t{7}}}));
  EXPECT_TRUE(db->Query("SELECT y FROM b").has_value());
  EXPECT_THAT(Column(db->Query("SELECT name FROM schema_version ORDER BY version").value(), 0),
              ElementsAre("a", "b"));
}

TEST(MigrationsTest, FailedMigrationIsRolledBackAndNamed) {
  auto db = OpenSqliteDatabase(":memory:").value();
  std::array<Migration, 2> migrations = {{{.version = 1, .name = "a", .statements = &CreateA},
                                          {.version = 2, .name = "broken", .statements = &Broken}}};
  auto version = ApplyMigrations(*db, migrations);
  ASSERT_FALSE(version.has_value());
  EXPECT_EQ(version.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(version.error().message, HasSubstr("migration 2 (broken)"));
  EXPECT_EQ(SchemaVersion(*db).value(), 1);
  // SQLite DDL is transactional: the broken migration's first table is gone.
  EXPECT_FALSE(db->Query("SELECT z FROM c").has_value());
}

TEST(MigrationsTest, NewerDatabaseIsAFailedPrecondition) {
  auto db = OpenSqliteDatabase(":memory:").value();
  ASSERT_EQ(ApplyMigrations(*db, StoreMigrations()).value(), 2);
  ASSERT_TRUE(db->Execute("INSERT INTO schema_version (version, name) VALUES (9, 'future')"));
  auto version = ApplyMigrations(*db, StoreMigrations());
  ASSERT_FALSE(version.has_value());
  EXPECT_EQ(version.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_THAT(version.error().message, HasSubstr("version 9 is newer"));
}

}  // namespace
}  // namespace hfs::store
