// hfs/page/code_tokenizer.h
//
// A small scanner for generated frontend code (JS/TS/JSX, CSS, HTML-ish markup), used by
// the Validator and the Merger instead of regexes. ScanCode understands '...' and "..."
// strings with escapes, template literals with nested ${ ... } (and strings, templates
// and braces inside them), line and block comments, simple regex literals, and, in the
// kJsx dialect, JSX elements (attribute strings, {expressions}, text children). It checks
// bracket balance over the code only and reports unterminated strings, templates,
// comments, regexes and JSX elements with 1-based line numbers. ScanTags lists the tags of
// HTML or JSX markup (comments, quoted and {braced} attribute values, raw-text elements
// such as <script> and <style> understood).
//
//   CodeScan scan = ScanCode(source, CodeDialect::kJsx);
//   for (const ScanProblem& problem : scan.problems) Report(problem.line, problem.message);
//   if (scan.code.find("console.") != std::string::npos) ...;   // not in strings/comments
//   for (const MarkupTag& tag : ScanTags(scan.uncommented)) Inspect(tag.name, tag.attributes);
//
// Pure functions; thread-safe. They never fail: problems in the text are data.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace hfs::page {

// kScript: JS/TS; kJsx: JS/TS with JSX elements; kCss: no line comments, templates,
// regexes or JSX.
enum class CodeDialect { kScript, kJsx, kCss };

enum class ScanProblemKind {
  kUnterminatedString,
  kUnterminatedTemplate,
  kUnterminatedComment,
  kUnterminatedJsx,
  kMismatchedJsxTag,
  kMismatchedBracket,
  kUnexpectedBracket,
  kUnclosedBracket,
};

struct ScanProblem {
  ScanProblemKind kind = ScanProblemKind::kUnterminatedString;
  // 1-based; where the unterminated thing or the offending bracket starts.
  int line = 0;
  std::string message;
};

struct CodeScan {
  // The text with the contents of strings, template text, comments, regex bodies and JSX
  // text and attribute strings replaced by spaces (newlines kept), so offsets and lines
  // are those of the input. Quote characters and JSX tag names are kept.
  std::string code;
  // The text with only comments replaced by spaces.
  std::string uncommented;
  // In text order of detection. Only the first bracket problem is reported (later ones
  // are usually its echo); every unterminated string, template and comment is.
  std::vector<ScanProblem> problems;
  // The number of JSX elements opened (kJsx only).
  int jsx_elements = 0;
};

CodeScan ScanCode(std::string_view text, CodeDialect dialect);

// The 1-based line of `offset` in `text` (offsets past the end count as the last line).
int LineAt(std::string_view text, size_t offset);

struct MarkupTag {
  // As written ("div", "Hero", "my-widget"); empty never.
  std::string name;
  // The raw text between the name and the closing '>' (or "/>").
  std::string attributes;
  size_t begin = 0;  // offset of '<'
  size_t end = 0;    // offset just past '>'
  int line = 0;
  bool closing = false;       // </name>
  bool self_closing = false;  // <name ... />
};

// The tags of `text` in order. HTML comments, <!DOCTYPE>, <?...?> are skipped; the bodies
// of <script> and <style> are skipped (their own tags are listed). A '<' not followed by
// a letter (or '/' and a letter) is text. A tag missing its '>' ends the scan.
std::vector<MarkupTag> ScanTags(std::string_view text);

// True when `attributes` (a MarkupTag's) has the attribute `name` (case-insensitive),
// with or without a value.
bool HasAttribute(std::string_view attributes, std::string_view name);

// The value of attribute `name` ("..." / '...' / {...} without the delimiters, or a bare
// word); empty when absent or valueless.
std::string AttributeValue(std::string_view attributes, std::string_view name);

}  // namespace hfs::page
