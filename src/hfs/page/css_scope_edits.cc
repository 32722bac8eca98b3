// The parts of hfs/page/css_scope.h that read or edit CSS without scoping it.
#include <algorithm>
#include <cctype>
#include <optional>

#include "hfs/base/check.h"
#include "hfs/base/text.h"
#include "hfs/page/css_rules.h"
#include "hfs/page/css_scope.h"
#include "hfs/page/css_tokens.h"

namespace hfs::page {
namespace {

using Tokens = std::vector<CssToken>;
using K = CssTokenKind;

constexpr int kMaxDepth = 32;

// Calls `visit(begin, end)` for the selector tokens of every style rule (nested too) and of
// every @scope prelude in the rule list or block contents [begin, end).
template <typename Visit>
void ForEachSelector(std::string_view css, const Tokens& tokens, size_t begin, size_t end,
                     int depth, const Visit& visit) {
  if (depth > kMaxDepth) return;
  for (const CssItem& item : ReadCssItems(css, tokens, begin, end)) {
    if (!item.has_block) continue;
    if (tokens[item.begin].kind == K::kAtKeyword) {
      std::string name = CssAtRuleName(css, tokens[item.begin]);
      if (!CssAtRuleHoldsStyleRules(name)) continue;
      if (name == "scope") visit(item.begin + 1, item.prelude_end);
    } else {
      visit(item.begin, item.prelude_end);
    }
    ForEachSelector(css, tokens, item.prelude_end + 1, item.block_end, depth + 1, visit);
  }
}

void AddUnique(std::string_view name, std::vector<std::string>* names) {
  if (std::find(names->begin(), names->end(), name) == names->end()) names->emplace_back(name);
}

// For @import prelude [begin, end): the text with " layer(LAYER)" after the url unless the
// rule names a layer already; nullopt when the rule does not start with a url or string.
std::optional<std::string> ImportInLayer(std::string_view css, const Tokens& tokens, size_t begin,
                                         size_t end, std::string_view layer) {
  size_t url = NextSignificant(tokens, begin + 1, end);
  if (url == end) return std::nullopt;
  size_t insert = url + 1;
  if (tokens[url].kind == K::kFunction && AsciiLower(CssTokenText(css, tokens[url])) == "url(") {
    insert = std::min(FindCssBlockEnd(tokens, url, end) + 1, end);
  } else if (tokens[url].kind != K::kUrl && tokens[url].kind != K::kString) {
    return std::nullopt;
  }
  for (size_t i = url; i < end; ++i) {
    std::string text = AsciiLower(CssTokenText(css, tokens[i]));
    if (tokens[i].kind == K::kBadString || tokens[i].kind == K::kOpenCurly) return std::nullopt;
    if (i >= insert && (text == "layer" || text == "layer(")) insert = end + 1;
  }
  std::string out;
  for (size_t i = begin; i < end; ++i) {
    out += CssTokenText(css, tokens[i]);
    if (i + 1 == insert) out += " layer(" + std::string(layer) + ")";
  }
  return out;
}

}  // namespace

std::vector<std::string> DeclaredCustomProperties(std::string_view css) {
  Tokens tokens = TokenizeCss(css);
  std::vector<std::string> names;
  for (size_t i = 0; i < tokens.size(); ++i) {
    std::string_view text = CssTokenText(css, tokens[i]);
    size_t colon = NextSignificant(tokens, i + 1, tokens.size());
    if (tokens[i].kind == K::kIdent && text.substr(0, 2) == "--" && colon < tokens.size() &&
        tokens[colon].kind == K::kColon && AtCssDeclarationStart(tokens, i)) {
      AddUnique(text, &names);
    }
  }
  return names;
}

std::vector<std::string> UsedCustomProperties(std::string_view css) {
  Tokens tokens = TokenizeCss(css);
  std::vector<std::string> names;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].kind != K::kFunction || AsciiLower(CssTokenText(css, tokens[i])) != "var(") {
      continue;
    }
    size_t name = NextSignificant(tokens, i + 1, tokens.size());
    if (name == tokens.size()) break;  // "var(" ends the text
    std::string_view text = CssTokenText(css, tokens[name]);
    if (tokens[name].kind == K::kIdent && text.substr(0, 2) == "--") AddUnique(text, &names);
  }
  return names;
}

std::string RenameIdSelectors(std::string_view css,
                              const std::map<std::string, std::string>& renames) {
  for (const auto& [from, to] : renames) {
    HFS_CHECK(
        !to.empty() &&
            std::all_of(to.begin(), to.end(),
                        [](char c) {
                          return std::isalnum(static_cast<unsigned char>(c)) || c == '-' ||
                                 c == '_';
                        }) &&
            !std::isdigit(static_cast<unsigned char>(to[0])),
        "RenameIdSelectors needs identifiers as new ids, got `" + to + "` for `" + from + "`");
  }
  Tokens tokens = TokenizeCss(css);
  std::vector<std::string> texts;
  for (const CssToken& token : tokens) texts.emplace_back(CssTokenText(css, token));
  ForEachSelector(css, tokens, 0, tokens.size(), 0, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      if (tokens[i].kind != K::kHash) continue;
      auto it = renames.find(std::string(CssTokenText(css, tokens[i]).substr(1)));
      if (it != renames.end()) texts[i] = "#" + it->second;
    }
  });
  std::string out;
  for (const std::string& text : texts) out += text;
  return out;
}

std::string InLayer(std::string_view input, std::string_view layer) {
  HFS_CHECK(!layer.empty() &&
                layer.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLM"
                                        "NOPQRSTUVWXYZ0123456789-_.") == std::string_view::npos,
            "InLayer needs a layer name such as hfs.regions");
  std::string_view css = WithoutDanglingCssEscape(input);
  Tokens tokens = TokenizeCss(css);
  std::string imports;
  std::string body;
  for (const CssItem& item : ReadCssItems(css, tokens, 0, tokens.size())) {
    std::string name = tokens[item.begin].kind == K::kAtKeyword
                           ? CssAtRuleName(css, tokens[item.begin])
                           : std::string();
    if (name == "charset") continue;
    if (name == "import") {
      std::optional<std::string> import =
          item.has_semicolon ? ImportInLayer(css, tokens, item.begin, item.prelude_end, layer)
                             : std::nullopt;
      if (import) imports += *import + ";\n";
    } else if (item.has_block) {
      for (size_t i = item.begin; i < item.block_end; ++i) body += CssTokenText(css, tokens[i]);
      body += item.block_end < tokens.size()
                  ? "}"
                  : std::string(CssTokenCloser(css, tokens.back())) + item.missing;
      body += "\n";
    } else if (!name.empty() && item.has_semicolon) {
      for (size_t i = item.begin; i < item.prelude_end; ++i) body += CssTokenText(css, tokens[i]);
      body += ";\n";
    }
  }
  return imports + "@layer " + std::string(layer) + " {\n" + body + "}\n";
}

}  // namespace hfs::page
