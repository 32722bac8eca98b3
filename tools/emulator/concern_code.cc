// tools/emulator/concern_code.cc: ConcernFiles, what a cross-cutting concern contributes.
#include <fmt/format.h>

#include <algorithm>

#include "tools/emulator/code_text.h"
#include "tools/emulator/region_model.h"
#include "tools/emulator/section_files.h"

namespace hfs::emulator {
namespace {

using json = nlohmann::ordered_json;

const std::vector<DesignToken>& DefaultTokens() {
  static const std::vector<DesignToken> tokens = {
      {"--color-accent", "#2563eb"},
      {"--color-accent-contrast", "#ffffff"},
      {"--color-text", "#0f172a"},
      {"--color-muted", "#475569"},
      {"--color-surface", "#ffffff"},
      {"--color-border", "#e2e8f0"},
      {"--space-2", "0.5rem"},
      {"--space-4", "1rem"},
      {"--space-6", "1.5rem"},
      {"--radius", "12px"},
      {"--font-sans", "system-ui, -apple-system, \"Segoe UI\", Roboto, sans-serif"}};
  return tokens;
}

// The contract's tokens, then the defaults it does not name (colours, spacing, radius,
// font), so the page always has a full set.
std::vector<DesignToken> TokensOf(const CodeAsk& ask) {
  std::vector<DesignToken> tokens = ask.tokens;
  for (const DesignToken& token : DefaultTokens()) {
    const bool named = std::any_of(tokens.begin(), tokens.end(),
                                   [&token](const DesignToken& t) { return t.name == token.name; });
    if (!named) tokens.push_back(token);
  }
  return tokens;
}

// var(--name) of the first token whose name contains `word`, else `fallback`.
std::string Var(const CodeAsk& ask, std::string_view word, std::string_view fallback) {
  for (const DesignToken& token : TokensOf(ask)) {
    if (LowerText(token.name).find(word) != std::string::npos) return "var(" + token.name + ")";
  }
  return std::string(fallback);
}

std::string Accent(const CodeAsk& ask) {
  std::string accent = Var(ask, "accent", "");
  if (accent.empty()) accent = Var(ask, "color", "");
  return accent.empty() ? "#2563eb" : accent;
}

std::string TokensCss(const CodeAsk& ask) {
  std::string css = ":root {\n";
  for (const DesignToken& token : TokensOf(ask)) {
    css += fmt::format("  {}: {};\n", token.name, token.value);
  }
  return css + fmt::format(
                   "}}\n\nbody {{\n  margin: 0;\n  font-family: {};\n  color: {};\n"
                   "  background: {};\n  line-height: 1.6;\n}}\n",
                   Var(ask, "font", "system-ui, sans-serif"), Var(ask, "text", "#0f172a"),
                   Var(ask, "surface", Var(ask, "background", "#ffffff")));
}

std::string StylesCss(const CodeAsk& ask) {
  return fmt::format(
      "*,\n*::before,\n*::after {{\n  box-sizing: border-box;\n}}\n\n"
      "body {{\n  margin: 0;\n  font-family: {};\n  line-height: 1.6;\n  color: {};\n}}\n\n"
      "h1,\nh2,\nh3 {{\n  line-height: 1.2;\n  font-weight: 700;\n}}\n\n"
      "h1 {{ font-size: clamp(2rem, 5vw, 3rem); }}\nh2 {{ font-size: 1.75rem; }}\n"
      "h3 {{ font-size: 1.25rem; }}\n\n"
      "a {{ color: {}; }}\n\nimg {{\n  max-width: 100%;\n  height: auto;\n}}\n\n"
      "button {{ font: inherit; }}\n",
      Var(ask, "font", "system-ui, sans-serif"), Var(ask, "text", "#0f172a"), Accent(ask));
}

std::string RequirementsCss(const CodeAsk& ask) {
  return fmt::format(
      ":focus-visible {{\n  outline: 3px solid {};\n  outline-offset: 2px;\n}}\n\n"
      ".sr-only {{\n  position: absolute;\n  width: 1px;\n  height: 1px;\n  padding: 0;\n"
      "  margin: -1px;\n  overflow: hidden;\n  clip: rect(0, 0, 0, 0);\n  white-space: nowrap;\n"
      "  border: 0;\n}}\n\n"
      "@media (prefers-reduced-motion: reduce) {{\n  *,\n  *::before,\n  *::after {{\n"
      "    animation-duration: 0.01ms !important;\n    transition-duration: 0.01ms !important;\n"
      "    scroll-behavior: auto !important;\n  }}\n}}\n",
      Accent(ask));
}

std::string BehaviourCss() {
  return "[data-region] {\n  scroll-margin-top: 4rem;\n}\n\n"
         "[data-region].is-visible {\n  animation: region-in 0.4s ease-out;\n}\n\n"
         "@keyframes region-in {\n  from { opacity: 0.6; }\n  to { opacity: 1; }\n}\n";
}

std::string BehaviourJs() {
  return R"js(// Page behaviour for every region: in-page links scroll smoothly, Escape closes the
// open <details> of the focused region, regions are marked once they scroll into view.
// Every lookup is guarded: a region that is missing is skipped.

function scrollToTarget(event) {
  const href = event.currentTarget.getAttribute("href") || "";
  const target = href.length > 1 ? document.getElementById(href.slice(1)) : null;
  if (!target) return;
  event.preventDefault();
  target.scrollIntoView({ behavior: "smooth", block: "start" });
}

function closeDetails(event) {
  if (event.key !== "Escape") return;
  const region = document.activeElement?.closest("[data-region]");
  region?.querySelectorAll("details[open]").forEach((details) => {
    details.open = false;
  });
}

export function attach(root = document) {
  const regions = Array.from(root.querySelectorAll("[data-region]"));
  root.querySelectorAll('a[href^="#"]').forEach((link) => {
    link.addEventListener("click", scrollToTarget);
  });
  root.querySelectorAll("button:not([type])").forEach((button) => {
    button.type = "button";
  });
  document.addEventListener("keydown", closeDetails);
  if (!("IntersectionObserver" in window)) return regions.length;
  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (entry.isIntersecting) entry.target.classList.add("is-visible");
    }
  });
  regions.forEach((region) => observer.observe(region));
  return regions.length;
}

