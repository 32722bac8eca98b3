#include "hfs/page/css_scope.h"

#include <algorithm>
#include <optional>
#include <set>

#include "hfs/base/check.h"
#include "hfs/base/text.h"
#include "hfs/page/css_rules.h"
#include "hfs/page/css_tokens.h"

namespace hfs::page {
namespace {

using Tokens = std::vector<CssToken>;
using K = CssTokenKind;

constexpr int kMaxDepth = 16;

enum class AtRuleKind { kGroup, kLayer, kScope, kKeyframes, kKeep, kImport, kCharset, kDrop };

AtRuleKind ClassifyAtRule(std::string_view name) {
  static const std::set<std::string_view> kGroups = {"media",    "supports",      "container",
                                                     "document", "-moz-document", "starting-style"};
  static const std::set<std::string_view> kKept = {
      "font-face",          "page", "property", "counter-style", "font-feature-values",
      "font-palette-values"};
  if (kGroups.count(name) > 0) return AtRuleKind::kGroup;
  if (kKept.count(name) > 0) return AtRuleKind::kKeep;
  if (name == "layer") return AtRuleKind::kLayer;
  if (name == "scope") return AtRuleKind::kScope;
  if (name == "import") return AtRuleKind::kImport;
  if (name == "charset") return AtRuleKind::kCharset;
  if (name == "keyframes" || name == "-webkit-keyframes" || name == "-moz-keyframes" ||
      name == "-o-keyframes") {
    return AtRuleKind::kKeyframes;
  }
  return AtRuleKind::kDrop;
}

bool IsIdentIn(std::string_view css, const CssToken& token,
               std::initializer_list<std::string_view> names) {
  if (token.kind != K::kIdent) return false;
  std::string lower = AsciiLower(CssTokenText(css, token));
  return std::find(names.begin(), names.end(), lower) != names.end();
}

struct ScopedSelector {
  std::string text;
  bool subject_may_be_scope = false;
};

class Scoper {
 public:
  Scoper(std::string_view css, std::string_view scope) : css_(css), scope_(scope) {
    tokens_ = TokenizeCss(css_);
    for (const CssToken& token : tokens_) texts_.emplace_back(CssTokenText(css_, token));
    for (char c : scope_) {
      if (IsAsciiNameChar(c)) suffix_ += c;
    }
    NoteBrokenTokens();
    RenameCssKeyframes(css_, tokens_, suffix_, &texts_);
    for (int line : NeutraliseCssStyleEnd(css_, tokens_, &texts_)) {
      Note(line, "`</style` neutralised");
    }
  }

  ScopedCss Run() {
    ScopedCss result;
    RuleList(0, tokens_.size(), 0, &result.css);
    result.notes = std::move(notes_);
    return result;
  }

 private:
  static bool IsAsciiNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  }
  void Note(int line, std::string message) { notes_.push_back({line, std::move(message)}); }
  std::string Text(size_t begin, size_t end) const {
    return NormalizedCss(css_, tokens_, begin, end, &texts_);
  }
  static std::string Excerpt(std::string text) {
    if (text.size() <= 60) return text;
    size_t cut = 57;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // UTF-8
    return text.substr(0, cut) + "...";
  }

  void NoteBrokenTokens() {
    for (const CssToken& token : tokens_) {
      if (token.kind == K::kBadString) Note(token.line, "string broken by a newline");
      if (token.unterminated) {
        Note(token.line, token.kind == K::kComment ? "unterminated comment"
                         : token.kind == K::kUrl   ? "unterminated url()"
                                                   : "unterminated string");
      }
    }
  }

  // The block of `item` copied verbatim ("{...}"), closed when the input ended inside it.
  std::string Block(const CssItem& item) {
    std::string out;
    for (size_t i = item.prelude_end; i < item.block_end; ++i) out += texts_[i];
    if (item.block_end < tokens_.size()) return out + "}";
    Note(tokens_[item.prelude_end].line, "unclosed block closed at the end of the input");
    return out + std::string(CssTokenCloser(css_, tokens_.back())) + item.missing;
  }

  std::string Indent(int depth) const { return std::string(2 * depth, ' '); }

