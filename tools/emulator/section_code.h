// tools/emulator/section_code.h
//
// What the emulated model knows about page sections and the code it writes for them.
//
// HFS's code call starts its user message with a header of `Key: value` lines (Section,
// Kind, Root id, Contribution, Output format, Files) and carries a `Page contract:` block
// (regions in page order, design tokens). ParseCodeAsk reads them; SectionFiles writes
// the files a real model would: a region per output format (html/vanilla fragment, React
// TSX + CSS, Vue SFC, Svelte component) with real content for its id (pricing tiers, FAQ,
// comparison table, hero, footer, cards), styled with the contract's tokens, and mixed
// with real-model habits (HabitsFor) chosen deterministically per (seed, section); a
// concern writes tokens/styles/data/behaviour/requirements files. Tests elsewhere (HFS's
// page composer) build corpora from SectionFiles.
//
//   std::optional<CodeAsk> ask = ParseCodeAsk(user_message);   // nullopt: no header
//   std::vector<EmulatedFile> files = SectionFiles(*ask, /*seed=*/42);
//   // files[0].path == "Pricing.tsx", files[1].path == "pricing.css", ...
//
// Without the header the older heuristics still work: FindSectionNames finds section
// names in the conversation ("section: hero", `section_id: "pricing"`, "sections: hero,
// features", "## Section hero") and SectionCode writes an isolated HTML fragment or TSX
// component for one of them.
//
// Thread-safe free functions (pure); never throw.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hfs::emulator {

enum class CodeFlavour { kHtml, kReact };

// Lowercase section ids in order of first appearance, without duplicates.
std::vector<std::string> FindSectionNames(const std::vector<std::string>& texts);

// A self-contained fragment for `section` (an id such as "hero" or "pricing-table").
std::string SectionCode(std::string_view section, CodeFlavour flavour);

enum class OutputFormat { kHtml, kVanilla, kReact, kVue, kSvelte };
enum class SectionKind { kRegion, kConcern };
enum class Contribution { kNone, kTokens, kStyles, kData, kBehaviour, kRequirements };

// "html", "vanilla", "react", "vue", "svelte".
std::string_view OutputFormatName(OutputFormat format);
// The format a value names ("React (TSX)" -> kReact); kHtml when it names none.
OutputFormat ParseOutputFormat(std::string_view value);
// "", "tokens", "styles", "data", "behaviour", "requirements".
std::string_view ContributionName(Contribution contribution);

// One line of the contract's "Regions (in page order):" list:
// `- page/hero -> #hero: Hero — purpose; content: ...`.
struct ContractRegion {
  std::string section;  // "page/hero"
  std::string root;     // "hero"
  std::string title;    // "Hero"
  std::string purpose;
  std::string content;
};

struct DesignToken {
  std::string name;   // "--color-accent"
  std::string value;  // "#2563eb"
};

// What a code call asks for, read from its header and page contract.
struct CodeAsk {
  std::string section;  // "page/pricing"
  SectionKind kind = SectionKind::kRegion;
  std::string root;  // regions: the id of the element HFS wraps the region in
  Contribution contribution = Contribution::kNone;  // concerns
  OutputFormat format = OutputFormat::kHtml;
  std::vector<std::string> files;  // as listed in "Files:"; empty: the format's defaults
  std::string page_title;          // "Title:" / "Page title:" line, if any
  std::vector<ContractRegion> regions;
  std::vector<DesignToken> tokens;
  std::string content;  // the section's own content line
  // The conversation already asked to drop an import the toolchain lacks (HFS's
  // "... is not available in the ..." repair message after an assistant reply).
  bool import_repaired = false;
  // The conversation holds HFS's build-repair instructions ("... failed HFS's build ...").
  bool build_repaired = false;
};

// Reads the header and contract from a code call's user message. nullopt when the message
// has no `Section:` header line (an older caller). Missing keys get defaults: the kind is
// a concern when a Contribution is given, the root is the last segment of the section
// name, the format html.
std::optional<CodeAsk> ParseCodeAsk(std::string_view message);

struct EmulatedFile {
  std::string path;
  std::string content;
};

// Habits of real models mixed into region code (docs/emulator.md cites a source for each).
enum class Habit {
  kTopLevelState,  // top-level `const state` / `let count` in scripts
  kGlobalCss,      // body/:root/h2/.card rules in a region's CSS, .card styled per region
  kOwnWrapper,     // the region wraps itself in <section id="<root>"> (or <div class>)
  kMarkdownFence,  // file content inside ```lang ... ```, sometimes after a sentence
  kMissingImport,  // imports a package the toolchain lacks (until the repair message)
  kCrossRegion,    // reaches into another region's root; ids other regions use too
  kFormatIdiom,    // useState / ref() / Svelte let + onclick (always)
};
inline constexpr Habit kAllHabits[] = {
    Habit::kTopLevelState, Habit::kGlobalCss,   Habit::kOwnWrapper, Habit::kMarkdownFence,
    Habit::kMissingImport, Habit::kCrossRegion, Habit::kFormatIdiom};

// "top-level-state", "global-css", "own-wrapper", "markdown-fence", "missing-import",
// "cross-region", "format-idiom".
std::string_view HabitName(Habit habit);

// The habits of `ask`'s code under `seed`. A region at index i of the contract's outline
// gets three of the first six habits, rotating by three per region from a seeded offset
// (so any two neighbouring regions show all six), plus seeded extras, plus kFormatIdiom.
// kMissingImport is dropped once `ask.import_repaired`. A concern only ever fences.
std::vector<Habit> HabitsFor(const CodeAsk& ask, uint64_t seed);

// The files a real model writes for `ask` under `seed` (deterministic). Regions:
// html/vanilla `<root>.html` (fragment with <style> and <script>), react `<Root>.tsx` +
// `<root>.css`, vue `<Root>.vue`, svelte `<Root>.svelte` (names from `ask.files` when
// given). Concerns: `<slug>.css` / `<slug>.js` / `<slug>.json` by contribution, slug =
// section name with '/' as '-'. Never empty.
std::vector<EmulatedFile> SectionFiles(const CodeAsk& ask, uint64_t seed);

}  // namespace hfs::emulator
