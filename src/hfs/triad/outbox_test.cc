#include "hfs/triad/outbox.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

namespace hfs::triad {
namespace {

using spec::Decision;
using spec::StagedClaim;
using spec::StagedDecision;

TEST(OutboxTest, StartsEmpty) {
  Outbox outbox;
  EXPECT_TRUE(outbox.claims().empty());
  EXPECT_TRUE(outbox.decisions().empty());
  EXPECT_TRUE(outbox.files().empty());
}

TEST(OutboxTest, LaterClaimForTheSameSectionReplacesInPlace) {
  Outbox outbox;
  outbox.Claim({.triad = "t1", .section = "hero", .proposal = "first"});
  outbox.Claim({.triad = "t1", .section = "faq", .proposal = "faq"});
  outbox.Claim({.triad = "t1", .section = "hero", .proposal = "second", .justification = "why"});
  std::vector<StagedClaim> expected = {
      {.triad = "t1", .section = "hero", .proposal = "second", .justification = "why"},
      {.triad = "t1", .section = "faq", .proposal = "faq"}};
  EXPECT_EQ(outbox.claims(), expected);
}

TEST(OutboxTest, LaterDecisionForTheSameSectionReplacesInPlace) {
  Outbox outbox;
  outbox.Decide({.triad = "t1", .section = "hero", .decision = Decision::kHold});
  outbox.Decide({.triad = "t1", .section = "faq", .decision = Decision::kConcede});
  outbox.Decide({.triad = "t1",
                 .section = "hero",
                 .decision = Decision::kRevise,
                 .revised_proposal = "smaller"});
  std::vector<StagedDecision> expected = {
      {.triad = "t1",
       .section = "hero",
       .decision = Decision::kRevise,
       .revised_proposal = "smaller"},
      {.triad = "t1", .section = "faq", .decision = Decision::kConcede}};
  EXPECT_EQ(outbox.decisions(), expected);
}

TEST(OutboxTest, LaterFileWithTheSamePathReplacesInPlace) {
  Outbox outbox;
  outbox.AddFile({.section = "hero", .path = "hero.html", .content = "v1"});
  outbox.AddFile({.section = "hero", .path = "hero.css", .content = "css"});
  outbox.AddFile({.section = "hero", .path = "hero.html", .content = "v2"});
  // Another section's file at the same path is kept for the merger to resolve.
  outbox.AddFile({.section = "faq", .path = "hero.html", .content = "faq"});
  std::vector<StagedFile> expected = {{.section = "hero", .path = "hero.html", .content = "v2"},
                                      {.section = "hero", .path = "hero.css", .content = "css"},
                                      {.section = "faq", .path = "hero.html", .content = "faq"}};
  EXPECT_EQ(outbox.files(), expected);
}

TEST(OutboxTest, ClearDropsEverything) {
  Outbox outbox;
  outbox.Claim({.triad = "t1", .section = "hero", .proposal = "p"});
  outbox.Decide({.triad = "t1", .section = "hero"});
  outbox.AddFile({.section = "hero", .path = "hero.html", .content = "x"});
  outbox.Clear();
  EXPECT_TRUE(outbox.claims().empty());
  EXPECT_TRUE(outbox.decisions().empty());
  EXPECT_TRUE(outbox.files().empty());
}

TEST(OutboxTest, ConcurrentStagingLosesNothing) {
  Outbox outbox;
  constexpr int kPerThread = 200;
  auto stage = [&outbox](const std::string& prefix) {
    for (int i = 0; i < kPerThread; ++i) {
      std::string key = prefix + std::to_string(i);
      outbox.Claim({.triad = "t1", .section = key, .proposal = key});
      outbox.Decide({.triad = "t1", .section = key});
      outbox.AddFile({.section = key, .path = key + ".html", .content = key});
    }
  };
  {
    std::jthread a(stage, "a");
    std::jthread b(stage, "b");
  }
  EXPECT_EQ(outbox.claims().size(), 2u * kPerThread);
  EXPECT_EQ(outbox.decisions().size(), 2u * kPerThread);
  std::set<std::string> paths;
  for (const StagedFile& file : outbox.files()) paths.insert(file.path);
  EXPECT_EQ(paths.size(), 2u * kPerThread);
  EXPECT_TRUE(paths.contains("a0.html"));
  EXPECT_TRUE(paths.contains("b199.html"));
}

}  // namespace
}  // namespace hfs::triad
