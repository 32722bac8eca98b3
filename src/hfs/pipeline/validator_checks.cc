// The accessibility and performance checks of the Validator.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "hfs/base/text.h"
#include "hfs/page/page_contract.h"
#include "hfs/pipeline/validator_internal.h"

namespace hfs::pipeline::internal {

namespace {

bool IsMarkupFile(std::string_view path) {
  std::string_view extension = page::FileExtension(path);
  return extension == ".html" || extension == ".tsx" || extension == ".jsx" ||
         extension == ".vue" || extension == ".svelte";
}

bool HasSpread(std::string_view attributes) { return attributes.find("{...") != std::string::npos; }

bool HasAccessibleName(std::string_view attributes) {
  return HasAttribute(attributes, "aria-label") || HasAttribute(attributes, "aria-labelledby") ||
         HasAttribute(attributes, "title") || HasSpread(attributes);
}

// True when the markup between a <button> and its </button> is only tags (icons).
bool IconOnly(std::string_view inner) {
  std::string text;
  bool any_tag = false;
  for (const MarkupTag& tag : ScanTags(inner)) {
    any_tag = true;
    if (AsciiLower(tag.name) == "img" && !AttributeValue(tag.attributes, "alt").empty())
      return false;
  }
  size_t i = 0;
  while (i < inner.size()) {
    if (inner[i] == '<') {
      size_t close = inner.find('>', i);
      i = close == std::string_view::npos ? inner.size() : close + 1;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(inner[i])) == 0) text.push_back(inner[i]);
    ++i;
  }
  text.erase(std::remove(text.begin(), text.end(), '}'), text.end());
  text.erase(std::remove(text.begin(), text.end(), '{'), text.end());
  return any_tag && text.empty();
}

bool FieldHasLabel(const MarkupTag& tag, std::string_view text, int label_depth) {
  if (label_depth > 0 || HasAccessibleName(tag.attributes)) return true;
  std::string id = AttributeValue(tag.attributes, "id");
  if (id.empty()) return false;
  for (std::string_view attribute : {"for", "htmlFor"}) {
    if (text.find(fmt::format("{}=\"{}\"", attribute, id)) != std::string_view::npos) return true;
  }
  return false;
}

void CheckTag(const std::string& path, const std::vector<MarkupTag>& tags, size_t index,
              std::string_view text, int label_depth, Issues& issues) {
  const MarkupTag& tag = tags[index];
  std::string name = AsciiLower(tag.name);
  if (name == "img" && !HasAttribute(tag.attributes, "alt") && !HasSpread(tag.attributes)) {
    AddIssue(issues, Severity::kError, "accessibility", "<img> has no alt text", path, tag.line,
             "add alt=\"...\" (alt=\"\" for a decorative image)");
  } else if ((name == "input" || name == "textarea" || name == "select") &&
             !FieldHasLabel(tag, text, label_depth)) {
    std::string type = AsciiLower(AttributeValue(tag.attributes, "type"));
    if (type == "hidden" || type == "submit" || type == "button" || type == "reset" ||
        type == "image") {
      return;
    }
    AddIssue(issues, Severity::kWarning, "accessibility",
             fmt::format("<{}> has no label", tag.name), path, tag.line,
             "wrap it in <label>, point a <label for> at its id, or add aria-label");
  } else if (name == "div" && HasAttribute(tag.attributes, "onclick") &&
             !HasAttribute(tag.attributes, "role") && !HasAttribute(tag.attributes, "tabindex")) {
    AddIssue(issues, Severity::kWarning, "accessibility", "clickable <div> has no role or tabIndex",
             path, tag.line,
             "use a <button>, or add role=\"button\" and tabIndex={0} with key handling");
  } else if (name == "button" && !tag.self_closing && !HasAccessibleName(tag.attributes)) {
    auto close = std::find_if(
        tags.begin() + static_cast<long>(index) + 1, tags.end(),
        [](const MarkupTag& t) { return t.closing && AsciiLower(t.name) == "button"; });
    if (close == tags.end()) return;
    if (IconOnly(text.substr(tag.end, close->begin - tag.end))) {
      AddIssue(issues, Severity::kWarning, "accessibility", "icon-only <button> has no aria-label",
               path, tag.line, "add aria-label=\"...\" naming the action");
    }
  }
}

// The offset of the ')' closing the '(' at `open` in `code`, or npos.
size_t MatchingParen(std::string_view code, size_t open) {
  int depth = 0;
  for (size_t i = open; i < code.size(); ++i) {
    if (code[i] == '(') ++depth;
    if (code[i] == ')' && --depth == 0) return i;
  }
  return std::string_view::npos;
}

void CheckMapKeys(const std::string& path, const CodeScan& scan, std::string_view text,
                  Issues& issues) {
  std::string_view code = scan.code;
  for (size_t at = code.find(".map("); at != std::string_view::npos;
       at = code.find(".map(", at + 1)) {
    size_t close = MatchingParen(code, at + 4);
    if (close == std::string_view::npos) continue;
    size_t arrow = code.find("=>", at);
    if (arrow == std::string_view::npos || arrow > close) continue;
    std::vector<MarkupTag> tags = ScanTags(text.substr(arrow, close - arrow));
    if (tags.empty() || tags.front().closing || HasAttribute(tags.front().attributes, "key")) {
      continue;
    }
    AddIssue(issues, Severity::kWarning, "performance",
             fmt::format("list items rendered by .map() have no key (<{}>)", tags.front().name),
             path, LineAt(text, at), "give the element a stable key={item.id}");
    return;  // once per file
  }
}

int InlineHandlers(std::string_view text) {
  int count = 0;
  for (const MarkupTag& tag : ScanTags(text)) {
    std::string_view attributes = tag.attributes;
    for (size_t at = attributes.find("={"); at != std::string_view::npos;
         at = attributes.find("={", at + 2)) {
      size_t name = attributes.rfind(' ', at);
      name = name == std::string_view::npos ? 0 : name + 1;
      bool handler = attributes.substr(name, 2) == "on" && at > name + 2 &&
                     std::isupper(static_cast<unsigned char>(attributes[name + 2])) != 0;
      size_t end = attributes.find('}', at);
      if (handler && attributes.substr(at, end - at).find("=>") != std::string_view::npos) ++count;
    }
  }
  return count;
}

}  // namespace

