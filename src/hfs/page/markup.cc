// StripCodeFence, SplitMarkup, AdoptRoot and the id helpers of hfs/page/markup.h, built on
// ScanTags (markup) and ScanCode (scripts: a view with strings and comments blanked whose
// offsets are those of the source, so values are read from the source by offset).
#include "hfs/page/markup.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "hfs/base/text.h"
#include "hfs/page/code_tokenizer.h"

namespace hfs::page {
namespace {

using Renames = std::map<std::string, std::string>;
constexpr size_t kNone = std::string_view::npos;

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool IsAlpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool IsWordChar(char c) { return IsAlnum(c) || c == '_' || c == '$'; }
// CSS identifier characters (non-ASCII included).
bool IsIdentChar(char c) { return IsAlnum(c) || c == '-' || c == '_' || (c & 0x80) != 0; }
bool IsBlank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return IsSpace(c); });
}
bool OneOf(std::string_view word, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), word) != words.end();
}
std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}
std::optional<std::string> Renamed(std::string_view id, const Renames& renames) {
  auto found = renames.find(std::string(id));
  if (found == renames.end()) return std::nullopt;
  return found->second;
}

// `text` from its first non-blank line to the end of its last non-blank line.
std::string TrimBlankLines(std::string_view text) {
  size_t last = text.find_last_not_of(" \t\r\n\f\v");
  if (last == kNone) return {};
  size_t first = text.find_first_not_of(" \t\r\n\f\v");
  size_t begin = text.rfind('\n', first);
  begin = begin == kNone ? 0 : begin + 1;
  size_t end = text.find('\n', last);
  end = end == kNone ? text.size() : end + 1;
  return std::string(text.substr(begin, end - begin));
}

struct Range {
  size_t begin = 0;
  size_t end = 0;
};

struct Edit {
  size_t begin = 0;
  size_t end = 0;
  std::string text;
};

// `text` with the edits applied; an edit overlapping an earlier one is dropped.
std::string ApplyEdits(std::string_view text, std::vector<Edit> edits) {
  std::stable_sort(edits.begin(), edits.end(),
                   [](const Edit& a, const Edit& b) { return a.begin < b.begin; });
  std::string out;
  size_t at = 0;
  for (const Edit& edit : edits) {
    if (edit.begin < at || edit.end > text.size()) continue;
    out.append(text.substr(at, edit.begin - at)).append(edit.text);
    at = edit.end;
  }
  return out.append(text.substr(at));
}

// ---- StripCodeFence -------------------------------------------------------------------

// The length of the fence run opening `line` (up to 3 spaces of indentation), 0 if none.
size_t FenceOpener(std::string_view line, char* marker, size_t* indent) {
  size_t i = 0;
  while (i < 3 && i < line.size() && line[i] == ' ') ++i;
  if (i >= line.size() || (line[i] != '`' && line[i] != '~')) return 0;
  size_t run = line.find_first_not_of(line[i], i);
  run = (run == kNone ? line.size() : run) - i;
  if (run < 3) return 0;
  if (line[i] == '`' && line.find('`', i + run) != kNone) return 0;  // inline code
  *marker = line[i];
  *indent = i;
  return run;
}

bool IsFenceCloser(std::string_view line, char marker, size_t run) {
  line = Trim(line);
  return line.size() >= run && line.find_first_not_of(marker) == kNone;
}

// Markup or code rather than a prose preamble (`inline code` spans ignored).
bool LooksLikeCode(std::string_view line) {
  bool in_code_span = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '`') in_code_span = !in_code_span;
    if (in_code_span) continue;
    if (c == '{' || c == '}' || c == '=') return true;
    if (c == '<' && i + 1 < line.size() && (IsAlpha(line[i + 1]) || line[i + 1] == '/')) {
      return true;
    }
  }
  std::string_view trimmed = Trim(line);
  return !trimmed.empty() && trimmed.back() == ';';
}

