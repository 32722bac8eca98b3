// hfs/page/markup.h
//
// Makes model-written HTML regions safe to put on one page: StripCodeFence removes a
// Markdown fence around a file, SplitMarkup takes the <style> and <script> blocks (and a
// full document's head) out of a fragment, AdoptRoot removes a wrapper element that is
// the region's own root, and ElementIds / RenameIdsInMarkup / RenameIdsInScript find and
// rename ids that would collide with another region's. All scanning uses
// hfs/page/code_tokenizer.h, so strings, comments and raw-text elements are understood.
//
//   MarkupParts parts = SplitMarkup(StripCodeFence(reply));
//   AdoptedRoot root = AdoptRoot(parts.markup, "pricing");
//   for (const IdUse& use : ElementIds(root.inner)) if (Taken(use.id)) renames[use.id] = ...;
//   std::string markup = RenameIdsInMarkup(root.inner, renames);
//   for (InlineScript& script : parts.scripts) {
//     script.code = RenameIdsInScript(script.code, renames);
//   }
//
// Pure functions; thread-safe. They never fail or throw: malformed input yields a best
// effort (an unclosed wrapper is not adopted, an unterminated fence runs to the end).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hfs::page {

// A model's file content without a surrounding Markdown code fence (```html ... ``` or
// ``` ... ```, also ~~~ and longer fences), also when text precedes or follows the fence:
// the first fenced block wins when the text before it is prose, not code (a fence inside a
// template literal, a comment or after lines of markup/code is content). An unterminated
// fence runs to the end of the text (a trailing ``` glued to the last line is dropped).
// Content without a fence is returned trimmed of leading/trailing blank lines only. Not
// for Markdown files, whose fences are content.
std::string StripCodeFence(std::string_view text);

struct InlineScript {
  // The element's text as written (empty for an external script).
  std::string code;
  // type="module".
  bool module = false;
  // The 1-based line of the input where `code` starts (the line of the <script> tag's
  // '>'): line k of `code` is line `line + k - 1` of the input.
  int line = 0;
  // The external src=, if any.
  std::string src;
};

struct MarkupParts {
  // Trimmed of leading/trailing blank lines; lines left empty by a removal are dropped.
  std::string markup;
  // The text of each <style> element, in document order.
  std::vector<std::string> styles;
  // In document order.
  std::vector<InlineScript> scripts;
};

// Splits an HTML fragment or full document: <style> blocks and <script> blocks (type
// absent, text/javascript, application/javascript or module) are removed from the markup
// and returned; a full document contributes its <body> content (styles and scripts in
// <head> and after </body> are returned too); <!doctype>, <?xml?>, <html>, <head> with
// its content, <body>, <meta>, <title> and <link rel=stylesheet> are dropped. Scripts of
// other types (application/json, application/ld+json, text/template) stay in the markup.
MarkupParts SplitMarkup(std::string_view html);

struct AdoptedRoot {
  std::string inner;
  bool adopted = false;
  // The wrapper's tag in lower case ("section"); empty when not adopted. A composer never
  // uses "main" or "body" for a region root.
  std::string tag;
  // The wrapper's attributes except id, in written order: (name as written, value as
  // written without quotes and entities not decoded; "" for a valueless attribute).
  std::vector<std::pair<std::string, std::string>> attributes;
};

// When the whole fragment (ignoring whitespace and comments) is one element that is the
// region's own wrapper -- its id equals root_id, or it is a <section>, <div>, <article> or
// <main> whose id, a class, data-section or data-region names the region -- returns its
// content (trimmed of blank lines) as `inner`, with adopted=true and its tag and
// attributes except id (class, aria-*, data-*, role, style, ...) so the composer can put
// them on the real root. A value names the region when it equals root_id after lowering,
// splitting camelCase and dropping the words section, wrapper, root, container, region and
// block ("pricing-section", "sectionPricing" name "pricing"). A wrapper with another id is
// not adopted. A <main> or <body> wrapper is always stripped (a region is never a
// <main>), then its own content is examined again. Otherwise returns the fragment
// unchanged with adopted=false.
AdoptedRoot AdoptRoot(std::string_view markup, std::string_view root_id);

struct IdUse {
  std::string id;
  int line = 0;  // 1-based line of the value
};

// Every literal id="..." value in the markup, in order, with its 1-based line. Ids in
// comments, <script>/<style> bodies and {braced} expressions are not listed.
std::vector<IdUse> ElementIds(std::string_view markup);

// Renames ids in markup: id="x" and every reference to it: for="x", href="#x" (also
// xlink:href, e.g. in svg <use>), data-target/data-bs-target="#x", url(#x) in any
// attribute (SVG fill, clip-path, mask, style), the space-separated id lists of
// aria-labelledby/aria-describedby/aria-controls/aria-owns/aria-activedescendant/
// aria-flowto/aria-details/aria-errormessage/list/form/headers, on* handler attributes and
// JavaScript <script> bodies (as RenameIdsInScript). <style> bodies are left alone.
// `renames` maps old id -> new id; ids are case-sensitive.
std::string RenameIdsInMarkup(std::string_view markup,
                              const std::map<std::string, std::string>& renames);

// Renames ids referenced from JS/TS/JSX code: getElementById("x"|'x'|`x`), and #x as a
// whole compound in a static string literal passed to querySelector/querySelectorAll/
// closest/matches (called as methods) or $/jQuery: "#x .y" -> "#new .y", "a[href='#x']"
// too, "#xy" not touched. Strings elsewhere (and templates with ${...}) are left alone. In
// JSX elements the attributes RenameIdsInMarkup handles are renamed too (id="x",
// htmlFor="x", id={"x"}, href="#x", aria-controls="x", ...).
std::string RenameIdsInScript(std::string_view code,
                              const std::map<std::string, std::string>& renames);

}  // namespace hfs::page
