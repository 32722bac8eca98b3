#include "hfs/page/css_rules.h"

#include <algorithm>
#include <set>

#include "hfs/base/text.h"

namespace hfs::page {
namespace {

using Tokens = std::vector<CssToken>;
using K = CssTokenKind;

}  // namespace

CssItem ReadCssItem(const std::vector<CssToken>& tokens, size_t begin, size_t end) {
  CssItem item;
  item.begin = begin;
  size_t i = begin;
  while (i < end) {
    CssTokenKind kind = tokens[i].kind;
    if (kind == CssTokenKind::kOpenCurly) {
      item.prelude_end = i;
      item.has_block = true;
      item.block_end = FindCssBlockEnd(tokens, i, end, &item.missing);
      item.next = item.block_end < end ? item.block_end + 1 : end;
      return item;
    }
    if (kind == CssTokenKind::kSemicolon) {
      item.prelude_end = i;
      item.has_semicolon = true;
      item.next = i + 1;
      return item;
    }
    if (kind == CssTokenKind::kCloseCurly) {
      item.prelude_end = i;
      item.next = i == begin ? i + 1 : i;
      return item;
    }
    if (IsCssOpener(kind)) {
      size_t close = FindCssBlockEnd(tokens, i, end);
      i = close < end ? close + 1 : end;
    } else {
      ++i;
    }
  }
  item.prelude_end = end;
  item.next = end;
  return item;
}

std::vector<CssItem> ReadCssItems(std::string_view css, const std::vector<CssToken>& tokens,
                                  size_t begin, size_t end) {
  std::vector<CssItem> items;
  for (size_t i = NextSignificant(tokens, begin, end); i < end;
       i = NextSignificant(tokens, i, end)) {
    CssTokenKind kind = tokens[i].kind;
    if (kind == CssTokenKind::kSemicolon || kind == CssTokenKind::kCloseCurly ||
        kind == CssTokenKind::kCdo || kind == CssTokenKind::kCdc) {
      ++i;
      continue;
    }
    size_t colon = NextSignificant(tokens, i + 1, end);
    if (kind == CssTokenKind::kIdent && CssTokenText(css, tokens[i]).substr(0, 2) == "--" &&
        colon < end && tokens[colon].kind == CssTokenKind::kColon) {
      CssItem item;
      item.begin = i;
      size_t j = colon;
      while (j < end && tokens[j].kind != CssTokenKind::kSemicolon &&
             tokens[j].kind != CssTokenKind::kCloseCurly) {
        j = IsCssOpener(tokens[j].kind) ? std::min(FindCssBlockEnd(tokens, j, end) + 1, end)
                                        : j + 1;
      }
      item.prelude_end = j;
      item.has_semicolon = j < end && tokens[j].kind == CssTokenKind::kSemicolon;
      item.next = item.has_semicolon ? j + 1 : j;
      items.push_back(item);
      i = item.next;
      continue;
    }
    items.push_back(ReadCssItem(tokens, i, end));
    i = items.back().next;
  }
  return items;
}

bool AtCssDeclarationStart(const std::vector<CssToken>& tokens, size_t index) {
  while (index > 0) {
    CssTokenKind kind = tokens[--index].kind;
    if (kind == CssTokenKind::kWhitespace || kind == CssTokenKind::kComment) continue;
    return kind == CssTokenKind::kOpenCurly || kind == CssTokenKind::kSemicolon ||
           kind == CssTokenKind::kCloseCurly;
  }
  return true;
}

std::string CssAtRuleName(std::string_view css, const CssToken& token) {
  return AsciiLower(CssTokenText(css, token).substr(1));
}

bool CssAtRuleHoldsStyleRules(std::string_view name) {
  for (std::string_view group : {"media", "supports", "container", "layer", "scope", "document",
                                 "-moz-document", "starting-style"}) {
    if (name == group) return true;
  }
  return false;
}

std::vector<CssCompound> SplitCssCompounds(std::string_view css, const Tokens& tokens, size_t begin,
                                           size_t end) {
  std::vector<CssCompound> parts;
  char pending = 0;
  bool open = false;
  for (size_t i = begin; i < end;) {
    const CssToken& token = tokens[i];
    if (token.kind == K::kWhitespace || token.kind == K::kComment) {
      if (token.kind == K::kWhitespace) open = false;
      if (token.kind == K::kWhitespace && pending == 0 && !parts.empty()) pending = ' ';
      ++i;
      continue;
    }
    if (IsCssDelim(css, token, '>') || IsCssDelim(css, token, '+') || IsCssDelim(css, token, '~')) {
      open = false;
      pending = CssTokenText(css, token)[0];
      ++i;
      continue;
    }
    if (!open) parts.push_back({pending, i, i});
    open = true;
    pending = 0;
    i = IsCssOpener(token.kind) ? std::min(FindCssBlockEnd(tokens, i, end) + 1, end) : i + 1;
    parts.back().end = i;
  }
  return parts;
}

std::vector<std::pair<size_t, size_t>> CssCompoundUnits(const Tokens& tokens,
                                                        const CssCompound& part) {
  std::vector<std::pair<size_t, size_t>> units;
  for (size_t i = part.begin; i < part.end;) {
    size_t next = IsCssOpener(tokens[i].kind)
                      ? std::min(FindCssBlockEnd(tokens, i, part.end) + 1, part.end)
                      : i + 1;
    if (tokens[i].kind != K::kComment) units.emplace_back(i, next);
    i = next;
  }
  return units;
}

namespace {

// The keyframes name an ident or a terminated string stands for, else "".
std::string_view KeyframesKey(std::string_view css, const CssToken& token) {
  std::string_view text = CssTokenText(css, token);
  if (token.kind == K::kIdent) return text;
  if (token.kind == K::kString && !token.unterminated) return text.substr(1, text.size() - 2);
  return "";
}

bool IsAnimationProperty(std::string_view css, const CssToken& token) {
  if (token.kind != K::kIdent) return false;
  std::string name = AsciiLower(CssTokenText(css, token));
  for (std::string_view prefix : {"-webkit-", "-moz-", "-o-"}) {
    if (name.rfind(prefix, 0) == 0) name.erase(0, prefix.size());
  }
  return name == "animation" || name == "animation-name";
}

bool HasTopLevelAmpersand(std::string_view css, const Tokens& tokens, const CssCompound& part) {
  for (auto [begin, end] : CssCompoundUnits(tokens, part)) {
    if (IsCssDelim(css, tokens[begin], '&')) return true;
  }
  return false;
}

}  // namespace

bool NestedCssSelectorConfined(std::string_view css, const std::vector<CssToken>& tokens,
                               size_t begin, size_t end, ParentSiblings siblings) {
  std::vector<CssCompound> parts = SplitCssCompounds(css, tokens, begin, end);
  if (parts.empty()) return true;
  bool sibling_ok = siblings == ParentSiblings::kInside;
  char leading = parts[0].combinator == ' ' ? 0 : parts[0].combinator;
  bool has_ampersand = false;
  for (size_t i = begin; i < end; ++i) has_ampersand |= IsCssDelim(css, tokens[i], '&');
  if (!has_ampersand) return leading == 0 || leading == '>' || sibling_ok;
  if (leading != 0) return false;
  if (HasTopLevelAmpersand(css, tokens, parts.back())) return true;
  if (!HasTopLevelAmpersand(css, tokens, parts[0])) return false;
  return parts.size() == 1 || parts[1].combinator == ' ' || parts[1].combinator == '>' ||
         sibling_ok;
}

bool ReadsAsOneCssRule(std::string_view text) {
  Tokens tokens = TokenizeCss(text);
  for (const CssToken& token : tokens) {
    if (token.unterminated) return false;
  }
  size_t first = NextSignificant(tokens, 0, tokens.size());
  if (first == tokens.size()) return false;
  CssItem item = ReadCssItem(tokens, first, tokens.size());
  size_t last = item.has_block       ? item.block_end
                : item.has_semicolon ? item.prelude_end
                                     : tokens.size();
  if (last == tokens.size() || NextSignificant(tokens, last + 1, tokens.size()) != tokens.size()) {
    return false;
  }
  for (size_t i = first; i < item.prelude_end; ++i) {
    if (tokens[i].kind == K::kComment && CssTokenText(text, tokens[i]) != "/**/") return false;
  }
  return true;
}

void RenameCssKeyframes(std::string_view css, const std::vector<CssToken>& tokens,
                        std::string_view suffix, std::vector<std::string>* texts) {
  auto renamed = [&](size_t index) {
    std::string_view text = CssTokenText(css, tokens[index]);
    if (tokens[index].kind == K::kIdent) return std::string(text) + "--" + std::string(suffix);
    return std::string(text.substr(0, text.size() - 1)) + "--" + std::string(suffix) + text.back();
  };
  std::set<std::string_view> names;
  for (size_t i = 0; i < tokens.size(); ++i) {
    std::string at = tokens[i].kind == K::kAtKeyword ? CssAtRuleName(css, tokens[i]) : "";
    if (at != "keyframes" && at != "-webkit-keyframes" && at != "-moz-keyframes" &&
        at != "-o-keyframes") {
      continue;
    }
    size_t name = NextSignificant(tokens, i + 1, tokens.size());
    if (name < tokens.size() && !KeyframesKey(css, tokens[name]).empty()) {
      names.insert(KeyframesKey(css, tokens[name]));
      (*texts)[name] = renamed(name);
    }
  }
  for (size_t i = 0; i < tokens.size() && !names.empty(); ++i) {
    size_t colon = NextSignificant(tokens, i + 1, tokens.size());
    if (!IsAnimationProperty(css, tokens[i]) || !AtCssDeclarationStart(tokens, i) ||
        colon >= tokens.size() || tokens[colon].kind != K::kColon) {
      continue;
    }
    for (size_t k = colon + 1; k < tokens.size();) {
      K kind = tokens[k].kind;
      if (kind == K::kSemicolon || kind == K::kCloseCurly || IsCssDelim(css, tokens[k], '!')) break;
      if (names.count(KeyframesKey(css, tokens[k])) > 0) (*texts)[k] = renamed(k);
      k = IsCssOpener(kind) ? FindCssBlockEnd(tokens, k, tokens.size()) + 1 : k + 1;
    }
  }
}

std::vector<int> NeutraliseCssStyleEnd(std::string_view css, const std::vector<CssToken>& tokens,
                                       std::vector<std::string>* texts) {
  std::vector<int> lines;
  for (size_t i = 0; i < tokens.size(); ++i) {
    std::string& text = (*texts)[i];
    K kind = tokens[i].kind;
    bool before_slash = i + 1 < tokens.size() && css[tokens[i + 1].begin] == '/';
    if (kind == K::kString || kind == K::kBadString || kind == K::kUrl || kind == K::kComment) {
      if (AsciiLower(text).find("</style") == std::string::npos) continue;
      std::string safe;
      for (char c : text)
        safe += c != '<' ? std::string(1, c) : kind == K::kComment ? "< " : "\\3c ";
      text = safe;
    } else if (before_slash && !text.empty() && text.back() == '<') {
      text = text == "<" ? " " : text.substr(0, text.size() - 1) + "3c ";  // "\<" -> "\3c "
    } else {
      continue;
    }
    lines.push_back(tokens[i].line);
  }
  return lines;
}

}  // namespace hfs::page