std::string FencedContent(std::string_view text, size_t from, char marker, size_t run) {
  from = std::min(from, text.size());
  for (size_t begin = from; begin < text.size();) {
    size_t end = std::min(text.find('\n', begin), text.size());
    if (IsFenceCloser(text.substr(begin, end - begin), marker, run)) {
      return TrimBlankLines(text.substr(from, begin - from));
    }
    begin = end + 1;
  }
  std::string content = TrimBlankLines(text.substr(from));  // unterminated
  size_t last = content.find_last_not_of(" \t\r\n");
  if (last != kNone && last + 1 >= run &&
      content.compare(last + 1 - run, run, std::string(run, marker)) == 0) {
    size_t keep = last + 1 - run;  // a fence glued to the end of the last line
    content.resize(keep == 0 ? 0 : content.find_last_not_of(" \t\r\n", keep - 1) + 1);
  }
  return content;
}

}  // namespace

std::string StripCodeFence(std::string_view text) {
  std::optional<CodeScan> scan;
  for (size_t begin = 0; begin < text.size();) {
    size_t end = std::min(text.find('\n', begin), text.size());
    std::string_view line = text.substr(begin, end - begin);
    char marker = '`';
    size_t indent = 0;
    if (size_t run = FenceOpener(line, &marker, &indent); run > 0) {
      if (!IsBlank(text.substr(0, begin))) {
        if (!scan) scan = ScanCode(text, CodeDialect::kScript);
        if (scan->code[begin + indent] != marker) break;  // inside a template or comment
      }
      return FencedContent(text, end + 1, marker, run);
    }
    if (LooksLikeCode(line)) break;
    begin = end + 1;
  }
  return TrimBlankLines(text);
}

// ---- SplitMarkup ------------------------------------------------------------------------

namespace {

bool IsJavaScriptType(std::string_view attributes, bool* module) {
  std::string type = AsciiLower(Trim(AttributeValue(attributes, "type")));
  *module = type == "module";
  return OneOf(type, {"", "module", "text/javascript", "application/javascript"});
}

// The index of the first closing `lower_name` tag after tags[i], or tags.size().
size_t ClosingTag(const std::vector<MarkupTag>& tags, size_t i, std::string_view lower_name) {
  for (size_t j = i + 1; j < tags.size(); ++j) {
    if (tags[j].closing && AsciiLower(tags[j].name) == lower_name) return j;
  }
  return tags.size();
}

bool HasToken(std::string_view list, std::string_view token) {
  std::string lower = " " + AsciiLower(list) + " ";
  for (char& c : lower) c = IsSpace(c) ? ' ' : c;
  return lower.find(" " + std::string(token) + " ") != std::string::npos;
}

// <!doctype ...> and <?xml ...?> declarations.
void AddDeclarations(std::string_view html, std::vector<Range>* cuts) {
  std::string lower = AsciiLower(html);
  for (std::string_view start : {"<!doctype", "<?xml"}) {
    for (size_t at = lower.find(start); at != kNone; at = lower.find(start, at + 1)) {
      size_t end = lower.find('>', at);
      cuts->push_back({at, end == kNone ? html.size() : end + 1});
    }
  }
}

// The text of `region` without `cuts`; a line left blank by a cut is removed whole.
std::string RemoveRanges(std::string_view text, Range region, std::vector<Range> cuts) {
  std::sort(cuts.begin(), cuts.end(), [](Range a, Range b) { return a.begin < b.begin; });
  std::vector<Range> merged;
  for (Range cut : cuts) {
    cut.begin = std::clamp(cut.begin, region.begin, region.end);
    cut.end = std::clamp(cut.end, region.begin, region.end);
    if (cut.begin >= cut.end) continue;
    size_t gap_begin = merged.empty() ? 0 : std::min(merged.back().end, cut.begin);
    std::string_view gap = text.substr(gap_begin, cut.begin - gap_begin);
    if (!merged.empty() && gap.find_first_not_of(" \t") == kNone) {
      merged.back().end = std::max(merged.back().end, cut.end);
    } else {
      merged.push_back(cut);
    }
  }
  std::string out;
  size_t at = region.begin;
  for (Range cut : merged) {
    size_t line_begin = cut.begin;
    while (line_begin > at && (text[line_begin - 1] == ' ' || text[line_begin - 1] == '\t')) {
      --line_begin;
    }
    size_t line_end = cut.end;
    while (line_end < region.end &&
           (text[line_end] == ' ' || text[line_end] == '\t' || text[line_end] == '\r')) {
      ++line_end;
    }
    if ((line_begin == region.begin || text[line_begin - 1] == '\n') &&
        (line_end == region.end || text[line_end] == '\n')) {
      cut = {line_begin, std::min(line_end + 1, region.end)};
    }
    if (cut.begin > at) out.append(text.substr(at, cut.begin - at));
    at = std::max(at, cut.end);
  }
  if (at < region.end) out.append(text.substr(at, region.end - at));
  return out;
}

}  // namespace

