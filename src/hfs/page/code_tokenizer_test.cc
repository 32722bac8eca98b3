#include "hfs/page/code_tokenizer.h"

#include <gtest/gtest.h>

namespace hfs::page {
namespace {

std::vector<ScanProblemKind> Kinds(const CodeScan& scan) {
  std::vector<ScanProblemKind> kinds;
  for (const ScanProblem& problem : scan.problems) kinds.push_back(problem.kind);
  return kinds;
}

TEST(CodeTokenizerTest, BracketsInsideStringsDoNotCount) {
  CodeScan scan = ScanCode("const a = '(['; const b = \"}}\"; f(a, b);\n", CodeDialect::kScript);
  EXPECT_TRUE(scan.problems.empty());
  EXPECT_EQ(scan.code.size(), std::string("const a = '(['; const b = \"}}\"; f(a, b);\n").size());
  EXPECT_EQ(scan.code.find('['), std::string::npos);
}

TEST(CodeTokenizerTest, QuotesInCommentsAreIgnored) {
  CodeScan scan =
      ScanCode("// don't count this '\n/* it's \"odd\" ( */\nlet x = 1;\n", CodeDialect::kScript);
  EXPECT_TRUE(scan.problems.empty());
  EXPECT_EQ(scan.uncommented.find("don't"), std::string::npos);
}

TEST(CodeTokenizerTest, TemplateLiteralWithNestedExpressions) {
  CodeScan scan = ScanCode("const s = `a ${ {x: 1}.x } b ${`inner ${f({y: [1]})}`} c`;\n",
                           CodeDialect::kScript);
  EXPECT_TRUE(scan.problems.empty()) << scan.problems.front().message;
}

TEST(CodeTokenizerTest, EscapedQuotes) {
  CodeScan scan =
      ScanCode("const a = 'it\\'s'; const b = \"say \\\"(\\\"\";\n", CodeDialect::kScript);
  EXPECT_TRUE(scan.problems.empty());
}

TEST(CodeTokenizerTest, UnterminatedStringReportsItsLine) {
  CodeScan scan = ScanCode("let a = 1;\nlet b = 'open;\nlet c = 2;\n", CodeDialect::kScript);
  ASSERT_EQ(Kinds(scan), std::vector<ScanProblemKind>{ScanProblemKind::kUnterminatedString});
  EXPECT_EQ(scan.problems[0].line, 2);
}

TEST(CodeTokenizerTest, UnterminatedTemplateAndComment) {
  CodeScan templ = ScanCode("a;\nconst s = `never\nclosed;\n", CodeDialect::kScript);
  ASSERT_EQ(Kinds(templ), std::vector<ScanProblemKind>{ScanProblemKind::kUnterminatedTemplate});
  EXPECT_EQ(templ.problems[0].line, 2);
  CodeScan comment = ScanCode("a;\n\n/* open\n", CodeDialect::kCss);
  ASSERT_EQ(Kinds(comment), std::vector<ScanProblemKind>{ScanProblemKind::kUnterminatedComment});
  EXPECT_EQ(comment.problems[0].line, 3);
}

TEST(CodeTokenizerTest, BracketMismatchAndUnclosed) {
  CodeScan mismatch = ScanCode("f(\n  [1, 2)\n);\n", CodeDialect::kScript);
  ASSERT_FALSE(mismatch.problems.empty());
  EXPECT_EQ(mismatch.problems[0].kind, ScanProblemKind::kMismatchedBracket);
  EXPECT_EQ(mismatch.problems[0].line, 2);
  EXPECT_EQ(mismatch.problems.size(), 1u);  // only the first bracket problem
  CodeScan unclosed = ScanCode("function f() {\n  if (x) {\n}\n", CodeDialect::kScript);
  ASSERT_EQ(Kinds(unclosed), std::vector<ScanProblemKind>{ScanProblemKind::kUnclosedBracket});
  EXPECT_EQ(unclosed.problems[0].line, 1);
  CodeScan stray = ScanCode("a;\n}\n", CodeDialect::kScript);
  ASSERT_EQ(Kinds(stray), std::vector<ScanProblemKind>{ScanProblemKind::kUnexpectedBracket});
  EXPECT_EQ(stray.problems[0].line, 2);
}

TEST(CodeTokenizerTest, RegexLiteralWithQuoteAndBracket) {
  CodeScan scan = ScanCode("const r = /['(]/g; const d = a / b / c;\n", CodeDialect::kScript);
  EXPECT_TRUE(scan.problems.empty());
}

TEST(CodeTokenizerTest, JsxTextWithApostrophesAndBraces) {
  std::string source =
      "export default function Hero() {\n"
      "  return (\n"
      "    <section className=\"hero\">\n"
      "      <p>Don't (miss) it</p>\n"
      "      {items.map((i) => <li key={i.id}>{i.name}</li>)}\n"
      "    </section>\n"
      "  );\n"
      "}\n";
  CodeScan scan = ScanCode(source, CodeDialect::kJsx);
  EXPECT_TRUE(scan.problems.empty()) << scan.problems.front().message;
  EXPECT_EQ(scan.jsx_elements, 3);
  EXPECT_EQ(scan.code.find("Don't"), std::string::npos);
}

TEST(CodeTokenizerTest, JsxMismatchedClosingTag) {
  CodeScan scan =
      ScanCode("const a = (\n  <div>\n    <span>x</div>\n  </span>\n);\n", CodeDialect::kJsx);
  ASSERT_FALSE(scan.problems.empty());
  EXPECT_EQ(scan.problems[0].kind, ScanProblemKind::kMismatchedJsxTag);
  EXPECT_EQ(scan.problems[0].line, 3);
}

TEST(CodeTokenizerTest, GenericsAndComparisonsAreNotJsx) {
  CodeScan scan = ScanCode("const [a, setA] = useState<string>('');\nif (i < n && n > 2) {}\n",
                           CodeDialect::kJsx);
  EXPECT_TRUE(scan.problems.empty());
  EXPECT_EQ(scan.jsx_elements, 0);
}

TEST(CodeTokenizerTest, CssHasNoLineCommentsButBlockComments) {
  CodeScan scan = ScanCode("a { background: url(http://x/y.png); }\n/* } */\n", CodeDialect::kCss);
  EXPECT_TRUE(scan.problems.empty());
}

TEST(CodeTokenizerTest, ScanTagsReadsAttributesAndSkipsCommentsAndScripts) {
  std::string html =
      "<!DOCTYPE html>\n<!-- <img> -->\n<div class=\"a > b\" onClick={() => go('>')}>\n"
      "<script>if (a < b) {}</script>\n<img src=\"x.png\" />\n</div>\n";
  std::vector<MarkupTag> tags = ScanTags(html);
  ASSERT_EQ(tags.size(), 5u);
  EXPECT_EQ(tags[0].name, "div");
  EXPECT_EQ(tags[0].line, 3);
  EXPECT_TRUE(HasAttribute(tags[0].attributes, "onclick"));
  EXPECT_EQ(AttributeValue(tags[0].attributes, "class"), "a > b");
  EXPECT_EQ(tags[1].name, "script");
  EXPECT_TRUE(tags[2].closing);
  EXPECT_TRUE(tags[3].self_closing);
  EXPECT_FALSE(HasAttribute(tags[3].attributes, "alt"));
  EXPECT_TRUE(tags[4].closing);
}

}  // namespace
}  // namespace hfs::page
