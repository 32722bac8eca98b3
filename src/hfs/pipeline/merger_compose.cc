// Composing the entry point of a merged frontend: the html page, or App + main + index
// for the component formats (see hfs/pipeline/merger.h).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>

#include "hfs/base/text.h"
#include "hfs/pipeline/code_tokenizer.h"
#include "hfs/pipeline/merger_internal.h"

namespace hfs::pipeline::internal {
namespace {

// Every path with `extension` over all sections: spec sections first, then the others.
std::vector<std::string> PathsWith(const std::vector<std::string>& sections,
                                   const MergedOutput& out, std::string_view extension) {
  std::vector<std::string> paths;
  auto add = [&](const std::vector<std::string>& section_paths) {
    for (const std::string& path : section_paths) {
      if (Extension(path) == extension &&
          std::find(paths.begin(), paths.end(), path) == paths.end()) {
        paths.push_back(path);
      }
    }
  };
  for (const std::string& section : sections) add(out.files_by_section.at(section));
  for (const auto& [section, section_paths] : out.files_by_section) {
    if (std::find(sections.begin(), sections.end(), section) == sections.end()) add(section_paths);
  }
  return paths;
}

std::vector<std::string> SectionPathsWith(const MergedOutput& out, const std::string& section,
                                          const std::vector<std::string_view>& extensions) {
  std::vector<std::string> paths;
  for (const std::string& path : out.files_by_section.at(section)) {
    if (std::find(extensions.begin(), extensions.end(), Extension(path)) != extensions.end()) {
      paths.push_back(path);
    }
  }
  return paths;
}

// The <style> blocks of a document's <head>, kept when only its <body> is used.
std::string HeadStyles(std::string_view document, const std::string& lower) {
  std::string styles;
  size_t head_end = lower.find("</head");
  for (size_t at = lower.find("<style"); at != std::string::npos && at < head_end;
       at = lower.find("<style", at + 1)) {
    size_t close = lower.find("</style>", at);
    if (close == std::string::npos) break;
    styles += std::string(document.substr(at, close + 8 - at)) + "\n";
  }
  return styles;
}

// A fragment's markup: the <body> content of a full document, else the text without a
// doctype or <html>/<head> wrapper.
std::string FragmentBody(std::string_view document) {
  std::string lower = AsciiLower(document);
  size_t body = lower.find("<body");
  if (body != std::string::npos) {
    size_t open_end = lower.find('>', body);
    size_t close = lower.rfind("</body");
    if (open_end != std::string::npos && close != std::string::npos && close > open_end) {
      return HeadStyles(document, lower) +
             std::string(document.substr(open_end + 1, close - open_end - 1));
    }
  }
  size_t start = 0;
  if (size_t head_close = lower.find("</head>"); head_close != std::string::npos) {
    start = head_close + 7;
  } else if (size_t html = lower.find("<html"); html != std::string::npos) {
    start = lower.find('>', html) + 1;
  } else if (lower.rfind("<!doctype", 0) == 0) {
    start = lower.find('>') + 1;
  }
  size_t end = std::min(lower.rfind("</html"), document.size());
  return std::string(document.substr(start, end - start));
}

bool IsModuleScript(std::string_view source) {
  CodeScan scan = ScanCode(source, CodeDialect::kScript);
  for (std::string_view keyword : {"import ", "export "}) {
    for (size_t at = scan.code.find(keyword); at != std::string::npos;
         at = scan.code.find(keyword, at + 1)) {
      size_t line_start = scan.code.rfind('\n', at);
      line_start = line_start == std::string::npos ? 0 : line_start + 1;
      std::string_view before = std::string_view(scan.code).substr(line_start, at - line_start);
      if (before.find_first_not_of(" \t") == std::string_view::npos) return true;
    }
  }
  return false;
}

std::string SectionOpen(const std::string& section, std::string_view indent) {
  return fmt::format("{}<section id=\"{}\" data-section=\"{}\">\n", indent,
                     SectionElementId(section), EscapeHtml(section));
}

void ComposeHtml(const std::vector<std::string>& sections, MergedOutput& out) {
  std::string head;
  for (const std::string& path : PathsWith(sections, out, ".css")) {
    head += fmt::format("  <link rel=\"stylesheet\" href=\"{}\">\n", path);
  }
  for (const std::string& path : PathsWith(sections, out, ".js")) {
    head += IsModuleScript(out.files.at(path))
                ? fmt::format("  <script type=\"module\" src=\"{}\"></script>\n", path)
                : fmt::format("  <script defer src=\"{}\"></script>\n", path);
  }
  std::string main;
  for (const std::string& section : sections) {
    main += SectionOpen(section, "    ");
    std::vector<std::string> fragments = SectionPathsWith(out, section, {".html"});
    if (out.files_by_section.at(section).empty()) {
      main += fmt::format("      <!-- {} -->\n      <p class=\"hfs-placeholder\">{}</p>\n",
                          SectionPlaceholder(section), EscapeHtml(SectionPlaceholder(section)));
    } else if (fragments.empty()) {
      out.warnings.push_back(fmt::format(
          "section '{}' has no .html fragment; only its styles and scripts are linked", section));
      main += "      <!-- styles and scripts only -->\n";
    }
    for (const std::string& path : fragments) {
      main += fmt::format("<!-- {} -->\n{}\n", path, FragmentBody(out.files.at(path)));
    }
    main += "    </section>\n";
  }
  out.files["index.html"] = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n"
      "  <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "  <title>HFS frontend</title>\n{}</head>\n<body>\n  <main>\n{}  </main>\n</body>\n</html>\n",
      head, main);
  out.composition = "index.html";
}

struct Rendered {
  std::string import_path;  // as written in the import
  std::string local_name;
};

// The component of `section` to render, chosen among its component files: one whose
// stem matches the section name, else the first one with a usable default export.
std::optional<Rendered> SectionComponent(OutputFormat format, const std::string& section,
                                         const std::vector<std::string>& candidates,
                                         const MergedOutput& out) {
  std::optional<Rendered> chosen;
  for (const std::string& path : candidates) {
    std::string_view extension = Extension(path);
    std::string_view stem_path = std::string_view(path).substr(0, path.size() - extension.size());
    std::string stem(stem_path.substr(stem_path.rfind('/') + 1));
    std::string name = PascalCase(stem);
    if (format == OutputFormat::kReact) {
      std::string exported = DefaultExportName(out.files.at(path));
      if (exported == kNoDefaultExport) continue;
      if (!exported.empty() && std::isupper(static_cast<unsigned char>(exported[0])) != 0) {
        name = exported;
      }
    }
    Rendered rendered{
        .import_path = "./" + std::string(format == OutputFormat::kReact ? stem_path : path),
        .local_name = name};
    if (LooseName(stem) == LooseName(section)) return rendered;
    if (!chosen.has_value()) chosen = rendered;
  }
  return chosen;
}

std::string UniqueName(std::string name, const std::string& section, std::set<std::string>& used) {
  if (used.count(name) != 0) name += PascalCase(section);
  for (int n = 2; used.count(name) != 0; ++n) name = fmt::format("{}{}", name, n);
  used.insert(name);
  return name;
}

struct ComponentFormat {
  std::string_view component_extension;  // ".vue"
  std::vector<std::string_view> component_extensions;
  std::string_view app_path;
};

ComponentFormat FormatOf(OutputFormat format) {
  switch (format) {
    case OutputFormat::kVue:
      return {".vue", {".vue"}, "App.vue"};
    case OutputFormat::kSvelte:
      return {".svelte", {".svelte"}, "App.svelte"};
    default:
      return {".tsx", {".tsx", ".jsx"}, "App.tsx"};
  }
}

std::string Comment(OutputFormat format, std::string_view text) {
  return format == OutputFormat::kReact ? fmt::format("{{/* {} */}}", text)
                                        : fmt::format("<!-- {} -->", text);
}

// The import lines and the <main> body of an App component.
void ComponentBody(OutputFormat format, const std::vector<std::string>& sections, MergedOutput& out,
                   std::string& imports, std::string& main, std::string_view indent) {
  ComponentFormat shape = FormatOf(format);
  for (const std::string& path : PathsWith(sections, out, ".css")) {
    imports += fmt::format("import './{}';\n", path);
  }
  std::set<std::string> used = {"App", "StrictMode"};
  for (const std::string& section : sections) {
    main += SectionOpen(section, indent);
    std::vector<std::string> candidates =
        SectionPathsWith(out, section, shape.component_extensions);
    std::optional<Rendered> rendered = SectionComponent(format, section, candidates, out);
    if (rendered.has_value()) {
      std::string name = UniqueName(rendered->local_name, section, used);
      imports += fmt::format("import {} from '{}';\n", name, rendered->import_path);
      main += fmt::format("{}  <{} />\n", indent, name);
    } else if (out.files_by_section.at(section).empty()) {
      main += fmt::format("{}  {}\n", indent, Comment(format, SectionPlaceholder(section)));
    } else {
      out.warnings.push_back(fmt::format(
          "section '{}' has no {} component{}; it is not rendered", section,
          shape.component_extension,
          candidates.empty() ? "" : " with a default export (export default function Name)"));
      main += fmt::format("{}  {}\n", indent, Comment(format, "no component to render"));
    }
    main += fmt::format("{}</section>\n", indent);
  }
}

std::string IndexHtml(std::string_view root_id, std::string_view script) {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n  <head>\n    <meta charset=\"UTF-8\" />\n"
      "    <meta name=\"viewport\" content=\"width=device-width, initial-scale=1.0\" />\n"
      "    <title>HFS frontend</title>\n  </head>\n  <body>\n    <div id=\"{}\"></div>\n"
      "    <script type=\"module\" src=\"/{}\"></script>\n  </body>\n</html>\n",
      root_id, script);
}

