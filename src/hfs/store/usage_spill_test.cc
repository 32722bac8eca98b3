#include "hfs/store/usage_spill.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <thread>

#include "hfs/base/file.h"
#include "hfs/store/usage_store_contract_test.h"
#include "hfs/testing/temp_dir.h"

namespace hfs::store {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace std::chrono_literals;
using contract::Ids;
using contract::MakeUsage;

constexpr std::chrono::milliseconds kLockTimeout = 5s;

void AppendRaw(const std::filesystem::path& path, std::string_view text) {
  std::ofstream(path, std::ios::app | std::ios::binary) << text;
}

std::vector<UsageRecord> Read(const std::filesystem::path& path) {
  return ParseUsageSpill(ReadFile(path).value()).rows;
}

TEST(UsageSpillTest, RoundTripsEveryField) {
  testing::TempDir dir;
  auto path = dir.path() / "sub" / "usage.db.spill.jsonl";
  std::vector<UsageRecord> rows = {MakeUsage("a", 1), MakeUsage("b", -2, "cerebras")};
  rows[1].latency = std::chrono::nanoseconds(1234567);
  rows[1].model_answered = "";
  ASSERT_TRUE(AppendUsageSpill(path, rows, kLockTimeout).has_value());
  EXPECT_EQ(Read(path), rows);
  const std::string line = UsageSpillLine(rows[0]);
  EXPECT_EQ(line.find('\n'), line.size() - 1);
}

TEST(UsageSpillTest, ACutShortLastLineIsIgnoredAndTheNextAppendStartsANewLine) {
  testing::TempDir dir;
  auto path = dir.path() / "spill.jsonl";
  ASSERT_TRUE(AppendUsageSpill(path, std::vector{MakeUsage("a", 1)}, kLockTimeout).has_value());
  std::string torn = UsageSpillLine(MakeUsage("torn", 2));
  AppendRaw(path, torn.substr(0, torn.size() / 2));  // a crash in the middle of a write

  UsageSpillContents contents = ParseUsageSpill(ReadFile(path).value());
  EXPECT_THAT(Ids(contents.rows), ElementsAre("a"));
  EXPECT_TRUE(contents.torn_tail);
  EXPECT_TRUE(contents.unreadable_lines.empty());

  ASSERT_TRUE(AppendUsageSpill(path, std::vector{MakeUsage("b", 3)}, kLockTimeout).has_value());
  contents = ParseUsageSpill(ReadFile(path).value());
  EXPECT_THAT(Ids(contents.rows), ElementsAre("a", "b"));  // "b" is not glued to the fragment
  EXPECT_FALSE(contents.torn_tail);
  EXPECT_EQ(contents.unreadable_lines.size(), 1u);
}

TEST(UsageSpillTest, ReplayHandsTheRowsOverOnceAndRemovesTheFile) {
  testing::TempDir dir;
  auto path = dir.path() / "spill.jsonl";
  ASSERT_TRUE(
      AppendUsageSpill(path, std::vector{MakeUsage("a", 1), MakeUsage("b", 2)}, kLockTimeout)
          .has_value());
  std::vector<std::string> written;
  auto write = [&](const std::vector<UsageRecord>& rows) -> Result<void> {
    for (const UsageRecord& row : rows) written.push_back(row.request_id);
    return Ok();
  };
  auto replay = ReplayUsageSpill(path, write, kLockTimeout);
  ASSERT_TRUE(replay.has_value()) << replay.error().ToString();
  EXPECT_EQ(replay->rows, 2u);
  EXPECT_THAT(written, ElementsAre("a", "b"));
  EXPECT_FALSE(std::filesystem::exists(path));

  auto again = ReplayUsageSpill(path, write, kLockTimeout);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->rows, 0u);
  EXPECT_EQ(written.size(), 2u);
}

TEST(UsageSpillTest, AFailedWriteKeepsTheFile) {
  testing::TempDir dir;
  auto path = dir.path() / "spill.jsonl";
  ASSERT_TRUE(AppendUsageSpill(path, std::vector{MakeUsage("a", 1)}, kLockTimeout).has_value());
  auto replay = ReplayUsageSpill(
      path,
      [](const std::vector<UsageRecord>&) -> Result<void> {
        return Fail(ErrorCode::kUnavailable, "database down");
      },
      kLockTimeout);
  ASSERT_FALSE(replay.has_value());
  EXPECT_THAT(replay.error().message, HasSubstr("database down"));
  EXPECT_THAT(Ids(Read(path)), ElementsAre("a"));
}

TEST(UsageSpillTest, UnreadableLinesAreMovedAsideNotDropped) {
  testing::TempDir dir;
  auto path = dir.path() / "spill.jsonl";
  ASSERT_TRUE(AppendUsageSpill(path, std::vector{MakeUsage("a", 1)}, kLockTimeout).has_value());
  AppendRaw(path, "not json\n{\"v\":99,\"request_id\":\"future\"}\n");
  ASSERT_TRUE(AppendUsageSpill(path, std::vector{MakeUsage("b", 2)}, kLockTimeout).has_value());
  size_t rows = 0;
  auto replay = ReplayUsageSpill(
      path,
      [&](const std::vector<UsageRecord>& batch) -> Result<void> {
        rows += batch.size();
        return Ok();
      },
      kLockTimeout);
  ASSERT_TRUE(replay.has_value()) << replay.error().ToString();
  EXPECT_EQ(rows, 2u);
  EXPECT_EQ(replay->unreadable_lines, 2u);
  EXPECT_EQ(ReadFile(replay->rejected_path).value(),
            "not json\n{\"v\":99,\"request_id\":\"future\"}\n");
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(UsageSpillTest, ConcurrentAppendsLoseNothing) {
  testing::TempDir dir;
  auto path = dir.path() / "spill.jsonl";
  std::vector<std::jthread> threads;
  for (int thread = 0; thread < 4; ++thread) {
    threads.emplace_back([&path, thread] {
      for (int i = 0; i < 25; ++i) {
        std::vector rows = {MakeUsage(fmt::format("t{}-{}", thread, i), i)};
        EXPECT_TRUE(AppendUsageSpill(path, rows, kLockTimeout).has_value());
      }
    });
  }
  threads.clear();
  UsageSpillContents contents = ParseUsageSpill(ReadFile(path).value());
  EXPECT_EQ(contents.rows.size(), 100u);
  EXPECT_TRUE(contents.unreadable_lines.empty());
  EXPECT_FALSE(contents.torn_tail);
}

}  // namespace
}  // namespace hfs::store
