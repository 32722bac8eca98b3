#include "hfs/triad/prompt_template.h"

#include <fmt/format.h>

namespace hfs::triad {
namespace {

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Walks `text`, calling on_text for literal pieces and on_name for placeholders.
// Returns false at an unterminated or malformed "{{".
template <class OnText, class OnName>
bool Walk(std::string_view text, OnText on_text, OnName on_name) {
  size_t at = 0;
  while (at < text.size()) {
    size_t open = text.find("{{", at);
    if (open == std::string_view::npos) {
      on_text(text.substr(at));
      return true;
    }
    on_text(text.substr(at, open - at));
    if (text.substr(open, 4) == "{{{{") {
      on_text("{{");
      at = open + 4;
      continue;
    }
    size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) return false;
    std::string_view name = text.substr(open + 2, close - open - 2);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    for (char c : name) {
      if (!IsNameChar(c)) return false;
    }
    if (name.empty()) return false;
    on_name(name);
    at = close + 2;
  }
  return true;
}

}  // namespace

std::set<std::string> TemplatePlaceholders(std::string_view text) {
  std::set<std::string> names;
  Walk(
      text, [](std::string_view) {}, [&](std::string_view name) { names.emplace(name); });
  return names;
}

Result<std::string> RenderTemplate(std::string_view text, const TemplateValues& values,
                                   std::string_view template_name) {
  std::string out;
  std::set<std::string> missing;
  bool well_formed = Walk(
      text, [&](std::string_view piece) { out.append(piece); },
      [&](std::string_view name) {
        auto it = values.find(name);
        if (it == values.end()) {
          missing.emplace(name);
        } else {
          out += it->second;
        }
      });
  if (!well_formed) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("prompt template '{}': a '{{{{' is not closed by '}}}}' around a "
                            "placeholder name",
                            template_name));
  }
  if (!missing.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("prompt template '{}': no value for {{{{{}}}}}", template_name,
                            fmt::join(missing, "}}, {{")));
  }
  return out;
}

}  // namespace hfs::triad
