#include "hfs/page/css_scope.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hfs/base/text.h"

namespace hfs::page {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::string Scoped(std::string_view css) { return ScopeCss(css, "#pricing").css; }

std::string AllNotes(const ScopedCss& scoped) {
  std::string all;
  for (const CssNote& note : scoped.notes) {
    all += std::to_string(note.line) + ": " + note.message + "\n";
  }
  return all;
}

// ---- Style rules and selector lists -------------------------------------------------------

TEST(ScopeCssTest, EmptyInput) {
  ScopedCss scoped = ScopeCss("", "#pricing");
  EXPECT_EQ(scoped.css, "");
  EXPECT_THAT(scoped.notes, IsEmpty());
  EXPECT_EQ(Scoped("  \n/* only a comment */\n"), "");
}

TEST(ScopeCssTest, PrefixesASimpleRule) {
  EXPECT_EQ(Scoped(".card {}"), "#pricing .card {}\n");
  EXPECT_EQ(Scoped(".card{color:red}"), "#pricing .card {color:red}\n");
  EXPECT_EQ(Scoped("div.card > p + p ~ a:hover::after { x: y }"),
            "#pricing div.card > p + p ~ a:hover::after { x: y }\n");
}

TEST(ScopeCssTest, SplitsSelectorListsOnTopLevelCommasOnly) {
  EXPECT_EQ(Scoped("h2, .card:is(.a, .b) { margin: 0 }"),
            "#pricing h2, #pricing .card:is(.a, .b) { margin: 0 }\n");
  EXPECT_EQ(Scoped("a[title=\"a,b\"], b { x: y }"),
            "#pricing a[title=\"a,b\"], #pricing b { x: y }\n");
  EXPECT_EQ(Scoped("li:not(.a,.b):nth-child(2n + 1),\n  .c { x: y }"),
            "#pricing li:not(.a,.b):nth-child(2n + 1), #pricing .c { x: y }\n");
}

TEST(ScopeCssTest, ReSpacesSelectorsAndDropsTheirComments) {
  EXPECT_EQ(Scoped(".a   /* hi */\n\t.b,/*x*/.c\n{ }"), "#pricing .a .b, #pricing .c { }\n");
}

TEST(ScopeCssTest, UniversalSelector) {
  EXPECT_EQ(Scoped("*, *::before, *::after { box-sizing: border-box }"),
            "#pricing *, #pricing *::before, #pricing *::after { box-sizing: border-box }\n");
}

TEST(ScopeCssTest, RootHtmlAndBodyBecomeTheScope) {
  ScopedCss body = ScopeCss("body { font: 16px serif }", "#pricing");
  EXPECT_EQ(body.css, "#pricing { font: 16px serif }\n");
  ASSERT_EQ(body.notes.size(), 1u);
  EXPECT_THAT(body.notes[0].message, HasSubstr("`body` moved into the region's scope"));
  EXPECT_EQ(body.notes[0].line, 1);
  EXPECT_EQ(Scoped(":root { --x: 1 }"), "#pricing { --x: 1 }\n");
  EXPECT_EQ(Scoped("html { color: red }"), "#pricing { color: red }\n");
  EXPECT_EQ(Scoped("BODY .card { x: y }"), "#pricing .card { x: y }\n");
  EXPECT_EQ(Scoped("html > body main { x: y }"), "#pricing main { x: y }\n");
  EXPECT_EQ(Scoped(":root body > .x { x: y }"), "#pricing > .x { x: y }\n");
  EXPECT_EQ(Scoped("html, body { margin: 0 }"), "#pricing { margin: 0 }\n");
}

TEST(ScopeCssTest, QualifiedRootCompoundsStayAsConditions) {
  EXPECT_EQ(Scoped("body.dark .x { x: y }"), "body.dark #pricing .x { x: y }\n");
  EXPECT_EQ(Scoped(":root[data-theme=\"dark\"] { --bg: #000 }"),
            ":root[data-theme=\"dark\"] #pricing { --bg: #000 }\n");
  EXPECT_EQ(Scoped("html.dark body .x { x: y }"), "html.dark #pricing .x { x: y }\n");
  EXPECT_EQ(Scoped(".dark:root .x { x: y }"), ".dark:root #pricing .x { x: y }\n");
  EXPECT_EQ(Scoped("body::before { content: '' }"), "#pricing::before { content: '' }\n");
}

TEST(ScopeCssTest, RootSiblingCombinatorBecomesDescendant) {
  EXPECT_EQ(Scoped("body + .x { x: y }"), "#pricing .x { x: y }\n");
}

TEST(ScopeCssTest, AlreadyScopedSelectorsAreKept) {
  ScopedCss scoped =
      ScopeCss("#pricing, #pricing .x, #pricing:hover, #pricing > p { x: y }", "#pricing");
  EXPECT_EQ(scoped.css, "#pricing, #pricing .x, #pricing:hover, #pricing > p { x: y }\n");
  EXPECT_THAT(scoped.notes, IsEmpty());
  EXPECT_EQ(Scoped("#pricing-old .x { x: y }"), "#pricing #pricing-old .x { x: y }\n");
  EXPECT_EQ(Scoped("#pricingx { x: y }"), "#pricing #pricingx { x: y }\n");
  // A sibling of the region root is outside it: prefixed, so it matches nothing.
  EXPECT_EQ(Scoped("#pricing + .x { x: y }"), "#pricing #pricing + .x { x: y }\n");
}

TEST(ScopeCssTest, LeadingCombinators) {
  EXPECT_EQ(Scoped("> .x { x: y }"), "#pricing > .x { x: y }\n");
  ScopedCss sibling = ScopeCss(".a {}\n+ .x, .b { x: y }\n~ p { }", "#pricing");
  EXPECT_EQ(sibling.css, "#pricing .a {}\n");
  EXPECT_EQ(sibling.notes.size(), 2u);
  EXPECT_EQ(sibling.notes[0].line, 2);
  EXPECT_THAT(sibling.notes[0].message, HasSubstr("would match outside the region"));
}

TEST(ScopeCssTest, EmptySelectorInAListDropsTheRule) {
  ScopedCss scoped = ScopeCss("h1, { x: y }\n{ color: red }\n.ok {}", "#pricing");
  EXPECT_EQ(scoped.css, "#pricing .ok {}\n");
  EXPECT_EQ(scoped.notes.size(), 2u) << AllNotes(scoped);
  EXPECT_EQ(scoped.notes[1].line, 2);
}

TEST(ScopeCssTest, DuplicateSelectorsAreMerged) {
  EXPECT_EQ(Scoped(".a, .a { x: y }"), "#pricing .a { x: y }\n");
}

TEST(ScopeCssTest, WorksWithOtherScopeSelectors) {
  EXPECT_EQ(ScopeCss(":root, .x { x: y }", "[data-region=\"faq\"]").css,
            "[data-region=\"faq\"], [data-region=\"faq\"] .x { x: y }\n");
}

// ---- Declaration blocks survive byte for byte ----------------------------------------------

TEST(ScopeCssTest, StringsUrlsEscapesAndImportantSurvive) {
  std::string block =
      "{ content: \"} { ; , \\\" ' \"; background: url(a{b}c;d,e.png) no-repeat, "
      "url( \"x}.png\" ); font-family: 'A\\'}', b; --e: \\7d; color: red !important; }";
  EXPECT_EQ(Scoped(".a " + block + "\n.b {}"), "#pricing .a " + block + "\n#pricing .b {}\n");
}

TEST(ScopeCssTest, BlockLayoutAndCommentsInsideBlocksAreKept) {
  std::string css = ".a {\n  color: red; /* keep } me */\n  margin: 0;\n}\n";
  EXPECT_EQ(Scoped(css), "#pricing " + css);
}

TEST(ScopeCssTest, NestedRulesStayInsideTheirParent) {
  std::string block = "{ color: red; & .b { x: y } .c { x: y } &:hover { x: y } > li { } }";
  EXPECT_EQ(Scoped(".a " + block), "#pricing .a " + block + "\n");
  EXPECT_EQ(Scoped(".a { .dark & { x: y } @media (min-width: 1px) { & { x: y } } }"),
            "#pricing .a { .dark & { x: y } @media (min-width: 1px) { & { x: y } } }\n");
  // Siblings of an element inside the region are inside it.
  EXPECT_EQ(Scoped(".a { & + & { x: y } ~ .b { } }"), "#pricing .a { & + & { x: y } ~ .b { } }\n");
}

TEST(ScopeCssTest, NestedRulesThatEscapeDropTheirRule) {
  for (std::string_view css : {
           ".a { :not(&) { display: none } }",         // everything but .a
           ".a { :has(&) { display: none } }",         // .a's ancestors
           ".a { .b { :is(&, body) { x: y } } }",      // deeper nesting
           ".a { @scope (.b) { p { x: y } } }",        // nested @scope roots
           ":root { & + footer { x: y } }",            // root becomes #pricing: sibling
           "#pricing { ~ .other { x: y } }",           // relative sibling of the root
           "body.dark { @media print { & ~ p { } } }"  // through a nested group rule
       }) {
    ScopedCss scoped = ScopeCss(std::string(css) + "\n.ok {}", "#pricing");
    EXPECT_EQ(scoped.css, "#pricing .ok {}\n") << css;
    EXPECT_THAT(AllNotes(scoped), HasSubstr("could match outside the region")) << css;
  }
}

// ---- At-rules ------------------------------------------------------------------------------

TEST(ScopeCssTest, MediaSupportsContainerRecurse) {
  EXPECT_EQ(Scoped("@media (max-width: 600px) { .a { x: y } body { x: y } }"),
            "@media (max-width: 600px) {\n  #pricing .a { x: y }\n  #pricing { x: y }\n}\n");
  EXPECT_EQ(Scoped("@supports (display: grid) { @media screen { @container card (min-width: "
                   "1px) { .a { x: y } } } }"),
            "@supports (display: grid) {\n  @media screen {\n    @container card (min-width: "
            "1px) {\n      #pricing .a { x: y }\n    }\n  }\n}\n");
  EXPECT_EQ(Scoped("@document url-prefix() { .a {} }\n@starting-style { .a { opacity: 0 } }"),
            "@document url-prefix() {\n  #pricing .a {}\n}\n@starting-style {\n  #pricing .a { "
            "opacity: 0 }\n}\n");
}

TEST(ScopeCssTest, LayerBlockRecursesAndLayerStatementIsKept) {
  EXPECT_EQ(Scoped("@layer base, components;\n@layer base { h1 { x: y } }"),
            "@layer base, components;\n@layer base {\n  #pricing h1 { x: y }\n}\n");
  EXPECT_EQ(Scoped("@layer { .a {} }"), "@layer {\n  #pricing .a {}\n}\n");
}

TEST(ScopeCssTest, ScopeRulesGetTheirRootsScoped) {
  EXPECT_EQ(Scoped("@scope (.card) to (.content) { img { x: y } }"),
            "@scope (#pricing .card) to (.content) { img { x: y } }\n");
  EXPECT_EQ(Scoped("@scope { :scope { x: y } }"), "@scope (#pricing) { :scope { x: y } }\n");
  EXPECT_EQ(Scoped("@scope to (.x) { p {} }"), "@scope (#pricing) to (.x) { p {} }\n");
  EXPECT_EQ(Scoped("@scope (:root, .a) { p {} }"), "@scope (#pricing, #pricing .a) { p {} }\n");
}

TEST(ScopeCssTest, KeyframesAreRenamedWithTheirAnimations) {
  std::string css =
      "@keyframes fade { from { opacity: 0 } to { opacity: 1 } }\n"
      "@-webkit-keyframes slide { 0% { left: 0 } }\n"
      ".a { animation: fade 1s ease-in, slide 2s; }\n"
      ".b { animation-name: fade, other; -webkit-animation-name: slide }\n"
      ".c { transition: fade 1s; content: \"fade\"; animation: 1s fade !important }\n";
  EXPECT_EQ(Scoped(css),
            "@keyframes fade--pricing { from { opacity: 0 } to { opacity: 1 } }\n"
            "@-webkit-keyframes slide--pricing { 0% { left: 0 } }\n"
            "#pricing .a { animation: fade--pricing 1s ease-in, slide--pricing 2s; }\n"
            "#pricing .b { animation-name: fade--pricing, other; -webkit-animation-name: "
            "slide--pricing }\n"
            "#pricing .c { transition: fade 1s; content: \"fade\"; animation: 1s fade--pricing "
            "!important }\n");
}

TEST(ScopeCssTest, KeyframesRenamesReachMediaNestedRulesAndStrings) {
  EXPECT_EQ(Scoped(".a { & .b { animation: spin 1s } }\n@media print { @keyframes spin {} }"),
            "#pricing .a { & .b { animation: spin--pricing 1s } }\n@media print {\n  @keyframes "
            "spin--pricing {}\n}\n");
  EXPECT_EQ(Scoped("@keyframes \"pop\" {}\n.a { animation-name: \"pop\" }"),
            "@keyframes \"pop--pricing\" {}\n#pricing .a { animation-name: \"pop--pricing\" }\n");
  // Names without a @keyframes here may be page-wide keyframes: kept.
  EXPECT_EQ(Scoped(".a { animation: shared 1s }"), "#pricing .a { animation: shared 1s }\n");
}

TEST(ScopeCssTest, PageWideDefinitionsAreKeptUntouched) {
  std::string css =
      "@font-face { font-family: \"X\"; src: url(x.woff2) format(\"woff2\"); }\n"
      "@page :first { margin: 1in; }\n"
      "@property --angle { syntax: '<angle>'; inherits: false; initial-value: 0deg; }\n"
      "@counter-style thumbs { system: cyclic; symbols: \"👍\"; suffix: \" \"; }\n";
  EXPECT_EQ(Scoped(css), css);
}

TEST(ScopeCssTest, ImportIsRemovedWithANoteAndCharsetSilently) {
  ScopedCss scoped = ScopeCss(
      "@charset \"utf-8\";\n@import url(\"x.css\") screen;\n@import 'y.css';\n.a {}", "#pricing");
  EXPECT_EQ(scoped.css, "#pricing .a {}\n");
  ASSERT_EQ(scoped.notes.size(), 2u);
  EXPECT_EQ(scoped.notes[0].line, 2);
  EXPECT_THAT(scoped.notes[0].message, HasSubstr("`@import` removed"));
  EXPECT_EQ(scoped.notes[1].line, 3);
}

TEST(ScopeCssTest, UnknownAndPageWideAtRulesAreRemoved) {
  ScopedCss scoped = ScopeCss(
      "@namespace svg url(http://www.w3.org/2000/svg);\n@view-transition { navigation: auto }\n"
      "@media print { @import url(x.css); @unknown { .a { x: y } } .b {} }",
      "#pricing");
  EXPECT_EQ(scoped.css, "@media print {\n  #pricing .b {}\n}\n");
  EXPECT_EQ(scoped.notes.size(), 4u) << AllNotes(scoped);
}

// ---- Malformed input -----------------------------------------------------------------------

TEST(ScopeCssTest, UnclosedBlockIsClosed) {
  ScopedCss scoped = ScopeCss(".a { color: red;\n.b { x: y", "#pricing");
  EXPECT_EQ(scoped.css, "#pricing .a { color: red;\n.b { x: y}}\n");
  EXPECT_THAT(AllNotes(scoped), HasSubstr("1: unclosed block"));
}

TEST(ScopeCssTest, UnclosedStringsUrlsAndCommentsAreClosed) {
  EXPECT_EQ(Scoped(".a { content: \"abc"), "#pricing .a { content: \"abc\"}\n");
  EXPECT_EQ(Scoped(".a { background: url(x.png"), "#pricing .a { background: url(x.png)}\n");
  EXPECT_EQ(Scoped(".a { background: url('x.png"), "#pricing .a { background: url('x.png')}\n");
  EXPECT_EQ(Scoped(".a { x: f([1, (2 /* open"), "#pricing .a { x: f([1, (2 /* open*/)])}\n");
  // A final backslash would escape the closer we add.
  EXPECT_EQ(Scoped(".a { content: \"x\\"), "#pricing .a { content: \"x\"}\n");
  EXPECT_EQ(Scoped(".a { x: y\\"), "#pricing .a { x: y}\n");
}

TEST(ScopeCssTest, UnclosedMediaIsClosed) {
  ScopedCss scoped = ScopeCss("@media print {\n.a { x: y }\n.b { x: y", "#pricing");
  EXPECT_EQ(scoped.css, "@media print {\n  #pricing .a { x: y }\n  #pricing .b { x: y}\n}\n");
}

TEST(ScopeCssTest, StrayBraceIsIgnoredWithItsLine) {
  ScopedCss scoped = ScopeCss(".a { x: y }\n}\n.b { x: y }", "#pricing");
  EXPECT_EQ(scoped.css, "#pricing .a { x: y }\n#pricing .b { x: y }\n");
  ASSERT_EQ(scoped.notes.size(), 1u);
  EXPECT_EQ(scoped.notes[0].line, 2);
  EXPECT_THAT(scoped.notes[0].message, HasSubstr("stray `}`"));
}

TEST(ScopeCssTest, StrayDeclarationsAndRulesWithoutBlocksAreDropped) {
  ScopedCss scoped = ScopeCss("color: red;\n.a { x: y }\n.b", "#pricing");
  EXPECT_EQ(scoped.css, "#pricing .a { x: y }\n");
  ASSERT_EQ(scoped.notes.size(), 2u);
  EXPECT_EQ(scoped.notes[0].line, 1);
  EXPECT_EQ(scoped.notes[1].line, 3);
}

TEST(ScopeCssTest, UnclosedParenInSelectorSwallowsTheRestLikeABrowser) {
  // The '(' runs to the end of the input, so nothing after it is a rule: all dropped.
  ScopedCss scoped = ScopeCss(".a:not(.b { x: y }\n.c { x: y }", "#pricing");
  EXPECT_EQ(scoped.css, "");
  EXPECT_EQ(scoped.notes.size(), 1u);
}

TEST(ScopeCssTest, BadStringEndsAtTheNewlineLikeABrowser) {
  ScopedCss scoped = ScopeCss(".a { content: \"broken\n; color: red }\n.b { x: y }", "#pricing");
  EXPECT_EQ(scoped.css, "#pricing .a { content: \"broken\n; color: red }\n#pricing .b { x: y }\n");
  EXPECT_THAT(AllNotes(scoped), HasSubstr("1: string broken by a newline"));
}

TEST(ScopeCssTest, NewlineEndingABadStringInAPreludeIsKept) {
  // Re-spacing must not let the broken string run on into the '{' or the next rule.
  ScopedCss scoped = ScopeCss("a[title='x\n] { x: y }\n.b { x: y }", "#pricing");
  EXPECT_THAT(scoped.css, HasSubstr("#pricing a[title='x\n]"));
  EXPECT_THAT(scoped.css, HasSubstr("\n#pricing .b { x: y }\n"));
  EXPECT_EQ(Scoped("@layer '\n;\n.b {}"), "@layer '\n;\n#pricing .b {}\n");
}

TEST(ScopeCssTest, CommentsBetweenTokensNeverMergeThem) {
  EXPECT_EQ(Scoped(".a/**/.b, a/* x */b, .c/**/*:root {}"),
            "#pricing .a/**/.b, #pricing a/**/b, .c/**/*:root #pricing {}\n");
}

TEST(ScopeCssTest, NeutralisesStyleEndTags) {
  std::string css =
      Scoped(".a { content: \"</style><script>\" } /* </STYLE> */ .b { x: a<</style }");
  EXPECT_EQ(AsciiLower(css).find("</style"), std::string::npos) << css;
  EXPECT_THAT(css, HasSubstr("\"\\3c /style>\\3c script>\""));
}

TEST(ScopeCssTest, GarbageNeverCrashesOrLoops) {
  for (std::string_view css :
       {"}}}}",
        "{{{{",
        "@",
        "@media",
        "@media {",
        "@media ;",
        ";;;",
        "\\",
        "\"",
        "'",
        "/*",
        "url(",
        "a{",
        "a{}}",
        "#",
        "#{",
        ":root{",
        "@keyframes",
        "@keyframes x",
        "<!-- a {} -->",
        "@scope (",
        "@scope (.a",
        "@scope (+ .a) {}",
        "@import",
        "@layer",
        "a,{}",
        ",{}",
        "@media{@media{@media{@media{@media{@media{@media{@media{@media{@media{@media{@media{"
        "@media{@media{@media{@media{@media{@media{a{}"}) {
    ScopedCss scoped = ScopeCss(css, "#pricing");
    // Every rule that survives is scoped.
    for (size_t at = scoped.css.find('{'); at != std::string::npos;
         at = scoped.css.find('{', at + 1)) {
      size_t line_start = scoped.css.rfind('\n', at);
      std::string line =
          scoped.css.substr(line_start == std::string::npos ? 0 : line_start + 1,
                            at - (line_start == std::string::npos ? 0 : line_start + 1));
      if (line.find('@') != std::string::npos || line.empty()) continue;
      EXPECT_THAT(line, HasSubstr("#pricing")) << css;
    }
  }
}

TEST(ScopeCssTest, TooDeeplyNestedGroupRulesAreDropped) {
  std::string css;
  for (int i = 0; i < 20; ++i) css += "@media print {";
  css += ".a {}";
  ScopedCss scoped = ScopeCss(css, "#pricing");
  EXPECT_THAT(AllNotes(scoped), HasSubstr("nested too deeply"));
  EXPECT_EQ(scoped.css.find(".a"), std::string::npos);
}

TEST(ScopeCssTest, ScopeBlockThatEscapesIsDropped) {
  ScopedCss scoped = ScopeCss("@scope (.card) { @scope (.x) { p {} } }", "#pricing");
  EXPECT_EQ(scoped.css, "");
  EXPECT_THAT(AllNotes(scoped), HasSubstr("`@scope` dropped"));
}

TEST(ScopeCssTest, ATypicalGeneratedStylesheet) {
  std::string css = R"css(@import url('https://fonts.googleapis.com/css2?family=Inter');
:root {
  --accent: #4f46e5;
}
* { box-sizing: border-box; }
body { margin: 0; font-family: 'Inter', sans-serif; }
.pricing-grid { display: grid; grid-template-columns: repeat(3, 1fr); }
.card:hover { transform: translateY(-4px); animation: pop .3s ease-out; }
@media (max-width: 768px) {
  .pricing-grid { grid-template-columns: 1fr; }
}
@keyframes pop { from { transform: scale(.95) } to { transform: none } }
)css";
  ScopedCss scoped = ScopeCss(css, "#pricing");
  EXPECT_EQ(scoped.css, R"css(#pricing {
  --accent: #4f46e5;
}
#pricing * { box-sizing: border-box; }
#pricing { margin: 0; font-family: 'Inter', sans-serif; }
#pricing .pricing-grid { display: grid; grid-template-columns: repeat(3, 1fr); }
#pricing .card:hover { transform: translateY(-4px); animation: pop--pricing .3s ease-out; }
@media (max-width: 768px) {
  #pricing .pricing-grid { grid-template-columns: 1fr; }
}
@keyframes pop--pricing { from { transform: scale(.95) } to { transform: none } }
)css");
  ASSERT_EQ(scoped.notes.size(), 3u) << AllNotes(scoped);
  EXPECT_EQ(scoped.notes[0].line, 1);  // @import
  EXPECT_EQ(scoped.notes[1].line, 2);  // :root
  EXPECT_EQ(scoped.notes[2].line, 6);  // body
  EXPECT_THAT(DeclaredCustomProperties(scoped.css), ElementsAre("--accent"));
}

