// hfs/page/page_contract.h
//
// PageContract: what every code writer of a run must agree on, made at freeze from the
// outline and the frozen spec and completed after each execution wave: the regions in
// page order (root id, title, purpose, content, owner, the agreed proposal), the concerns
// (what each contributes and its agreed proposal, which doubles as requirements for the
// region writers), the design tokens the foundations wave defined (CSS custom
// properties), and the data files it wrote. Every code call gets ContractText() of the
// whole contract, not excerpts.
//
//   PageContract contract = MakeContract(outline, frozen_spec_view, roles);
//   ... foundations wave runs ...
//   AddContributions(contract, "visual/colors", files_of_that_section);
//   std::string prompt_part = ContractText(contract, "page/pricing");
//
// Plain value types and pure functions; thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hfs/page/page_outline.h"
#include "hfs/page/section_role.h"

namespace hfs::page {

struct RegionContract {
  Region region;
  std::string owner;
  std::string proposal;
};

struct ConcernContract {
  std::string section;
  Contribution contribution = Contribution::kStyles;
  std::string owner;
  std::string proposal;
};

struct DesignToken {
  std::string name;  // "--color-accent"
  std::string value;
  std::string section;
};

struct DataFile {
  std::string section;
  std::string path;
  // The top-level keys of its JSON object.
  std::vector<std::string> keys;
};

struct PageContract {
  std::string title;
  std::string language = "en";
  std::string format;        // html, vanilla, react, vue, svelte
  std::string style_system;  // "plain CSS", ...
  std::vector<RegionContract> regions;
  std::vector<ConcernContract> concerns;
  std::vector<DesignToken> tokens;
  std::vector<DataFile> data;

  // nullptr when `section` is not a region (or not a concern).
  const RegionContract* FindRegion(std::string_view section) const;
  const ConcernContract* FindConcern(std::string_view section) const;
  // The role of `section` (a split sub-section "a/b/x" takes its parent's); concern when
  // unknown.
  SectionRole RoleOf(std::string_view section) const;
  // Root element ids of the regions, in page order.
  std::vector<std::string> RegionIds() const;
};

// One section of the frozen spec as the contract needs it.
struct FrozenSection {
  std::string name;
  std::string owner;
  std::string proposal;
};

// The contract of a frozen spec: regions in outline order (a region split by the arbiter
// becomes its parts, in spec order, each with its own root id), concerns in spec order.
// `roles` gives each configured or planned section's role.
PageContract MakeContract(const PageOutline& outline, const std::vector<FrozenSection>& sections,
                          const std::map<std::string, SectionRole>& roles, std::string format,
                          std::string style_system);

// Adds what the files a foundations section wrote define: custom properties declared in
// its .css files (name and value) and the keys of its .json data files.
void AddContributions(PageContract& contract, std::string_view section,
                      const std::vector<std::pair<std::string, std::string>>& path_and_content);

// The contract as prompt text for the writer of `section`.
std::string ContractText(const PageContract& contract, std::string_view section);

// The files the writer of `section` is asked to write for `format` (the first is the
// required one): a region "Pricing.tsx" + "pricing.css" (react), "Pricing.vue",
// "Pricing.svelte", "pricing.html" (html, vanilla); a concern "<slug>.css" for tokens,
// styles and requirements, "<slug>.js" for behaviour, "<slug>.json" for data.
std::vector<std::string> SectionFileNames(const PageContract& contract, std::string_view section);

// ".css" for "styles/a.css"; "" without an extension.
std::string_view FileExtension(std::string_view path);
// "visual/colors" -> "visual-colors"; "Hero Banner" -> "hero-banner".
std::string Slug(std::string_view name);
// "pricing-tiers" -> "PricingTiers" (prefixed "Region" when it would start with a digit).
std::string ComponentName(std::string_view id);

}  // namespace hfs::page
