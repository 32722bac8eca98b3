// ComposePage for the component formats (react, vue, svelte): App + main + index.html;
// see hfs/page/page_composer.h.
#include <fmt/format.h>

#include "hfs/base/text.h"
#include "hfs/page/code_tokenizer.h"
#include "hfs/page/markup.h"
#include "hfs/page/page_composer_internal.h"

namespace hfs::page::internal {
namespace {

struct Shape {
  std::vector<std::string_view> component_extensions;
  std::string app;
  std::string main;
  std::string mount_id;
};

Shape ShapeOf(std::string_view format) {
  if (format == "vue") return {{".vue"}, "App.vue", "main.ts", "app"};
  if (format == "svelte") return {{".svelte"}, "App.svelte", "main.ts", "app"};
  return {{".tsx", ".jsx"}, "App.tsx", "main.tsx", "root"};
}

bool HasDefaultExport(std::string_view source) {
  CodeScan scan = ScanCode(source, CodeDialect::kJsx);
  return scan.code.find("export default") != std::string::npos ||
         scan.code.find(" as default") != std::string::npos;
}

// The import path of a component file: "./Pricing" for react (no extension), else the
// file itself.
std::string ImportPath(std::string_view format, std::string_view path) {
  if (format == "react")
    return "./" + std::string(path.substr(0, path.size() - FileExtension(path).size()));
  return "./" + std::string(path);
}

// Every <style> block of a .vue file that is neither scoped nor a CSS module, scoped to
// the region's root.
std::string ScopeVueStyles(Composition& composition, const RegionContract& region,
                           const std::string& path, std::string source) {
  size_t at = 0;
  while (true) {
    std::string lower = AsciiLower(source);
    size_t open = lower.find("<style", at);
    if (open == std::string::npos) break;
    size_t open_end = lower.find('>', open);
    size_t close = lower.find("</style>", open_end == std::string::npos ? open : open_end);
    if (open_end == std::string::npos || close == std::string::npos) break;
    std::string_view attributes = std::string_view(lower).substr(open, open_end - open);
    if (attributes.find("scoped") == std::string_view::npos &&
        attributes.find("module") == std::string_view::npos) {
      std::string css =
          RegionCss(composition, region, path, source.substr(open_end + 1, close - open_end - 1));
      source.replace(open_end + 1, close - open_end - 1, "\n" + css);
      close = open_end + 2 + css.size();
    }
    at = close + 8;
  }
  return source;
}

std::string IndexHtml(const PageContract& contract, const Shape& shape) {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"{}\">\n  <head>\n    <meta charset=\"UTF-8\" />\n"
      "    <meta name=\"viewport\" content=\"width=device-width, initial-scale=1.0\" />\n"
      "    <title>{}</title>\n  </head>\n  <body>\n    <div id=\"{}\"></div>\n"
      "    <script type=\"module\" src=\"./{}\"></script>\n  </body>\n</html>\n",
      EscapeHtml(contract.language), EscapeHtml(contract.title), shape.mount_id, shape.main);
}

}  // namespace

