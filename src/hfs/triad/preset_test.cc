#include "hfs/triad/preset.h"

#include <gtest/gtest.h>

namespace hfs::triad {
namespace {

TEST(PresetTest, NamesRoundTrip) {
  for (Preset preset : kAllPresets) EXPECT_EQ(ParsePreset(PresetName(preset)), preset);
  EXPECT_FALSE(ParsePreset("Hierarchical").has_value());
  EXPECT_FALSE(ParsePreset("").has_value());
}

TEST(PresetTest, RolesMatchTheOriginalTopologies) {
  EXPECT_EQ(DescribePreset(Preset::kHierarchical).roles[0], "orchestrator");
  EXPECT_EQ(DescribePreset(Preset::kDialectic).roles[1], "critic");
  EXPECT_EQ(DescribePreset(Preset::kConsensus).roles[2], "peer_3");
}

}  // namespace
}  // namespace hfs::triad