  // Appends "head block" unless it would not read back as exactly that one rule (tokens
  // merged by the rewrite): a safety net, so the output never changes structure.
  void Emit(int depth, int line, const std::string& head, const std::string& block,
            std::string* out) {
    if (!ReadsAsOneCssRule(head + " " + block)) {
      Note(line, "`" + Excerpt(head) + "` dropped: it could not be rewritten safely");
      return;
    }
    *out += Indent(depth) + head + " " + block + "\n";
  }

  void RuleList(size_t begin, size_t end, int depth, std::string* out) {
    for (size_t i = NextSignificant(tokens_, begin, end); i < end;
         i = NextSignificant(tokens_, i, end)) {
      K kind = tokens_[i].kind;
      if (kind == K::kSemicolon || kind == K::kCdo || kind == K::kCdc) {
        ++i;
        continue;
      }
      if (kind == K::kCloseCurly) {
        Note(tokens_[i].line, "stray `}` ignored");
        ++i;
        continue;
      }
      CssItem item = ReadCssItem(tokens_, i, end);
      if (kind == K::kAtKeyword) {
        AtRule(item, depth, out);
      } else {
        StyleRule(item, depth, out);
      }
      i = item.next;
    }
  }

  void StyleRule(const CssItem& item, int depth, std::string* out) {
    int line = tokens_[item.begin].line;
    if (!item.has_block) {
      Note(line, "dropped `" + Excerpt(Text(item.begin, item.prelude_end)) +
                     "`: not a rule (no `{...}` block)");
      return;
    }
    ParentSiblings siblings = ParentSiblings::kInside;
    std::optional<std::string> selectors =
        ScopeSelectorList(item.begin, item.prelude_end, line, &siblings);
    if (!selectors) return;
    if (!NestedRulesConfined(item.prelude_end + 1, item.block_end, siblings, 0)) {
      Note(line, "rule `" + Excerpt(*selectors) +
                     "` dropped: a nested rule in it could match outside the region");
      return;
    }
    Emit(depth, line, *selectors, Block(item), out);
  }

  bool NestedRulesConfined(size_t begin, size_t end, ParentSiblings siblings, int depth) {
    if (depth > kMaxDepth) return false;
    for (const CssItem& item : ReadCssItems(css_, tokens_, begin, end)) {
      if (!item.has_block) continue;
      if (tokens_[item.begin].kind == K::kAtKeyword) {
        std::string name = CssAtRuleName(css_, tokens_[item.begin]);
        if (name == "scope") return false;
        if (!CssAtRuleHoldsStyleRules(name)) continue;
      } else {
        size_t start = item.begin;
        for (size_t i = item.begin; i <= item.prelude_end; ++i) {
          if (i < item.prelude_end && tokens_[i].kind != K::kComma) {
            if (IsCssOpener(tokens_[i].kind)) {
              i = std::min(FindCssBlockEnd(tokens_, i, item.prelude_end), item.prelude_end - 1);
            }
            continue;
          }
          if (!NestedCssSelectorConfined(css_, tokens_, start, i, siblings)) return false;
          start = i + 1;
        }
      }
      if (!NestedRulesConfined(item.prelude_end + 1, item.block_end, siblings, depth + 1)) {
        return false;
      }
    }
    return true;
  }

  // The scoped selector list of prelude [begin, end), or nullopt (noted) to drop the rule.
  std::optional<std::string> ScopeSelectorList(size_t begin, size_t end, int line,
                                               ParentSiblings* siblings) {
    std::vector<std::string> scoped;
    std::string list = Text(begin, end);
    size_t start = begin;
    for (size_t i = begin; i <= end; ++i) {
      if (i < end && tokens_[i].kind != K::kComma) {
        if (IsCssOpener(tokens_[i].kind)) i = std::min(FindCssBlockEnd(tokens_, i, end), end - 1);
        continue;
      }
      std::optional<ScopedSelector> one = ScopeSelector(start, i, line, list);
      if (!one) return std::nullopt;
      if (one->subject_may_be_scope) *siblings = ParentSiblings::kMayBeOutside;
      if (std::find(scoped.begin(), scoped.end(), one->text) == scoped.end()) {
        scoped.push_back(one->text);
      }
      start = i + 1;
    }
    std::string joined;
    for (const std::string& selector : scoped) joined += (joined.empty() ? "" : ", ") + selector;
    return joined;
  }