void ComposeComponents(OutputFormat format, const std::vector<std::string>& sections,
                       MergedOutput& out) {
  std::string imports;
  std::string main;
  std::string_view app_path = FormatOf(format).app_path;
  if (format == OutputFormat::kReact) {
    ComponentBody(format, sections, out, imports, main, "      ");
    out.files["App.tsx"] = fmt::format(
        "// The page: every section of the frozen spec, in spec order (composed by HFS).\n{}\n"
        "export default function App() {{\n  return (\n    <main>\n{}    </main>\n  );\n}}\n",
        imports, main);
    out.files["main.tsx"] =
        "import { createRoot } from 'react-dom/client';\nimport App from './App';\n\n"
        "createRoot(document.getElementById('root')!).render(<App />);\n";
    out.files["index.html"] = IndexHtml("root", "main.tsx");
  } else if (format == OutputFormat::kVue) {
    ComponentBody(format, sections, out, imports, main, "    ");
    out.files["App.vue"] = fmt::format(
        "<script setup lang=\"ts\">\n{}</script>\n\n<template>\n  <main>\n{}  </main>\n"
        "</template>\n",
        imports, main);
    out.files["main.ts"] =
        "import { createApp } from 'vue';\nimport App from './App.vue';\n\n"
        "createApp(App).mount('#app');\n";
    out.files["index.html"] = IndexHtml("app", "main.ts");
  } else {
    ComponentBody(format, sections, out, imports, main, "  ");
    out.files["App.svelte"] =
        fmt::format("<script lang=\"ts\">\n{}</script>\n\n<main>\n{}</main>\n", imports, main);
    out.files["main.ts"] =
        "import { mount } from 'svelte';\nimport App from './App.svelte';\n\n"
        "mount(App, { target: document.getElementById('app')! });\n";
    out.files["index.html"] = IndexHtml("app", "main.ts");
  }
  out.composition = std::string(app_path);
}

}  // namespace