MarkupParts SplitMarkup(std::string_view html) {
  MarkupParts parts;
  std::vector<MarkupTag> tags = ScanTags(html);
  std::vector<Range> cuts;
  AddDeclarations(html, &cuts);
  Range region{0, html.size()};
  bool in_body = false;
  for (size_t i = 0; i < tags.size(); ++i) {
    const MarkupTag& tag = tags[i];
    std::string name = AsciiLower(tag.name);
    bool paired = !tag.closing && OneOf(name, {"style", "script", "head", "title"});
    size_t close = paired ? ClosingTag(tags, i, name) : i;
    size_t content_end = close < tags.size() ? tags[close].begin : html.size();
    size_t close_end = close < tags.size() ? tags[close].end : html.size();
    bool module = false;
    if (name == "html" || name == "body") {
      cuts.push_back({tag.begin, tag.end});
      if (name == "body" && !tag.closing && !in_body) region.begin = tag.end;
      if (tag.closing && in_body && region.end == html.size()) region.end = tag.begin;
      in_body = in_body || (name == "body" && !tag.closing);
    } else if (tag.closing) {
      if (name == "head" || name == "title") cuts.push_back({tag.begin, tag.end});
    } else if (name == "style") {
      parts.styles.emplace_back(html.substr(tag.end, content_end - tag.end));
      cuts.push_back({tag.begin, close_end});
    } else if (name == "script" && IsJavaScriptType(tag.attributes, &module)) {
      parts.scripts.push_back({std::string(html.substr(tag.end, content_end - tag.end)), module,
                               LineAt(html, tag.end), AttributeValue(tag.attributes, "src")});
      cuts.push_back({tag.begin, close_end});
    } else if (name == "head" || name == "title") {
      cuts.push_back({tag.begin, close < tags.size() ? close_end : tag.end});
    } else if (name == "meta" ||
               (name == "link" && HasToken(AttributeValue(tag.attributes, "rel"), "stylesheet"))) {
      cuts.push_back({tag.begin, tag.end});
    }
  }
  parts.markup = TrimBlankLines(RemoveRanges(html, region, std::move(cuts)));
  return parts;
}

// ---- Attributes, AdoptRoot and ElementIds --------------------------------------------

namespace {

struct Attribute {
  std::string_view name;
  std::string_view value;  // without quotes or braces
  size_t value_begin = 0;  // offset of `value` in the parsed text
  char delimiter = '\0';   // '"', '\'', '{', or '\0' (bare or valueless)
};

// The offset just past the '}' matching the '{' at `open` (quotes skipped), or the end.
size_t BracedEnd(std::string_view text, size_t open) {
  int depth = 0;
  char quote = '\0';
  for (size_t i = open; i < text.size(); ++i) {
    char c = text[i];
    if (quote != '\0') {
      if (c == quote) quote = '\0';
    } else if (c == '"' || c == '\'' || c == '`') {
      quote = c;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}' && --depth == 0) {
      return i + 1;
    }
  }
  return text.size();
}

