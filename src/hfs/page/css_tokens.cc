#include "hfs/page/css_tokens.h"

#include <algorithm>

#include "hfs/base/text.h"

namespace hfs::page {
namespace {

bool IsNewline(char c) { return c == '\n' || c == '\r' || c == '\f'; }
bool IsWhitespace(char c) { return c == ' ' || c == '\t' || IsNewline(c); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHexDigit(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
// Non-ASCII, and NUL, which browsers read as U+FFFD. (At() returns '\0' past the end:
// callers check AtEnd() first.)
bool IsNameStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '\0' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool IsNameChar(char c) { return IsNameStart(c) || IsDigit(c) || c == '-'; }
bool IsNonPrintable(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return u <= 0x08 || u == 0x0B || (u >= 0x0E && u <= 0x1F) || u == 0x7F;
}

// The kind of a one-character token.
CssTokenKind SingleCharKind(char c) {
  switch (c) {
    case '(':
      return CssTokenKind::kOpenParen;
    case ')':
      return CssTokenKind::kCloseParen;
    case '[':
      return CssTokenKind::kOpenSquare;
    case ']':
      return CssTokenKind::kCloseSquare;
    case '{':
      return CssTokenKind::kOpenCurly;
    case '}':
      return CssTokenKind::kCloseCurly;
    case ',':
      return CssTokenKind::kComma;
    case ':':
      return CssTokenKind::kColon;
    case ';':
      return CssTokenKind::kSemicolon;
    default:
      return CssTokenKind::kDelim;
  }
}

// A cursor over the text that follows the tokenizer algorithm of CSS Syntax Level 3.
class Tokenizer {
 public:
  explicit Tokenizer(std::string_view css) : css_(css) {}

  std::vector<CssToken> Run() {
    std::vector<CssToken> tokens;
    int line = 1;
    size_t counted = 0;
    while (pos_ < css_.size()) {
      CssToken token;
      token.begin = pos_;
      token.kind = Next(&token.unterminated);
      token.end = pos_;
      for (; counted < token.begin; ++counted) line += StartsNewline(counted) ? 1 : 0;
      token.line = line;
      tokens.push_back(token);
    }
    return tokens;
  }

 private:
  char At(size_t offset) const { return pos_ + offset < css_.size() ? css_[pos_ + offset] : '\0'; }
  bool AtEnd(size_t offset = 0) const { return pos_ + offset >= css_.size(); }
  // "\r\n" is one newline, counted at the '\n'.
  bool StartsNewline(size_t index) const {
    char c = css_[index];
    return c == '\n' || c == '\f' ||
           (c == '\r' && (index + 1 >= css_.size() || css_[index + 1] != '\n'));
  }
  bool ValidEscape(size_t offset) const {
    return At(offset) == '\\' && !IsNewline(At(offset + 1));  // also before the end
  }
  bool StartsIdent(size_t offset) const {
    char c = At(offset);
    if (AtEnd(offset)) return false;
    if (c == '-') {
      return (!AtEnd(offset + 1) && (IsNameStart(At(offset + 1)) || At(offset + 1) == '-')) ||
             ValidEscape(offset + 1);
    }
    return IsNameStart(c) || ValidEscape(offset);
  }
  bool StartsNumber(size_t offset) const {
    char c = At(offset);
    if (c == '+' || c == '-') {
      return IsDigit(At(offset + 1)) || (At(offset + 1) == '.' && IsDigit(At(offset + 2)));
    }
    if (c == '.') return IsDigit(At(offset + 1));
    return IsDigit(c);
  }
  void SkipNewline() { pos_ += (At(0) == '\r' && At(1) == '\n') ? 2 : 1; }
  // After the backslash of a valid escape.
  void ConsumeEscape() {
    if (AtEnd()) return;
    if (!IsHexDigit(At(0))) {
      ++pos_;
      return;
    }
    for (int i = 0; i < 6 && IsHexDigit(At(0)); ++i) ++pos_;
    if (!AtEnd() && IsWhitespace(At(0))) IsNewline(At(0)) ? SkipNewline() : void(++pos_);
  }
  void ConsumeName() {
    while (!AtEnd()) {
      if (IsNameChar(At(0))) {
        ++pos_;
      } else if (ValidEscape(0)) {
        ++pos_;
        ConsumeEscape();
      } else {
        return;
      }
    }
  }

  CssTokenKind Next(bool* unterminated) {
    char c = At(0);
    if (c == '/' && At(1) == '*') {
      size_t close = css_.find("*/", pos_ + 2);
      *unterminated = close == std::string_view::npos;
      pos_ = *unterminated ? css_.size() : close + 2;
      return CssTokenKind::kComment;
    }
    if (IsWhitespace(c)) {
      while (!AtEnd() && IsWhitespace(At(0))) ++pos_;
      return CssTokenKind::kWhitespace;
    }
    if (c == '"' || c == '\'') return String(c, unterminated);
    if (c == '#') {
      ++pos_;
      if (AtEnd() || !(IsNameChar(At(0)) || ValidEscape(0))) return CssTokenKind::kDelim;
      ConsumeName();
      return CssTokenKind::kHash;
    }
    if (StartsNumber(0)) return Number();
    if (c == '-' && At(1) == '-' && At(2) == '>') {
      pos_ += 3;
      return CssTokenKind::kCdc;
    }
    if (StartsIdent(0)) return IdentLike(unterminated);
    if (c == '<' && css_.substr(pos_, 4) == "<!--") {
      pos_ += 4;
      return CssTokenKind::kCdo;
    }
    if (c == '@' && StartsIdent(1)) {
      ++pos_;
      ConsumeName();
      return CssTokenKind::kAtKeyword;
    }
    ++pos_;
    return SingleCharKind(c);
  }

  CssTokenKind String(char quote, bool* unterminated) {
    ++pos_;
    while (true) {
      if (AtEnd()) {
        *unterminated = true;
        return CssTokenKind::kString;
      }
      char c = At(0);
      if (c == quote) {
        ++pos_;
        return CssTokenKind::kString;
      }
      if (IsNewline(c)) return CssTokenKind::kBadString;
      ++pos_;
      if (c != '\\' || AtEnd()) continue;
      if (IsNewline(At(0))) {
        SkipNewline();
      } else {
        ConsumeEscape();
      }
    }
  }

  CssTokenKind Number() {
    if (At(0) == '+' || At(0) == '-') ++pos_;
    while (IsDigit(At(0))) ++pos_;
    if (At(0) == '.' && IsDigit(At(1))) {
      pos_ += 2;
      while (IsDigit(At(0))) ++pos_;
    }
    if ((At(0) == 'e' || At(0) == 'E') &&
        (IsDigit(At(1)) || ((At(1) == '+' || At(1) == '-') && IsDigit(At(2))))) {
      pos_ += 2;
      while (IsDigit(At(0))) ++pos_;
    }
    if (StartsIdent(0)) {
      ConsumeName();
    } else if (At(0) == '%') {
      ++pos_;
    }
    return CssTokenKind::kNumber;
  }

  CssTokenKind IdentLike(bool* unterminated) {
    size_t start = pos_;
    ConsumeName();
    if (At(0) != '(') return CssTokenKind::kIdent;
    std::string_view name = css_.substr(start, pos_ - start);
    ++pos_;
    bool is_url = name.size() == 3 && (name[0] | 0x20) == 'u' && (name[1] | 0x20) == 'r' &&
                  (name[2] | 0x20) == 'l';
    if (!is_url) return CssTokenKind::kFunction;
    size_t after = pos_;
    while (!AtEnd() && IsWhitespace(At(0))) ++pos_;
    if (At(0) == '"' || At(0) == '\'') {
      pos_ = after;  // url("...") is a function followed by a string
      return CssTokenKind::kFunction;
    }
    return Url(unterminated);
  }

  // After "url(" and its leading whitespace. Bad urls run to the next ')' as well.
  CssTokenKind Url(bool* unterminated) {
    while (!AtEnd()) {
      char c = At(0);
      if (c == ')') {
        ++pos_;
        return CssTokenKind::kUrl;
      }
      if (ValidEscape(0)) {
        ++pos_;
        ConsumeEscape();
      } else if (c == '\\' || c == '"' || c == '\'' || c == '(' || IsNonPrintable(c)) {
        ++pos_;  // a bad url: the remnants below still honour escapes
      } else {
        ++pos_;
      }
    }
    *unterminated = true;
    return CssTokenKind::kUrl;
  }

  std::string_view css_;
  size_t pos_ = 0;
};

CssTokenKind CloserOf(CssTokenKind opener) {
  switch (opener) {
    case CssTokenKind::kOpenSquare:
      return CssTokenKind::kCloseSquare;
    case CssTokenKind::kOpenCurly:
      return CssTokenKind::kCloseCurly;
    default:
      return CssTokenKind::kCloseParen;
  }
}

char CloserChar(CssTokenKind closer) {
  switch (closer) {
    case CssTokenKind::kCloseSquare:
      return ']';
    case CssTokenKind::kCloseCurly:
      return '}';
    default:
      return ')';
  }
}

// True when `text` ends in a hex escape ("\31") that a following space would end (and so
// become part of).
bool EndsInHexEscape(std::string_view text) {
  size_t digits = 0;
  while (digits < 6 && digits < text.size() && IsHexDigit(text[text.size() - 1 - digits])) {
    ++digits;
  }
  size_t backslashes = 0;
  for (size_t i = text.size() - digits; i > 0 && text[i - 1] == '\\'; --i) ++backslashes;
  return digits > 0 && backslashes % 2 == 1;
}

}  // namespace

std::vector<CssToken> TokenizeCss(std::string_view css) { return Tokenizer(css).Run(); }

std::string_view CssTokenCloser(std::string_view css, const CssToken& token) {
  if (!token.unterminated) return "";
  switch (token.kind) {
    case CssTokenKind::kComment:
      return "*/";
    case CssTokenKind::kUrl:
      return ")";
    case CssTokenKind::kString:
      return css.substr(token.begin, 1);
    default:
      return "";
  }
}

bool IsCssOpener(CssTokenKind kind) {
  return kind == CssTokenKind::kOpenParen || kind == CssTokenKind::kOpenSquare ||
         kind == CssTokenKind::kOpenCurly || kind == CssTokenKind::kFunction;
}

size_t FindCssBlockEnd(const std::vector<CssToken>& tokens, size_t open, size_t end,
                       std::string* missing) {
  std::vector<CssTokenKind> expected;
  for (size_t i = open; i < end; ++i) {
    CssTokenKind kind = tokens[i].kind;
    if (IsCssOpener(kind)) {
      expected.push_back(CloserOf(kind));
    } else if (!expected.empty() && kind == expected.back()) {
      expected.pop_back();
      if (expected.empty()) return i;
    }
  }
  if (missing != nullptr) {
    missing->clear();
    for (auto it = expected.rbegin(); it != expected.rend(); ++it)
      missing->push_back(CloserChar(*it));
  }
  return end;
}

bool IsCssDelim(std::string_view css, const CssToken& token, char c) {
  return token.kind == CssTokenKind::kDelim && CssTokenText(css, token) == std::string_view(&c, 1);
}

std::string_view WithoutDanglingCssEscape(std::string_view css) {
  size_t backslashes = 0;
  while (backslashes < css.size() && css[css.size() - 1 - backslashes] == '\\') ++backslashes;
  return backslashes % 2 == 1 ? css.substr(0, css.size() - 1) : css;
}

size_t NextSignificant(const std::vector<CssToken>& tokens, size_t index, size_t end) {
  while (index < end && (tokens[index].kind == CssTokenKind::kWhitespace ||
                         tokens[index].kind == CssTokenKind::kComment)) {
    ++index;
  }
  return index;
}

std::string NormalizedCss(std::string_view css, const std::vector<CssToken>& tokens, size_t begin,
                          size_t end, const std::vector<std::string>* texts) {
  std::string out;
  std::string_view separator;    // pending between two tokens: "", "/**/", " " or "\n"
  bool newline_matters = false;  // after a bad string or a lone backslash
  // The newline written then: "\r" after an escaped CR, which a "\n" would join into one
  // CRLF line break (and so into the escape).
  std::string_view line_break = "\n";
  for (size_t i = begin; i < end; ++i) {
    CssTokenKind kind = tokens[i].kind;
    std::string_view text = CssTokenText(css, tokens[i]);
    if (kind == CssTokenKind::kComment) {
      if (!out.empty() && separator.empty()) separator = "/**/";
      continue;
    }
    if (kind == CssTokenKind::kWhitespace) {
      bool newline = text.find_first_of("\n\r\f") != std::string_view::npos;
      if (!out.empty() && separator != line_break) {
        separator = newline && newline_matters ? line_break : " ";
      }
      continue;
    }
    // A space right after a hex escape would end the escape rather than separate tokens.
    if (separator == " " && EndsInHexEscape(out)) separator = "/**/ ";
    out += separator;
    separator = "";
    std::string_view written = texts != nullptr ? std::string_view((*texts)[i]) : text;
    out += written;
    newline_matters =
        kind == CssTokenKind::kBadString || (kind == CssTokenKind::kDelim && text == "\\");
    line_break = written.ends_with('\r') ? "\r" : "\n";
  }
  if (newline_matters) out += line_break;  // the newline that ended it, even past `end`
  return out;
}

}  // namespace hfs::page
