// hfs/state/agent_registry.h
//
// AgentEntry: one row of the Agent Registry table of the shared state file
// (docs/state-format.md): the agent, what it works on now and since when.
//
//   | Agent ID | Current Task | Started |
//   |----------|--------------|---------|
//   | agent-1 | w3 Build auth module | 2026-01-01T00:00:00Z |
//
//   RegistryLine line = ReadRegistryLine("| agent-1 | - | - |");   // kRow
//   std::string text = RenderRegistryRow({.agent_id = "agent-1", .current_task = "-"});
//
// A row names a valid agent id (CheckAgentId) and its cells are valid UTF-8; a table line
// that is neither a row, the header nor the separator is kUnreadable with the reason.
// Pure functions and a value type; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "hfs/base/clock.h"

namespace hfs::state {

// The cell text of an empty Current Task or Started.
inline constexpr std::string_view kNone = "-";

struct AgentEntry {
  std::string agent_id;
  // "w3 Build auth module; w7 Footer": the items the agent has in progress, or "-".
  std::string current_task = std::string(kNone);
  // When the agent last claimed an item it still works on (UTC, ISO 8601), or "-".
  std::string started = std::string(kNone);
  bool operator==(const AgentEntry&) const = default;
};

inline constexpr std::string_view kRegistryHeader = "| Agent ID | Current Task | Started |";
inline constexpr std::string_view kRegistrySeparator = "|----------|--------------|---------|";

// How one line reads as part of the registry table. Cells are split on '|' not preceded
// by '\'; "\|" in a cell reads as '|'.
struct RegistryLine {
  enum class Kind { kNone, kHeader, kSeparator, kRow, kUnreadable };
  Kind kind = Kind::kNone;
  // The row of a kRow line.
  AgentEntry entry;
  // Why a kUnreadable line is not a row.
  std::string problem;
};
RegistryLine ReadRegistryLine(std::string_view line);
// The agent row on a table line; nullopt for anything else.
std::optional<AgentEntry> ParseRegistryRow(std::string_view line);
// "| agent-1 | w3 Build auth module | 2026-01-01T00:00:00Z |", '|' in cells escaped.
std::string RenderRegistryRow(const AgentEntry& entry);
// True for any line of a markdown table (it starts with '|').
bool IsTableLine(std::string_view line);

// "2026-01-01T00:00:00Z".
std::string FormatUtc(Timestamp time);
// The time of exactly that form (years 1970-2200), or nullopt.
std::optional<Timestamp> ParseUtc(std::string_view text);

}  // namespace hfs::state
