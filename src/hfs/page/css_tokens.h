// hfs/page/css_tokens.h
//
// A CSS tokenizer after CSS Syntax Level 3 (strings with escapes and newline recovery,
// comments, url() tokens including bad urls, idents, functions, at-keywords, hashes,
// numbers, CDO/CDC), matching a block the way a browser does, and re-serialising a
// prelude with comments dropped and whitespace collapsed. Tokens cover the input without
// gaps, so concatenating their texts gives the input back byte for byte. Rules are read
// from tokens by hfs/page/css_rules.h.
//
//   std::vector<CssToken> tokens = TokenizeCss(css);
//   for (size_t i = 0; i < tokens.size(); ++i) {
//     if (tokens[i].kind == CssTokenKind::kOpenCurly) i = FindCssBlockEnd(tokens, i,
//     tokens.size()); else if (tokens[i].kind == CssTokenKind::kHash) Inspect(CssTokenText(css,
//     tokens[i]));
//   }
//
// Pure functions; thread-safe. They never fail: malformed CSS is tokenized the way a
// browser would (unterminated tokens are flagged, unmatched closers are plain tokens).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace hfs::page {

enum class CssTokenKind {
  kWhitespace,
  kComment,
  kString,     // "..." or '...' (also unterminated at the end of input)
  kBadString,  // a string broken by an unescaped newline (the newline is not part of it)
  kUrl,        // url(unquoted) and bad urls; url("quoted") is a kFunction then a kString
  kIdent,
  kFunction,  // name( -- the '(' is part of the token
  kAtKeyword,
  kHash,
  kNumber,  // numbers, percentages and dimensions
  kCdo,     // <!--
  kCdc,     // -->
  kColon,
  kSemicolon,
  kComma,
  kOpenSquare,
  kCloseSquare,
  kOpenParen,
  kCloseParen,
  kOpenCurly,
  kCloseCurly,
  kDelim,
};

struct CssToken {
  CssTokenKind kind = CssTokenKind::kDelim;
  size_t begin = 0;  // byte offsets into the tokenized text
  size_t end = 0;
  int line = 1;  // 1-based line of `begin`
  // A string, url or comment cut off by the end of input.
  bool unterminated = false;
};

std::vector<CssToken> TokenizeCss(std::string_view css);

inline std::string_view CssTokenText(std::string_view css, const CssToken& token) {
  return css.substr(token.begin, token.end - token.begin);
}

// The text that terminates an unterminated token ("\"", "'", ")" or "*/"), else "".
std::string_view CssTokenCloser(std::string_view css, const CssToken& token);

// True for '(', '[', '{' and function tokens.
bool IsCssOpener(CssTokenKind kind);

// The index of the token closing the block opened at `open` (an opener), searching before
// `end`, like a browser: nested blocks are skipped and closers that do not match the
// innermost open block are ordinary tokens. When the block is not closed before `end`,
// returns `end` and, if `missing` is not null, sets it to the closers still needed
// (innermost first, the block's own last).
size_t FindCssBlockEnd(const std::vector<CssToken>& tokens, size_t open, size_t end,
                       std::string* missing = nullptr);

// True when `token` is the delimiter `c`.
bool IsCssDelim(std::string_view css, const CssToken& token, char c);

// `css` without a final unpaired backslash, which would escape whatever is appended.
std::string_view WithoutDanglingCssEscape(std::string_view css);

// The index of the first token at or after `index` (before `end`) that is neither
// whitespace nor a comment, or `end`.
size_t NextSignificant(const std::vector<CssToken>& tokens, size_t index, size_t end);

// The text of tokens [begin, end) with each run of whitespace and comments collapsed to one
// space (a newline where it ends a bad string or follows a lone backslash, also at the
// end), a comment
// between two tokens to an empty "/**/" (so no tokens merge), trimmed. `texts`, when
// given, replaces each token's text (same indexing).
std::string NormalizedCss(std::string_view css, const std::vector<CssToken>& tokens, size_t begin,
                          size_t end, const std::vector<std::string>* texts = nullptr);

}  // namespace hfs::page