// The attributes of a MarkupTag's attribute text ({...spread} skipped).
std::vector<Attribute> ParseAttributes(std::string_view text) {
  std::vector<Attribute> attributes;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == '{') {
      i = BracedEnd(text, i);
      continue;
    }
    if (IsSpace(c) || c == '/' || c == '=' || c == '>' || c == '"' || c == '\'') {
      ++i;
      continue;
    }
    size_t name_begin = i;
    while (i < text.size() && !IsSpace(text[i]) &&
           std::string_view("=/>{\"'").find(text[i]) == kNone) {
      ++i;
    }
    Attribute attribute{.name = text.substr(name_begin, i - name_begin), .value_begin = i};
    size_t j = text.find_first_not_of(" \t\r\n", i);
    if (j != kNone && text[j] == '=') {
      j = std::min(text.find_first_not_of(" \t\r\n", j + 1), text.size());
      char open = j < text.size() ? text[j] : '\0';
      size_t end = j;
      if (open == '"' || open == '\'') {
        end = std::min(text.find(open, j + 1), text.size());
        attribute.value_begin = j + 1;
        i = std::min(end + 1, text.size());
      } else if (open == '{') {
        i = BracedEnd(text, j);
        end = text[i - 1] == '}' && i - 1 > j ? i - 1 : i;
        attribute.value_begin = j + 1;
      } else {
        while (end < text.size() && !IsSpace(text[end])) ++end;
        attribute.value_begin = j;
        i = end;
      }
      attribute.delimiter = open == '"' || open == '\'' || open == '{' ? open : '\0';
      attribute.value = text.substr(attribute.value_begin, end - attribute.value_begin);
    }
    attributes.push_back(attribute);
  }
  return attributes;
}

// Only whitespace and HTML comments.
bool IsBlankOrComments(std::string_view text) {
  for (size_t i = 0;;) {
    i = text.find_first_not_of(" \t\r\n\f\v", i);
    if (i == kNone) return true;
    if (text.substr(i, 4) != "<!--") return false;
    size_t end = text.find("-->", i + 4);
    if (end == kNone) return true;
    i = end + 3;
  }
}

struct Element {
  MarkupTag open;
  Range content;
};

// The one element making up `text` (ignoring whitespace and comments), if it is one.
std::optional<Element> SoleElement(std::string_view text) {
  std::vector<MarkupTag> tags = ScanTags(text);
  if (tags.empty() || tags[0].closing || tags[0].self_closing ||
      !IsBlankOrComments(text.substr(0, tags[0].begin))) {
    return std::nullopt;
  }
  std::string name = AsciiLower(tags[0].name);
  int depth = 0;
  for (const MarkupTag& tag : tags) {
    if (tag.self_closing || AsciiLower(tag.name) != name) continue;
    depth += tag.closing ? -1 : 1;
    if (depth > 0) continue;
    if (!IsBlankOrComments(text.substr(tag.end))) return std::nullopt;
    return Element{tags[0], {tags[0].end, tag.begin}};
  }
  return std::nullopt;
}

// Lower-case words (camelCase split) without the generic ones, joined by '-'.
std::string RegionName(std::string_view value) {
  std::string name;
  std::string word;
  for (size_t i = 0; i <= value.size(); ++i) {
    char c = i < value.size() ? value[i] : ' ';
    bool camel = std::isupper(static_cast<unsigned char>(c)) != 0 && i > 0 &&
                 std::islower(static_cast<unsigned char>(value[i - 1])) != 0;
    if ((!IsAlnum(c) || camel) && !word.empty()) {
      if (!OneOf(word, {"section", "wrapper", "root", "container", "region", "block"})) {
        name += (name.empty() ? "" : "-") + word;
      }
      word.clear();
    }
    if (IsAlnum(c)) word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return name;
}

bool IsRegionWrapper(std::string_view tag, const std::vector<Attribute>& attributes,
                     std::string_view root_id) {
  std::string region = RegionName(root_id);
  auto names_region = [&](std::string_view value) { return RegionName(value) == region; };
  bool container = OneOf(tag, {"section", "div", "article", "main"});
  for (const Attribute& attribute : attributes) {
    if (AsciiLower(attribute.name) != "id") continue;
    return !root_id.empty() && (attribute.value == root_id ||
                                (container && !region.empty() && names_region(attribute.value)));
  }
  if (!container || region.empty()) return false;
  for (const Attribute& attribute : attributes) {
    std::string name = AsciiLower(attribute.name);
    if (name == "data-section" || name == "data-region") {
      if (names_region(attribute.value)) return true;
    } else if (name == "class") {
      std::string classes(attribute.value);
      for (char& c : classes) c = IsSpace(c) ? ' ' : c;
      for (size_t at = 0; at < classes.size();) {
        size_t end = std::min(classes.find(' ', at), classes.size());
        if (end > at && names_region(std::string_view(classes).substr(at, end - at))) return true;
        at = end + 1;
      }
    }
  }
  return false;
}

}  // namespace