  std::optional<ScopedSelector> ScopeSelector(size_t begin, size_t end, int line,
                                              const std::string& list) {
    std::string original = Text(begin, end);
    std::vector<CssCompound> parts = SplitCssCompounds(css_, tokens_, begin, end);
    char leading = parts.empty() || parts[0].combinator == ' ' ? 0 : parts[0].combinator;
    if (parts.empty() || leading == '+' || leading == '~') {
      Note(line, list.empty() ? std::string("rule without a selector dropped")
                 : parts.empty()
                     ? "rule `" + Excerpt(list) + "` dropped: empty selector in its list"
                     : "rule `" + Excerpt(list) + "` dropped: `" + original +
                           "` would match outside the region");
      return std::nullopt;
    }
    if (leading == '>') return ScopedSelector{scope_ + " " + original, false};
    std::optional<ScopedSelector> rooted = RootedSelector(parts, end);
    if (rooted) {
      Note(line, "`" + original + "` moved into the region's scope (`" + rooted->text + "`)");
      return rooted;
    }
    if (StartsWithScope(Text(parts[0].begin, parts[0].end)) &&
        (parts.size() == 1 || parts[1].combinator == ' ' || parts[1].combinator == '>')) {
      return ScopedSelector{original, parts.size() == 1};
    }
    return ScopedSelector{scope_ + " " + original, false};
  }

  // For a selector starting with page-root compounds (html, body, :root, &): those become
  // the scope, qualified ones ("body.dark") staying as conditions in front of it.
  std::optional<ScopedSelector> RootedSelector(const std::vector<CssCompound>& parts,
                                               size_t end) const {
    std::string context;
    std::string head = scope_;
    size_t k = 0;
    for (; k < parts.size(); ++k) {
      if (k > 0 && parts[k].combinator != ' ' && parts[k].combinator != '>') break;
      std::optional<std::string> qualifiers = RootQualifiers(parts[k]);
      if (!qualifiers) break;
      if (IsPseudoElement(*qualifiers)) {
        head = scope_ + *qualifiers;
        ++k;
        break;
      }
      if (!qualifiers->empty()) context += Text(parts[k].begin, parts[k].end) + " ";
    }
    if (k == 0) return std::nullopt;
    std::string result = context + head;
    if (k < parts.size()) {
      result += (parts[k].combinator == '>' ? " > " : " ") + Text(parts[k].begin, end);
    }
    return ScopedSelector{result, k == parts.size()};
  }

  // "#pricing", "#pricing:hover", "#pricing.x" but not "#pricing-2".
  bool StartsWithScope(const std::string& compound) const {
    if (compound.rfind(scope_, 0) != 0) return false;
    if (compound.size() == scope_.size()) return true;
    char next = compound[scope_.size()];
    return !(IsAsciiNameChar(next) || next == '\\' || static_cast<unsigned char>(next) >= 0x80);
  }

  // For a compound naming the page root (html, body, :root or a top-level &): the rest of
  // the compound ("" when plain). nullopt for other compounds.
  std::optional<std::string> RootQualifiers(const CssCompound& part) const {
    std::vector<std::pair<size_t, size_t>> units = CssCompoundUnits(tokens_, part);
    size_t root = units.size();
    size_t root_size = 1;
    if (!units.empty() && (IsIdentIn(css_, tokens_[units[0].first], {"html", "body"}) ||
                           IsCssDelim(css_, tokens_[units[0].first], '&'))) {
      root = 0;
    }
    for (size_t u = 0; root == units.size() && u + 1 < units.size(); ++u) {
      if (tokens_[units[u].first].kind == K::kColon &&
          IsIdentIn(css_, tokens_[units[u + 1].first], {"root"}) &&
          (u == 0 || tokens_[units[u - 1].first].kind != K::kColon)) {
        root = u;
        root_size = 2;
      }
    }
    if (root == units.size()) return std::nullopt;
    std::string rest;
    for (size_t u = 0; u < units.size(); ++u) {
      if (u < root || u >= root + root_size) rest += Text(units[u].first, units[u].second);
    }
    return rest;
  }

