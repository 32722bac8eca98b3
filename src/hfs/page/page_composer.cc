// ComposePage: cleaning the files, id renames, CSS scoping, import checks, and the html
// page; the component formats are composed in page_composer_components.cc.
#include "hfs/page/page_composer.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "hfs/base/text.h"
#include "hfs/page/css_scope.h"
#include "hfs/page/imports.h"
#include "hfs/page/markup.h"
#include "hfs/page/page_composer_internal.h"

namespace hfs::page {
namespace internal {
namespace {

bool IsComponentFormat(std::string_view format) {
  return format == "react" || format == "vue" || format == "svelte";
}

bool IsTextCode(std::string_view path) {
  std::string_view extension = FileExtension(path);
  for (std::string_view code :
       {".html", ".css", ".js", ".mjs", ".ts", ".tsx", ".jsx", ".vue", ".svelte", ".json"}) {
    if (extension == code) return true;
  }
  return false;
}

// What a region's html files hold once split and adopted.
struct HtmlRegion {
  std::string markup;
  std::vector<std::pair<std::string, std::string>> attributes;
  std::vector<std::string> styles;
  // (where it came from, code)
  std::vector<std::pair<std::string, std::string>> scripts;
};

std::string Attributes(const std::vector<std::pair<std::string, std::string>>& attributes) {
  std::string text;
  for (const auto& [name, value] : attributes) {
    if (name == "id" || name == "data-region" || name == "data-section") continue;
    text += fmt::format(" {}=\"{}\"", name, EscapeHtml(value));
  }
  return text;
}

// Inline <script> text may not close its element early.
std::string InlineScriptText(std::string_view code) {
  std::string text(code);
  for (size_t at = AsciiLower(text).find("</script"); at != std::string::npos;
       at = AsciiLower(text).find("</script", at + 2)) {
    text.replace(at, 2, "<\\/");
  }
  return text;
}

std::string Stem(std::string_view path) {
  std::string_view name = path.substr(path.rfind('/') + 1);
  return std::string(name.substr(0, name.size() - FileExtension(name).size()));
}

}  // namespace

std::vector<std::string> PathsOf(const std::map<std::string, std::vector<std::string>>& by_section,
                                 const std::string& section,
                                 const std::vector<std::string_view>& extensions) {
  std::vector<std::string> paths;
  auto it = by_section.find(section);
  if (it == by_section.end()) return paths;
  for (const std::string& path : it->second) {
    if (std::find(extensions.begin(), extensions.end(), FileExtension(path)) != extensions.end()) {
      paths.push_back(path);
    }
  }
  return paths;
}

void Composition::Issue(PageIssue::Severity severity, std::string section, std::string file,
                        int line, std::string rule, std::string message) {
  page.issues.push_back(
      {severity, std::move(section), std::move(file), line, std::move(rule), std::move(message)});
}

void PlanIdRenames(Composition& composition,
                   const std::map<std::string, std::vector<std::string>>& markup_by_region) {
  std::set<std::string> used = {"root", "app", "main"};
  for (const RegionContract& region : composition.contract.regions) used.insert(region.region.id);
  const bool component = IsComponentFormat(composition.contract.format);
  for (const RegionContract& region : composition.contract.regions) {
    const std::string& root = region.region.id;
    std::map<std::string, std::string>& renames = composition.renames[region.region.section];
    auto texts = markup_by_region.find(region.region.section);
    if (texts == markup_by_region.end()) continue;
    std::set<std::string> mine;
    for (const std::string& text : texts->second) {
      for (const IdUse& use : ElementIds(text)) {
        if (!mine.insert(use.id).second) continue;
        if (use.id == root && !component) continue;  // adopted, or its own wrapper
        if (!used.contains(use.id) && use.id != root) {
          used.insert(use.id);
          continue;
        }
        std::string renamed = use.id == root ? root + "-inner" : root + "-" + use.id;
        for (int n = 2; used.contains(renamed); ++n)
          renamed = fmt::format("{}-{}-{}", root, use.id, n);
        used.insert(renamed);
        renames[use.id] = renamed;
        if (use.id != root) {
          composition.Issue(PageIssue::Severity::kNote, region.region.section, "", use.line,
                            "renamed-id",
                            fmt::format("id '{}' of region '{}' is also used elsewhere on the "
                                        "page; renamed to '{}'",
                                        use.id, root, renamed));
        }
      }
    }
  }
}

std::string RegionCss(Composition& composition, const RegionContract& region,
                      const std::string& path, std::string_view css) {
  std::string renamed = RenameIdSelectors(css, composition.renames[region.region.section]);
  ScopedCss scoped = ScopeCss(renamed, "#" + region.region.id);
  for (const CssNote& note : scoped.notes) {
    composition.Issue(PageIssue::Severity::kNote, region.region.section, path, note.line,
                      "scoped-css", note.message);
  }
  return scoped.css;
}

std::string ConcernCss(std::string_view css) { return InLayer(css, "hfs-concerns"); }

bool HasImportProblems(Composition& composition, const std::string& section,
                       const std::string& path, std::string_view content) {
  std::vector<PageIssue> problems = ImportProblems(composition.contract.format, path, content);
  for (PageIssue& problem : problems) {
    problem.section = section;
    composition.page.issues.push_back(std::move(problem));
  }
  return !problems.empty();
}

void ComposeHtml(Composition& composition) {
  const PageContract& contract = composition.contract;
  auto& files = composition.page.files;
  std::map<std::string, HtmlRegion> regions;
  std::map<std::string, std::vector<std::string>> markup_by_region;
  for (const RegionContract& region : contract.regions) {
    const std::string& section = region.region.section;
    HtmlRegion& parts = regions[section];
    for (const std::string& path : PathsOf(composition.by_section, section, {".html"})) {
      MarkupParts split = SplitMarkup(files[path]);
      AdoptedRoot adopted = AdoptRoot(split.markup, region.region.id);
      parts.markup += adopted.inner;
      if (adopted.adopted) {
        parts.attributes.insert(parts.attributes.end(), adopted.attributes.begin(),
                                adopted.attributes.end());
      }
      parts.styles.insert(parts.styles.end(), split.styles.begin(), split.styles.end());
      for (const InlineScript& script : split.scripts) {
        if (!script.src.empty()) continue;  // a file of the section is inlined below
        parts.scripts.emplace_back(path, script.code);
      }
    }
    markup_by_region[section].push_back(parts.markup);
  }
  PlanIdRenames(composition, markup_by_region);

  std::string head;
  std::string body_end;
  for (const ConcernContract& concern : contract.concerns) {
    for (const std::string& path : PathsOf(composition.by_section, concern.section, {".css"})) {
      files[path] = ConcernCss(files[path]);
      head += fmt::format("  <link rel=\"stylesheet\" href=\"{}\">\n", path);
    }
    for (const std::string& path : PathsOf(composition.by_section, concern.section, {".json"})) {
      body_end += fmt::format("  <script type=\"application/json\" id=\"data-{}\">{}</script>\n",
                              Stem(path), InlineScriptText(files[path]));
    }
  }
  std::string main;
  for (const RegionContract& region : contract.regions) {
    const std::string& section = region.region.section;
    const std::string& id = region.region.id;
    HtmlRegion& parts = regions[section];
    const std::map<std::string, std::string>& renames = composition.renames[section];
    for (const std::string& path : PathsOf(composition.by_section, section, {".css"})) {
      files[path] = RegionCss(composition, region, path, files[path]);
      head += fmt::format("  <link rel=\"stylesheet\" href=\"{}\">\n", path);
    }
    std::string styles;
    for (const std::string& style : parts.styles) styles += style + "\n";
    if (!styles.empty()) {
      head += fmt::format("  <style data-region=\"{}\">\n{}  </style>\n", id,
                          RegionCss(composition, region, section, styles));
    }
    for (const std::string& path : PathsOf(composition.by_section, section, {".js", ".mjs"})) {
      parts.scripts.emplace_back(path, files[path]);
    }
    for (const auto& [path, code] : parts.scripts) {
      if (HasImportProblems(composition, section, path, code)) continue;
      body_end += fmt::format("  <script type=\"module\" data-region=\"{}\">\n{}\n  </script>\n",
                              id, InlineScriptText(RenameIdsInScript(code, renames)));
    }
    std::string markup = RenameIdsInMarkup(parts.markup, renames);
    if (markup.find_first_not_of(" \t\r\n") == std::string::npos) {
      composition.Issue(PageIssue::Severity::kError, section, "", 0, "no-markup",
                        fmt::format("region '{}' has no markup (an .html fragment)", section));
    }
    main += fmt::format(
        "    <section id=\"{}\" data-region=\"{}\"{} data-section=\"{}\">\n{}\n    </section>\n",
        id, id, Attributes(parts.attributes), EscapeHtml(section), markup);
  }
  for (const ConcernContract& concern : contract.concerns) {
    for (const std::string& path :
         PathsOf(composition.by_section, concern.section, {".js", ".mjs"})) {
      if (HasImportProblems(composition, concern.section, path, files[path])) continue;
      body_end += fmt::format("  <script type=\"module\" data-concern=\"{}\">\n{}\n  </script>\n",
                              EscapeHtml(concern.section), InlineScriptText(files[path]));
    }
  }
  files["index.html"] = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n  <meta charset=\"utf-8\">\n"
      "  <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "  <title>{}</title>\n{}</head>\n<body>\n  <main id=\"main\">\n{}  </main>\n{}</body>\n"
      "</html>\n",
      EscapeHtml(contract.language), EscapeHtml(contract.title), head, main, body_end);
  composition.page.composition = "index.html";
}

void CheckTokens(Composition& composition) {
  std::string region_code;
  for (const RegionContract& region : composition.contract.regions) {
    auto paths = composition.by_section.find(region.region.section);
    if (paths == composition.by_section.end()) continue;
    for (const std::string& path : paths->second) region_code += composition.page.files[path];
  }
  for (const ConcernContract& concern : composition.contract.concerns) {
    if (concern.contribution != Contribution::kTokens) continue;
    std::vector<std::string> declared;
    for (const std::string& path : PathsOf(composition.by_section, concern.section, {".css"})) {
      for (std::string& name : DeclaredCustomProperties(composition.page.files[path])) {
        declared.push_back(std::move(name));
      }
    }
    if (declared.empty()) {
      composition.Issue(PageIssue::Severity::kWarning, concern.section, "", 0, "no-tokens",
                        fmt::format("the tokens concern '{}' defines no design token (a CSS "
                                    "custom property)",
                                    concern.section));
      continue;
    }
    const bool used = std::any_of(declared.begin(), declared.end(), [&](const std::string& name) {
      return region_code.find("var(" + name) != std::string::npos;
    });
    if (!used && !composition.contract.regions.empty()) {
      composition.Issue(PageIssue::Severity::kWarning, concern.section, "", 0, "unused-tokens",
                        fmt::format("no region uses the design tokens of '{}' ({})",
                                    concern.section, fmt::join(declared, ", ")));
    }
  }
}

}  // namespace internal

