#include "hfs/triad/code_prompt.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "hfs/page/markup.h"
#include "hfs/page/page_composer.h"

namespace hfs::triad {
namespace {

constexpr std::string_view kQualityRules = R"(Quality bar (what a senior frontend engineer expects):
- Real content: write the actual text the contract's content line implies (tier names, prices, features, questions and answers). Never lorem ipsum, TODO, "Section X" or placeholder text.
- Semantic HTML: one <h1> on the page (in the first region only; others start at <h2>), lists for lists, <button type="button"> for actions, <a href> for navigation, <table> with <th scope> for tables, <details>/<summary> or buttons with aria-expanded for disclosure.
- Responsive: flex or grid that wraps, max-width containers, no fixed widths over 320px; it must read well at 360px and at 1280px.
- Design tokens: colours, spacing, radii and fonts through var(--token) from the contract; no literal colours when a token exists.
- Accessible: every control and image has an accessible name (alt text, aria-label for icon-only buttons), visible focus, AA contrast, respects prefers-reduced-motion.
- Self-contained: style and script only your own part of the page; reach other parts only through the roots and hooks the contract names, and check for null.
- Offline: no CDN links, web fonts or images from URLs; use inline SVG or CSS.)";

std::string RegionExample(const page::PageContract& contract, const page::RegionContract& region) {
  const std::string& id = region.region.id;
  const std::string name = page::ComponentName(id);
  if (contract.format == "react") {
    return fmt::format(
        R"({{"files": [{{"path": "{0}.tsx", "content": "import {{ useState }} from 'react';\nimport './{1}.css';\n\nexport default function {0}() {{\n  const [open, setOpen] = useState(false);\n  return (\n    <div className=\"{1}\">\n      <h2>...</h2>\n      ...\n    </div>\n  );\n}}\n"}}, {{"path": "{1}.css", "content": ".{1} {{ display: grid; gap: var(--space-4, 1rem); }}\n"}}], "notes": "..."}})"
        "\nThe component is a default export; HFS renders it inside <section id=\"{1}\">, so its "
        "outer element is a <div>, never a <section id> or <main>. Its CSS is scoped to "
        "#{1} by HFS: plain class selectors are safe.",
        name, id);
  }
  if (contract.format == "vue") {
    return fmt::format(
        R"({{"files": [{{"path": "{0}.vue", "content": "<script setup lang=\"ts\">\nimport {{ ref }} from 'vue';\nconst open = ref(false);\n</script>\n\n<template>\n  <div class=\"{1}\">\n    <h2>...</h2>\n  </div>\n</template>\n\n<style>\n.{1} {{ display: grid; }}\n</style>\n"}}], "notes": "..."}})"
        "\nHFS renders it inside <section id=\"{1}\">; its <style> is scoped to #{1}.",
        name, id);
  }
  if (contract.format == "svelte") {
    return fmt::format(
        R"({{"files": [{{"path": "{0}.svelte", "content": "<script lang=\"ts\">\n  let open = $state(false);\n</script>\n\n<div class=\"{1}\">\n  <h2>...</h2>\n  <button type=\"button\" onclick={{() => (open = !open)}}>...</button>\n</div>\n\n<style>\n  .{1} {{ display: grid; }}\n</style>\n"}}], "notes": "..."}})"
        "\nSvelte 5 syntax (runes, onclick=). HFS renders it inside <section id=\"{1}\">.",
        name, id);
  }
  return fmt::format(
      R"({{"files": [{{"path": "{0}.html", "content": "<h2>...</h2>\n<div class=\"tiers\">...</div>\n<style>\n  .tiers {{ display: grid; gap: var(--space-4, 1rem); }}\n</style>\n<script>\n  const root = document.getElementById('{0}');\n  root.querySelector('button')?.addEventListener('click', () => {{ /* ... */ }});\n</script>\n"}}], "notes": "..."}})"
      "\nA fragment: no <html>, <head>, <body>, <main> or outer <section id=\"{0}\"> (HFS wraps it "
      "in that element). Its CSS is scoped to #{0} by HFS, and each script runs as its own ES "
      "module (top-level const/let are private; no imports).",
      id);
}

