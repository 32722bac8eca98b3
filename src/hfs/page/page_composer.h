// hfs/page/page_composer.h
//
// ComposePage: turns the files every section's writer produced into one page, correct by
// construction whatever the model wrote:
//   - Markdown fences around a file's content are removed;
//   - regions render in contract order, each inside <section id="<root id>"
//     data-region="<root id>">; a wrapper the model wrote itself is adopted (its classes
//     and aria attributes move to the real root) rather than nested;
//   - a region's CSS (files, <style> blocks, non-scoped Vue styles) is scoped to its root
//     (`:root`, `html`, `body` rules move into the scope, with a note); concerns' CSS is
//     global but inside `@layer hfs-concerns`, so any region rule wins over it;
//   - ids used by more than one region (or equal to another region's root) are renamed in
//     the later region (`<root>-<id>`), with the references in its markup, scripts and CSS;
//   - scripts run as ES modules (html: inline <script type="module">, one per script, so
//     no two share a global scope; component formats: bundled); behaviour concerns run
//     after the regions are on the page; data concerns' JSON is available to every region;
//   - a tokens concern that defines no design token, or whose tokens no region uses, is a
//     warning (a concern is judged by its effect, not by a visible box);
//   - imports are limited to what the format's toolchain provides (AllowedPackages);
//     anything else is an error issue with file and line, and the html script holding it
//     is left out so the rest of the page still works.
// Entry files: html/vanilla index.html; react App.tsx + main.tsx + index.html; vue App.vue
// + main.ts + index.html; svelte App.svelte + main.ts + index.html.
//
//   ComposedPage page = ComposePage(contract, files, files_by_section);
//   for (const PageIssue& issue : page.issues) Report(issue.file, issue.line, issue.message);
//   Write(page.files);   // the entry page is "index.html"
//
// Pure; thread-safe. Never fails: problems are issues.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/page/page_contract.h"

namespace hfs::page {

struct PageIssue {
  enum class Severity { kError, kWarning, kNote };
  Severity severity = Severity::kNote;
  std::string section;
  std::string file;
  int line = 0;
  // A short rule id: "import", "default-export", "scoped-css", "renamed-id", "no-markup".
  std::string rule;
  std::string message;
};

struct ComposedPage {
  // Path -> content: the sections' files (cleaned, scoped, renamed) and the entry files.
  std::map<std::string, std::string> files;
  // The file composing every region: index.html, App.tsx, App.vue or App.svelte.
  std::string composition;
  std::vector<PageIssue> issues;
};

ComposedPage ComposePage(const PageContract& contract, std::map<std::string, std::string> files,
                         const std::map<std::string, std::vector<std::string>>& files_by_section);

// The packages a format's toolchain provides to generated code (bare specifiers whose
// package is in this list are allowed): react: react, react-dom; vue: vue; svelte:
// svelte; html and vanilla: none.
std::vector<std::string> AllowedPackages(std::string_view format);

// The import problems of one file of `format`: every bare import of a package the
// toolchain lacks, and (html, vanilla) every import at all. Messages read like
// "import of 'framer-motion' in Pricing.tsx:2 is not available in the react toolchain
// (available: react, react-dom); remove it or write the code with what is available".
std::vector<PageIssue> ImportProblems(std::string_view format, std::string_view path,
                                      std::string_view content);

// The paths HFS writes itself for `format` (the entry files, package.json, build.mjs
// and everything under dist/).
bool IsReservedPath(std::string_view format, std::string_view path);

}  // namespace hfs::page
