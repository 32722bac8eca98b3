// tools/emulator/code_text.cc
#include "tools/emulator/code_text.h"

#include <algorithm>
#include <cctype>

namespace hfs::emulator {
namespace {

bool Alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
char Upper(char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); }

bool Identifier(const std::string& key) {
  if (key.empty() || std::isdigit(static_cast<unsigned char>(key[0]))) return false;
  return std::all_of(key.begin(), key.end(), [](char c) { return Alnum(c) || c == '_'; });
}

}  // namespace

std::string LowerText(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

std::string PascalName(std::string_view name) {
  std::string pascal;
  bool upper = true;
  for (char c : name) {
    if (!Alnum(c)) {
      upper = true;
      continue;
    }
    if (pascal.empty() && std::isdigit(static_cast<unsigned char>(c))) pascal += "Section";
    pascal += upper ? Upper(c) : c;
    upper = false;
  }
  return pascal.empty() ? "Section" : pascal;
}

std::string CamelName(std::string_view name) {
  std::string pascal = PascalName(name);
  pascal[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(pascal[0])));
  return pascal;
}

std::string SlugName(std::string_view name) {
  std::string slug;
  for (char c : LowerText(name)) {
    if (Alnum(c) || c == '_') {
      slug += c;
    } else if (!slug.empty() && slug.back() != '-') {
      slug += '-';
    }
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  return slug.empty() ? "section" : slug;
}

std::string Sentence(std::string_view name) {
  std::string text;
  for (char c : name) text += Alnum(c) ? c : ' ';
  text = CleanText(text);
  if (!text.empty()) text[0] = Upper(text[0]);
  return text.empty() ? "Section" : text;
}

std::string CleanText(std::string_view text) {
  std::string clean;
  for (char c : text) {
    if (c == '&') {
      clean += "and";
    } else if (std::string_view("<>{}`\"\\").find(c) != std::string_view::npos) {
      continue;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      if (!clean.empty() && clean.back() != ' ') clean += ' ';
    } else {
      clean += c;
    }
  }
  while (!clean.empty() && clean.back() == ' ') clean.pop_back();
  return clean;
}

std::string EscapeMarkup(std::string_view text) {
  std::string escaped;
  for (char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

std::string JsLiteral(const nlohmann::ordered_json& value, int indent) {
  const std::string pad(static_cast<size_t>(indent), ' ');
  if (value.is_object()) {
    std::string text = "{ ";
    bool first = true;
    for (const auto& [key, item] : value.items()) {
      if (!first) text += ", ";
      first = false;
      text += (Identifier(key) ? key : nlohmann::ordered_json(key).dump()) + ": " +
              JsLiteral(item, indent);
    }
    return text + (first ? "}" : " }");
  }
  if (value.is_array()) {
    const bool objects = !value.empty() && value[0].is_object();
    std::string text = "[";
    for (size_t i = 0; i < value.size(); ++i) {
      if (objects) {
        text += "\n" + pad + "  " + JsLiteral(value[i], indent + 2) + ",";
      } else {
        text += (i == 0 ? "" : ", ") + JsLiteral(value[i], indent);
      }
    }
    return text + (objects ? "\n" + pad + "]" : "]");
  }
  return value.dump();
}

std::string Fenced(std::string_view content, std::string_view lang, std::string_view sentence) {
  std::string text;
  if (!sentence.empty()) text = std::string(sentence) + "\n\n";
  text += "```" + std::string(lang) + "\n" + std::string(content);
  if (!text.empty() && text.back() != '\n') text += '\n';
  return text + "```\n";
}

std::string Indent(std::string_view text, int spaces) {
  const std::string pad(static_cast<size_t>(spaces), ' ');
  std::string indented;
  bool line_start = true;
  for (char c : text) {
    if (line_start && c != '\n') indented += pad;
    indented += c;
    line_start = c == '\n';
  }
  return indented;
}

}  // namespace hfs::emulator
