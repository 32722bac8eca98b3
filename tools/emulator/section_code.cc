// tools/emulator/section_code.cc
#include "tools/emulator/section_code.h"

#include <fmt/format.h>

#include <algorithm>
#include <regex>
#include <set>

#include "tools/emulator/code_text.h"
#include "tools/emulator/section_files.h"
#include "tools/emulator/seeded.h"

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

namespace {

constexpr size_t kRotatingHabits = 6;  // every habit but kFormatIdiom

std::string FenceLanguage(const std::string& path) {
  const size_t dot = path.find_last_of('.');
  const std::string extension = dot == std::string::npos ? "" : LowerText(path.substr(dot + 1));
  if (extension == "js" || extension == "mjs") return "javascript";
  if (extension == "ts") return "typescript";
  if (extension == "htm") return "html";
  return extension;
}

// What a model says before its code block, sometimes.
std::string Preamble(const CodeAsk& ask, const EmulatedFile& file, uint64_t seed) {
  const std::string name = ask.kind == SectionKind::kRegion ? Sentence(ask.root) : ask.section;
  switch (SeedFor(seed, "preamble", ask.section) % 4) {
    case 0:
      return fmt::format("Here is the {} section:", name);
    case 1:
      return fmt::format("Sure! Below is the complete `{}`.", file.path);
    default:
      return {};
  }
}

}  // namespace

std::string_view HabitName(Habit habit) {
  switch (habit) {
    case Habit::kTopLevelState:
      return "top-level-state";
    case Habit::kGlobalCss:
      return "global-css";
    case Habit::kOwnWrapper:
      return "own-wrapper";
    case Habit::kMarkdownFence:
      return "markdown-fence";
    case Habit::kMissingImport:
      return "missing-import";
    case Habit::kCrossRegion:
      return "cross-region";
    case Habit::kFormatIdiom:
      break;
  }
  return "format-idiom";
}

bool HasHabit(const std::vector<Habit>& habits, Habit habit) {
  return std::find(habits.begin(), habits.end(), habit) != habits.end();
}

std::vector<Habit> HabitsFor(const CodeAsk& ask, uint64_t seed) {
  if (ask.kind == SectionKind::kConcern) {
    if (SeedFor(seed, "concern-fence", ask.section) % 4 == 0) return {Habit::kMarkdownFence};
    return {};
  }
  size_t index = SeedFor(seed, "region-index", ask.section) % kRotatingHabits;
  for (size_t i = 0; i < ask.regions.size(); ++i) {
    if (ask.regions[i].root == ask.root || ask.regions[i].section == ask.section) index = i;
  }
  const uint64_t offset = SeedFor(seed, "habit-offset") % kRotatingHabits;
  std::vector<Habit> habits;
  for (size_t h = 0; h < kRotatingHabits; ++h) {
    const Habit habit = kAllHabits[h];
    // Three consecutive habits (cyclically) starting at offset + 3 * index, so any two
    // neighbouring regions of the outline show all six between them.
    const size_t slot =
        (h + kRotatingHabits - (offset + 3 * index) % kRotatingHabits) % kRotatingHabits;
    const bool extra = SeedFor(seed, HabitName(habit), ask.section) % 5 == 0;
    if (slot < 3 || extra) habits.push_back(habit);
  }
  if (ask.import_repaired) std::erase(habits, Habit::kMissingImport);
  habits.push_back(Habit::kFormatIdiom);
  return habits;
}

std::string ProductOf(const CodeAsk& ask) {
  static const std::string_view kDashes[] = {" \xE2\x80\x94 ", " \xE2\x80\x93 ", " - ", ": "};
  for (std::string_view dash : kDashes) {
    const size_t at = ask.page_title.find(dash);
    if (at != std::string::npos) return CleanText(ask.page_title.substr(at + dash.size()));
  }
  return ask.page_title.empty() ? "Acme" : ask.page_title;
}

std::vector<EmulatedFile> SectionFiles(const CodeAsk& ask, uint64_t seed) {
  const std::vector<Habit> habits = HabitsFor(ask, seed);
  std::vector<EmulatedFile> files =
      ask.kind == SectionKind::kConcern ? ConcernFiles(ask) : RegionFiles(ask, habits, seed);
  if (HasHabit(habits, Habit::kMarkdownFence)) {
    for (size_t i = 0; i < files.size(); ++i) {
      const std::string preamble = i == 0 ? Preamble(ask, files[i], seed) : std::string();
      files[i].content = Fenced(files[i].content, FenceLanguage(files[i].path), preamble);
    }
  }
  return files;
}

}  // namespace hfs::emulator
