#include "hfs/triad/prompt_template.h"

#include <gtest/gtest.h>

namespace hfs::triad {
namespace {

TEST(PromptTemplateTest, ReplacesEveryPlaceholder) {
  Result<std::string> text =
      RenderTemplate("Build {{request}} for {{ triad }}; {{request}} again.",
                     {{"request", "a pricing page"}, {"triad", "layout"}, {"unused", "x"}}, "t.md");
  ASSERT_TRUE(text) << text.error().ToString();
  EXPECT_EQ(*text, "Build a pricing page for layout; a pricing page again.");
}

TEST(PromptTemplateTest, ValuesAreNotExpandedAgain) {
  Result<std::string> text = RenderTemplate("{{a}}", {{"a", "{{b}}"}}, "t.md");
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, "{{b}}");
}

TEST(PromptTemplateTest, MissingValuesAreNamed) {
  Result<std::string> text = RenderTemplate("{{a}} {{b}} {{c}}", {{"b", "1"}}, "phase.md");
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(text.error().message, "prompt template 'phase.md': no value for {{a}}, {{c}}");
}

TEST(PromptTemplateTest, MalformedPlaceholdersAreErrors) {
  EXPECT_FALSE(RenderTemplate("open {{name", {{"name", "x"}}, "t.md"));
  EXPECT_FALSE(RenderTemplate("bad {{na-me}}", {}, "t.md"));
  EXPECT_FALSE(RenderTemplate("empty {{}}", {}, "t.md"));
}

TEST(PromptTemplateTest, EscapedBracesStayLiteral) {
  Result<std::string> text = RenderTemplate("JSON: {{{{\"a\": 1}", {}, "t.md");
  ASSERT_TRUE(text) << text.error().ToString();
  EXPECT_EQ(*text, "JSON: {{\"a\": 1}");
}

TEST(PromptTemplateTest, ListsPlaceholders) {
  EXPECT_EQ(TemplatePlaceholders("{{a}} {{b}} {{a}} {{{{x}}"), (std::set<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace hfs::triad
