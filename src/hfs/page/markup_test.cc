#include "hfs/page/markup.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace hfs::page {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

// ---- StripCodeFence

TEST(StripCodeFenceTest, RemovesAFenceAroundTheWholeText) {
  EXPECT_EQ(StripCodeFence("```html\n<p>Hi</p>\n```\n"), "<p>Hi</p>\n");
  EXPECT_EQ(StripCodeFence("\n```\nconst a = 1;\n```"), "const a = 1;\n");
  EXPECT_EQ(StripCodeFence("~~~css\na { color: red; }\n~~~\n"), "a { color: red; }\n");
}

TEST(StripCodeFenceTest, FencedContentWithTextBeforeAndAfter) {
  std::string reply =
      "Here's the updated `index.html` for the pricing section:\n\n"
      "```html\n<section>\n  <h2>Pricing</h2>\n</section>\n```\n\n"
      "It uses Tailwind classes.\n\n```css\n.x {}\n```\n";
  EXPECT_EQ(StripCodeFence(reply), "<section>\n  <h2>Pricing</h2>\n</section>\n");
}

TEST(StripCodeFenceTest, ContentWithoutAFenceIsTrimmedOfBlankLinesOnly) {
  EXPECT_EQ(StripCodeFence("\n  \n  <div>x</div>\n\n\n"), "  <div>x</div>\n");
  EXPECT_EQ(StripCodeFence("a\n\nb  "), "a\n\nb  ");
  EXPECT_EQ(StripCodeFence(" \n\t\n"), "");
  EXPECT_EQ(StripCodeFence(""), "");
}

TEST(StripCodeFenceTest, AFenceInsideCodeIsContent) {
  std::string in_template = "const md = `\n```js\nx();\n```\n`;\n";
  EXPECT_EQ(StripCodeFence(in_template), in_template);
  std::string in_comment = "/* usage\n```\nnpm start\n```\n*/\nrun();\n";
  EXPECT_EQ(StripCodeFence(in_comment), in_comment);
  std::string after_markup = "<pre>\n```js\nconsole.log(1)\n```\n</pre>\n";
  EXPECT_EQ(StripCodeFence(after_markup), after_markup);
}

TEST(StripCodeFenceTest, UnterminatedFenceRunsToTheEnd) {
  EXPECT_EQ(StripCodeFence("```html\n<p>a</p>\n<p>b</p>\n"), "<p>a</p>\n<p>b</p>\n");
  EXPECT_EQ(StripCodeFence("```html\n<p>a</p>```"), "<p>a</p>");
  EXPECT_EQ(StripCodeFence("```"), "");
}

TEST(StripCodeFenceTest, WindowsLineEndings) {
  EXPECT_EQ(StripCodeFence("Sure:\r\n```html\r\n<p>x</p>\r\n```\r\n"), "<p>x</p>\r\n");
}

TEST(StripCodeFenceTest, LongerFenceKeepsShorterFencesInside) {
  EXPECT_EQ(StripCodeFence("````md\n```js\nx\n```\n````\n"), "```js\nx\n```\n");
}

// ---- SplitMarkup

TEST(SplitMarkupTest, FragmentStylesAndScriptsAreTakenOut) {
  MarkupParts parts = SplitMarkup(
      "<style>\n.a { color: red; }\n</style>\n<section class=\"a\">\n  <p>Hi</p>\n</section>\n"
      "<script>\ndocument.querySelector('.a');\n</script>\n"
      "<script type=\"module\" src=\"/app.js\"></script>\n");
  EXPECT_EQ(parts.markup, "<section class=\"a\">\n  <p>Hi</p>\n</section>\n");
  EXPECT_THAT(parts.styles, ElementsAre("\n.a { color: red; }\n"));
  ASSERT_EQ(parts.scripts.size(), 2u);
  EXPECT_EQ(parts.scripts[0].code, "\ndocument.querySelector('.a');\n");
  EXPECT_FALSE(parts.scripts[0].module);
  EXPECT_EQ(parts.scripts[0].line, 7);
  EXPECT_EQ(parts.scripts[0].src, "");
  EXPECT_EQ(parts.scripts[1].code, "");
  EXPECT_TRUE(parts.scripts[1].module);
  EXPECT_EQ(parts.scripts[1].src, "/app.js");
}

