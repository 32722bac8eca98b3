// tools/emulator/region_style.cc: RegionCss, a region's stylesheet.
#include <fmt/format.h>

#include <set>

#include "tools/emulator/code_text.h"
#include "tools/emulator/region_model.h"
#include "tools/emulator/seeded.h"

namespace hfs::emulator {
namespace {

// var(--name) of the first token whose name contains one of `words`, else `fallback`.
std::string Token(const std::vector<DesignToken>& tokens, std::initializer_list<const char*> words,
                  const std::string& fallback) {
  for (const char* word : words) {
    for (const DesignToken& token : tokens) {
      if (LowerText(token.name).find(word) != std::string::npos) {
        return "var(" + token.name + ")";
      }
    }
  }
  return fallback;
}

struct Palette {
  std::string accent, text, muted, surface, border, radius, space, font;
};

Palette PaletteOf(const std::vector<DesignToken>& tokens) {
  Palette palette{
      .accent = Token(tokens, {"accent", "primary", "brand"}, ""),
      .text = Token(tokens, {"color-text", "text", "foreground", "fg"}, "#0f172a"),
      .muted = Token(tokens, {"muted", "secondary", "subtle"}, "#475569"),
      .surface = Token(tokens, {"surface", "background", "bg"}, "#ffffff"),
      .border = Token(tokens, {"border", "line"}, "#e2e8f0"),
      .radius = Token(tokens, {"radius"}, "12px"),
      .space = Token(tokens, {"space", "spacing", "gap"}, "1.5rem"),
      .font = Token(tokens, {"font"}, "system-ui, sans-serif"),
  };
  // The accent is the first colour token of the contract (any token when none says
  // colour), a literal only when the contract has no tokens.
  if (palette.accent.empty()) palette.accent = Token(tokens, {"color", "colour"}, "");
  if (palette.accent.empty() && !tokens.empty()) palette.accent = "var(" + tokens[0].name + ")";
  if (palette.accent.empty()) palette.accent = "#2563eb";
  return palette;
}

// body, :root, the heading tag and .card, as a model writes them "for the page".
std::string GlobalRules(const RegionContext& c, RegionKind kind, const Palette& p,
                        const StyleOptions& options) {
  static const char* kBackgrounds[] = {"#f8fafc", "#fef2f2", "#eff6ff",
                                       "#f0fdf4", "#fffbeb", "#f5f3ff"};
  const uint64_t pick = HashText(c.root) % 6;
  auto global = [&options](const std::string& selector) {
    return options.svelte ? ":global(" + selector + ")" : selector;
  };
  std::string rules = fmt::format(
      "{} {{\n  --accent: {};\n  --card-radius: 8px;\n}}\n"
      "{} {{\n  margin: 0;\n  background: {};\n  font-family: {};\n}}\n",
      global(":root"), p.accent, global("body"), kBackgrounds[pick], p.font);
  return rules + fmt::format("{} {{\n  font-size: 2.25rem;\n  letter-spacing: -0.02em;\n}}\n",
                             kind == RegionKind::kHero ? "h1" : "h2");
}

struct Rule {
  std::string base;  // the class it styles ("card"); the rule is left out when unused
  std::string text;
};

// The aria attribute the region's toggle button carries.
std::string ToggleAria(const std::vector<Node>& nodes) {
  for (const Node& node : nodes) {
    if (node.bind == Bind::kToggle) return node.aria;
    std::string aria = ToggleAria(node.children);
    if (!aria.empty()) return aria;
  }
  return {};
}

std::vector<Rule> ClassRules(const RegionContext& c, const RegionPlan& plan, const Palette& p,
                             const std::string& card_border, const std::string& card_background) {
  const bool card_headings = plan.kind == RegionKind::kPricing || plan.kind == RegionKind::kCards;
  auto C = [&c](const char* base) { return c.Class(base); };
  return {
      {"title", fmt::format(".{} {{ margin: 0 0 0.5rem; line-height: 1.15; }}\n", C("title"))},
      {"lead", fmt::format(".{} {{ color: {}; max-width: 60ch; }}\n", C("lead"), p.muted)},
      {"grid", fmt::format(".{} {{\n  display: grid;\n  grid-template-columns: repeat(auto-fit, "
                           "minmax(220px, 1fr));\n  gap: {};\n  margin-top: {};\n}}\n",
                           C("grid"), p.space, p.space)},
      {"card", fmt::format(".{0} {{\n  border: 1px solid {1};\n  background: {2};\n"
                           "  border-radius: {3};\n  padding: {4};\n}}\n{5}",
                           C("card"), card_border, card_background, p.radius, p.space,
                           card_headings ? "." + C("card") + " h3 { margin-top: 0; }\n" : "")},
      {"button", fmt::format(".{} {{\n  display: inline-block;\n  background: {};\n  color: #fff;\n"
                             "  border: 0;\n  border-radius: {};\n  padding: 0.6rem 1.2rem;\n"
                             "  cursor: pointer;\n  text-decoration: none;\n}}\n",
                             C("button"), p.accent, p.radius)},
      {"toggle",
       fmt::format(".{0} {{\n  background: transparent;\n  color: {1};\n"
                   "  border: 1px solid {1};\n  border-radius: 999px;\n"
                   "  padding: 0.4rem 1rem;\n  margin-top: 1rem;\n  cursor: pointer;\n}}\n"
                   ".{0}[{2}=\"true\"] {{\n  background: {1};\n  color: #fff;\n}}\n",
                   C("toggle"), p.accent, ToggleAria(plan.body))},
      {"actions",
       fmt::format(".{} {{ display: flex; flex-wrap: wrap; gap: 1rem; margin-top: {}; }}\n",
                   C("actions"), p.space)},
      {"price", fmt::format(".{} {{ font-size: 1.5rem; font-weight: 700; margin: 0.5rem 0; "
                            "color: {}; }}\n",
                            C("price"), p.accent)},
      {"features",
       fmt::format(".{} {{ padding-left: 1.2rem; line-height: 1.8; }}\n", C("features"))},
      {"scroll", fmt::format(".{} {{ overflow-x: auto; margin: {} 0; }}\n", C("scroll"), p.space)},
      {"table",
       fmt::format(".{0} {{ width: 100%; border-collapse: collapse; }}\n"
                   ".{0} caption {{ text-align: left; color: {1}; padding-bottom: 0.5rem; }}\n"
                   ".{0} th,\n.{0} td {{ padding: 0.6rem; border-bottom: 1px solid {2}; "
                   "text-align: left; }}\n.{0} thead th {{ color: {3}; }}\n",
                   C("table"), p.muted, p.border, p.accent)},
      {"list", fmt::format(".{0} {{ display: grid; gap: 0.75rem; margin-top: {1}; }}\n"
                           ".{0} summary {{ cursor: pointer; font-weight: 600; }}\n",
                           C("list"), p.space)},
      {"links", fmt::format(".{0} {{ display: flex; flex-wrap: wrap; gap: 1rem; list-style: none; "
                            "padding: 0; }}\n.{0} a {{ color: {1}; }}\n",
                            C("links"), p.accent)},
      {"copy", fmt::format(".{} {{ color: {}; }}\n", C("copy"), p.muted)},
      {"more", fmt::format(".{} {{ color: {}; margin-top: 1rem; }}\n", C("more"), p.muted)},
  };
}

void CollectClasses(const std::vector<Node>& nodes, std::set<std::string>& classes) {
  for (const Node& node : nodes) {
    for (const auto& [name, value] : node.attrs) {
      if (name == "class") classes.insert(value);
    }
    CollectClasses(node.children, classes);
  }
}

}  // namespace

std::string RegionCss(const RegionContext& c, const RegionPlan& plan,
                      const std::vector<DesignToken>& tokens, const StyleOptions& options) {
  static const char* kBorders[] = {"#cbd5e1", "#fca5a5", "#93c5fd",
                                   "#86efac", "#fcd34d", "#c4b5fd"};
  static const char* kCards[] = {"#ffffff", "#fff7f7", "#f5f9ff", "#f6fef9", "#fffdf5", "#faf8ff"};
  const Palette p = PaletteOf(tokens);
  const uint64_t pick = HashText(c.root) % 6;
  std::string css;
  if (options.global_rules) css += GlobalRules(c, plan.kind, p, options);
  if (options.root_rule) {
    css += fmt::format(
        "#{} {{\n  padding: 4rem {};\n  max-width: 1100px;\n  margin: 0 auto;\n"
        "  color: {};\n}}\n",
        c.root, p.space, p.text);
  }
  // With generic class names the card takes this region's own colours (another region's
  // .card rule looks different); otherwise the tokens'.
  const std::string card_border = options.global_rules ? kBorders[pick] : p.border;
  const std::string card_background = options.global_rules ? kCards[pick] : p.surface;
  std::set<std::string> used;
  CollectClasses(plan.body, used);
  for (const Rule& rule : ClassRules(c, plan, p, card_border, card_background)) {
    if (used.contains(c.Class(rule.base))) css += rule.text;
  }
  return css;
}

}  // namespace hfs::emulator
