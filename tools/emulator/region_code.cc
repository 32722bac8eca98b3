// tools/emulator/region_code.cc: RegionFiles, a region's files per output format.
#include <fmt/format.h>

#include <algorithm>

#include "tools/emulator/code_text.h"
#include "tools/emulator/region_model.h"
#include "tools/emulator/section_files.h"
#include "tools/emulator/seeded.h"

namespace hfs::emulator {
namespace {

struct Writer {
  const CodeAsk& ask;
  const std::vector<Habit>& habits;
  uint64_t seed;
  RegionContext context;
  RegionPlan plan;
  std::string other_root;  // the region kCrossRegion reaches into

  bool Has(Habit habit) const { return HasHabit(habits, habit); }
  uint64_t Draw(std::string_view what) const { return SeedFor(seed, what, ask.section); }
  std::string Component() const { return PascalName(context.root); }
  std::string State() const { return plan.state; }
  std::string Css(bool svelte) const {
    return RegionCss(context, plan, ask.tokens,
                     {.global_rules = Has(Habit::kGlobalCss),
                      .svelte = svelte,
                      .root_rule = !svelte || (Has(Habit::kOwnWrapper) && WrapperHasId())});
  }
  std::string Markup(MarkupOptions options, int indent) const {
    options.state = State();
    return RenderMarkup(plan.body, options, plan.data, indent);
  }
  // `<section id="pricing" class="pricing">` or `<div class="pricing">`.
  std::string WrapperOpen(bool jsx) const {
    const std::string cls = jsx ? "className" : "class";
    if (!WrapperHasId()) return fmt::format("<div {}=\"{}\">", cls, context.root);
    return fmt::format("<section id=\"{0}\" {1}=\"{0}\">", context.root, cls);
  }
  std::string WrapperClose() const { return WrapperHasId() ? "</section>" : "</div>"; }
  bool WrapperHasId() const { return Draw("wrapper") % 3 != 2; }
  // The lines kCrossRegion and kTopLevelState add to the toggle handler.
  std::string SideEffects(const std::string& on_expression, int indent) const {
    std::string lines;
    if (Has(Habit::kTopLevelState)) lines += "count += 1;\n";
    if (Has(Habit::kCrossRegion)) {
      lines += fmt::format(
          "document.querySelector(\"#{}\")?.classList.toggle(\"is-highlighted\", {});\n"
          "document.getElementById(\"title\")?.setAttribute(\"data-active\", String({}));\n",
          other_root, on_expression, on_expression);
    }
    return Indent(lines, indent);
  }
  // `const tiers = [...];` for every list, then a blank line; nothing without lists.
  std::string DataDeclarations() const {
    std::string lines;
    for (const auto& [name, list] : plan.data.items()) {
      lines += fmt::format("const {} = {};\n", name, JsLiteral(list, 0));
    }
    return lines.empty() ? lines : lines + "\n";
  }
};

std::string Extension(const std::string& path) {
  const size_t dot = path.find_last_of('.');
  return dot == std::string::npos ? "" : LowerText(path.substr(dot));
}

std::string Directory(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? "" : path.substr(0, slash + 1);
}

// The import path of `to` from the file `from` (both relative to the output root).
std::string ImportPath(const std::string& from, const std::string& to) {
  std::string base = Directory(from);
  std::string prefix = "./";
  while (!base.empty() && to.rfind(base, 0) != 0) {
    base.pop_back();
    base = Directory(base);
    prefix = prefix == "./" ? "../" : prefix + "../";
  }
  return prefix + to.substr(base.size());
}

bool HasAnimated(const std::vector<Node>& nodes) {
  return std::any_of(nodes.begin(), nodes.end(),
                     [](const Node& node) { return node.animated || HasAnimated(node.children); });
}

// The first file of `ask.files` with one of `extensions`, else `fallback`.
std::string Pick(const CodeAsk& ask, std::initializer_list<const char*> extensions,
                 const std::string& fallback) {
  for (const std::string& file : ask.files) {
    for (const char* extension : extensions) {
      if (Extension(file) == extension) return file;
    }
  }
  return fallback;
}

std::string HtmlScript(const Writer& w) {
  const std::string s = "state." + w.State();
  std::string body = fmt::format("const state = {{ {}: false }};\n", w.State());
  if (w.Has(Habit::kTopLevelState)) body += "let count = 0;\n";
  body += fmt::format("const root = document.getElementById(\"{}\");\n", w.context.root);
  body += w.Has(Habit::kCrossRegion) ? "const button = document.getElementById(\"toggle\");\n"
                                     : "const button = root?.querySelector(\"[data-toggle]\");\n";
  body += fmt::format(
      "\nfunction render() {{\n"
      "  root?.querySelectorAll(\"[data-switch]\").forEach((element) => {{\n"
      "    element.textContent = {0} ? element.dataset.on : element.dataset.off;\n  }});\n"
      "  root?.querySelectorAll(\"[data-show]\").forEach((element) => {{\n"
      "    element.hidden = (element.dataset.show === \"on\") !== {0};\n  }});\n"
      "  root?.querySelectorAll(\"[data-open]\").forEach((element) => {{\n"
      "    element.open = {0};\n  }});\n"
      "  button?.setAttribute(button.dataset.toggle || \"aria-expanded\", String({0}));\n}}\n\n"
      "function toggle() {{\n  {0} = !{0};\n  render();\n",
      s);
  body += w.SideEffects(s, 2);
  if (w.Has(Habit::kMissingImport)) body += "  confetti({ particleCount: 80, spread: 70 });\n";
  body += "}\n\nbutton?.addEventListener(\"click\", toggle);\n";
  // Without the top-level habit the script keeps its names to itself.
  if (!w.Has(Habit::kTopLevelState)) body = "(() => {\n" + Indent(body, 2) + "})();\n";
  if (w.Has(Habit::kMissingImport)) body = "import confetti from \"canvas-confetti\";\n\n" + body;
  return body;
}

std::vector<EmulatedFile> HtmlFiles(const Writer& w) {
  const std::string root = w.context.root;
  const std::string main = Pick(w.ask, {".html", ".htm"}, root + ".html");
  const std::string css_file = Pick(w.ask, {".css"}, "");
  const std::string js_file = Pick(w.ask, {".js", ".mjs", ".ts"}, "");
  std::string html;
  if (w.Has(Habit::kOwnWrapper)) {
    html = w.WrapperOpen(false) + "\n" + w.Markup({}, 2) + w.WrapperClose() + "\n";
  } else {
    html = w.Markup({}, 0);
  }
  const std::string css = w.Css(false);
  const std::string script = HtmlScript(w);
  std::vector<EmulatedFile> files;
  if (css_file.empty()) html += "\n<style>\n" + Indent(css, 2) + "</style>\n";
  if (js_file.empty()) {
    const bool module = w.Has(Habit::kMissingImport);
    html += fmt::format("\n<script{}>\n{}</script>\n", module ? " type=\"module\"" : "",
                        Indent(script, 2));
  }
  files.push_back({main, html});
  if (!css_file.empty()) files.push_back({css_file, css});
  if (!js_file.empty()) files.push_back({js_file, script});
  return files;
}

std::vector<EmulatedFile> ReactFiles(const Writer& w) {
  const std::string main = Pick(w.ask, {".tsx", ".jsx"}, w.Component() + ".tsx");
  std::string css_file = Pick(w.ask, {".css"}, w.ask.files.empty() ? w.context.root + ".css" : "");
  // framer-motion animates the region's grid; regions without one get a lucide icon.
  const bool lucide = w.Draw("react-import") % 2 == 0 || !HasAnimated(w.plan.body);
  const std::string state = w.State();
  const std::string setter = "set" + PascalName(state);
  std::string code;
  if (w.Has(Habit::kMissingImport)) {
    code += lucide ? "import { Sparkles } from \"lucide-react\";\n"
                   : "import { motion } from \"framer-motion\";\n";
  }
  code += "import { useState } from \"react\";\n";
  if (!css_file.empty()) code += fmt::format("import \"{}\";\n", ImportPath(main, css_file));
  code += "\n";
  if (w.Has(Habit::kTopLevelState)) code += "let count = 0;\n\n";
  code += w.DataDeclarations();
  code += fmt::format(
      "export default function {}() {{\n  const [{}, {}] = useState(false);\n\n"
      "  function toggle() {{\n    {}((value) => !value);\n",
      w.Component(), state, setter, setter);
  code += w.SideEffects("!" + state, 4) + "  }\n\n  return (\n";
  const MarkupOptions options{.dialect = Dialect::kJsx,
                              .motion = w.Has(Habit::kMissingImport) && !lucide,
                              .icon = w.Has(Habit::kMissingImport) && lucide ? "Sparkles" : ""};
  code += "    " + (w.Has(Habit::kOwnWrapper) ? w.WrapperOpen(true) : std::string("<>")) + "\n";
  code += w.Markup(options, 6);
  if (css_file.empty()) code += "      <style>{`\n" + w.Css(false) + "`}</style>\n";
  code += "    " + (w.Has(Habit::kOwnWrapper) ? w.WrapperClose() : std::string("</>")) + "\n";
  code += "  );\n}\n";
  std::vector<EmulatedFile> files = {{main, code}};
  if (!css_file.empty()) files.push_back({css_file, w.Css(false)});
  return files;
}

std::vector<EmulatedFile> VueFiles(const Writer& w) {
  const std::string main = Pick(w.ask, {".vue"}, w.Component() + ".vue");
  const std::string css_file = Pick(w.ask, {".css"}, "");
  const bool vueuse = w.Has(Habit::kMissingImport);
  const std::string state = w.State();
  std::string script = "import { ref } from \"vue\";\n";
  if (vueuse) script += "import { useToggle } from \"@vueuse/core\";\n";
  if (!css_file.empty()) script += fmt::format("import \"{}\";\n", ImportPath(main, css_file));
  script += "\n";
  if (w.Has(Habit::kTopLevelState)) script += "let count = 0;\n\n";
  script += w.DataDeclarations();
  script += fmt::format("const {} = ref(false);\n", state);
  // useToggle given a ref returns just the function that flips it.
  if (vueuse) script += fmt::format("const flip = useToggle({});\n", state);
  script += "\nfunction toggle() {\n";
  script += vueuse ? "  flip();\n" : fmt::format("  {0}.value = !{0}.value;\n", state);
  script += w.SideEffects(state + ".value", 2) + "}\n";
  std::string markup;
  if (w.Has(Habit::kOwnWrapper)) {
    markup = "  " + w.WrapperOpen(false) + "\n" + w.Markup({.dialect = Dialect::kVue}, 4) + "  " +
             w.WrapperClose() + "\n";
  } else {
    markup = w.Markup({.dialect = Dialect::kVue}, 2);
  }
  std::string sfc =
      "<script setup>\n" + script + "</script>\n\n<template>\n" + markup + "</template>\n";
  if (css_file.empty()) {
    sfc += fmt::format("\n<style{}>\n{}</style>\n", w.Has(Habit::kGlobalCss) ? "" : " scoped",
                       w.Css(false));
  }
  std::vector<EmulatedFile> files = {{main, sfc}};
  if (!css_file.empty()) files.push_back({css_file, w.Css(false)});
  return files;
}

std::vector<EmulatedFile> SvelteFiles(const Writer& w) {
  const std::string main = Pick(w.ask, {".svelte"}, w.Component() + ".svelte");
  const std::string css_file = Pick(w.ask, {".css"}, "");
  const std::string state = w.State();
  const bool runes = w.Draw("svelte-runes") % 2 == 0;
  std::string script;
  if (w.Has(Habit::kMissingImport)) script += "import { animate } from \"svelte-motion\";\n";
  if (!css_file.empty()) script += fmt::format("import \"{}\";\n", ImportPath(main, css_file));
  if (!script.empty()) script += "\n";
  if (w.Has(Habit::kTopLevelState)) script += "let count = 0;\n\n";
  script += w.DataDeclarations();
  script += runes ? fmt::format("let {} = $state(false);\n", state)
                  : fmt::format("let {} = false;\n", state);
  script += fmt::format("\nfunction toggle() {{\n  {0} = !{0};\n", state);
  script += w.SideEffects(state, 2);
  if (w.Has(Habit::kMissingImport)) script += "  animate(0, 1, { duration: 0.3 });\n";
  script += "}\n";
  std::string markup;
  if (w.Has(Habit::kOwnWrapper)) {
    markup = w.WrapperOpen(false) + "\n" + w.Markup({.dialect = Dialect::kSvelte}, 2) +
             w.WrapperClose() + "\n";
  } else {
    markup = w.Markup({.dialect = Dialect::kSvelte}, 0);
  }
  std::string component = "<script>\n" + Indent(script, 2) + "</script>\n\n" + markup;
  if (css_file.empty()) component += "\n<style>\n" + Indent(w.Css(true), 2) + "</style>\n";
  std::vector<EmulatedFile> files = {{main, component}};
  if (!css_file.empty()) files.push_back({css_file, w.Css(false)});
  return files;
}

// Another region's root: the next one in the outline, else the previous, else a guess.
std::string OtherRoot(const CodeAsk& ask) {
  for (size_t i = 0; i < ask.regions.size(); ++i) {
    if (ask.regions[i].root != ask.root) continue;
    if (i + 1 < ask.regions.size()) return ask.regions[i + 1].root;
    if (i > 0) return ask.regions[i - 1].root;
  }
  return ask.root == "hero" ? "footer" : "hero";
}

}  // namespace

std::vector<EmulatedFile> RegionFiles(const CodeAsk& ask, const std::vector<Habit>& habits,
                                      uint64_t seed) {
  RegionContext context{.root = ask.root,
                        .title = Sentence(ask.root),
                        .content = ask.content,
                        .page_title = ask.page_title,
                        .product = ProductOf(ask),
                        .regions = ask.regions,
                        .generic_classes = HasHabit(habits, Habit::kGlobalCss),
                        .shared_ids = HasHabit(habits, Habit::kCrossRegion)};
  for (const ContractRegion& region : ask.regions) {
    const std::string title = CleanText(region.title);
    if (region.root == ask.root && !title.empty()) context.title = title;
  }
  RegionPlan plan = PlanRegion(context);
  const Writer writer{.ask = ask,
                      .habits = habits,
                      .seed = seed,
                      .context = std::move(context),
                      .plan = std::move(plan),
                      .other_root = OtherRoot(ask)};
  switch (ask.format) {
    case OutputFormat::kReact:
      return ReactFiles(writer);
    case OutputFormat::kVue:
      return VueFiles(writer);
    case OutputFormat::kSvelte:
      return SvelteFiles(writer);
    case OutputFormat::kHtml:
    case OutputFormat::kVanilla:
      break;
  }
  return HtmlFiles(writer);
}

}  // namespace hfs::emulator