void CheckAccessibility(const std::string& path, const std::string& content, Issues& issues) {
  if (!IsMarkupFile(path)) return;
  std::string text = MarkupText(path, content);
  std::vector<MarkupTag> tags = ScanTags(text);
  int label_depth = 0;
  for (size_t i = 0; i < tags.size(); ++i) {
    if (AsciiLower(tags[i].name) == "label" && !tags[i].self_closing) {
      label_depth += tags[i].closing ? -1 : 1;
      label_depth = std::max(label_depth, 0);
      continue;
    }
    if (!tags[i].closing) CheckTag(path, tags, i, text, label_depth, issues);
  }
}

void CheckPerformance(const std::string& path, const std::string& content, Issues& issues) {
  for (const CodePart& part : CodeParts(path, content)) {
    if (part.dialect == CodeDialect::kCss) continue;
    CodeScan scan = ScanCode(part.text, part.dialect);
    for (size_t at = scan.code.find("console."); at != std::string::npos;
         at = scan.code.find("console.", at + 1)) {
      if (at > 0 && (std::isalnum(static_cast<unsigned char>(scan.code[at - 1])) != 0 ||
                     scan.code[at - 1] == '_' || scan.code[at - 1] == '.')) {
        continue;
      }
      size_t end = at + 8;
      while (end < scan.code.size() &&
             std::isalpha(static_cast<unsigned char>(scan.code[end])) != 0)
        ++end;
      AddIssue(issues, Severity::kWarning, "performance",
               fmt::format("{} call left in the code", scan.code.substr(at, end - at)), path,
               LineAt(part.text, at), "remove debugging output");
    }
    if (part.dialect != CodeDialect::kJsx) continue;
    CheckMapKeys(path, scan, scan.uncommented, issues);
    if (int handlers = InlineHandlers(scan.uncommented); handlers > 3) {
      AddIssue(issues, Severity::kInfo, "performance",
               fmt::format("{} inline arrow event handlers", handlers), path, 0,
               "define handlers once (useCallback or named functions)");
    }
  }
}

}  // namespace hfs::pipeline::internal
