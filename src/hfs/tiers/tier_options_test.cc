#include "hfs/tiers/tier_options.h"

#include <gtest/gtest.h>

#include "hfs/tiers/phase.h"

namespace hfs::tiers {
namespace {

TEST(TierOptionsTest, NamesRoundTrip) {
  for (Tier tier : kAllTiers) EXPECT_EQ(ParseTier(TierName(tier)), tier);
  for (Phase phase : kAllPhases) EXPECT_EQ(ParsePhase(PhaseName(phase)), phase);
  EXPECT_FALSE(ParseTier("premium").has_value());
  EXPECT_FALSE(ParsePhase("review").has_value());
}

TEST(TierOptionsTest, DefaultsMatchTheOriginal) {
  ModelTiersOptions tiers = DefaultModelTiers();
  ASSERT_EQ(tiers.tiers.size(), 3u);
  EXPECT_EQ(tiers.tiers[Tier::kFast].providers["cerebras"], "zai-glm-4.7");
  EXPECT_EQ(tiers.role_defaults["code_execution"], Tier::kFast);
  EXPECT_EQ(tiers.role_defaults["synthesizer"], Tier::kReasoning);
  EXPECT_EQ(tiers.phase_overrides["execution"]["worker_b"], Tier::kFast);
  EXPECT_TRUE(tiers.escalation_state.empty());
  EXPECT_EQ(tiers.code_models,
            (std::vector<ModelRef>{{"cerebras", "zai-glm-4.7"}, {"cerebras", "gpt-oss-120b"}}));
}

}  // namespace
}  // namespace hfs::tiers
