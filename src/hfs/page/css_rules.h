// hfs/page/css_rules.h
//
// Reading CSS rules from tokens (hfs/page/css_tokens.h) the way a browser does: one item
// (at-rule, style rule, declaration or garbage) at a time, with its prelude and block; the
// compound selectors and combinators of a selector; whether a selector nested in a style
// rule (CSS Nesting) can only match inside the elements its parent matches; and the edits
// css_scope.cc makes on token texts (keyframes renames, "</style" neutralising).
//
//   std::vector<CssToken> tokens = TokenizeCss(css);
//   for (const CssItem& item : ReadCssItems(css, tokens, 0, tokens.size())) {
//     if (!item.has_block || tokens[item.begin].kind == CssTokenKind::kAtKeyword) continue;
//     for (const CssCompound& part : SplitCssCompounds(css, tokens, item.begin, item.prelude_end))
//       Inspect(part.combinator, NormalizedCss(css, tokens, part.begin, part.end));
//   }
//
// Pure functions; thread-safe. They never fail: malformed CSS reads as a browser reads it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hfs/page/css_tokens.h"

namespace hfs::page {

// One rule-like item of a rule list or block: an at-rule, a qualified rule, or garbage.
struct CssItem {
  size_t begin = 0;        // first token
  size_t prelude_end = 0;  // the '{' or ';' (or `end`/'}') ending the prelude
  bool has_block = false;
  size_t block_end = 0;        // the matching '}' (or `end` when the block is unclosed)
  std::string missing;         // closers needed when the block is unclosed
  bool has_semicolon = false;  // the prelude ended with ';'
  size_t next = 0;             // where the next item starts
};

// Reads the item starting at `begin` (not whitespace): its prelude runs to the first '{',
// ';' or '}' outside () and []. A '}' is not consumed (the caller treats it as stray).
CssItem ReadCssItem(const std::vector<CssToken>& tokens, size_t begin, size_t end);

// The items of a block's contents or a rule list, tokens [begin, end): rules (with or
// without a block) and declarations. A custom property declaration (--x: ...) runs to its
// ';' even through {} blocks. Whitespace, comments, stray ';' and '}' are skipped.
std::vector<CssItem> ReadCssItems(std::string_view css, const std::vector<CssToken>& tokens,
                                  size_t begin, size_t end);

// True when the token at `index` may start a declaration: the previous token other than
// whitespace and comments is '{', ';' or '}', or there is none.
bool AtCssDeclarationStart(const std::vector<CssToken>& tokens, size_t index);

// The name of an at-keyword token, lower case, without '@' ("media" for "@MEDIA").
std::string CssAtRuleName(std::string_view css, const CssToken& token);

// True for the at-rules whose block holds style rules: @media, @supports, @container,
// @layer, @scope, @document, @-moz-document, @starting-style.
bool CssAtRuleHoldsStyleRules(std::string_view name);

// A compound selector, tokens [begin, end), and the combinator before it: 0 for none, ' '
// (descendant), '>', '+' or '~'.
struct CssCompound {
  char combinator = 0;
  size_t begin = 0;
  size_t end = 0;
};

// The compounds of the selector in tokens [begin, end) (no top-level commas). A leading
// combinator is the first compound's; comments are ignored; nested blocks (":is(a b)")
// stay inside their compound.
std::vector<CssCompound> SplitCssCompounds(std::string_view css,
                                           const std::vector<CssToken>& tokens, size_t begin,
                                           size_t end);

// The simple-selector units of `part`: single tokens, or a function or bracket block with
// its contents ([begin, end) pairs). Comments are skipped.
std::vector<std::pair<size_t, size_t>> CssCompoundUnits(const std::vector<CssToken>& tokens,
                                                        const CssCompound& part);

// Whether the siblings of the elements a parent rule matches are still inside the region.
enum class ParentSiblings { kInside, kMayBeOutside };

// True when the selector in tokens [begin, end), nested in a style rule, only matches
// elements inside those its parent matches (or their siblings, when `siblings` is
// kInside). Without '&' a nested selector is relative to its parent; with '&' it is not,
// so it must have '&' at the top level of its last compound, or of its first compound
// followed by a descendant or child combinator. Conservative: ":is(&) .x" is refused.
bool NestedCssSelectorConfined(std::string_view css, const std::vector<CssToken>& tokens,
                               size_t begin, size_t end, ParentSiblings siblings);

// True when `text` tokenizes to exactly one complete rule: no unterminated token, a
// prelude without comments other than "/**/", and a block or ';' ending the text.
bool ReadsAsOneCssRule(std::string_view text);

// In `texts` (one per token, initially the token texts): each @keyframes NAME (also
// -webkit-, -moz-, -o-; NAME an ident or a string) becomes NAME--`suffix`, and so does
// every ident or string naming it at the top level of an animation / animation-name
// declaration value (vendor-prefixed too).
void RenameCssKeyframes(std::string_view css, const std::vector<CssToken>& tokens,
                        std::string_view suffix, std::vector<std::string>* texts);

// Edits `texts` (one per token) so their concatenation never contains "</style" (case
// insensitive), which would end the <style> element the CSS is put in: '<' becomes "\3c "
// in strings and url()s, "< " in comments, and a '<' token before '/' becomes a space.
// Returns the 1-based line of each edited token.
std::vector<int> NeutraliseCssStyleEnd(std::string_view css, const std::vector<CssToken>& tokens,
                                       std::vector<std::string>* texts);

}  // namespace hfs::page