  static bool IsPseudoElement(const std::string& qualifiers) {
    std::string lower = AsciiLower(qualifiers);
    for (std::string_view legacy : {"::", ":before", ":after", ":first-line", ":first-letter"}) {
      if (lower.find(legacy) != std::string::npos) return true;
    }
    return false;
  }

  void AtRule(const CssItem& item, int depth, std::string* out) {
    int line = tokens_[item.begin].line;
    std::string name = CssAtRuleName(css_, tokens_[item.begin]);
    std::string prelude = Text(item.begin + 1, item.prelude_end);
    std::string head = texts_[item.begin] + (prelude.empty() ? "" : " ") + prelude;
    AtRuleKind kind = ClassifyAtRule(name);
    if (kind == AtRuleKind::kCharset) return;
    if (kind == AtRuleKind::kImport) {
      Note(line, "`@import` removed: a region may not load other stylesheets");
      return;
    }
    if (kind == AtRuleKind::kDrop) {
      Note(line, "`@" + name + "` removed: it is not confined to the region");
      return;
    }
    if (kind == AtRuleKind::kLayer && !item.has_block && item.has_semicolon && !prelude.empty()) {
      if (ReadsAsOneCssRule(head + ";")) *out += Indent(depth) + head + ";\n";
      return;
    }
    if (!item.has_block) {
      Note(line, "`@" + name + "` without a `{...}` block dropped");
      return;
    }
    if (kind == AtRuleKind::kScope) return ScopeAtRule(item, depth, out);
    if (kind == AtRuleKind::kKeyframes || kind == AtRuleKind::kKeep) {
      Emit(depth, line, head, Block(item), out);
      return;
    }
    GroupRule(item, head, depth, out);
  }

  // @media and the other at-rules whose blocks hold style rules: scoped recursively.
  void GroupRule(const CssItem& item, const std::string& head, int depth, std::string* out) {
    int line = tokens_[item.begin].line;
    if (depth >= kMaxDepth) {
      Note(line, "`" + Excerpt(head) + "` nested too deeply; dropped");
      return;
    }
    if (item.block_end == tokens_.size()) {
      Note(tokens_[item.prelude_end].line, "unclosed block closed at the end of the input");
    }
    if (!ReadsAsOneCssRule(head + " {}")) {
      Note(line, "`" + Excerpt(head) + "` dropped: it could not be rewritten safely");
      return;
    }
    *out += Indent(depth) + head + " {\n";
    RuleList(item.prelude_end + 1, item.block_end, depth + 1, out);
    *out += Indent(depth) + "}\n";
  }

  // @scope (ROOTS) [to (LIMITS)] {...}: the roots are scoped, the rest is kept.
  void ScopeAtRule(const CssItem& item, int depth, std::string* out) {
    int line = tokens_[item.begin].line;
    size_t i = NextSignificant(tokens_, item.begin + 1, item.prelude_end);
    std::string roots = scope_;
    if (i < item.prelude_end && tokens_[i].kind == K::kOpenParen) {
      size_t close = FindCssBlockEnd(tokens_, i, item.prelude_end);
      ParentSiblings unused = ParentSiblings::kInside;
      std::optional<std::string> list = ScopeSelectorList(i + 1, close, line, &unused);
      if (!list) return;
      roots = *list;
      i = std::min(close + 1, item.prelude_end);
    }
    if (!NestedRulesConfined(item.prelude_end + 1, item.block_end, ParentSiblings::kInside, 0)) {
      Note(line, "`@scope` dropped: a rule in it could match outside the region");
      return;
    }
    std::string rest = Text(i, item.prelude_end);
    Emit(depth, line, texts_[item.begin] + " (" + roots + ")" + (rest.empty() ? "" : " " + rest),
         Block(item), out);
  }

  std::string_view css_;
  std::string scope_;
  std::string suffix_;
  Tokens tokens_;
  std::vector<std::string> texts_;  // the output text of each token
  std::vector<CssNote> notes_;
};

}  // namespace

ScopedCss ScopeCss(std::string_view css, std::string_view scope) {
  HFS_CHECK(!scope.empty() && scope.find_first_of(" \t\n,{};") == std::string_view::npos,
            "ScopeCss needs a simple selector such as #pricing as its scope");
  return Scoper(WithoutDanglingCssEscape(css), scope).Run();
}

}  // namespace hfs::page