TEST(SplitMarkupTest, FullDocumentContributesItsBody) {
  MarkupParts parts = SplitMarkup(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n"
      "  <title>Acme</title>\n  <link rel=\"stylesheet\" href=\"style.css\">\n"
      "  <style>body { margin: 0; }</style>\n"
      "  <script src=\"https://cdn.tailwindcss.com\"></script>\n</head>\n"
      "<body class=\"bg-white\">\n  <header id=\"top\">Acme</header>\n"
      "  <style>.b { color: blue; }</style>\n"
      "  <script type=\"text/javascript\">init();</script>\n"
      "  <main>Hello</main>\n</body>\n</html>\n");
  EXPECT_EQ(parts.markup, "  <header id=\"top\">Acme</header>\n  <main>Hello</main>\n");
  EXPECT_THAT(parts.styles, ElementsAre("body { margin: 0; }", ".b { color: blue; }"));
  ASSERT_EQ(parts.scripts.size(), 2u);
  EXPECT_EQ(parts.scripts[0].src, "https://cdn.tailwindcss.com");
  EXPECT_EQ(parts.scripts[1].code, "init();");
  EXPECT_EQ(parts.scripts[1].line, 13);
}

TEST(SplitMarkupTest, HeadElementsOfAFragmentAreDropped) {
  MarkupParts parts = SplitMarkup(
      "<meta name=\"x\" content=\"y\"><title>T</title>\n"
      "<link rel=\"stylesheet\" href=\"a.css\"><link rel=\"icon\" href=\"i.png\">\n<p>x</p>\n");
  EXPECT_EQ(parts.markup, "<link rel=\"icon\" href=\"i.png\">\n<p>x</p>\n");
}

TEST(SplitMarkupTest, DataScriptsStayInTheMarkup) {
  std::string json = "<script type=\"application/ld+json\">{\"a\": 1}</script>";
  MarkupParts parts = SplitMarkup("<div>x</div>\n" + json + "\n");
  EXPECT_EQ(parts.markup, "<div>x</div>\n" + json + "\n");
  EXPECT_TRUE(parts.scripts.empty());
}

TEST(SplitMarkupTest, ScriptWithoutClosingTagRunsToTheEnd) {
  MarkupParts parts = SplitMarkup("<p>a</p>\n<script>\nlet x = 1;\n");
  EXPECT_EQ(parts.markup, "<p>a</p>\n");
  ASSERT_EQ(parts.scripts.size(), 1u);
  EXPECT_EQ(parts.scripts[0].code, "\nlet x = 1;\n");
}

// ---- AdoptRoot

TEST(AdoptRootTest, SectionWithTheRootIdIsAdoptedWithItsAttributes) {
  AdoptedRoot root = AdoptRoot(
      "<!-- pricing -->\n<section id=\"pricing\" class=\"py-16 bg-white\" "
      "aria-labelledby=\"pricing-title\" data-theme=dark>\n  <h2 id=\"pricing-title\">Plans</h2>\n"
      "</section>\n",
      "pricing");
  EXPECT_TRUE(root.adopted);
  EXPECT_EQ(root.tag, "section");
  EXPECT_EQ(root.inner, "  <h2 id=\"pricing-title\">Plans</h2>\n");
  EXPECT_THAT(root.attributes,
              ElementsAre(Pair("class", "py-16 bg-white"), Pair("aria-labelledby", "pricing-title"),
                          Pair("data-theme", "dark")));
}

TEST(AdoptRootTest, WrapperNamedByClassOrDataSection) {
  AdoptedRoot by_class =
      AdoptRoot("<div class=\"pricing-section mx-auto\"><p>x</p></div>", "pricing");
  EXPECT_TRUE(by_class.adopted);
  EXPECT_EQ(by_class.inner, "<p>x</p>");
  EXPECT_TRUE(AdoptRoot("<article data-section=\"pricing\">x</article>", "pricing").adopted);
  EXPECT_TRUE(AdoptRoot("<section class=\"sectionPricing\">x</section>", "pricing").adopted);
  EXPECT_TRUE(AdoptRoot("<footer id=\"footer\">x</footer>", "footer").adopted);
  EXPECT_FALSE(AdoptRoot("<footer class=\"footer\">x</footer>", "footer").adopted);
  EXPECT_FALSE(AdoptRoot("<div class=\"container\">x</div>", "pricing").adopted);
  EXPECT_FALSE(AdoptRoot("<div id=\"\" class=\"x\">x</div>", "").adopted);
}

