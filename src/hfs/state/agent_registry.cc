#include "hfs/state/agent_registry.h"

#include <fmt/format.h>

#include <ctime>
#include <vector>

#include "hfs/base/text.h"
#include "hfs/state/internal/markdown_lines.h"
#include "hfs/state/internal/utf8.h"
#include "hfs/state/work_item.h"

namespace hfs::state {
namespace {

using internal::TrimSpaces;

constexpr size_t kRegistryCells = 3;
constexpr int kLastYear = 2200;

std::vector<std::string> SplitCells(std::string_view line) {
  std::string_view body = TrimSpaces(line);
  if (!body.empty() && body.front() == '|') body.remove_prefix(1);
  if (!body.empty() && body.back() == '|' && (body.size() < 2 || body[body.size() - 2] != '\\')) {
    body.remove_suffix(1);
  }
  std::vector<std::string> cells;
  std::string cell;
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\\' && i + 1 < body.size() && body[i + 1] == '|') {
      cell += '|';
      ++i;
    } else if (body[i] == '|') {
      cells.emplace_back(TrimSpaces(cell));
      cell.clear();
    } else {
      cell += body[i];
    }
  }
  cells.emplace_back(TrimSpaces(cell));
  return cells;
}

bool IsSeparatorCell(std::string_view cell) {
  return !cell.empty() && cell.find_first_not_of("-: ") == std::string_view::npos;
}

std::string Escape(std::string_view cell) {
  std::string escaped;
  for (char c : cell) {
    if (c == '|') escaped += '\\';
    escaped += c;
  }
  return escaped.empty() ? std::string(kNone) : escaped;
}

RegistryLine Unreadable(std::string problem) {
  return {.kind = RegistryLine::Kind::kUnreadable, .problem = std::move(problem)};
}

// Parses exactly `digits` decimal digits at `text[at]`.
std::optional<int> Digits(std::string_view text, size_t at, size_t digits) {
  if (at + digits > text.size()) return std::nullopt;
  int value = 0;
  for (size_t i = at; i < at + digits; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

bool IsTableLine(std::string_view line) {
  std::string_view text = TrimSpaces(line);
  return !text.empty() && text.front() == '|';
}

RegistryLine ReadRegistryLine(std::string_view line) {
  if (!IsTableLine(line)) return {};
  std::vector<std::string> cells = SplitCells(line);
  if (IsSeparatorCell(cells[0])) return {.kind = RegistryLine::Kind::kSeparator};
  if (AsciiLower(cells[0]) == "agent id") return {.kind = RegistryLine::Kind::kHeader};
  for (const std::string& cell : cells) {
    if (internal::FindInvalidUtf8(cell) || internal::FindControlChar(cell)) {
      return Unreadable("a registry row that is not valid UTF-8 text");
    }
  }
  if (!CheckAgentId(cells[0])) {
    return Unreadable(fmt::format("a registry row whose first cell '{}' is not an agent id",
                                  internal::QuoteForMessage(cells[0], 40)));
  }
  if (cells.size() < kRegistryCells) {
    return Unreadable(
        fmt::format("the registry row of {} has fewer than {} cells", cells[0], kRegistryCells));
  }
  return {.kind = RegistryLine::Kind::kRow,
          .entry = {.agent_id = cells[0], .current_task = cells[1], .started = cells[2]}};
}

std::optional<AgentEntry> ParseRegistryRow(std::string_view line) {
  RegistryLine read = ReadRegistryLine(line);
  if (read.kind != RegistryLine::Kind::kRow) return std::nullopt;
  return std::move(read.entry);
}

std::string RenderRegistryRow(const AgentEntry& entry) {
  return fmt::format("| {} | {} | {} |", Escape(entry.agent_id), Escape(entry.current_task),
                     Escape(entry.started));
}

std::string FormatUtc(Timestamp time) {
  std::time_t seconds =
      std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", utc.tm_year + 1900, utc.tm_mon + 1,
                     utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
}

std::optional<Timestamp> ParseUtc(std::string_view text) {
  // 2026-01-01T00:00:00Z
  if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text[19] != 'Z') {
    return std::nullopt;
  }
  std::optional<int> year = Digits(text, 0, 4), month = Digits(text, 5, 2),
                     day = Digits(text, 8, 2), hour = Digits(text, 11, 2),
                     minute = Digits(text, 14, 2), second = Digits(text, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  // Timestamp counts nanoseconds in 64 bits: it ends in 2262.
  if (*year < 1970 || *year > kLastYear) return std::nullopt;
  std::tm utc{};
  utc.tm_year = *year - 1900;
  utc.tm_mon = *month - 1;
  utc.tm_mday = *day;
  utc.tm_hour = *hour;
  utc.tm_min = *minute;
  utc.tm_sec = *second;
  std::time_t seconds = timegm(&utc);
  Timestamp time{std::chrono::seconds(seconds)};
  // timegm accepts 2026-02-30 as March 2nd: only a time that prints the same is valid.
  if (FormatUtc(time) != text) return std::nullopt;
  return time;
}

}  // namespace hfs::state