std::string ConcernExample(const page::PageContract& contract, std::string_view section) {
  const std::vector<std::string> names = page::SectionFileNames(contract, section);
  const std::string& path = names.front();
  switch (contract.RoleOf(section).contribution) {
    case page::Contribution::kTokens:
      return fmt::format(
          R"({{"files": [{{"path": "{}", "content": ":root {{\n  --color-accent: #4f46e5;\n  --color-text: #1f2937;\n  --space-4: 1rem;\n}}\nbody {{ color: var(--color-text); }}\n"}}], "notes": "..."}})"
          "\nDefine the design tokens of your concern as CSS custom properties on :root, named "
          "--<group>-<name>, plus a few base element styles. Every region writer is given your "
          "tokens and uses them.",
          path);
    case page::Contribution::kData:
      return fmt::format(
          R"({{"files": [{{"path": "{}", "content": "{{\"tiers\": [{{\"name\": \"Starter\", \"price\": 9}}]}}"}}], "notes": "..."}})"
          "\nOne JSON object with the data the regions show; its keys are given to every region "
          "writer.",
          path);
    case page::Contribution::kBehaviour:
      return fmt::format(
          R"({{"files": [{{"path": "{}", "content": "for (const region of document.querySelectorAll('[data-region]')) {{\n  region.querySelector('button')?.addEventListener('click', () => {{ /* ... */ }});\n}}\n"}}], "notes": "..."}})"
          "\nAn ES module with no imports that runs once every region is on the page: attach to "
          "the regions through their root ids, [data-region] and roles; check every element "
          "for null; keep state in module scope, not on window.",
          path);
    case page::Contribution::kRequirements:
    case page::Contribution::kStyles:
      break;
  }
  return fmt::format(
      R"({{"files": [{{"path": "{}", "content": ":focus-visible {{ outline: 2px solid var(--color-accent, #4f46e5); }}\n"}}], "notes": "..."}})"
      "\nGlobal base styles for your concern (element selectors, utility classes your proposal "
      "names). They sit in a low-priority layer under the regions' own styles. Your agreed "
      "proposal is also given to every region writer as requirements.",
      path);
}

}  // namespace

std::string CodeSystemPrompt(const page::PageContract& contract, std::string_view section,
                             std::string_view triad) {
  const page::RegionContract* region = contract.FindRegion(section);
  std::string example =
      region != nullptr ? RegionExample(contract, *region) : ConcernExample(contract, section);
  return fmt::format(
      "You are the code writer of triad '{}' in HFS: several teams build one web page "
      "together, each writing the parts of an agreed, frozen spec it owns. You write one "
      "{}.\n\nReply with one JSON object and nothing else, shaped like this example:\n{}\n\n{}",
      triad, region != nullptr ? "region of the page" : "cross-cutting concern of the page",
      example, kQualityRules);
}

std::string CodeUserPrompt(const page::PageContract& contract, std::string_view section,
                           std::string_view proposal, std::string_view request,
                           std::string_view instructions) {
  const page::RegionContract* region = contract.FindRegion(section);
  std::string header = fmt::format("Section: {}\n", section);
  if (region != nullptr) {
    header += fmt::format("Kind: region\nRoot id: {}\n", region->region.id);
  } else {
    header += fmt::format("Kind: concern\nContribution: {}\n",
                          page::ContributionName(contract.RoleOf(section).contribution));
  }
  header += fmt::format("Output format: {}\nFiles: {}\n\n", contract.format,
                        fmt::join(page::SectionFileNames(contract, section), ", "));
  std::string text =
      header + fmt::format("User request:\n{}\n\nYour section's agreed proposal:\n{}\n\n", request,
                           proposal.empty() ? "(none)" : proposal);
  text += page::ContractText(contract, section);
  if (!instructions.empty())
    text += fmt::format("\nInstructions from your team:\n{}\n", instructions);
  return text;
}

std::vector<std::string> ContractProblems(const page::PageContract& contract,
                                          std::string_view section,
                                          const std::vector<StagedFile>& files) {
  std::vector<std::string> problems;
  const bool region = contract.FindRegion(section) != nullptr;
  const std::vector<std::string> names = page::SectionFileNames(contract, section);
  const std::string_view markup = page::FileExtension(names.front());
  bool has_markup = false;
  for (const StagedFile& file : files) {
    std::string_view extension = page::FileExtension(file.path);
    const std::string content = page::StripCodeFence(file.content);
    if (page::IsReservedPath(contract.format, file.path)) {
      problems.push_back(fmt::format("'{}' is written by HFS itself; write {} instead", file.path,
                                     fmt::join(names, ", ")));
    }
    if (!region && (extension == ".html" || extension == ".tsx" || extension == ".jsx" ||
                    extension == ".vue" || extension == ".svelte")) {
      problems.push_back(fmt::format(
          "'{}': a concern is never rendered, so it writes no markup or component; write {}",
          file.path, fmt::join(names, ", ")));
    }
    if (region && extension == markup) has_markup = true;
    if (region && contract.format == "react" && extension == ".tsx" &&
        content.find("export default") == std::string::npos &&
        content.find(" as default") == std::string::npos) {
      problems.push_back(
          fmt::format("'{}' has no default export; write `export default function "
                      "{}()`",
                      file.path, page::ComponentName(contract.FindRegion(section)->region.id)));
    }
    for (const page::PageIssue& issue : page::ImportProblems(contract.format, file.path, content)) {
      problems.push_back(issue.message);
    }
  }
  if (region && !has_markup) {
    problems.push_back(fmt::format("the region needs its {} file ({})", markup, names.front()));
  }
  return problems;
}

}  // namespace hfs::triad