AdoptedRoot AdoptRoot(std::string_view markup, std::string_view root_id) {
  AdoptedRoot result{.inner = std::string(markup)};
  std::string_view content = markup;
  for (int level = 0; level < 3; ++level) {
    std::optional<Element> element = SoleElement(content);
    if (!element) break;
    std::string tag = AsciiLower(element->open.name);
    std::vector<Attribute> attributes = ParseAttributes(element->open.attributes);
    bool own = IsRegionWrapper(tag, attributes, root_id);
    if (!own && tag != "main" && tag != "body") break;
    content = content.substr(element->content.begin, element->content.end - element->content.begin);
    result = AdoptedRoot{.inner = TrimBlankLines(content), .adopted = true, .tag = tag};
    for (const Attribute& attribute : attributes) {
      if (AsciiLower(attribute.name) == "id") continue;
      result.attributes.emplace_back(std::string(attribute.name), std::string(attribute.value));
    }
    if (own) break;
  }
  return result;
}

std::vector<IdUse> ElementIds(std::string_view markup) {
  std::vector<IdUse> ids;
  size_t counted = 0;
  int line = 1;
  for (const MarkupTag& tag : ScanTags(markup)) {
    if (tag.closing) continue;
    size_t base = tag.begin + 1 + tag.name.size();
    for (const Attribute& attribute : ParseAttributes(tag.attributes)) {
      if (attribute.delimiter == '{' || attribute.value.empty() ||
          AsciiLower(attribute.name) != "id") {
        continue;
      }
      size_t offset = base + attribute.value_begin;
      line += static_cast<int>(std::count(markup.begin() + static_cast<long>(counted),
                                          markup.begin() + static_cast<long>(offset), '\n'));
      counted = offset;
      ids.push_back({std::string(attribute.value), line});
    }
  }
  return ids;
}

// ---- Renaming ----------------------------------------------------------------------------

namespace {

enum class HashContext { kAnywhere, kUrlOnly };
enum class BracedValues { kSkip, kStaticString };

// `text` with each whitespace-separated token that is a renamed id replaced.
std::string RenameTokens(std::string_view text, const Renames& renames) {
  std::string out;
  for (size_t at = 0; at < text.size();) {
    size_t end = at;
    while (end < text.size() && !IsSpace(text[end])) ++end;
    std::string_view token = text.substr(at, end - at);
    out += Renamed(token, renames).value_or(std::string(token));
    while (end < text.size() && IsSpace(text[end])) out += text[end++];
    at = end;
  }
  return out;
}

bool AfterUrlOpen(std::string_view text, size_t hash) {
  while (hash > 0 && (text[hash - 1] == '\'' || text[hash - 1] == '"' || IsSpace(text[hash - 1]))) {
    --hash;
  }
  return hash >= 4 && AsciiLower(text.substr(hash - 4, 4)) == "url(";
}

// `text` with every renamed #id (a whole identifier: "#xy" is not "#x") replaced.
std::string RenameHashIds(std::string_view text, const Renames& renames, HashContext context) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    if (text[i] != '#' || (context == HashContext::kUrlOnly && !AfterUrlOpen(text, i))) continue;
    size_t end = i + 1;
    while (end < text.size() && IsIdentChar(text[end])) ++end;
    std::optional<std::string> renamed = Renamed(text.substr(i + 1, end - i - 1), renames);
    if (!renamed) continue;
    out += *renamed;
    i = end - 1;
  }
  return out;
}

