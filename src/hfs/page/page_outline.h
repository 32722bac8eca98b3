// hfs/page/page_outline.h
//
// PageOutline: the page a request asks for, as an ordered list of regions (the visible
// parts: hero, pricing, FAQ, ...) with the page's title and language. It is planned from
// the request by one model call whose reply must match OutlineSchemaJson(), or fixed by
// the config (`page.regions`). Each region becomes the spec section RegionSection(id)
// ("page/pricing"), whose root element on the page has the id `id`.
//
//   Result<PageOutline> outline = ParseOutline(reply_text);   // validated
//   if (!outline) AskAgain(outline.error().message);
//   for (const Region& region : outline->regions) spec_sections.push_back(region.section);
//
// Plain value types and pure functions; thread-safe. ParseOutline fails with
// kInvalidArgument naming every problem of the reply (not JSON, missing fields, a bad or
// repeated id, too many regions).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hfs/base/error.h"

namespace hfs::page {

struct Region {
  // The root element's id: lower-case letters, digits and '-', starting with a letter.
  std::string id;
  // The spec section: "page/<id>" for planned regions, or the configured name.
  std::string section;
  std::string title;
  // What the region is for, and the content the request implies.
  std::string purpose;
  std::string content;

  bool operator==(const Region&) const = default;
};

struct PageOutline {
  std::string title;
  std::string language = "en";
  std::vector<Region> regions;

  bool operator==(const PageOutline&) const = default;
};

inline constexpr size_t kMaxRegions = 12;

// "page/<id>".
std::string RegionSection(std::string_view id);

// The JSON Schema (strict-mode compatible: every property required, no extra properties)
// of the outline reply: {"title", "language", "regions": [{"id", "title", "purpose",
// "content"}]}.
const std::string& OutlineSchemaJson();

// The outline in `text` (a JSON object, also inside a Markdown fence or with prose
// around it), each region's section set to RegionSection(id).
Result<PageOutline> ParseOutline(std::string_view text);

// Problems of an outline (ids, titles, count); empty when it is usable.
std::vector<std::string> OutlineProblems(const PageOutline& outline);

}  // namespace hfs::page