TEST(ScopeCssTest, LongNotesAreCutOnCharacterBoundaries) {
  ScopedCss scoped = ScopeCss(std::string(55, 'a') + "ééééé", "#pricing");
  ASSERT_EQ(scoped.notes.size(), 1u);
  EXPECT_THAT(scoped.notes[0].message, HasSubstr("aé..."));
}

// ---- Custom properties ---------------------------------------------------------------------

TEST(CustomPropertiesTest, Declared) {
  EXPECT_THAT(DeclaredCustomProperties(
                  ":root { --accent: #123; --gap:4px }\n.a { --accent: red; color: var(--x) }\n"
                  ".b { content: \"--fake: 1\"; /* --nope: 2 */ --last: { a: b } }"),
              ElementsAre("--accent", "--gap", "--last"));
  EXPECT_THAT(DeclaredCustomProperties("@property --angle { syntax: '*' }"), IsEmpty());
  EXPECT_THAT(DeclaredCustomProperties(""), IsEmpty());
}

TEST(CustomPropertiesTest, UsedIncludingFallbacks) {
  EXPECT_THAT(UsedCustomProperties(".a { color: var(--fg, var(--fallback, red)); margin: "
                                   "VAR( --gap ) var(--fg); content: \"var(--str)\" }"),
              ElementsAre("--fg", "--fallback", "--gap"));
  EXPECT_THAT(UsedCustomProperties(".a { --x: 1 }"), IsEmpty());
  EXPECT_THAT(UsedCustomProperties("var("), IsEmpty());
}