attach();
)js";
}

// The lists the page's regions show, by name: what a data concern provides.
json PageData(const CodeAsk& ask) {
  std::vector<ContractRegion> regions = ask.regions;
  if (regions.empty()) {
    for (const char* root : {"hero", "pricing", "comparison", "faq", "footer"}) {
      regions.push_back({.section = std::string("page/") + root, .root = root});
    }
  }
  json data = json::object();
  for (const ContractRegion& region : regions) {
    const RegionContext context{.root = region.root,
                                .title = Sentence(region.root),
                                .content = region.content,
                                .product = ProductOf(ask),
                                .regions = regions};
    const RegionPlan plan = PlanRegion(context);
    for (const auto& [name, list] : plan.data.items()) {
      if (!data.contains(name)) data[name] = list;
    }
  }
  return data;
}

std::string JsModule(const CodeAsk& ask) {
  switch (ask.contribution) {
    case Contribution::kData:
      return fmt::format("export const data = {};\n\nexport default data;\n",
                         JsLiteral(PageData(ask), 0));
    case Contribution::kTokens: {
      json tokens = json::object();
      for (const DesignToken& token : TokensOf(ask)) tokens[token.name] = token.value;
      return fmt::format(
          "export const tokens = {};\n\n"
          "for (const [name, value] of Object.entries(tokens)) {{\n"
          "  document.documentElement?.style.setProperty(name, value);\n}}\n",
          JsLiteral(tokens, 0));
    }
    case Contribution::kRequirements:
      return "// Every image has a text alternative; decorative ones an empty one.\n"
             "document.querySelectorAll(\"img:not([alt])\").forEach((image) => {\n"
             "  image.setAttribute(\"alt\", \"\");\n});\n\nexport const checked = true;\n";
    case Contribution::kStyles:
      return "export const typography = { scale: 1.25, base: \"1rem\" };\n"
             "document.documentElement?.style.setProperty(\"--type-scale\", \"1.25\");\n";
    case Contribution::kBehaviour:
    case Contribution::kNone:
      break;
  }
  return BehaviourJs();
}

std::string CssFile(const CodeAsk& ask) {
  switch (ask.contribution) {
    case Contribution::kTokens:
      return TokensCss(ask);
    case Contribution::kRequirements:
      return RequirementsCss(ask);
    case Contribution::kBehaviour:
    case Contribution::kData:
      return BehaviourCss();
    case Contribution::kStyles:
    case Contribution::kNone:
      break;
  }
  return StylesCss(ask);
}

std::string JsonFile(const CodeAsk& ask) {
  if (ask.contribution != Contribution::kData) {
    json tokens = json::object();
    for (const DesignToken& token : TokensOf(ask)) tokens[token.name] = token.value;
    return tokens.dump(2) + "\n";
  }
  return PageData(ask).dump(2) + "\n";
}

std::string ContentFor(const CodeAsk& ask, const std::string& path) {
  const size_t dot = path.find_last_of('.');
  const std::string extension = dot == std::string::npos ? "" : LowerText(path.substr(dot));
  if (extension == ".css") return CssFile(ask);
  if (extension == ".js" || extension == ".mjs" || extension == ".ts") return JsModule(ask);
  if (extension == ".json") return JsonFile(ask);
  return {};
}

}  // namespace

std::vector<EmulatedFile> ConcernFiles(const CodeAsk& ask) {
  std::vector<EmulatedFile> files;
  for (const std::string& path : ask.files) {
    std::string content = ContentFor(ask, path);
    if (!content.empty()) files.push_back({path, std::move(content)});
  }
  if (!files.empty()) return files;
  const std::string slug = SlugName(ask.section);
  switch (ask.contribution) {
    case Contribution::kData:
      return {{slug + ".json", JsonFile(ask)}};
    case Contribution::kBehaviour:
      return {{slug + ".js", BehaviourJs()}};
    case Contribution::kTokens:
    case Contribution::kStyles:
    case Contribution::kRequirements:
    case Contribution::kNone:
      break;
  }
  return {{slug + ".css", CssFile(ask)}};
}

}  // namespace hfs::emulator
