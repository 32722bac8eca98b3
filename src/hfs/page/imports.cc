// ImportsOf and the specifier helpers of hfs/page/imports.h. Keywords and string literals
// are found in a ScanCode view (strings and comments blanked, offsets those of the
// source); the specifier is read from the source by offset.
#include "hfs/page/imports.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <utility>

#include "hfs/base/text.h"
#include "hfs/page/code_tokenizer.h"

namespace hfs::page {
namespace {

constexpr size_t kNone = std::string_view::npos;
constexpr std::string_view kSpaces = " \t\r\n\f\v";

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$';
}
bool OneOf(std::string_view word, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

struct Block {
  size_t begin = 0;
  size_t end = 0;
};

struct Found {
  size_t offset = 0;  // of the specifier in the source
  std::string specifier;
};

// The offset just past the '>' of a tag whose attributes start at `from` (quotes
// skipped), or the end.
size_t OpenTagEnd(std::string_view text, size_t from) {
  char quote = '\0';
  for (size_t i = from; i < text.size(); ++i) {
    char c = text[i];
    if (quote != '\0') {
      if (c == quote) quote = '\0';
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      return i + 1;
    }
  }
  return text.size();
}

// The bodies of the <script> elements whose tag starts a line (a .vue/.svelte/.html
// file), or else the whole source.
std::vector<Block> ScriptBlocks(std::string_view source) {
  std::vector<Block> blocks;
  std::string lower = AsciiLower(source);
  for (size_t at = 0; at < lower.size();) {
    size_t next = at;
    if (lower.compare(at, 7, "<script") == 0 && at + 7 < lower.size() &&
        (IsSpace(lower[at + 7]) || lower[at + 7] == '>')) {
      size_t begin = OpenTagEnd(lower, at + 7);
      size_t end = std::min(lower.find("</script", begin), lower.size());
      blocks.push_back({begin, end});
      next = end;
    }
    next = lower.find('\n', next);
    at = next == kNone ? lower.size() : next + 1;
  }
  if (blocks.empty()) blocks.push_back({0, source.size()});
  return blocks;
}

CodeScan ScanBest(std::string_view code) {
  CodeScan jsx = ScanCode(code, CodeDialect::kJsx);
  if (jsx.problems.empty()) return jsx;
  CodeScan script = ScanCode(code, CodeDialect::kScript);
  return script.problems.size() < jsx.problems.size() ? script : jsx;
}

// The offset of the closing quote of the static string literal opening at view[at], or
// kNone (no literal, unterminated, or a template with ${...}).
size_t StaticLiteralEnd(std::string_view view, size_t at) {
  if (at >= view.size()) return kNone;
  char quote = view[at];
  if (quote != '\'' && quote != '"' && quote != '`') return kNone;
  size_t close = view.find(quote, at + 1);
  if (close == kNone) return kNone;
  std::string_view content = view.substr(at + 1, close - at - 1);
  bool blank = content.find_first_not_of(kSpaces) == kNone;
  bool one_line = quote == '`' || content.find('\n') == kNone;
  return blank && one_line ? close : kNone;
}

// After `import` or `export` (at `at`): the offset of the literal after a `from` that
// ends an import/export clause ({a, b as c}, * as x, default names, `type`), or kNone.
size_t FromClauseSpecifier(std::string_view view, size_t at) {
  while (at < view.size()) {
    char c = view[at];
    if (IsSpace(c) || c == '{' || c == '}' || c == ',' || c == '*') {
      ++at;
      continue;
    }
    if (!IsWordChar(c)) return kNone;
    size_t end = at;
    while (end < view.size() && IsWordChar(view[end])) ++end;
    std::string_view word = view.substr(at, end - at);
    if (word == "from") {
      size_t literal = view.find_first_not_of(kSpaces, end);
      bool quoted = literal != kNone && (view[literal] == '\'' || view[literal] == '"');
      return quoted && StaticLiteralEnd(view, literal) != kNone ? literal : kNone;
    }
    if (OneOf(word, {"import", "export", "class", "function", "const", "let", "var", "enum",
                     "interface", "return"})) {
      return kNone;
    }
    at = end;
  }
  return kNone;
}

// The offset of the specifier literal of the `import`/`export`/`require` keyword ending
// at `end`, or kNone.
size_t SpecifierAfter(std::string_view view, std::string_view keyword, size_t end) {
  size_t at = view.find_first_not_of(kSpaces, end);
  if (at == kNone) return kNone;
  if (keyword != "export" && view[at] == '(') {  // import('a'), require('a')
    size_t literal = view.find_first_not_of(kSpaces, at + 1);
    return literal != kNone && StaticLiteralEnd(view, literal) != kNone ? literal : kNone;
  }
  if (keyword == "require") return kNone;
  if (keyword == "import" && (view[at] == '\'' || view[at] == '"')) {  // import 'a'
    return StaticLiteralEnd(view, at) != kNone ? at : kNone;
  }
  return FromClauseSpecifier(view, at);
}

void CollectImports(std::string_view source, Block block, std::vector<Found>* found) {
  std::string_view code = source.substr(block.begin, block.end - block.begin);
  CodeScan scan = ScanBest(code);
  std::string_view view = scan.code;
  for (size_t i = 0; i < view.size(); ++i) {
    if (!IsWordChar(view[i]) || (i > 0 && IsWordChar(view[i - 1]))) continue;
    size_t end = i;
    while (end < view.size() && IsWordChar(view[end])) ++end;
    std::string_view word = view.substr(i, end - i);
    size_t before = i == 0 ? kNone : view.find_last_not_of(kSpaces, i - 1);
    bool member = before != kNone && (view[before] == '.' || view[before] == '@');
    if (!member && OneOf(word, {"import", "export", "require"})) {
      size_t literal = SpecifierAfter(view, word, end);
      if (literal != kNone) {
        size_t close = StaticLiteralEnd(view, literal);
        found->push_back({block.begin + literal + 1,
                          std::string(code.substr(literal + 1, close - literal - 1))});
      }
    }
    i = end - 1;
  }
}

}  // namespace

std::vector<ImportUse> ImportsOf(std::string_view source) {
  std::vector<Found> found;
  for (Block block : ScriptBlocks(source)) CollectImports(source, block, &found);
  std::sort(found.begin(), found.end(),
            [](const Found& a, const Found& b) { return a.offset < b.offset; });
  std::vector<ImportUse> uses;
  size_t counted = 0;
  int line = 1;
  for (Found& entry : found) {
    if (!uses.empty() && entry.offset == counted) continue;  // found twice
    line += static_cast<int>(std::count(source.begin() + static_cast<long>(counted),
                                        source.begin() + static_cast<long>(entry.offset), '\n'));
    counted = entry.offset;
    uses.push_back({std::move(entry.specifier), line});
  }
  return uses;
}

bool IsLocalImport(std::string_view specifier) {
  return specifier == "." || specifier == ".." || specifier.starts_with("./") ||
         specifier.starts_with("../") ||
         (specifier.starts_with("/") && !specifier.starts_with("//"));
}

std::string PackageName(std::string_view specifier) {
  specifier = specifier.substr(0, specifier.find('?'));
  if (specifier.empty() || std::string_view("./#~").find(specifier[0]) != kNone) return {};
  size_t slash = specifier.find('/');
  size_t colon = specifier.find(':');
  if (colon != kNone && colon < slash) return {};  // node:fs, https://..., virtual:x
  if (specifier[0] != '@') return std::string(specifier.substr(0, slash));
  if (slash == kNone || slash == 1 || slash + 1 == specifier.size()) return {};  // @/x, @scope
  return std::string(specifier.substr(0, specifier.find('/', slash + 1)));
}

}  // namespace hfs::page