// `value` of the attribute `name` (lower case) with renamed ids.
std::string RenameAttributeValue(std::string_view name, std::string_view value,
                                 const Renames& renames) {
  if (name == "id") return Renamed(value, renames).value_or(std::string(value));
  if (OneOf(name, {"for", "htmlfor", "list", "form", "headers", "aria-labelledby",
                   "aria-describedby", "aria-controls", "aria-owns", "aria-activedescendant",
                   "aria-flowto", "aria-details", "aria-errormessage"})) {
    return RenameTokens(value, renames);
  }
  if (OneOf(name, {"href", "xlink:href", "xlinkhref", "data-target", "data-bs-target"})) {
    std::optional<std::string> renamed;
    if (value.size() > 1 && value[0] == '#') renamed = Renamed(value.substr(1), renames);
    return renamed ? "#" + *renamed : std::string(value);
  }
  if (name.substr(0, 2) == "on") return RenameIdsInScript(value, renames);
  return RenameHashIds(value, renames, HashContext::kUrlOnly);
}

// Adds edits renaming ids in the attributes parsed from `parsed`, whose offset 0 is `base`
// in `source` (values are read from `source`). A {braced} value counts only when it holds
// one static string literal (its content blanked in `parsed`, a ScanCode view).
void AddAttributeEdits(std::string_view parsed, std::string_view source, size_t base,
                       BracedValues braced, const Renames& renames, std::vector<Edit>* edits) {
  for (const Attribute& attribute : ParseAttributes(parsed)) {
    size_t begin = base + attribute.value_begin;
    size_t length = attribute.value.size();
    if (attribute.delimiter == '{') {
      std::string_view inner = attribute.value;
      size_t first = inner.find_first_not_of(" \t\r\n");
      size_t last = inner.find_last_not_of(" \t\r\n");
      if (braced == BracedValues::kSkip || first == kNone || last <= first ||
          std::string_view("\"'`").find(inner[first]) == kNone || inner[last] != inner[first] ||
          !IsBlank(inner.substr(first + 1, last - first - 1))) {
        continue;
      }
      begin += first + 1;
      length = last - first - 1;
    }
    std::string_view value = source.substr(begin, length);
    std::string renamed = RenameAttributeValue(AsciiLower(attribute.name), value, renames);
    if (renamed != value) edits->push_back({begin, begin + length, std::move(renamed)});
  }
}

CodeScan ScanBest(std::string_view code) {
  CodeScan jsx = ScanCode(code, CodeDialect::kJsx);
  if (jsx.problems.empty()) return jsx;
  CodeScan script = ScanCode(code, CodeDialect::kScript);
  return script.problems.size() < jsx.problems.size() ? script : jsx;
}

// True when a '<' at `at` of a ScanCode view can open a JSX element.
bool JsxMayStart(std::string_view view, size_t at) {
  size_t i = at == 0 ? kNone : view.find_last_not_of(" \t\r\n", at - 1);
  if (i == kNone || std::string_view("(,=:[!&|?{};>}").find(view[i]) != kNone) return true;
  size_t begin = i + 1;
  while (begin > 0 && IsWordChar(view[begin - 1])) --begin;
  return OneOf(view.substr(begin, i + 1 - begin), {"return", "yield", "default"});
}

// The offset of the '>' ending a JSX tag whose attributes start at `from`, or kNone.
size_t JsxTagEnd(std::string_view view, size_t from) {
  for (size_t i = from; i < view.size(); ++i) {
    char c = view[i];
    if (c == '{') {
      i = BracedEnd(view, i) - 1;
    } else if (c == '"' || c == '\'') {
      i = view.find(c, i + 1);
      if (i == kNone) return kNone;
    } else if (c == '>') {
      return i;
    } else if (c == '<') {
      return kNone;
    }
  }
  return kNone;
}

