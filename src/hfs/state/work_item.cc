#include "hfs/state/work_item.h"

#include <fmt/format.h>

#include <charconv>

#include "hfs/state/internal/markdown_lines.h"

namespace hfs::state {
namespace {

using internal::TrimSpaces;

constexpr size_t kMaxDescriptionChars = 500;
constexpr size_t kMaxIdChars = 32;
constexpr size_t kMaxAgentIdChars = 64;
constexpr std::string_view kMarkerOpen = "[IP:";

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool IsIdToken(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdChars) return false;
  for (char c : id) {
    if (!IsAlnum(c) && c != '_' && c != '-') return false;
  }
  return true;
}

size_t CountChars(std::string_view text) {
  size_t chars = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++chars;
  }
  return chars;
}

// Takes a leading "[#id]" token off `rest` into `item.id`.
void TakeIdToken(std::string_view& rest, WorkItem& item) {
  if (rest.substr(0, 2) != "[#") return;
  size_t close = rest.find(']');
  if (close == std::string_view::npos || !IsIdToken(rest.substr(2, close - 2))) return;
  item.id = std::string(rest.substr(2, close - 2));
  rest = TrimSpaces(rest.substr(close + 1));
}

// Takes a trailing "[IP:agent]" marker off `rest` into `item.claimed_by`.
void TakeMarker(std::string_view& rest, WorkItem& item) {
  if (rest.empty() || rest.back() != ']') return;
  size_t open = rest.rfind(kMarkerOpen);
  if (open == std::string_view::npos) return;
  std::string_view agent = rest.substr(open + kMarkerOpen.size());
  agent.remove_suffix(1);
  if (agent.find(']') != std::string_view::npos || TrimSpaces(agent).empty()) return;
  item.claimed_by = std::string(TrimSpaces(agent));
  rest = TrimSpaces(rest.substr(0, open));
}

}  // namespace

std::string_view WorkStatusName(WorkStatus status) {
  switch (status) {
    case WorkStatus::kAvailable:
      return "available";
    case WorkStatus::kInProgress:
      return "in_progress";
    case WorkStatus::kCompleted:
      return "completed";
  }
  return "available";
}

std::optional<WorkStatus> ParseWorkStatus(std::string_view name) {
  for (WorkStatus status :
       {WorkStatus::kAvailable, WorkStatus::kInProgress, WorkStatus::kCompleted}) {
    if (WorkStatusName(status) == name) return status;
  }
  return std::nullopt;
}

WorkStatus WorkItem::status() const {
  if (checked) return WorkStatus::kCompleted;
  return claimed_by ? WorkStatus::kInProgress : WorkStatus::kAvailable;
}

std::optional<WorkItem> ParseWorkItemLine(std::string_view line) {
  size_t i = line.find_first_not_of(" \t");
  if (i == std::string_view::npos || line[i] != '-') return std::nullopt;
  i = line.find_first_not_of(" \t", i + 1);
  if (i == std::string_view::npos || i + 3 > line.size()) return std::nullopt;
  char box = line[i + 1];
  if (line[i] != '[' || line[i + 2] != ']' || (box != ' ' && box != 'x' && box != 'X')) {
    return std::nullopt;
  }
  WorkItem item;
  item.checked = box != ' ';
  std::string_view rest = TrimSpaces(line.substr(i + 3));
  TakeIdToken(rest, item);
  TakeMarker(rest, item);
  if (rest.empty()) return std::nullopt;
  item.description = std::string(rest);
  return item;
}

std::string RenderWorkItemLine(const WorkItem& item) {
  std::string line = item.checked ? "- [x] " : "- [ ] ";
  if (!item.id.empty()) line += "[#" + item.id + "] ";
  line += item.description;
  if (item.claimed_by) line += " [IP:" + *item.claimed_by + "]";
  return line;
}

std::string WorkItemId(int number) { return fmt::format("w{}", number); }

std::optional<int> WorkItemNumber(std::string_view id) {
  if (id.size() < 2 || id[0] != 'w') return std::nullopt;
  int number = 0;
  auto [end, error] = std::from_chars(id.data() + 1, id.data() + id.size(), number);
  if (error != std::errc() || end != id.data() + id.size() || number < 0) return std::nullopt;
  return number;
}

Result<std::string> CheckDescription(std::string_view description) {
  std::string_view text = TrimSpaces(description);
  if (text.empty()) return Fail(ErrorCode::kInvalidArgument, "description: must not be blank");
  if (text.find_first_of("\r\n") != std::string_view::npos) {
    return Fail(ErrorCode::kInvalidArgument, "description: must be one line");
  }
  if (CountChars(text) > kMaxDescriptionChars) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("description: must be at most {} characters", kMaxDescriptionChars));
  }
  if (text.find(kMarkerOpen) != std::string_view::npos || text.substr(0, 2) == "[#") {
    return Fail(ErrorCode::kInvalidArgument,
                "description: may not contain '[IP:' or start with '[#' (reserved markers)");
  }
  return std::string(text);
}

Result<void> CheckAgentId(std::string_view agent_id) {
  bool valid = !agent_id.empty() && agent_id.size() <= kMaxAgentIdChars && IsAlnum(agent_id[0]);
  for (char c : agent_id) valid = valid && (IsAlnum(c) || c == '_' || c == '-' || c == '.');
  if (valid) return Ok();
  return Fail(ErrorCode::kInvalidArgument,
              fmt::format("agent id '{}': must be 1-{} letters, digits, '_', '-' or '.', starting "
                          "with a letter or digit",
                          agent_id, kMaxAgentIdChars));
}

}  // namespace hfs::state
