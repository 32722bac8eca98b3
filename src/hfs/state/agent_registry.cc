#include "hfs/state/agent_registry.h"

#include <fmt/format.h>

#include <ctime>
#include <vector>

#include "hfs/base/text.h"
#include "hfs/state/internal/markdown_lines.h"

namespace hfs::state {
namespace {

using internal::TrimSpaces;

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

}  // namespace

bool IsTableLine(std::string_view line) {
  std::string_view text = TrimSpaces(line);
  return !text.empty() && text.front() == '|';
}

std::optional<AgentEntry> ParseRegistryRow(std::string_view line) {
  if (!IsTableLine(line)) return std::nullopt;
  std::vector<std::string> cells = SplitCells(line);
  if (cells.size() < 3 || cells[0].empty() || IsSeparatorCell(cells[0])) return std::nullopt;
  if (AsciiLower(cells[0]) == "agent id") return std::nullopt;
  return AgentEntry{.agent_id = cells[0], .current_task = cells[1], .started = cells[2]};
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

}  // namespace hfs::state