// ---- RenameIdSelectors ---------------------------------------------------------------------

TEST(RenameIdSelectorsTest, RenamesSelectorsOnly) {
  std::map<std::string, std::string> renames = {{"old", "new"}, {"fff", "ggg"}};
  EXPECT_EQ(RenameIdSelectors("#old .a, .b:not(#old) { color: #fff; background: url(#old); "
                              "content: \"#old\" } /* #old */ #fff {}",
                              renames),
            "#new .a, .b:not(#new) { color: #fff; background: url(#old); content: \"#old\" } "
            "/* #old */ #ggg {}");
  EXPECT_EQ(RenameIdSelectors("@media print { #old { x: y } }\n.a { #old & { color: #old } }\n"
                              "@scope (#old) { #old {} }\n@font-face { x: #old }",
                              renames),
            "@media print { #new { x: y } }\n.a { #new & { color: #old } }\n"
            "@scope (#new) { #new {} }\n@font-face { x: #old }");
  EXPECT_EQ(RenameIdSelectors("#older, #ol {}", renames), "#older, #ol {}");
  EXPECT_EQ(
      RenameIdSelectors("@supports (x: y) { @layer l { .a:is(#old, #x) > #old {} } }", renames),
      "@supports (x: y) { @layer l { .a:is(#new, #x) > #new {} } }");
  EXPECT_EQ(RenameIdSelectors("", renames), "");
}