std::vector<std::string> AllowedPackages(std::string_view format) {
  if (format == "react") return {"react", "react-dom"};
  if (format == "vue") return {"vue"};
  if (format == "svelte") return {"svelte"};
  return {};
}

std::vector<PageIssue> ImportProblems(std::string_view format, std::string_view path,
                                      std::string_view content) {
  std::vector<PageIssue> problems;
  const std::vector<std::string> allowed = AllowedPackages(format);
  const bool html = allowed.empty();
  for (const ImportUse& use : ImportsOf(content)) {
    if (!html &&
        (IsLocalImport(use.specifier) ||
         std::find(allowed.begin(), allowed.end(), PackageName(use.specifier)) != allowed.end())) {
      continue;
    }
    std::string message =
        html ? fmt::format(
                   "import of '{}' in {}:{} is not available in the {} toolchain (its "
                   "scripts run as inline ES modules and may import nothing); remove it "
                   "or write the code with plain DOM APIs",
                   use.specifier, path, use.line, format)
             : fmt::format(
                   "import of '{}' in {}:{} is not available in the {} toolchain "
                   "(available: {} and local files); remove it or write the code with "
                   "what is available",
                   use.specifier, path, use.line, format, fmt::join(allowed, ", "));
    problems.push_back({PageIssue::Severity::kError, "", std::string(path), use.line, "import",
                        std::move(message)});
  }
  return problems;
}

bool IsReservedPath(std::string_view format, std::string_view path) {
  if (path == "index.html" || path == "package.json" || path == "build.mjs" ||
      path.rfind("dist/", 0) == 0 || path.rfind("node_modules/", 0) == 0) {
    return true;
  }
  if (format == "react") return path == "App.tsx" || path == "main.tsx";
  if (format == "vue") return path == "App.vue" || path == "main.ts";
  if (format == "svelte") return path == "App.svelte" || path == "main.ts";
  return false;
}

ComposedPage ComposePage(const PageContract& contract, std::map<std::string, std::string> files,
                         const std::map<std::string, std::vector<std::string>>& files_by_section) {
  ComposedPage page;
  page.files = std::move(files);
  for (auto& [path, content] : page.files) {
    if (internal::IsTextCode(path)) content = StripCodeFence(content);
  }
  internal::Composition composition{contract, files_by_section, page, {}};
  if (internal::IsComponentFormat(contract.format)) {
    internal::ComposeComponents(composition);
  } else {
    internal::ComposeHtml(composition);
  }
  internal::CheckTokens(composition);
  return page;
}

}  // namespace hfs::page
