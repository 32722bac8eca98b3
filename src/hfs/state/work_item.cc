#include "hfs/state/work_item.h"

#include <fmt/format.h>

#include <charconv>

#include "hfs/state/internal/markdown_lines.h"
#include "hfs/state/internal/utf8.h"

namespace hfs::state {
namespace {

using internal::QuoteForMessage;
using internal::TrimSpaces;

constexpr size_t kMaxDescriptionChars = 500;
constexpr size_t kMaxIdChars = 32;
constexpr size_t kMaxAgentIdChars = 64;
constexpr size_t kMaxNumberDigits = 18;
constexpr size_t kQuoteChars = 40;
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

enum class Fault { kBlank, kMultiLine, kInvalidUtf8, kControl, kTooLong, kReserved, kCutMarker };

// True when `text` ends with the start of a claim marker ("[", "[I", "[IP"): what is left
// of a line cut short inside its marker.
bool EndsLikeACutMarker(std::string_view text) {
  for (std::string_view start : {"[", "[I", "[IP"}) {
    if (!text.ends_with(start)) continue;
    size_t at = text.size() - start.size();
    if (at == 0 || text[at - 1] == ' ' || text[at - 1] == '\t') return true;
  }
  return false;
}

struct DescriptionFault {
  Fault fault;
  size_t byte = 0;  // of kInvalidUtf8
};

// What is wrong with a trimmed description, or nullopt; one pass over the bytes.
std::optional<DescriptionFault> FindFault(std::string_view text) {
  if (text.empty()) return DescriptionFault{Fault::kBlank};
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++chars) {
    auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '\r' || byte == '\n') return DescriptionFault{Fault::kMultiLine};
    if (byte != '\t' && (byte < 0x20 || byte == 0x7F)) return DescriptionFault{Fault::kControl};
    size_t length = byte < 0x80 ? 1 : internal::SequenceLength(text, i);
    if (length == 0) return DescriptionFault{Fault::kInvalidUtf8, i};
    i += length;
  }
  if (chars > kMaxDescriptionChars) return DescriptionFault{Fault::kTooLong};
  if (text.find(kMarkerOpen) != std::string_view::npos || text.substr(0, 2) == "[#") {
    return DescriptionFault{Fault::kReserved};
  }
  if (EndsLikeACutMarker(text)) return DescriptionFault{Fault::kCutMarker};
  return std::nullopt;
}

// How the parser words a description fault: "its description <...>".
std::string LineWording(const DescriptionFault& fault) {
  switch (fault.fault) {
    case Fault::kBlank:
      return "it has no description";
    case Fault::kMultiLine:
    case Fault::kControl:
      return "its description contains a control character";
    case Fault::kInvalidUtf8:
      return fmt::format("its description is not valid UTF-8 (byte {} of the description)",
                         fault.byte);
    case Fault::kTooLong:
      return fmt::format("its description is longer than {} characters", kMaxDescriptionChars);
    case Fault::kReserved:
      return "its description contains '[IP:' or starts with '[#'";
    case Fault::kCutMarker:
      return "it ends like a claim marker cut short";
  }
  return "its description cannot be read";
}

WorkItemLine Unreadable(std::string problem) {
  return {.kind = WorkItemLine::Kind::kUnreadable, .problem = std::move(problem)};
}

// True when the text after a list bullet starts like a checkbox: "[ ", "[x", "[]", "[#",
// any one character in brackets ("[y]"), or a '[' that ends the line (a line cut short).
bool StartsLikeCheckbox(std::string_view rest) {
  if (rest.empty() || rest[0] != '[') return false;
  if (rest.size() == 1 || (rest.size() >= 3 && rest[2] == ']')) return true;
  char next = rest[1];
  return next == ' ' || next == 'x' || next == 'X' || next == ']' || next == '#';
}

