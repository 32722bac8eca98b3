// tools/emulator/code_ask.cc: ParseCodeAsk, the header and page contract of a code call.
#include <regex>

#include "tools/emulator/code_text.h"
#include "tools/emulator/section_code.h"

namespace hfs::emulator {
namespace {

std::string Trim(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t\r\n`'\"");
  if (first == std::string_view::npos) return {};
  const size_t last = text.find_last_not_of(" \t\r\n`'\"");
  return std::string(text.substr(first, last - first + 1));
}

bool Has(std::string_view text, std::string_view word) {
  return text.find(word) != std::string_view::npos;
}

}  // namespace

OutputFormat ParseOutputFormat(std::string_view value) {
  const std::string lower = LowerText(value);
  if (Has(lower, "react") || Has(lower, "tsx") || Has(lower, "jsx")) return OutputFormat::kReact;
  if (Has(lower, "vue")) return OutputFormat::kVue;
  if (Has(lower, "svelte")) return OutputFormat::kSvelte;
  if (Has(lower, "vanilla")) return OutputFormat::kVanilla;
  return OutputFormat::kHtml;
}

namespace {

// A contribution named by `value` (a header value or, failing that, a section name).
Contribution ParseContribution(std::string_view value) {
  const std::string lower = LowerText(value);
  if (Has(lower, "token") || Has(lower, "color") || Has(lower, "colour") || Has(lower, "theme")) {
    return Contribution::kTokens;
  }
  if (Has(lower, "data")) return Contribution::kData;
  if (Has(lower, "behav") || Has(lower, "motion") || Has(lower, "keyboard") ||
      Has(lower, "interact") || Has(lower, "persist")) {
    return Contribution::kBehaviour;
  }
  if (Has(lower, "requirement") || Has(lower, "access") || Has(lower, "a11y")) {
    return Contribution::kRequirements;
  }
  if (Has(lower, "style") || Has(lower, "typo") || Has(lower, "font") || Has(lower, "layout")) {
    return Contribution::kStyles;
  }
  return Contribution::kNone;
}

std::vector<std::string> SplitFiles(std::string_view value) {
  std::vector<std::string> files;
  size_t start = 0;
  while (start <= value.size()) {
    size_t end = value.find_first_of(", ", start);
    if (end == std::string_view::npos) end = value.size();
    std::string file = Trim(value.substr(start, end - start));
    if (!file.empty()) files.push_back(std::move(file));
    start = end + 1;
  }
  return files;
}

bool ValidRoot(const std::string& root) {
  static const std::regex kRoot("[a-z][a-z0-9-]*");
  return std::regex_match(root, kRoot);
}

// "Hero — purpose; content: ..." into the title, purpose and content of `region`.
void SplitRegionText(std::string text, ContractRegion& region) {
  static const std::regex kContent(R"re(;?\s*content\s*:\s*)re", std::regex::icase);
  std::smatch match;
  if (std::regex_search(text, match, kContent)) {
    region.content = Trim(match.suffix().str());
    text = match.prefix().str();
  }
  for (std::string_view dash : {" \xE2\x80\x94 ", " \xE2\x80\x93 ", " - ", ": "}) {
    const size_t at = text.find(dash);
    if (at == std::string::npos) continue;
    region.title = Trim(text.substr(0, at));
    region.purpose = Trim(text.substr(at + dash.size()));
    break;
  }
  if (region.title.empty()) region.title = Trim(text);
  while (!region.purpose.empty() && region.purpose.back() == ';') region.purpose.pop_back();
}

struct Header {
  std::string section, kind, root, contribution, format, files, title, content;
};

// Takes `key: value` into `header` when the key is one of the header's (first one wins).
void ReadHeaderLine(const std::string& key, const std::string& value, Header& header) {
  auto set = [&value](std::string& field) {
    if (field.empty()) field = value;
  };
  if (key == "section" || key == "section name") set(header.section);
  if (key == "kind" || key == "section kind") set(header.kind);
  if (key == "root id" || key == "root" || key == "region root") set(header.root);
  if (key == "contribution" || key == "contributes") set(header.contribution);
  if (key == "output format" || key == "format") set(header.format);
  if (key == "files" || key == "file names" || key == "write files") set(header.files);
  if (key == "title" || key == "page title") set(header.title);
  if (key == "content") set(header.content);
}

}  // namespace

std::string_view OutputFormatName(OutputFormat format) {
  switch (format) {
    case OutputFormat::kVanilla:
      return "vanilla";
    case OutputFormat::kReact:
      return "react";
    case OutputFormat::kVue:
      return "vue";
    case OutputFormat::kSvelte:
      return "svelte";
    case OutputFormat::kHtml:
      break;
  }
  return "html";
}

std::string_view ContributionName(Contribution contribution) {
  switch (contribution) {
    case Contribution::kTokens:
      return "tokens";
    case Contribution::kStyles:
      return "styles";
    case Contribution::kData:
      return "data";
    case Contribution::kBehaviour:
      return "behaviour";
    case Contribution::kRequirements:
      return "requirements";
    case Contribution::kNone:
      break;
  }
  return "";
}

std::optional<CodeAsk> ParseCodeAsk(std::string_view message) {
  static const std::regex kKeyLine(R"re(^\s*([A-Za-z][A-Za-z ]{0,24}?)\s*:\s*(.*?)\s*$)re");
  static const std::regex kRegionLine(
      R"re(^\s*[-*]\s*(\S+)\s*->\s*#([A-Za-z][A-Za-z0-9_-]*)\s*:?\s*(.*?)\s*$)re");
  static const std::regex kTokenLine(R"re(^\s*[-*]\s*(--[A-Za-z0-9_-]+)\s*:\s*(.+?)\s*;?\s*$)re");
  Header header;
  CodeAsk ask;
  bool in_contract = false;
  const std::string text(message);
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    std::smatch match;
    if (std::regex_match(line, match, kRegionLine)) {
      ContractRegion region{.section = match[1].str(), .root = LowerText(match[2].str())};
      SplitRegionText(match[3].str(), region);
      ask.regions.push_back(std::move(region));
    } else if (std::regex_match(line, match, kTokenLine)) {
      ask.tokens.push_back({.name = match[1].str(), .value = match[2].str()});
    } else if (std::regex_match(line, match, kKeyLine)) {
      const std::string key = LowerText(match[1].str());
      if (key == "page contract") in_contract = true;
      // A value may carry a trailing "   (comment)" as in the documentation's examples.
      static const std::regex kComment(R"re(\s{2,}\(.*\)$)re");
      const std::string value = std::regex_replace(match[2].str(), kComment, "");
      if (!in_contract) ReadHeaderLine(key, Trim(value), header);
    }
  }
  if (header.section.empty()) return std::nullopt;
  ask.section = header.section;
  ask.format = ParseOutputFormat(header.format);
  ask.files = SplitFiles(header.files);
  ask.page_title = CleanText(header.title);
  ask.contribution = ParseContribution(header.contribution);
  const std::string kind = LowerText(header.kind);
  const bool concern =
      Has(kind, "concern") || (!Has(kind, "region") && ask.contribution != Contribution::kNone);
  ask.kind = concern ? SectionKind::kConcern : SectionKind::kRegion;
  if (concern && ask.contribution == Contribution::kNone) {
    ask.contribution = ParseContribution(ask.section);
    if (ask.contribution == Contribution::kNone) ask.contribution = Contribution::kStyles;
  }
  std::string root = LowerText(Trim(header.root));
  if (!root.empty() && root[0] == '#') root.erase(0, 1);
  if (!ValidRoot(root)) {
    const size_t slash = ask.section.find_last_of('/');
    root = SlugName(slash == std::string::npos ? ask.section : ask.section.substr(slash + 1));
    if (!ValidRoot(root)) root = "section-" + root;
  }
  if (!concern) ask.root = root;
  for (const ContractRegion& region : ask.regions) {
    if (region.section == ask.section || (!concern && region.root == ask.root)) {
      ask.content = region.content;
    }
  }
  if (!header.content.empty()) ask.content = header.content;
  return ask;
}

}  // namespace hfs::emulator