TEST(AdoptRootTest, TwoTopLevelElementsAreNotAdopted) {
  std::string markup = "<section id=\"pricing\">a</section>\n<section id=\"pricing\">b</section>";
  AdoptedRoot root = AdoptRoot(markup, "pricing");
  EXPECT_FALSE(root.adopted);
  EXPECT_EQ(root.inner, markup);
  EXPECT_TRUE(root.tag.empty());
  EXPECT_FALSE(AdoptRoot("Intro <div id=\"pricing\">x</div>", "pricing").adopted);
}

TEST(AdoptRootTest, WrapperWithAnotherRegionsIdIsNotAdopted) {
  std::string markup = "<section id=\"faq\" class=\"pricing\"><p>x</p></section>";
  AdoptedRoot root = AdoptRoot(markup, "pricing");
  EXPECT_FALSE(root.adopted);
  EXPECT_EQ(root.inner, markup);
}

TEST(AdoptRootTest, NestedSameTagAndUnclosedWrapper) {
  AdoptedRoot nested =
      AdoptRoot("<div id=\"hero\"><div class=\"a\">x</div><div>y</div></div>", "hero");
  EXPECT_TRUE(nested.adopted);
  EXPECT_EQ(nested.inner, "<div class=\"a\">x</div><div>y</div>");
  EXPECT_FALSE(AdoptRoot("<div id=\"hero\"><div>x</div>", "hero").adopted);
}

TEST(AdoptRootTest, MainAndBodyWrappersAreStripped) {
  AdoptedRoot main = AdoptRoot("<main class=\"wide\">\n<p>x</p>\n</main>\n", "pricing");
  EXPECT_TRUE(main.adopted);
  EXPECT_EQ(main.tag, "main");
  EXPECT_EQ(main.inner, "<p>x</p>\n");
  EXPECT_THAT(main.attributes, ElementsAre(Pair("class", "wide")));
  AdoptedRoot both = AdoptRoot(
      "<body><main><section id=\"pricing\" role=\"region\">x</section></main></body>", "pricing");
  EXPECT_TRUE(both.adopted);
  EXPECT_EQ(both.tag, "section");
  EXPECT_EQ(both.inner, "x");
  EXPECT_THAT(both.attributes, ElementsAre(Pair("role", "region")));
}

// ---- ElementIds

TEST(ElementIdsTest, ListsIdsWithLines) {
  std::vector<IdUse> ids = ElementIds(
      "<section id=\"a\">\n<!-- <p id=\"commented\"> -->\n<p\n  class=\"x\"\n  id='b'>t</p>\n"
      "<script>const s = '<i id=\"script\">';</script>\n<Widget id={dynamic} /><i id=c></i>\n");
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids[0].id, "a");
  EXPECT_EQ(ids[0].line, 1);
  EXPECT_EQ(ids[1].id, "b");
  EXPECT_EQ(ids[1].line, 5);
  EXPECT_EQ(ids[2].id, "c");
  EXPECT_EQ(ids[2].line, 7);
}

// ---- RenameIdsInMarkup

TEST(RenameIdsInMarkupTest, RenamesIdsAndTheirReferences) {
  std::map<std::string, std::string> renames = {
      {"name", "contact-name"}, {"grad", "g2"}, {"menu", "nav-menu"}, {"x", "y"}};
  EXPECT_EQ(RenameIdsInMarkup("<label for=\"name\">N</label><input id=\"name\" "
                              "aria-describedby=\"hint name\">",
                              renames),
            "<label for=\"contact-name\">N</label><input id=\"contact-name\" "
            "aria-describedby=\"hint contact-name\">");
  EXPECT_EQ(RenameIdsInMarkup("<a href=\"#menu\">M</a><a href=\"#menux\">\n"
                              "<button aria-controls='menu' data-bs-target=\"#menu\">",
                              renames),
            "<a href=\"#nav-menu\">M</a><a href=\"#menux\">\n"
            "<button aria-controls='nav-menu' data-bs-target=\"#nav-menu\">");
  EXPECT_EQ(RenameIdsInMarkup("<svg><linearGradient id=\"grad\"/><rect fill=\"url(#grad)\"/>"
                              "<use xlink:href=\"#grad\"/><use href=\"#grad\"/></svg>",
                              renames),
            "<svg><linearGradient id=\"g2\"/><rect fill=\"url(#g2)\"/>"
            "<use xlink:href=\"#g2\"/><use href=\"#g2\"/></svg>");
}

TEST(RenameIdsInMarkupTest, LeavesTextCommentsAndSimilarIdsAlone) {
  std::map<std::string, std::string> renames = {{"x", "new"}};
  std::string markup =
      "<p class=\"x\">id=\"x\" #x</p><!-- <i id=\"x\"> --><div id=\"xy\" title=\"#x\"></div>"
      "<style>#x { color: red; }</style>";
  EXPECT_EQ(RenameIdsInMarkup(markup, renames), markup);
}

