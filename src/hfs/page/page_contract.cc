#include "hfs/page/page_contract.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "hfs/page/css_scope.h"

namespace hfs::page {
namespace {

// The value declared for custom property `name` in `css` ("" when none is found).
std::string TokenValue(std::string_view css, std::string_view name) {
  for (size_t at = css.find(name); at != std::string_view::npos; at = css.find(name, at + 1)) {
    size_t colon = at + name.size();
    while (colon < css.size() && std::isspace(static_cast<unsigned char>(css[colon])) != 0) ++colon;
    if (colon >= css.size() || css[colon] != ':') continue;
    size_t end = css.find_first_of(";}", colon);
    std::string value(css.substr(
        colon + 1, end == std::string_view::npos ? std::string_view::npos : end - colon - 1));
    size_t first = value.find_first_not_of(" \t\r\n");
    size_t last = value.find_last_not_of(" \t\r\n");
    return first == std::string::npos ? "" : value.substr(first, last - first + 1);
  }
  return "";
}

std::string FormatRules(std::string_view format) {
  if (format == "react") {
    return "React 19 with TypeScript: the component file default-exports one function "
           "component (`export default function Name()`), imports its own CSS file "
           "(`import './name.css'`), and may import only `react`, `react-dom` and local files.";
  }
  if (format == "vue") {
    return "Vue 3 single-file component: `<template>`, `<script setup lang=\"ts\">` and "
           "`<style>`; it may import only `vue` and local files.";
  }
  if (format == "svelte") {
    return "Svelte 5 component: markup, `<script lang=\"ts\">` with runes (`$state`) or plain "
           "`let`, `onclick={...}` handlers and a `<style>` block; it may import only `svelte` "
           "and local files.";
  }
  return "Plain HTML fragment (no <html>, <head> or <body>), with its CSS in a <style> block "
         "or a .css file and its script in a <script> block or a .js file; scripts run as ES "
         "modules and may not import anything.";
}

}  // namespace

const RegionContract* PageContract::FindRegion(std::string_view section) const {
  for (const RegionContract& region : regions) {
    if (region.region.section == section) return &region;
  }
  return nullptr;
}

const ConcernContract* PageContract::FindConcern(std::string_view section) const {
  for (const ConcernContract& concern : concerns) {
    if (concern.section == section) return &concern;
  }
  return nullptr;
}

SectionRole PageContract::RoleOf(std::string_view section) const {
  if (FindRegion(section) != nullptr) return {.kind = SectionKind::kRegion};
  if (const ConcernContract* concern = FindConcern(section)) {
    return {.kind = SectionKind::kConcern, .contribution = concern->contribution};
  }
  return {.kind = SectionKind::kConcern, .contribution = InferContribution(section)};
}

std::vector<std::string> PageContract::RegionIds() const {
  std::vector<std::string> ids;
  for (const RegionContract& region : regions) ids.push_back(region.region.id);
  return ids;
}

PageContract MakeContract(const PageOutline& outline, const std::vector<FrozenSection>& sections,
                          const std::map<std::string, SectionRole>& roles, std::string format,
                          std::string style_system) {
  PageContract contract{.title = outline.title,
                        .language = outline.language,
                        .format = std::move(format),
                        .style_system = std::move(style_system)};
  auto role_of = [&](const std::string& name) -> std::optional<SectionRole> {
    if (auto it = roles.find(name); it != roles.end()) return it->second;
    // A part of a split section takes its parent's role.
    std::optional<SectionRole> found;
    size_t longest = 0;
    for (const auto& [parent, role] : roles) {
      if (name.size() > parent.size() && name.compare(0, parent.size(), parent) == 0 &&
          name[parent.size()] == '/' && parent.size() > longest) {
        found = role;
        longest = parent.size();
      }
    }
    return found;
  };
  for (const FrozenSection& section : sections) {
    std::optional<SectionRole> role = role_of(section.name);
    if (role && role->kind == SectionKind::kRegion) {
      Region region;
      for (const Region& planned : outline.regions) {
        if (planned.section == section.name) region = planned;
      }
      if (region.section.empty()) {  // a part of a split region
        region.section = section.name;
        std::string_view rest = section.name;
        if (rest.rfind("page/", 0) == 0) rest.remove_prefix(5);
        region.id = Slug(rest);
        region.title = section.name.substr(section.name.rfind('/') + 1);
      }
      contract.regions.push_back({std::move(region), section.owner, section.proposal});
    } else {
      contract.concerns.push_back(
          {.section = section.name,
           .contribution = role ? role->contribution : InferContribution(section.name),
           .owner = section.owner,
           .proposal = section.proposal});
    }
  }
  return contract;
}

void AddContributions(PageContract& contract, std::string_view section,
                      const std::vector<std::pair<std::string, std::string>>& path_and_content) {
  for (const auto& [path, content] : path_and_content) {
    std::string_view extension = FileExtension(path);
    if (extension == ".css") {
      for (const std::string& name : DeclaredCustomProperties(content)) {
        bool known = std::any_of(contract.tokens.begin(), contract.tokens.end(),
                                 [&](const DesignToken& token) { return token.name == name; });
        if (!known) {
          contract.tokens.push_back({name, TokenValue(content, name), std::string(section)});
        }
      }
    } else if (extension == ".json") {
      nlohmann::json value = nlohmann::json::parse(content, nullptr, false);
      DataFile file{.section = std::string(section), .path = path};
      if (value.is_object()) {
        for (const auto& item : value.items()) file.keys.push_back(item.key());
      }
      contract.data.push_back(std::move(file));
    }
  }
}

std::string ContractText(const PageContract& contract, std::string_view section) {
  std::string text = fmt::format("Page contract:\nPage title: {}\nLanguage: {}\nFormat: {}\n",
                                 contract.title, contract.language, FormatRules(contract.format));
  text +=
      "Regions (in page order; HFS renders each inside <section id=\"<root id>\" "
      "data-region=\"<root id>\">, so never write that wrapper or a <main>):\n";
  for (const RegionContract& entry : contract.regions) {
    const Region& region = entry.region;
    text += fmt::format("- {} -> #{}: {} — {}; content: {}{}\n", region.section, region.id,
                        region.title, region.purpose, region.content,
                        region.section == section ? "  (YOURS)" : "");
    if (!entry.proposal.empty()) text += fmt::format("  agreed: {}\n", entry.proposal);
  }
  text += "Concerns (cross-cutting; never rendered as a panel):\n";
  for (const ConcernContract& concern : contract.concerns) {
    text +=
        fmt::format("- {} ({}){}: {}\n", concern.section, ContributionName(concern.contribution),
                    concern.section == section ? "  (YOURS)" : "", concern.proposal);
  }
  text += "Design tokens (use var(--name) instead of literal colours, sizes and fonts):\n";
  if (contract.tokens.empty()) text += "- (none defined yet)\n";
  for (const DesignToken& token : contract.tokens) {
    text += fmt::format("- {}: {}\n", token.name, token.value);
  }
  if (!contract.data.empty()) {
    text +=
        "Data files (import them, or read <script type=\"application/json\" "
        "id=\"data-<file stem>\"> in html):\n";
    for (const DataFile& file : contract.data) {
      text += fmt::format("- {} (from {}): keys {}\n", file.path, file.section,
                          fmt::format("{}", fmt::join(file.keys, ", ")));
    }
  }
  return text;
}

std::vector<std::string> SectionFileNames(const PageContract& contract, std::string_view section) {
  if (const RegionContract* region = contract.FindRegion(section)) {
    const std::string& id = region->region.id;
    if (contract.format == "react") return {ComponentName(id) + ".tsx", id + ".css"};
    if (contract.format == "vue") return {ComponentName(id) + ".vue"};
    if (contract.format == "svelte") return {ComponentName(id) + ".svelte"};
    return {id + ".html"};
  }
  std::string slug = Slug(section);
  switch (contract.RoleOf(section).contribution) {
    case Contribution::kBehaviour:
      return {slug + ".js"};
    case Contribution::kData:
      return {slug + ".json"};
    default:
      return {slug + ".css"};
  }
}

std::string_view FileExtension(std::string_view path) {
  size_t dot = path.rfind('.');
  size_t slash = path.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return "";
  return path.substr(dot);
}

std::string Slug(std::string_view name) {
  std::string slug;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      slug.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else if (!slug.empty() && slug.back() != '-') {
      slug.push_back('-');
    }
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  return slug.empty() ? "section" : slug;
}

std::string ComponentName(std::string_view id) {
  std::string name;
  bool upper = true;
  for (char c : id) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0) {
      upper = true;
      continue;
    }
    name.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
    upper = false;
  }
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0])) != 0)
    name = "Region" + name;
  return name;
}

}  // namespace hfs::page
