#include "hfs/triad/code_review.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace hfs::triad {
namespace {

TEST(CodeReviewTest, TheToolRecordsAVerdictForOneOfTheWrittenSections) {
  CodeReview review;
  agent::Tool tool = ReviewCodeTool(review, {"page/hero", "page/faq"});
  EXPECT_FALSE(review.SentBack());
  EXPECT_FALSE(
      tool.parameters
          ->Validate({{"verdict", "send_back"}, {"section_id", "page/footer"}, {"reasons", "x"}})
          .empty());
  agent::ToolContext context;
  ASSERT_TRUE(tool.handler(
      {{"verdict", "send_back"}, {"section_id", "page/faq"}, {"reasons", "answers are lorem"}},
      context));
  EXPECT_TRUE(review.SentBack());
  EXPECT_EQ(review.section, "page/faq");
  EXPECT_EQ(review.reasons, "answers are lorem");
  ASSERT_TRUE(tool.handler({{"verdict", "approve"}, {"section_id", "page/faq"}, {"reasons", "ok"}},
                           context));
  EXPECT_FALSE(review.SentBack());
}

TEST(CodeReviewTest, LongFilesAreCutAtACharacterBoundaryWithANote) {
  std::string long_text(10, 'a');
  long_text += "\xC3\xA9";  // é straddles the cut
  long_text += std::string(20, 'b');
  const std::string text =
      CodeForReview({{.section = "page/hero", .path = "hero.html", .content = long_text},
                     {.section = "tokens", .path = "tokens.css", .content = ":root{}"}},
                    11);
  EXPECT_NE(text.find("### page/hero (hero.html)\n```\naaaaaaaaaa\n... (22 more characters "
                      "not shown)\n```"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("### tokens (tokens.css)\n```\n:root{}\n```"), std::string::npos) << text;
}

}  // namespace
}  // namespace hfs::triad
