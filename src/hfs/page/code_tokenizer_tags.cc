// ScanTags and the attribute helpers of hfs/page/code_tokenizer.h.
#include <algorithm>
#include <cctype>

#include "hfs/base/text.h"
#include "hfs/page/code_tokenizer.h"

namespace hfs::page {
namespace {

bool IsLetter(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' || c == ':' ||
         c == '_';
}

// The offset just past the '>' ending the tag whose attributes start at `from`, skipping
// quoted values and {braced} JSX expressions; npos when there is none.
size_t TagEnd(std::string_view text, size_t from) {
  int braces = 0;
  char quote = '\0';
  for (size_t i = from; i < text.size(); ++i) {
    char c = text[i];
    if (quote != '\0') {
      if (c == '\\' && braces > 0) {
        ++i;
      } else if (c == quote) {
        quote = '\0';
      }
    } else if (c == '"' || c == '\'' || (c == '`' && braces > 0)) {
      quote = c;
    } else if (c == '{') {
      ++braces;
    } else if (c == '}') {
      braces = std::max(0, braces - 1);
    } else if (c == '>' && braces == 0) {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

// Skips `<!-- ... -->`, `<!...>` and `<?...?>`; returns the offset after them, or `at`
// when there is nothing to skip.
size_t SkipDeclaration(std::string_view text, size_t at) {
  if (text.substr(at, 4) == "<!--") {
    size_t end = text.find("-->", at + 4);
    return end == std::string_view::npos ? text.size() : end + 3;
  }
  if (text.substr(at, 2) == "<!" || text.substr(at, 2) == "<?") {
    size_t end = text.find('>', at + 2);
    return end == std::string_view::npos ? text.size() : end + 1;
  }
  return at;
}

// The offset of the "</name" that ends a raw-text element's body, or the end of text.
size_t RawTextEnd(std::string_view text, size_t from, const std::string& lower_name) {
  std::string lower = AsciiLower(text.substr(from));
  size_t found = lower.find("</" + lower_name);
  return found == std::string::npos ? text.size() : from + found;
}

}  // namespace

std::vector<MarkupTag> ScanTags(std::string_view text) {
  std::vector<MarkupTag> tags;
  size_t i = 0;
  while ((i = text.find('<', i)) != std::string_view::npos) {
    size_t skipped = SkipDeclaration(text, i);
    if (skipped != i) {
      i = skipped;
      continue;
    }
    bool closing = i + 1 < text.size() && text[i + 1] == '/';
    size_t name_start = i + (closing ? 2 : 1);
    if (name_start >= text.size() || !IsLetter(text[name_start])) {
      ++i;
      continue;
    }
    size_t name_end = name_start;
    while (name_end < text.size() && IsNameChar(text[name_end])) ++name_end;
    size_t end = TagEnd(text, name_end);
    if (end == std::string_view::npos) break;
    MarkupTag tag{.name = std::string(text.substr(name_start, name_end - name_start)),
                  .begin = i,
                  .end = end,
                  .line = LineAt(text, i),
                  .closing = closing};
    std::string_view inner = text.substr(name_end, end - 1 - name_end);
    tag.self_closing = !inner.empty() && inner.back() == '/';
    if (tag.self_closing) inner.remove_suffix(1);
    tag.attributes = std::string(inner);
    i = end;
    std::string lower_name = AsciiLower(tag.name);
    bool raw = !closing && !tag.self_closing && (lower_name == "script" || lower_name == "style");
    tags.push_back(std::move(tag));
    if (raw) i = RawTextEnd(text, i, lower_name);
  }
  return tags;
}

namespace {

// The offset of attribute `name` in `attributes` (at a word boundary, outside quotes
// and braces) or npos.
size_t FindAttribute(std::string_view attributes, std::string_view name) {
  std::string lower = AsciiLower(attributes);
  std::string wanted = AsciiLower(name);
  int braces = 0;
  char quote = '\0';
  for (size_t i = 0; i < lower.size(); ++i) {
    char c = lower[i];
    if (quote != '\0') {
      if (c == quote) quote = '\0';
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '{') {
      ++braces;
    } else if (c == '}') {
      braces = std::max(0, braces - 1);
    } else if (braces == 0 && lower.compare(i, wanted.size(), wanted) == 0 &&
               (i == 0 || IsSpace(lower[i - 1]))) {
      size_t after = i + wanted.size();
      if (after == lower.size() || IsSpace(lower[after]) || lower[after] == '=' ||
          lower[after] == '/') {
        return i;
      }
    }
  }
  return std::string_view::npos;
}

}  // namespace

bool HasAttribute(std::string_view attributes, std::string_view name) {
  return FindAttribute(attributes, name) != std::string_view::npos;
}

std::string AttributeValue(std::string_view attributes, std::string_view name) {
  size_t at = FindAttribute(attributes, name);
  if (at == std::string_view::npos) return {};
  size_t i = at + name.size();
  while (i < attributes.size() && IsSpace(attributes[i])) ++i;
  if (i >= attributes.size() || attributes[i] != '=') return {};
  ++i;
  while (i < attributes.size() && IsSpace(attributes[i])) ++i;
  if (i >= attributes.size()) return {};
  char open = attributes[i];
  if (open == '"' || open == '\'') {
    size_t close = attributes.find(open, i + 1);
    if (close == std::string_view::npos) close = attributes.size();
    return std::string(attributes.substr(i + 1, close - i - 1));
  }
  if (open == '{') {
    int depth = 0;
    for (size_t j = i; j < attributes.size(); ++j) {
      if (attributes[j] == '{') ++depth;
      if (attributes[j] == '}' && --depth == 0) {
        return std::string(attributes.substr(i + 1, j - i - 1));
      }
    }
    return std::string(attributes.substr(i + 1));
  }
  size_t end = i;
  while (end < attributes.size() && !IsSpace(attributes[end])) ++end;
  return std::string(attributes.substr(i, end - i));
}

}  // namespace hfs::page