// ---- InLayer -------------------------------------------------------------------------------

TEST(InLayerTest, WrapsRules) {
  EXPECT_EQ(InLayer(".a { x: y }\n@media print { .b {} }", "regions"),
            "@layer regions {\n.a { x: y }\n@media print { .b {} }\n}\n");
  EXPECT_EQ(InLayer("", "hfs.regions"), "@layer hfs.regions {\n}\n");
}

TEST(InLayerTest, HoistsImportsAndDropsCharset) {
  EXPECT_EQ(InLayer("@charset \"utf-8\";\n@import url(a.css) screen;\n@import \"b.css\" "
                    "layer(x);\n.a {}",
                    "regions"),
            "@import url(a.css) layer(regions) screen;\n@import \"b.css\" layer(x);\n"
            "@layer regions {\n.a {}\n}\n");
}

TEST(InLayerTest, RepairsWhatWouldBreakTheWrapper) {
  EXPECT_EQ(InLayer(".a { x: y }\n}\n.b { content: \"x", "regions"),
            "@layer regions {\n.a { x: y }\n.b { content: \"x\"}\n}\n");
  EXPECT_EQ(InLayer("garbage ( .c { x: y }", "regions"), "@layer regions {\n}\n");
  EXPECT_EQ(InLayer("@layer a, b;", "regions"), "@layer regions {\n@layer a, b;\n}\n");
  EXPECT_EQ(InLayer("@import foo;\n@import url(x.css)\n.a {}", "regions"), "@layer regions {\n}\n");
}

}  // namespace
}  // namespace hfs::page
