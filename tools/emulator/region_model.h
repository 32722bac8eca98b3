// tools/emulator/region_model.h
//
// The emulator's model of one page region before it is written in a format (internal to
// tools/emulator): a small markup tree whose text can come from loop items ("tier.name")
// or depend on the region's one boolean state (monthly/annual, expanded), elements that
// repeat over a data list, and elements bound to the state (the toggle button, parts
// shown or opened when it is on). region_markup.cc renders it as HTML, JSX, a Vue
// template or Svelte markup; region_code.cc adds script and style.
//
//   RegionPlan plan = PlanRegion(context);   // pricing: tiers, toggle, cards
//   std::string jsx = RenderMarkup(plan.body, {.dialect = Dialect::kJsx, .state = plan.state});
//
// Thread-safe free functions (pure).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tools/emulator/section_code.h"

namespace hfs::emulator {

// A literal, or a field of a loop item when `field` is set ("tier.name", "feature").
struct TextValue {
  std::string literal;
  std::string field;
};

enum class Bind { kNone, kToggle, kShowWhenOn, kShowWhenOff, kOpenWhenOn };

struct Node {
  std::string tag;                                               // empty: a text node
  std::vector<std::pair<std::string, std::string>> attrs;        // static, HTML names
  std::vector<std::pair<std::string, std::string>> field_attrs;  // attribute <- item field
  TextValue text;                                                // text node
  std::optional<std::pair<TextValue, TextValue>> choice;         // text node: (on, off)
  std::vector<Node> children;
  std::string each;  // repeat over this list ("tiers", "tier.features")
  std::string as;    // the loop variable
  std::string key;   // the item's key field; "." the item itself; "" its index
  Bind bind = Bind::kNone;
  std::string aria;       // kToggle: "aria-pressed" or "aria-expanded"
  bool animated = false;  // the element a motion library would animate
};

enum class RegionKind { kHero, kPricing, kComparison, kFaq, kFooter, kCards };

// What the region builders need to know.
struct RegionContext {
  std::string root;
  std::string title;    // the region's title ("Pricing")
  std::string content;  // its content line from the contract
  std::string page_title;
  std::string product;  // "SaaS product"
  std::vector<ContractRegion> regions;
  bool generic_classes = false;  // kGlobalCss: "card" rather than "pricing-card"
  bool shared_ids = false;       // kCrossRegion: id="title" / id="toggle"

  std::string Class(const std::string& name) const {
    return generic_classes ? name : root + "-" + name;
  }
};

struct RegionPlan {
  RegionKind kind = RegionKind::kCards;
  std::string state = "expanded";                                  // the boolean state's name
  nlohmann::ordered_json data = nlohmann::ordered_json::object();  // loop lists
  std::vector<Node> body;                                          // markup inside any wrapper
};

RegionKind KindOfRegion(const std::string& root, const std::string& content);
RegionPlan PlanRegion(const RegionContext& context);

enum class Dialect { kHtml, kJsx, kVue, kSvelte };

struct MarkupOptions {
  Dialect dialect = Dialect::kHtml;
  std::string state;              // the state variable
  std::string toggle = "toggle";  // the handler the toggle button calls
  bool motion = false;            // JSX: animated elements as <motion.div> (framer-motion)
  std::string icon;               // JSX: an icon component put first in the toggle button
};

// `nodes` as markup, each line indented by `indent` spaces. HTML unrolls loops over
// `data` and renders state-dependent parts for the state off, marked with data-switch /
// data-show / data-open / data-toggle attributes for the region's script.
std::string RenderMarkup(const std::vector<Node>& nodes, const MarkupOptions& options,
                         const nlohmann::ordered_json& data, int indent);

struct StyleOptions {
  bool global_rules = false;  // kGlobalCss: body, :root, the heading tag, .card per region
  bool svelte = false;        // global selectors as :global(...)
  bool root_rule = true;      // a rule for #<root> (the element HFS wraps the region in)
};

// The region's CSS, using the contract's tokens (var(--...)) where it has them.
std::string RegionCss(const RegionContext& context, const RegionPlan& plan,
                      const std::vector<DesignToken>& tokens, const StyleOptions& options);

}  // namespace hfs::emulator
