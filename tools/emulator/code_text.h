// tools/emulator/code_text.h
//
// Text helpers of the emulator's code writer (internal to tools/emulator): names
// ("pricing-table" -> "PricingTable"), slugs, escaping for markup, JavaScript literals
// from JSON, Markdown fences.
//
//   std::string name = PascalName("pricing-table");        // "PricingTable"
//   std::string js = JsLiteral(json{{"name", "Pro"}}, 0);   // {name: "Pro"}
//
// Thread-safe free functions (pure).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace hfs::emulator {

std::string LowerText(std::string_view text);
// "pricing-table" / "page/pricing_table" -> "PricingTable"; "Section" when empty.
std::string PascalName(std::string_view name);
// "more_rows" -> "moreRows".
std::string CamelName(std::string_view name);
// "page/pricing" -> "page-pricing": lower case, runs of other characters as '-'.
std::string SlugName(std::string_view name);
// "hero" -> "Hero", "pricing-table" -> "Pricing table".
std::string Sentence(std::string_view name);
// Text from the conversation made safe to show in any of the markup dialects: drops
// < > { } ` and quotes, '&' becomes "and", whitespace runs become one space, trimmed.
std::string CleanText(std::string_view text);
// &, <, >, " escaped.
std::string EscapeMarkup(std::string_view text);
// A JavaScript literal for `value`: objects with bare keys, one item per line for arrays
// of objects, indented by `indent` spaces on continuation lines.
std::string JsLiteral(const nlohmann::ordered_json& value, int indent);
// `content` inside a ```lang fence, after `sentence` and a blank line when not empty.
std::string Fenced(std::string_view content, std::string_view lang, std::string_view sentence);
// Every line of `text` indented by `spaces` (empty lines stay empty).
std::string Indent(std::string_view text, int spaces);

}  // namespace hfs::emulator
