// Fuzz target for the CSS tokenizer (hfs/page/css_tokens.h): any bytes tokenize without
// crashing into non-empty tokens that cover the input without gaps, each with the line
// it starts on; only strings, urls and comments are unterminated, and only at the end of
// the input; every block end found is the matching closer, or the end with the closers
// still missing; and the normalized text of all tokens tokenizes to the same tokens,
// with whitespace between the same ones, comments aside.
//
//   build-fuzz/fuzz/css_tokens_fuzz fuzz/corpus/css_tokens   (libFuzzer)
//   build/fuzz/css_tokens_fuzz_regression fuzz/corpus/css_tokens
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hfs/page/css_tokens.h"

namespace hfs::page {
namespace {

void Check(bool condition, const char* what, std::string_view detail = {}) {
  if (condition) return;
  std::fprintf(stderr, "css_tokens_fuzz: %s\n%.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

struct Significant {
  CssTokenKind kind;
  std::string_view text;
  bool space_before;  // whitespace between it and the previous significant token

  friend bool operator==(const Significant&, const Significant&) = default;
};

// The tokens that are neither whitespace nor comments.
std::vector<Significant> SignificantTokens(std::string_view css,
                                           const std::vector<CssToken>& tokens) {
  std::vector<Significant> out;
  bool space = false;
  for (const CssToken& token : tokens) {
    if (token.kind == CssTokenKind::kWhitespace) space = !out.empty();
    if (token.kind == CssTokenKind::kWhitespace || token.kind == CssTokenKind::kComment) continue;
    out.push_back({token.kind, CssTokenText(css, token), space});
    space = false;
  }
  return out;
}

bool IsCloser(CssTokenKind kind) {
  return kind == CssTokenKind::kCloseParen || kind == CssTokenKind::kCloseSquare ||
         kind == CssTokenKind::kCloseCurly;
}

void CheckCss(std::string_view css) {
  std::vector<CssToken> tokens = TokenizeCss(css);
  size_t at = 0;
  size_t counted = 0;
  int line = 1;
  for (const CssToken& token : tokens) {
    Check(token.begin == at && token.end > token.begin && token.end <= css.size(),
          "tokens do not cover the input");
    // Line breaks are LF, FF, CR and CRLF (one break).
    for (; counted < token.begin; ++counted) {
      char c = css[counted];
      if (c == '\n' || c == '\f' ||
          (c == '\r' && (counted + 1 == css.size() || css[counted + 1] != '\n'))) {
        ++line;
      }
    }
    Check(token.line == line, "wrong line number");
    at = token.end;
    if (token.unterminated) {
      Check(token.kind == CssTokenKind::kString || token.kind == CssTokenKind::kUrl ||
                token.kind == CssTokenKind::kComment,
            "an unterminated token of another kind");
      Check(token.end == css.size(), "an unterminated token before the end");
      Check(!CssTokenCloser(css, token).empty(), "an unterminated token without a closer");
    }
  }
  Check(at == css.size(), "tokens do not reach the end of the input");

  for (size_t i = 0; i < tokens.size(); ++i) {
    if (!IsCssOpener(tokens[i].kind)) continue;
    std::string missing;
    size_t end = FindCssBlockEnd(tokens, i, tokens.size(), &missing);
    Check(end > i && end <= tokens.size(), "block end out of range");
    if (end < tokens.size()) {
      Check(IsCloser(tokens[end].kind), "block end is not a closer");
    } else {
      Check(!missing.empty(), "an open block with nothing missing");
    }
  }

  std::string normalized = NormalizedCss(css, tokens, 0, tokens.size());
  Check(SignificantTokens(normalized, TokenizeCss(normalized)) == SignificantTokens(css, tokens),
        "normalized text tokenizes differently", normalized);
  std::string_view kept = WithoutDanglingCssEscape(css);
  Check(kept == css || kept.size() + 1 == css.size(), "dangling escape cut wrongly");
}

}  // namespace
}  // namespace hfs::page

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 16 * 1024) return 0;
  hfs::page::CheckCss(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
