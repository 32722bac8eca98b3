// tools/emulator/outline.h
//
// The page outline the emulated model plans for a request (HFS's "page_outline" call):
// a title, the language and the regions in page order, always a hero first and a footer
// last, with one region per thing the request names in between (pricing, comparison,
// faq, features, testimonials, contact, gallery, about, posts), in the order the request
// names them, or one "content" region when it names none.
//
//   nlohmann::json outline = PageOutline("A pricing page for a SaaS product with three "
//                                        "tiers, a feature comparison table and an FAQ");
//   // regions: hero, pricing, comparison, faq, footer; title "Pricing — SaaS product"
//
// Thread-safe free functions (pure, deterministic).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace hfs::emulator {

// {"title", "language": "en", "regions": [{"id", "title", "purpose", "content"}...]}.
nlohmann::json PageOutline(std::string_view request);

// The user's request in an outline call: the rest of the last line starting with
// "Request:" in `texts`, else `fallback`.
std::string RequestOf(const std::vector<std::string>& texts, std::string_view fallback);

}  // namespace hfs::emulator
