#include "hfs/config/internal/yaml_reader.h"

#include <gtest/gtest.h>

namespace hfs::config::internal {
namespace {

TEST(YamlReaderTest, DidYouMeanPicksCloseWordsOnly) {
  std::vector<std::string> allowed = {"pressure", "sections", "triads", "output"};
  EXPECT_EQ(DidYouMean("presure", allowed), "pressure");
  EXPECT_EQ(DidYouMean("triad", allowed), "triads");
  EXPECT_EQ(DidYouMean("outptu", allowed), "output");
  EXPECT_FALSE(DidYouMean("colour", allowed).has_value());
}

TEST(YamlReaderTest, PathsJoin) {
  EXPECT_EQ(Child("", "triads"), "triads");
  EXPECT_EQ(Child(Index("triads", 2), "scope"), "triads[2].scope");
}

TEST(YamlReaderTest, LocatesIssuesOneBased) {
  YamlReader r("f.yaml");
  YAML::Node root = YAML::Load("a: 1\nb:\n  c: x\n");
  int64_t value = 0;
  r.Integer(root["b"], "c", "b", {0, 10}, value);
  ASSERT_EQ(r.issues().size(), 1u);
  EXPECT_EQ(r.issues()[0].ToString(), "f.yaml:3:6: b.c: expected a whole number, got 'x'");
  r.Integer(root, "a", "", {0, 10}, value);
  EXPECT_EQ(value, 1);
}

}  // namespace
}  // namespace hfs::config::internal
