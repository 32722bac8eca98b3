// tools/emulator/section_code.cc
#include "tools/emulator/section_code.h"

#include <fmt/format.h>

#include <algorithm>
#include <regex>
#include <set>

namespace hfs::emulator {
namespace {

const std::set<std::string> kStopWords = {"id",   "ids",  "name", "the", "a",    "an",  "is",
                                          "of",   "for",  "and",  "or",  "with", "to",  "in",
                                          "each", "this", "that", "you", "your", "code"};

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

void Add(std::string name, std::vector<std::string>& names, std::set<std::string>& seen) {
  name = Lower(std::move(name));
  while (!name.empty() && (name.back() == '-' || name.back() == '_')) name.pop_back();
  if (name.size() < 2 || kStopWords.contains(name) || !seen.insert(name).second) return;
  names.push_back(std::move(name));
}

// "hero" -> "Hero", "pricing-table" -> "Pricing Table" (or "PricingTable" when compact).
std::string Title(std::string_view section, bool compact) {
  std::string title;
  bool upper = true;
  for (char c : section) {
    if (c == '-' || c == '_' || c == ' ' || c == '/') {
      if (!compact) title += ' ';
      upper = true;
      continue;
    }
    title += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return title.empty() ? "Section" : title;
}

}  // namespace

std::vector<std::string> FindSectionNames(const std::vector<std::string>& texts) {
  static const std::regex kQuoted(
      R"re(section[ _-]?(?:id|name)?["']?\s*[:=]?\s*["'`]([A-Za-z][A-Za-z0-9_/-]*)["'`])re",
      std::regex::icase);
  static const std::regex kHeading(R"re(#+\s*section:?\s+([A-Za-z][A-Za-z0-9_/-]*))re",
                                   std::regex::icase);
  static const std::regex kList(R"re(\bsections?(?:[ _]ids?)?\s*:\s*([A-Za-z0-9_/, -]+))re",
                                std::regex::icase);
  static const std::regex kWord(R"re([A-Za-z][A-Za-z0-9_/-]*)re");
  std::vector<std::string> names;
  std::set<std::string> seen;
  for (const std::string& text : texts) {
    for (const std::regex* pattern : {&kQuoted, &kHeading}) {
      for (auto it = std::sregex_iterator(text.begin(), text.end(), *pattern);
           it != std::sregex_iterator(); ++it) {
        Add((*it)[1].str(), names, seen);
      }
    }
    for (auto it = std::sregex_iterator(text.begin(), text.end(), kList);
         it != std::sregex_iterator(); ++it) {
      const std::string list = (*it)[1].str();
      for (auto word = std::sregex_iterator(list.begin(), list.end(), kWord);
           word != std::sregex_iterator(); ++word) {
        Add(word->str(), names, seen);
      }
    }
  }
  return names;
}

std::string SectionCode(std::string_view name, CodeFlavour flavour) {
  const std::string title = Title(name, /*compact=*/false);
  // An id and class name: "layout/grid" becomes "layout-grid".
  std::string section(name);
  std::replace(section.begin(), section.end(), '/', '-');
  if (flavour == CodeFlavour::kReact) {
    return fmt::format(
        R"(import React, {{ useState }} from "react";

export default function {0}Section(): JSX.Element {{
  const [open, setOpen] = useState<boolean>(false);
  return (
    <section id="{1}" className="section section-{1}" style={{{{ padding: "2rem", maxWidth: 960, margin: "0 auto" }}}}>
      <h2>{2}</h2>
      <p>The {2} section of the page.</p>
      <button type="button" onClick={{() => setOpen(!open)}} aria-expanded={{open}}>
        {{open ? "Show less" : "Show more"}}
      </button>
      {{open && <p className="section-details">More about {2}.</p>}}
    </section>
  );
}}
)",
        Title(name, /*compact=*/true), section, title);
  }
  return fmt::format(
      R"(<section id="{0}" class="section section-{0}">
  <h2>{1}</h2>
  <p>The {1} section of the page.</p>
  <button type="button" class="section-toggle" aria-expanded="false">Show more</button>
  <p class="section-details" hidden>More about {1}.</p>
</section>
<style>
  #{0} {{ padding: 2rem; max-width: 960px; margin: 0 auto; font-family: system-ui, sans-serif; }}
  #{0} h2 {{ font-size: 1.75rem; margin: 0 0 1rem; }}
  #{0} .section-toggle {{ padding: 0.5rem 1rem; border-radius: 4px; cursor: pointer; }}
</style>
<script>
  (function () {{
    var root = document.getElementById("{0}");
    var button = root.querySelector(".section-toggle");
    var details = root.querySelector(".section-details");
    button.addEventListener("click", function () {{
      var open = details.hidden;
      details.hidden = !open;
      button.setAttribute("aria-expanded", String(open));
      button.textContent = open ? "Show less" : "Show more";
    }});
  }})();
</script>
)",
      section, title);
}

}  // namespace hfs::emulator