TEST(RenameIdsInMarkupTest, RenamesInHandlersAndInlineScripts) {
  std::map<std::string, std::string> renames = {{"x", "new"}};
  EXPECT_EQ(RenameIdsInMarkup("<div id=\"x\" onclick=\"document.getElementById('x').remove()\">"
                              "</div>\n<script>document.querySelector('#x');</script>\n"
                              "<script type=\"application/json\">{\"q\": \"#x\"}</script>",
                              renames),
            "<div id=\"new\" onclick=\"document.getElementById('new').remove()\"></div>\n"
            "<script>document.querySelector('#new');</script>\n"
            "<script type=\"application/json\">{\"q\": \"#x\"}</script>");
}

// ---- RenameIdsInScript

TEST(RenameIdsInScriptTest, RenamesLookupsAndSelectors) {
  std::map<std::string, std::string> renames = {{"x", "new"}};
  EXPECT_EQ(RenameIdsInScript("document.getElementById(\"x\");\n"
                              "document.getElementById('x');\n"
                              "document.getElementById(`x`);\n",
                              renames),
            "document.getElementById(\"new\");\n"
            "document.getElementById('new');\n"
            "document.getElementById(`new`);\n");
  EXPECT_EQ(RenameIdsInScript("el.querySelectorAll(\"#x .y, div#x>a\"); b.closest('#x');\n"
                              "a.matches(\"a[href='#x']\"); $(\"#x\").hide();",
                              renames),
            "el.querySelectorAll(\"#new .y, div#new>a\"); b.closest('#new');\n"
            "a.matches(\"a[href='#new']\"); $(\"#new\").hide();");
}

TEST(RenameIdsInScriptTest, SimilarIdsAndOtherStringsAreNotTouched) {
  std::map<std::string, std::string> renames = {{"x", "new"}};
  std::string code =
      "document.querySelector(\"#xy\");\n"
      "document.getElementById('xy');\n"
      "const label = '#x';\n"
      "log(\"getElementById('x')\");\n"
      "// document.getElementById('x')\n"
      "/* el.querySelector('#x') */\n"
      "document.querySelector(`#${id}`);\n"
      "getElementById('x');\n";
  EXPECT_EQ(RenameIdsInScript(code, renames), code);
}

TEST(RenameIdsInScriptTest, RenamesJsxAttributes) {
  std::map<std::string, std::string> renames = {{"email", "signup-email"}};
  EXPECT_EQ(
      RenameIdsInScript("export function Form() {\n"
                        "  const ok = a < b;\n"
                        "  return (\n"
                        "    <form onSubmit={() => document.getElementById('email').focus()}>\n"
                        "      <label htmlFor=\"email\">It's email</label>\n"
                        "      <input id={\"email\"} aria-describedby=\"email-hint\" />\n"
                        "      <p id=\"email-hint\" data-x={`email`}>email</p>\n"
                        "    </form>\n"
                        "  );\n"
                        "}\n",
                        renames),
      "export function Form() {\n"
      "  const ok = a < b;\n"
      "  return (\n"
      "    <form onSubmit={() => document.getElementById('signup-email').focus()}>\n"
      "      <label htmlFor=\"signup-email\">It's email</label>\n"
      "      <input id={\"signup-email\"} aria-describedby=\"email-hint\" />\n"
      "      <p id=\"email-hint\" data-x={`email`}>email</p>\n"
      "    </form>\n"
      "  );\n"
      "}\n");
}

TEST(RenameIdsInScriptTest, TypeScriptGenericsAreNotJsx) {
  std::map<std::string, std::string> renames = {{"x", "new"}};
  EXPECT_EQ(RenameIdsInScript("const el = document.querySelector<HTMLDivElement>('#x');\n"
                              "const m = new Map<string, number>();\n",
                              renames),
            "const el = document.querySelector<HTMLDivElement>('#new');\n"
            "const m = new Map<string, number>();\n");
}

TEST(RenameIdsTest, EmptyRenamesReturnTheInput) {
  EXPECT_EQ(RenameIdsInMarkup("<p id=\"a\">", {}), "<p id=\"a\">");
  EXPECT_EQ(RenameIdsInScript("getElementById('a')", {}), "getElementById('a')");
}

}  // namespace
}  // namespace hfs::page
