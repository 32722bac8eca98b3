// hfs/page/css_scope.h
//
// Confines the CSS of one LLM-written page region to that region. HFS merges the CSS of
// several regions into one page; each region has a root element with an id (#pricing), and
// ScopeCss rewrites whatever the model wrote so every style rule only matches inside it:
// selectors get the scope as an ancestor, :root/html/body become the scope, @keyframes
// get region-unique names, @import and other page-wide at-rules are removed. The other
// functions are the checks and rewrites the Merger needs around it. All of them use a CSS
// Syntax Level 3 tokenizer (hfs/page/css_tokens.h), never regexes: strings, url()s,
// escapes and comments are understood, and declaration values are never mistaken for
// selectors.
//
//   ScopedCss scoped = ScopeCss(region.css, "#pricing");
//   for (const CssNote& note : scoped.notes) Warn(note.line, note.message);
//   std::string css = InLayer(scoped.css, "regions");
//   for (const std::string& name : UsedCustomProperties(css)) RequireToken(name);
//   css = RenameIdSelectors(css, {{"pricing", "pricing-2"}});
//
// Pure functions; thread-safe. They never fail: malformed CSS is repaired or dropped and
// reported as notes. `scope` and `layer` come from HFS, not from a model; passing an empty
// or malformed one is a bug and aborts (HFS_CHECK).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace hfs::page {

struct CssNote {
  int line = 0;  // 1-based line in the input
  std::string message;
};

struct ScopedCss {
  std::string css;
  std::vector<CssNote> notes;
};

// Rewrites `css` so each style rule only matches inside `scope`, a simple selector such as
// "#pricing" (an id, class or attribute selector; no combinators or commas).
//
// Style rules: each selector of a list (split on top-level commas) gets the scope as an
// ancestor (".card" -> "#pricing .card", "*" -> "#pricing *", "> .x" -> "#pricing > .x").
// Selectors already starting with the scope ("#pricing", "#pricing:hover .x") are kept.
// Leading :root/html/body/& compounds become the scope ("body .card" -> "#pricing .card",
// ":root" -> "#pricing", "html > body main" -> "#pricing main", with a note); a qualified
// one stays as a condition in front of the scope, so theme switches on the page root still
// work ("body.dark .x" -> "body.dark #pricing .x", ":root[data-theme=dark]" ->
// ":root[data-theme=dark] #pricing"). A rule with an empty selector, or one starting with
// '+' or '~' (the region's siblings), is dropped with a note, like a browser drops a rule
// with one invalid selector. Declaration blocks, nested rules included, are copied byte
// for byte apart from the renames below; a rule whose nested rules could reach outside
// (":not(&)", ":has(&)", "& + x" on the region root, a nested @scope) is dropped (note).
//
// At-rules: @media, @supports, @container, @layer {..}, @document, @starting-style are
// scoped recursively; "@layer a, b;" is kept. @scope is confined by scoping its roots
// ("@scope (.card)" -> "@scope (#pricing .card)", a root-less "@scope" gets "(#pricing)");
// its "to (...)" limit and its block are kept (its rules match only inside its roots).
// @keyframes NAME (and vendor forms) becomes NAME--<scope letters> ("fade--pricing"), and
// `animation` / `animation-name` values in `css` naming it are updated (other names are
// kept: they may be page-wide keyframes). @font-face, @page, @property, @counter-style,
// @font-feature-values and @font-palette-values are kept as they are. @import and
// @namespace are removed with a note, @charset silently, any other at-rule with a note.
//
// Malformed input is read the way a browser reads it. Unclosed blocks, strings, url()s
// and comments are closed at the end (note); a stray '}' or a rule without a block is
// dropped (note); every emitted rule is re-read and dropped (note) unless it reads back
// as exactly that one rule, so nothing can leak into the rules after it or into the next
// region's CSS. Comments between rules are dropped; in selectors and at-rule preludes
// whitespace and comments collapse to one space (a comment between two tokens to "/**/").
// "</style" is neutralised. One rule per line, group rules indented.
ScopedCss ScopeCss(std::string_view css, std::string_view scope);

// Custom property names ("--accent") declared in `css` (as `--accent: ...` declarations),
// in first-seen order, without duplicates.
std::vector<std::string> DeclaredCustomProperties(std::string_view css);

// Custom property names used through var(--name ...) in `css`, fallbacks included
// ("var(--a, var(--b))" uses both), in first-seen order, without duplicates.
std::vector<std::string> UsedCustomProperties(std::string_view css);

// `css` with id selectors renamed ("#old" -> "#new" for each {"old", "new"} entry) in the
// selectors of style rules (nested ones too, also inside @media and the like) and @scope
// preludes only; declaration values (color: #fff), strings, url()s and comments are
// untouched. Everything else is byte for byte. New ids must be plain identifiers
// ([A-Za-z0-9_-], not starting with a digit).
std::string RenameIdSelectors(std::string_view css,
                              const std::map<std::string, std::string>& renames);

// `css` wrapped in "@layer LAYER { ... }". @import rules move in front of the block (in
// order, with layer(LAYER) added unless they name a layer) since they are only valid
// there; @charset is dropped; so are a stray '}' and top-level garbage that would break
// the wrapper, and unclosed blocks are closed. `layer` is a layer name ("regions",
// "hfs.regions").
std::string InLayer(std::string_view css, std::string_view layer);

}  // namespace hfs::page