// Reads the claim marker at the end of `rest` into `item` and takes it off `rest`;
// nullopt when there is none, else the problem or "".
std::optional<std::string> TakeMarker(std::string_view& rest, WorkItem& item) {
  size_t open = rest.find(kMarkerOpen);
  if (open == std::string_view::npos) return std::nullopt;
  if (rest.find(kMarkerOpen, open + 1) != std::string_view::npos) {
    return std::string("it has more than one claim marker [IP:...]");
  }
  std::string_view marker = rest.substr(open);
  std::string_view inside = marker.substr(kMarkerOpen.size());
  size_t close = inside.find(']');
  if (close == std::string_view::npos || close + 1 != inside.size()) {
    return fmt::format("its claim marker '{}' is cut off or does not end the line",
                       QuoteForMessage(marker, kQuoteChars));
  }
  Result<ClaimMarker> parsed = ParseClaimMarker(inside.substr(0, close));
  if (!parsed) return "cannot read its claim marker: " + parsed.error().message;
  item.claimed_by = std::move(parsed->agent_id);
  item.lease = std::move(parsed->lease);
  rest = TrimSpaces(rest.substr(0, open));
  return std::string();
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

WorkItemLine ReadWorkItemLine(std::string_view line) {
  size_t bullet = line.find_first_not_of(" \t");
  if (bullet == std::string_view::npos) return {};
  char mark = line[bullet];
  if (mark != '-' && mark != '*' && mark != '+') return {};
  size_t open = line.find_first_not_of(" \t", bullet + 1);
  if (open == std::string_view::npos || !StartsLikeCheckbox(line.substr(open))) return {};
  // From here on the line starts like a work item: what cannot be read is reported.
  if (mark != '-') {
    return Unreadable(fmt::format("a work item line starts with '- ', not '{} '", mark));
  }
  char box = open + 1 < line.size() ? line[open + 1] : '\0';
  if (open + 3 > line.size() || line[open + 2] != ']' || (box != ' ' && box != 'x' && box != 'X')) {
    return Unreadable("it has no checkbox '[ ]' or '[x]'");
  }
  WorkItem item;
  item.checked = box != ' ';
  std::string_view rest = TrimSpaces(line.substr(open + 3));
  // "[" alone is an id token cut short.
  if (rest.substr(0, 2) == "[#" || rest == "[") {
    size_t close = rest.find(']');
    std::string_view id = close == std::string_view::npos ? rest : rest.substr(2, close - 2);
    if (close == std::string_view::npos || !IsIdToken(id)) {
      std::string_view token = close == std::string_view::npos ? rest : rest.substr(0, close + 1);
      return Unreadable(
          fmt::format("cannot read its id token '{}' (ids are 1-{} letters, digits, "
                      "'_' or '-')",
                      QuoteForMessage(token, kQuoteChars), kMaxIdChars));
    }
    item.id = std::string(id);
    rest = TrimSpaces(rest.substr(close + 1));
  }
  if (std::optional<std::string> problem = TakeMarker(rest, item); problem && !problem->empty()) {
    return Unreadable(std::move(*problem));
  }
  if (std::optional<DescriptionFault> fault = FindFault(rest)) {
    return Unreadable(LineWording(*fault));
  }
  item.description = std::string(rest);
  return {.kind = WorkItemLine::Kind::kItem, .item = std::move(item)};
}

std::optional<WorkItem> ParseWorkItemLine(std::string_view line) {
  WorkItemLine read = ReadWorkItemLine(line);
  if (read.kind != WorkItemLine::Kind::kItem) return std::nullopt;
  return std::move(read.item);
}

std::string RenderWorkItemLine(const WorkItem& item) {
  std::string line = item.checked ? "- [x] " : "- [ ] ";
  if (!item.id.empty()) line += "[#" + item.id + "] ";
  line += item.description;
  if (item.claimed_by) line += " " + RenderClaimMarker({*item.claimed_by, item.lease});
  return line;
}

std::string WorkItemId(uint64_t number) { return fmt::format("w{}", number); }

std::optional<uint64_t> WorkItemNumber(std::string_view id) {
  if (id.size() < 2 || id.size() > kMaxNumberDigits + 1 || id[0] != 'w') return std::nullopt;
  uint64_t number = 0;
  auto [end, error] = std::from_chars(id.data() + 1, id.data() + id.size(), number);
  if (error != std::errc() || end != id.data() + id.size()) return std::nullopt;
  return number;
}

Result<std::string> CheckDescription(std::string_view description) {
  std::string_view text = TrimSpaces(description);
  std::optional<DescriptionFault> fault = FindFault(text);
  if (!fault) return std::string(text);
  std::string message;
  switch (fault->fault) {
    case Fault::kBlank:
      message = "must not be blank";
      break;
    case Fault::kMultiLine:
      message = "must be one line";
      break;
    case Fault::kInvalidUtf8:
      message = fmt::format("must be valid UTF-8 (byte {} is not)", fault->byte);
      break;
    case Fault::kControl:
      message = "must not contain control characters";
      break;
    case Fault::kTooLong:
      message = fmt::format("must be at most {} characters", kMaxDescriptionChars);
      break;
    case Fault::kReserved:
      message = "may not contain '[IP:' or start with '[#' (reserved markers)";
      break;
    case Fault::kCutMarker:
      message = "may not end with '[', '[I' or '[IP' (the start of a claim marker)";
      break;
  }
  return Fail(ErrorCode::kInvalidArgument, "description: " + message);
}

Result<void> CheckAgentId(std::string_view agent_id) {
  bool valid = !agent_id.empty() && agent_id.size() <= kMaxAgentIdChars && IsAlnum(agent_id[0]);
  for (char c : agent_id) valid = valid && (IsAlnum(c) || c == '_' || c == '-' || c == '.');
  if (valid) return Ok();
  return Fail(ErrorCode::kInvalidArgument,
              fmt::format("agent id '{}': must be 1-{} letters, digits, '_', '-' or '.', starting "
                          "with a letter or digit",
                          QuoteForMessage(agent_id, kMaxAgentIdChars + 1), kMaxAgentIdChars));
}

}  // namespace hfs::state
