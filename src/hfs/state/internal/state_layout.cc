#include "hfs/state/internal/state_layout.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "hfs/base/text.h"
#include "hfs/state/internal/utf8.h"

namespace hfs::state::internal {
namespace {

constexpr std::string_view kCounterOpen = "<!-- next item id:";
constexpr std::string_view kCounterClose = "-->";
constexpr size_t kMaxNumberDigits = 18;
constexpr size_t kMaxCounterDigits = 19;
constexpr size_t kMaxHeadingHashes = 3;
constexpr size_t kQuoteChars = 60;

// Lower case, runs of spaces and tabs as one space, trimmed.
std::string Collapsed(std::string_view text) {
  std::string out;
  for (char c : AsciiLower(TrimSpaces(text))) {
    bool space = c == ' ' || c == '\t';
    if (space && !out.empty() && out.back() == ' ') continue;
    out += space ? ' ' : c;
  }
  return out;
}

std::optional<uint64_t> ParseDigits(std::string_view digits, size_t max_digits) {
  if (digits.empty() || digits.size() > max_digits) return std::nullopt;
  uint64_t number = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
  if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return number;
}

// Notes the number of every complete `[#w<digits>]` token on the line.
void NoteNumbers(std::string_view line, StateLayout& layout) {
  for (size_t at = line.find("[#w"); at != std::string_view::npos; at = line.find("[#w", at + 1)) {
    size_t start = at + 3;
    size_t end = line.find_first_not_of("0123456789", start);
    if (end == std::string_view::npos || line[end] != ']') continue;
    std::optional<uint64_t> number = ParseDigits(line.substr(start, end - start), kMaxNumberDigits);
    if (!number) continue;
    layout.numbers.push_back(*number);
    layout.highest_number = std::max(layout.highest_number, *number);
  }
}

std::optional<uint64_t> ReadCounter(std::string_view line) {
  std::string_view text = TrimSpaces(line);
  if (!text.starts_with(kCounterOpen) || !text.ends_with(kCounterClose)) return std::nullopt;
  text.remove_prefix(kCounterOpen.size());
  text.remove_suffix(kCounterClose.size());
  text = TrimSpaces(text);
  if (text.empty() || text[0] != 'w') return std::nullopt;
  return ParseDigits(text.substr(1), kMaxCounterDigits);
}

enum class RegionKind { kPreface, kState, kOther };

// The part of the file a line belongs to.
struct Region {
  RegionKind kind = RegionKind::kPreface;
  StateSection section = StateSection::kAvailable;
  bool first = true;
  size_t heading = 0;
};

bool IsItemSection(StateSection section) { return section != StateSection::kAgentRegistry; }

std::string WhereName(const MarkdownLines& lines, const Region& region) {
  if (region.kind == RegionKind::kPreface) return "before the first section";
  return fmt::format("under '{}'", QuoteForMessage(lines.text(region.heading), kQuoteChars));
}

// A line outside the work item sections: a work item there (one with an id or a claim,
// not a plain checklist) is reported, since it is probably under a mistyped heading.
void ScanForeignLine(const MarkdownLines& lines, size_t i, const Region& region,
                     StateLayout& layout) {
  std::string_view text = lines.text(i);
  WorkItemLine read = ReadWorkItemLine(text);
  if (read.kind == WorkItemLine::Kind::kItem && (!read.item.id.empty() || read.item.claimed_by)) {
    std::string name = read.item.id.empty() ? "claimed work item" : "work item " + read.item.id;
    layout.unplaced.push_back(
        {i, fmt::format("{} {} is outside the work item sections and is not read", name,
                        WhereName(lines, region))});
  } else if (read.kind == WorkItemLine::Kind::kUnreadable &&
             (text.find("[#") != std::string_view::npos ||
              text.find("[IP:") != std::string_view::npos)) {
    layout.unplaced.push_back({i, "cannot read this work item: " + read.problem});
  }
}

void ScanRegistryLine(const MarkdownLines& lines, size_t i, const Region& region,
                      StateLayout& layout) {
  RegistryLine row = ReadRegistryLine(lines.text(i));
  if (row.kind == RegistryLine::Kind::kRow) {
    layout.rows.push_back({i, region.first, StateSection::kAgentRegistry, std::move(row.entry)});
  } else if (row.kind == RegistryLine::Kind::kUnreadable) {
    layout.unplaced.push_back({i, "cannot read " + row.problem});
  } else if (row.kind == RegistryLine::Kind::kNone) {
    ScanForeignLine(lines, i, region, layout);
  }
}

void ScanItemLine(const MarkdownLines& lines, size_t i, const Region& region, StateLayout& layout) {
  WorkItemLine read = ReadWorkItemLine(lines.text(i));
  bool cut = i + 1 == lines.size() && lines.lines()[i].ending.empty();
  if (read.kind == WorkItemLine::Kind::kItem && cut &&
      SectionFor(read.item.status()) != region.section) {
    // The file ends inside this line, and the line disagrees with its section: it may be
    // an item cut short (a claim marker lost), so it is not guessed.
    layout.unplaced.push_back(
        {i, fmt::format("the file ends in this work item, which reads as {} under '## {}': it "
                        "may be cut short, so writes wait until the line ends with a line break",
                        WorkStatusName(read.item.status()), StateSectionTitle(region.section))});
    layout.cut_line = i;
  } else if (read.kind == WorkItemLine::Kind::kItem) {
    layout.items.push_back({i, region.section, region.first, std::move(read.item)});
  } else if (read.kind == WorkItemLine::Kind::kUnreadable) {
    layout.unplaced.push_back({i, "cannot read this work item: " + read.problem});
  } else if (std::optional<AgentEntry> row = ParseRegistryRow(lines.text(i))) {
    // A registry row whose heading was deleted: it is still read.
    layout.rows.push_back({i, false, region.section, std::move(*row)});
  }
}

}  // namespace

std::optional<StateSection> StateHeading(std::string_view line, bool* exact) {
  if (exact != nullptr) *exact = true;
  if (IsSectionHeading(line)) {
    std::string name = AsciiLower(TrimSpaces(line.substr(2)));
    for (StateSection section : kAllSections) {
      if (name == AsciiLower(StateSectionTitle(section))) return section;
    }
  }
  // Near misses: up to three spaces, one to three '#', the title in any spacing, a ':'
  // or '.' after it.
  size_t i = 0;
  while (i < line.size() && i < kMaxHeadingHashes && line[i] == ' ') ++i;
  size_t hashes = 0;
  while (i < line.size() && line[i] == '#') {
    ++hashes;
    ++i;
  }
  if (hashes == 0 || hashes > kMaxHeadingHashes) return std::nullopt;
  std::string_view rest = TrimSpaces(line.substr(i));
  if (!rest.empty() && (rest.back() == ':' || rest.back() == '.')) {
    rest = TrimSpaces(rest.substr(0, rest.size() - 1));
  }
  std::string name = Collapsed(rest);
  for (StateSection section : kAllSections) {
    if (name != AsciiLower(StateSectionTitle(section))) continue;
    if (exact != nullptr) *exact = false;
    return section;
  }
  return std::nullopt;
}

bool IsSectionBreak(std::string_view line) {
  return IsSectionHeading(line) || StateHeading(line).has_value();
}

size_t SectionEnd(const MarkdownLines& lines, size_t heading) {
  for (size_t i = heading + 1; i < lines.size(); ++i) {
    if (IsSectionBreak(lines.text(i))) return i;
  }
  return lines.size();
}

std::string RenderCounterLine(uint64_t next) {
  return fmt::format("{} w{} {}", kCounterOpen, next, kCounterClose);
}

StateLayout ScanState(const MarkdownLines& lines) {
  StateLayout layout;
  Region region;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view text = lines.text(i);
    NoteNumbers(text, layout);
    if (!layout.counter_line && TrimSpaces(text).starts_with(kCounterOpen)) {
      layout.counter_line = i;
      layout.counter = ReadCounter(text);
      continue;
    }
    if (IsSectionBreak(text)) {
      bool exact = true;
      std::optional<StateSection> section = StateHeading(text, &exact);
      bool first = false;
      if (section && !layout.Heading(*section)) {
        layout.first_heading[static_cast<size_t>(*section)] = i;
        first = true;
      }
      layout.headings.push_back({i, section, exact, first || !section});
      region = {section ? RegionKind::kState : RegionKind::kOther,
                section.value_or(StateSection::kAvailable), first, i};
      continue;
    }
    if (region.kind != RegionKind::kState) {
      ScanForeignLine(lines, i, region, layout);
    } else if (IsItemSection(region.section)) {
      ScanItemLine(lines, i, region, layout);
    } else {
      ScanRegistryLine(lines, i, region, layout);
    }
  }
  return layout;
}

}  // namespace hfs::state::internal
