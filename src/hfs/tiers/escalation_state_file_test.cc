#include "hfs/tiers/escalation_state_file.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "hfs/base/file.h"
#include "hfs/testing/temp_dir.h"

namespace hfs::tiers {
namespace {

TEST(EscalationStateFileTest, PathIsBesideTheConfig) {
  EXPECT_EQ(EscalationStatePath("config/examples/standard.yaml"),
            std::filesystem::path("config/examples/.hfs/escalations.json"));
  EXPECT_EQ(EscalationStatePath("hfs.yaml"), std::filesystem::path(".hfs/escalations.json"));
  EXPECT_EQ(RoleKeyName({"layout", "critic"}), "layout:critic");
  EXPECT_EQ(RoleKeyName({"", "arbiter"}), "arbiter");
}

TEST(EscalationStateFileTest, MissingFileIsEmptyAndMergeKeepsTheStrongerTier) {
  testing::TempDir dir;
  const std::filesystem::path path = dir.path() / ".hfs" / "escalations.json";
  EXPECT_TRUE(ReadEscalationState(path).value().empty());
  ASSERT_TRUE(MergeEscalation(path, {"a", "critic"}, Tier::kReasoning));
  ASSERT_TRUE(MergeEscalation(path, {"a", "critic"}, Tier::kGeneral));
  ASSERT_TRUE(MergeEscalation(path, {"", "arbiter"}, Tier::kGeneral));
  EscalationMap state = ReadEscalationState(path).value();
  EXPECT_EQ(state, (EscalationMap{{{"a", "critic"}, Tier::kReasoning},
                                  {{"", "arbiter"}, Tier::kGeneral}}));
  EXPECT_NE(ReadFile(path).value().find("\"tier\": \"reasoning\""), std::string::npos);

  EXPECT_EQ(ClearEscalationState(path).value(), 2u);
  EXPECT_TRUE(ReadEscalationState(path).value().empty());
  EXPECT_EQ(ClearEscalationState(dir.path() / "none.json").value(), 0u);
}

TEST(EscalationStateFileTest, BadFilesAreDataLoss) {
  testing::TempDir dir;
  const std::filesystem::path path = dir.path() / "escalations.json";
  for (const char* text :
       {"[]", R"({"escalations": [{"role": "critic", "tier": "premium"}]})",
        R"({"escalations": [{"tier": "fast"}]})", R"({"version": 7, "escalations": []})"}) {
    ASSERT_TRUE(WriteFileAtomic(path, text));
    Result<EscalationMap> state = ReadEscalationState(path);
    ASSERT_FALSE(state) << text;
    EXPECT_EQ(state.error().code, ErrorCode::kDataLoss) << text;
  }
  // Reset clears a bad file too.
  EXPECT_EQ(ClearEscalationState(path).value(), 0u);
  EXPECT_TRUE(ReadEscalationState(path).value().empty());
}

TEST(EscalationStateFileTest, ConcurrentMergesFromThreadsKeepEveryEntry) {
  testing::TempDir dir;
  const std::filesystem::path path = dir.path() / "escalations.json";
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        ASSERT_TRUE(MergeEscalation(path, {std::to_string(t), "peer_" + std::to_string(i)},
                                    Tier::kGeneral));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(ReadEscalationState(path).value().size(), 40u);
}

}  // namespace
}  // namespace hfs::tiers
