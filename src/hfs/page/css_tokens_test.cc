#include "hfs/page/css_tokens.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hfs/page/css_rules.h"

namespace hfs::page {
namespace {

using ::testing::ElementsAre;

using K = CssTokenKind;

std::vector<K> Kinds(std::string_view css) {
  std::vector<K> kinds;
  for (const CssToken& token : TokenizeCss(css)) {
    if (token.kind != K::kWhitespace) kinds.push_back(token.kind);
  }
  return kinds;
}

std::vector<std::string> Texts(std::string_view css) {
  std::vector<std::string> texts;
  for (const CssToken& token : TokenizeCss(css)) {
    if (token.kind != K::kWhitespace) texts.emplace_back(CssTokenText(css, token));
  }
  return texts;
}

TEST(CssTokensTest, TokensCoverTheInput) {
  std::string css = "a{b:url(x) \"s\\\"\" /* c */ #h 1.5e3px -x --y 50% @m f( <!-- --> \\ }";
  std::string joined;
  for (const CssToken& token : TokenizeCss(css)) joined += CssTokenText(css, token);
  EXPECT_EQ(joined, css);
}

TEST(CssTokensTest, Kinds) {
  EXPECT_THAT(Kinds("@media #id .c:hover{x:1px;}[a=b],(f(2)) -->"),
              ElementsAre(K::kAtKeyword, K::kHash, K::kDelim, K::kIdent, K::kColon, K::kIdent,
                          K::kOpenCurly, K::kIdent, K::kColon, K::kNumber, K::kSemicolon,
                          K::kCloseCurly, K::kOpenSquare, K::kIdent, K::kDelim, K::kIdent,
                          K::kCloseSquare, K::kComma, K::kOpenParen, K::kFunction, K::kNumber,
                          K::kCloseParen, K::kCloseParen, K::kCdc));
}

TEST(CssTokensTest, StringsWithEscapesAndContinuations) {
  EXPECT_THAT(Texts(R"("a\"b}" 'c\'d' "e\
f")"),
              ElementsAre(R"("a\"b}")", R"('c\'d')", "\"e\\\nf\""));
}

TEST(CssTokensTest, NewlineBreaksAString) {
  std::vector<CssToken> tokens = TokenizeCss("\"abc\n}");
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(tokens[0].kind, K::kBadString);
  EXPECT_EQ(tokens[2].kind, K::kCloseCurly);
  EXPECT_EQ(tokens[2].line, 2);
}

TEST(CssTokensTest, UrlTokens) {
  EXPECT_THAT(
      Texts("url(a{b};c) URL( x.png ) url(\"q\") url(a b) u(x)"),
      ElementsAre("url(a{b};c)", "URL( x.png )", "url(", "\"q\"", ")", "url(a b)", "u(", "x", ")"));
  std::vector<CssToken> open = TokenizeCss("url(abc");
  ASSERT_EQ(open.size(), 1u);
  EXPECT_TRUE(open[0].unterminated);
  EXPECT_EQ(CssTokenCloser("url(abc", open[0]), ")");
}

TEST(CssTokensTest, EscapesInIdentifiers) {
  EXPECT_THAT(Texts(".a\\{b #x\\31 23 \\@x"), ElementsAre(".", "a\\{b", "#x\\31 23", "\\@x"));
}

TEST(CssTokensTest, NulIsANameCharacterLikeUFFFD) {
  EXPECT_THAT(Kinds(std::string_view("a\0b @\0x", 7)), ElementsAre(K::kIdent, K::kAtKeyword));
}

TEST(CssTokensTest, NumbersAreNotIdents) {
  EXPECT_THAT(Kinds("1s -2.5em +3 .5 1e3 10% -x"),
              ElementsAre(K::kNumber, K::kNumber, K::kNumber, K::kNumber, K::kNumber, K::kNumber,
                          K::kIdent));
}

TEST(CssTokensTest, UnterminatedTokensAndLines) {
  std::string css = "a\r\nb\fc\rd /* open";
  std::vector<CssToken> tokens = TokenizeCss(css);
  EXPECT_EQ(tokens.back().kind, K::kComment);
  EXPECT_TRUE(tokens.back().unterminated);
  EXPECT_EQ(tokens.back().line, 4);
  EXPECT_EQ(CssTokenCloser(css, tokens.back()), "*/");
  EXPECT_EQ(CssTokenCloser("'x", TokenizeCss("'x")[0]), "'");
}

TEST(CssTokensTest, BlockMatchingLikeABrowser) {
  std::string css = "{ a ( ] } ) [ } ] }";
  std::vector<CssToken> tokens = TokenizeCss(css);
  size_t close = FindCssBlockEnd(tokens, 0, tokens.size());
  ASSERT_LT(close, tokens.size());
  EXPECT_EQ(tokens[close].begin, css.size() - 1);  // ']' and '}' inside () and [] do not count
  std::string missing;
  std::vector<CssToken> open = TokenizeCss("{ f( [");
  EXPECT_EQ(FindCssBlockEnd(open, 0, open.size(), &missing), open.size());
  EXPECT_EQ(missing, "])}");
}

TEST(CssTokensTest, NormalizedCss) {
  std::string css = "  a  /* x */\n\t> b  ";
  std::vector<CssToken> tokens = TokenizeCss(css);
  EXPECT_EQ(NormalizedCss(css, tokens, 0, tokens.size()), "a > b");
}

TEST(CssTokensTest, WithoutDanglingEscape) {
  EXPECT_EQ(WithoutDanglingCssEscape("a\\"), "a");
  EXPECT_EQ(WithoutDanglingCssEscape("a\\\\"), "a\\\\");
  EXPECT_EQ(WithoutDanglingCssEscape(""), "");
}

TEST(CssRulesTest, ReadsItems) {
  std::string css = "@import x; .a { b: c } --p: {x}; d: e; } .f";
  std::vector<CssToken> tokens = TokenizeCss(css);
  std::vector<CssItem> items = ReadCssItems(css, tokens, 0, tokens.size());
  ASSERT_EQ(items.size(), 5u);
  EXPECT_TRUE(items[0].has_semicolon);
  EXPECT_TRUE(items[1].has_block);
  EXPECT_FALSE(items[2].has_block);  // a custom property runs through its {}
  EXPECT_TRUE(items[2].has_semicolon);
  EXPECT_FALSE(items[4].has_block);
  EXPECT_EQ(items[4].next, tokens.size());
}

TEST(CssRulesTest, SplitsCompounds) {
  std::string css = " > a.b:is(c d)  +e ~f g";
  std::vector<CssToken> tokens = TokenizeCss(css);
  std::vector<CssCompound> parts = SplitCssCompounds(css, tokens, 0, tokens.size());
  std::string shape;
  for (const CssCompound& part : parts) {
    shape += std::string(1, part.combinator ? part.combinator : '0') + "[" +
             NormalizedCss(css, tokens, part.begin, part.end) + "]";
  }
  EXPECT_EQ(shape, ">[a.b:is(c d)]+[e]~[f] [g]");
}

TEST(CssRulesTest, NestedSelectorConfinement) {
  auto confined = [](std::string_view selector, ParentSiblings siblings) {
    std::vector<CssToken> tokens = TokenizeCss(selector);
    return NestedCssSelectorConfined(selector, tokens, 0, tokens.size(), siblings);
  };
  for (std::string_view ok : {".b", "& .b", "&:hover", "> li", ".dark &", "& > .b + .c", "&"}) {
    EXPECT_TRUE(confined(ok, ParentSiblings::kMayBeOutside)) << ok;
  }
  for (std::string_view escapes : {":not(&)", ":has(&)", ":is(&) .b", "& + .b", "~ .b"}) {
    EXPECT_FALSE(confined(escapes, ParentSiblings::kMayBeOutside)) << escapes;
  }
  EXPECT_TRUE(confined("& + .b", ParentSiblings::kInside));
  EXPECT_TRUE(confined("~ .b", ParentSiblings::kInside));
  EXPECT_FALSE(confined(":not(&)", ParentSiblings::kInside));
}

}  // namespace
}  // namespace hfs::page