// Adds the edit for a getElementById/querySelector/... call whose name is view[word].
void AddCallEdit(std::string_view code, std::string_view view, Range word, const Renames& renames,
                 std::vector<Edit>* edits) {
  std::string_view name = view.substr(word.begin, word.end - word.begin);
  bool by_id = name == "getElementById";
  bool method = by_id || OneOf(name, {"querySelector", "querySelectorAll", "closest", "matches"});
  if (!method && !OneOf(name, {"$", "jQuery"})) return;
  size_t before = word.begin == 0 ? kNone : view.find_last_not_of(" \t\r\n", word.begin - 1);
  if (method != (before != kNone && view[before] == '.')) return;
  size_t open = view.find_first_not_of(" \t\r\n", word.end);
  if (open != kNone && view[open] == '<') {  // querySelector<HTMLElement>(...)
    for (int depth = 0; open < view.size(); ++open) {
      depth += view[open] == '<' ? 1 : view[open] == '>' ? -1 : 0;
      if (depth == 0) break;
    }
    open = view.find_first_not_of(" \t\r\n", open + 1);
  }
  if (open == kNone || view[open] != '(') return;
  size_t quote = view.find_first_not_of(" \t\r\n", open + 1);
  if (quote == kNone || std::string_view("\"'`").find(view[quote]) == kNone) return;
  size_t close = view.find(view[quote], quote + 1);
  if (close == kNone || !IsBlank(view.substr(quote + 1, close - quote - 1)) ||
      (view[quote] != '`' && view.substr(quote + 1, close - quote - 1).find('\n') != kNone)) {
    return;  // unterminated, or a template with ${...}
  }
  std::string_view literal = code.substr(quote + 1, close - quote - 1);
  std::string renamed = by_id ? Renamed(literal, renames).value_or(std::string(literal))
                              : RenameHashIds(literal, renames, HashContext::kAnywhere);
  if (renamed != literal) edits->push_back({quote + 1, close, std::move(renamed)});
}

}  // namespace

std::string RenameIdsInMarkup(std::string_view markup, const Renames& renames) {
  if (renames.empty()) return std::string(markup);
  std::vector<Edit> edits;
  std::vector<MarkupTag> tags = ScanTags(markup);
  for (size_t i = 0; i < tags.size(); ++i) {
    const MarkupTag& tag = tags[i];
    if (tag.closing) continue;
    AddAttributeEdits(tag.attributes, markup, tag.begin + 1 + tag.name.size(), BracedValues::kSkip,
                      renames, &edits);
    bool module = false;
    if (AsciiLower(tag.name) == "script" && !tag.self_closing &&
        IsJavaScriptType(tag.attributes, &module)) {
      size_t end = i + 1 < tags.size() && tags[i + 1].closing ? tags[i + 1].begin : markup.size();
      std::string_view body = markup.substr(tag.end, end - tag.end);
      std::string renamed = RenameIdsInScript(body, renames);
      if (renamed != body) edits.push_back({tag.end, end, std::move(renamed)});
    }
  }
  return ApplyEdits(markup, std::move(edits));
}

std::string RenameIdsInScript(std::string_view code, const Renames& renames) {
  if (renames.empty()) return std::string(code);
  CodeScan scan = ScanBest(code);
  std::string_view view = scan.code;
  std::vector<Edit> edits;
  for (size_t i = 0; i < view.size(); ++i) {
    if (view[i] == '<' && i + 1 < view.size() && IsAlpha(view[i + 1]) && JsxMayStart(view, i)) {
      size_t name_end = i + 1;
      while (name_end < view.size() && (IsWordChar(view[name_end]) ||
                                        std::string_view("-.:").find(view[name_end]) != kNone)) {
        ++name_end;
      }
      size_t end = JsxTagEnd(view, name_end);
      if (end == kNone) continue;
      AddAttributeEdits(view.substr(name_end, end - name_end), code, name_end,
                        BracedValues::kStaticString, renames, &edits);
    } else if (IsWordChar(view[i]) && (i == 0 || !IsWordChar(view[i - 1]))) {
      size_t end = i;
      while (end < view.size() && IsWordChar(view[end])) ++end;
      AddCallEdit(code, view, {i, end}, renames, &edits);
      i = end - 1;
    }
  }
  return ApplyEdits(code, std::move(edits));
}

}  // namespace hfs::page