std::string_view Extension(std::string_view path) {
  size_t slash = path.rfind('/');
  size_t dot = path.rfind('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return "";
  return path.substr(dot);
}

std::string PascalCase(std::string_view text) {
  std::string name;
  bool upper = true;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0) {
      upper = true;
      continue;
    }
    name.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
    upper = false;
  }
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0])) != 0) {
    name = "Section" + name;
  }
  return name;
}

std::string LooseName(std::string_view text) {
  std::string loose;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      loose.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  return loose;
}

std::vector<std::string> ReservedPaths(OutputFormat format) {
  switch (format) {
    case OutputFormat::kReact:
      return {"index.html", "App.tsx", "main.tsx"};
    case OutputFormat::kVue:
      return {"index.html", "App.vue", "main.ts"};
    case OutputFormat::kSvelte:
      return {"index.html", "App.svelte", "main.ts"};
    case OutputFormat::kHtml:
    case OutputFormat::kVanilla:
      return {"index.html"};
  }
  return {"index.html"};
}

void Compose(OutputFormat format, const std::vector<std::string>& sections, MergedOutput& out) {
  for (const std::string& section : sections) {
    if (out.files_by_section.at(section).empty()) {
      out.warnings.push_back(
          fmt::format("section '{}' has no files; the page holds a placeholder for it", section));
    }
  }
  if (format == OutputFormat::kHtml || format == OutputFormat::kVanilla) {
    ComposeHtml(sections, out);
  } else {
    ComposeComponents(format, sections, out);
  }
}

}  // namespace hfs::pipeline::internal