void ComposeComponents(Composition& composition) {
  const PageContract& contract = composition.contract;
  const std::string& format = contract.format;
  const Shape shape = ShapeOf(format);
  auto& files = composition.page.files;

  std::map<std::string, std::vector<std::string>> markup_by_region;
  for (const RegionContract& region : contract.regions) {
    for (const std::string& path :
         PathsOf(composition.by_section, region.region.section, shape.component_extensions)) {
      markup_by_region[region.region.section].push_back(files[path]);
    }
  }
  PlanIdRenames(composition, markup_by_region);

  std::string styles;     // concern CSS first, imported by main
  std::string behaviour;  // concern modules, run once the page is on screen
  for (const ConcernContract& concern : contract.concerns) {
    for (const std::string& path : PathsOf(composition.by_section, concern.section, {".css"})) {
      files[path] = ConcernCss(files[path]);
      styles += fmt::format("import './{}';\n", path);
    }
    for (const std::string& path :
         PathsOf(composition.by_section, concern.section, {".js", ".mjs", ".ts"})) {
      if (HasImportProblems(composition, concern.section, path, files[path])) continue;
      behaviour += fmt::format("  import('./{}');\n", path);
    }
  }

  std::string imports;
  std::string body;
  const std::string indent = format == "react" ? "      " : format == "vue" ? "    " : "  ";
  for (const RegionContract& region : contract.regions) {
    const std::string& section = region.region.section;
    const std::string& id = region.region.id;
    const std::map<std::string, std::string>& renames = composition.renames[section];
    for (const std::string& path : PathsOf(composition.by_section, section, {".css"})) {
      files[path] = RegionCss(composition, region, path, files[path]);
      imports += fmt::format("import './{}';\n", path);
    }
    bool broken = false;
    for (const std::string& path : PathsOf(composition.by_section, section,
                                           {".ts", ".js", ".tsx", ".jsx", ".vue", ".svelte"})) {
      files[path] = RenameIdsInScript(RenameIdsInMarkup(files[path], renames), renames);
      if (format == "vue" && FileExtension(path) == ".vue") {
        files[path] = ScopeVueStyles(composition, region, path, files[path]);
      }
      broken = HasImportProblems(composition, section, path, files[path]) || broken;
    }
    std::vector<std::string> components =
        PathsOf(composition.by_section, section, shape.component_extensions);
    std::string rendered;
    if (components.empty()) {
      composition.Issue(PageIssue::Severity::kError, section, "", 0, "no-markup",
                        fmt::format("region '{}' has no {} component", section,
                                    *shape.component_extensions.begin()));
    } else if (format == "react" && !HasDefaultExport(files[components.front()])) {
      composition.Issue(PageIssue::Severity::kError, section, components.front(), 0,
                        "default-export",
                        fmt::format("{} has no default export; write `export default function "
                                    "{}()`",
                                    components.front(), ComponentName(id)));
    } else if (!broken) {
      std::string name = ComponentName(id) + "Region";
      imports +=
          fmt::format("import {} from '{}';\n", name, ImportPath(format, components.front()));
      rendered = fmt::format("{}  <{} />\n", indent, name);
    }
    body += fmt::format(
        "{}<section id=\"{}\" data-region=\"{}\" data-section=\"{}\">\n{}{}</section>\n", indent,
        id, id, EscapeHtml(section), rendered, indent);
  }

  std::string main_file;
  if (format == "react") {
    files[shape.app] = fmt::format(
        "// The page: every region in page order (composed by HFS).\n{}\n"
        "export default function App() {{\n  return (\n    <main id=\"main\">\n{}    </main>\n"
        "  );\n}}\n",
        imports, body);
    main_file = fmt::format(
        "import {{ createRoot }} from 'react-dom/client';\nimport {{ flushSync }} from "
        "'react-dom';\n{}import App from './App';\n\n"
        "const root = createRoot(document.getElementById('root')!);\n"
        "flushSync(() => root.render(<App />));\n// Behaviour concerns attach to the regions "
        "once they are on the page.\n{}",
        styles, behaviour.empty() ? "" : "Promise.resolve().then(() => {\n" + behaviour + "});\n");
  } else if (format == "vue") {
    files[shape.app] = fmt::format(
        "<script setup lang=\"ts\">\n{}</script>\n\n<template>\n  <main id=\"main\">\n{}  </main>\n"
        "</template>\n",
        imports, body);
    main_file = fmt::format(
        "import {{ createApp }} from 'vue';\n{}import App from './App.vue';\n\n"
        "createApp(App).mount('#app');\n{}",
        styles, behaviour.empty() ? "" : "Promise.resolve().then(() => {\n" + behaviour + "});\n");
  } else {
    files[shape.app] = fmt::format(
        "<script lang=\"ts\">\n{}</script>\n\n<main id=\"main\">\n{}</main>\n", imports, body);
    main_file = fmt::format(
        "import {{ mount, flushSync }} from 'svelte';\n{}import App from './App.svelte';\n\n"
        "mount(App, {{ target: document.getElementById('app')! }});\nflushSync();\n{}",
        styles, behaviour.empty() ? "" : "Promise.resolve().then(() => {\n" + behaviour + "});\n");
  }
  files[shape.main] = main_file;
  files["index.html"] = IndexHtml(contract, shape);
  composition.page.composition = shape.app;
}

}  // namespace hfs::page::internal
