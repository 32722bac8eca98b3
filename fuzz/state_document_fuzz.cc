// Fuzz target for the shared state file parser and writer (hfs/state/state_document.h):
// any bytes parse without crashing and render back to the same bytes; everything the
// document exposes is valid UTF-8; Normalize loses no item and no line it could not read,
// leaves nothing it could fix, and what it writes reads back the same (read, write, read
// equals) and is left as it is by a second Normalize; an added and claimed item reads
// back with a fresh id.
//
//   build-fuzz/fuzz/state_document_fuzz fuzz/corpus/state_document   (libFuzzer)
//   build/fuzz/state_document_fuzz_regression fuzz/corpus/state_document
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "hfs/state/internal/utf8.h"
#include "hfs/state/state_document.h"

namespace hfs::state {
namespace {

void Check(bool condition, const char* what, std::string_view detail = {}) {
  if (condition) return;
  std::fprintf(stderr, "state_document_fuzz: %s\n%.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

void CheckUtf8(std::string_view text, const char* what) {
  Check(!internal::FindInvalidUtf8(text), what, text);
}

// What a reader can see of an item: its text, status and holder (ids may be given).
using ItemKey = std::tuple<std::string, WorkStatus, std::string>;

std::multiset<ItemKey> Keys(const std::vector<WorkItem>& items) {
  std::multiset<ItemKey> keys;
  for (const WorkItem& item : items) {
    keys.insert({item.description, item.status(), item.claimed_by.value_or("")});
  }
  return keys;
}

size_t CountLines(std::string_view text, std::string_view line) {
  size_t count = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    std::string_view current =
        text.substr(start, end == std::string_view::npos ? end : end - start);
    // The line with its CRLF end, or as it is (a kept line may end in a lone CR).
    std::string_view without_cr = current;
    if (!without_cr.empty() && without_cr.back() == '\r') without_cr.remove_suffix(1);
    if (without_cr == line || current == line) ++count;
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return count;
}

// Problems Normalize must have fixed.
constexpr std::string_view kFixable[] = {
    "missing section",  "work item has no id", "duplicate id", "but sits under",
    "is out of date",   "has no registry row", "is read as",   "cannot read the next item id",
    "has no header row"};

void CheckDocument(std::string_view text) {
  StateDocument document = StateDocument::Parse(text);
  Check(document.Render() == text, "Parse then Render changed the bytes");
  std::vector<WorkItem> items = document.Items();
  for (const WorkItem& item : items) {
    CheckUtf8(item.id, "item id is not UTF-8");
    CheckUtf8(item.description, "description is not UTF-8");
    Check(!item.claimed_by || CheckAgentId(*item.claimed_by).has_value(), "bad claimer");
  }
  for (const AgentEntry& agent : document.Agents()) {
    Check(CheckAgentId(agent.agent_id).has_value(), "registry agent id is invalid", agent.agent_id);
    CheckUtf8(agent.current_task, "current task is not UTF-8");
    CheckUtf8(agent.started, "started is not UTF-8");
  }
  for (const std::string& problem : document.Problems()) CheckUtf8(problem, "problem is not UTF-8");

  // A file that ends in an item cut short is left as it is (and not written).
  if (document.CutShortLine()) {
    StateDocument untouched = document;
    untouched.Normalize();
    Check(untouched.Render() == text, "Normalize changed a file that ends in a cut item");
    return;
  }
  StateDocument normalized = document;
  normalized.Normalize();
  std::string once = normalized.Render();
  Check(Keys(normalized.Items()) == Keys(items), "Normalize lost or changed an item", once);
  std::multiset<std::string> kept;
  for (const KeptLine& line : document.KeptLines()) kept.insert(line.text);
  for (const std::string& line : kept) {
    Check(CountLines(once, line) >= kept.count(line), "Normalize lost a line", line);
  }
  for (const std::string& problem : normalized.Problems()) {
    // A kept line's message quotes the line, which may say anything.
    if (problem.ends_with("(kept as it is; fix it by hand)")) continue;
    for (std::string_view fixable : kFixable) {
      Check(problem.find(fixable) == std::string::npos, "Normalize left a problem", problem);
    }
  }
  // Read, write, read equals; a second Normalize changes nothing.
  StateDocument again = StateDocument::Parse(once);
  Check(again.Items() == normalized.Items(), "what was written reads back differently", once);
  again.Normalize();
  Check(again.Render() == once, "Normalize is not idempotent", once);

  // An edit on top: a new item gets an id no other item has, and can be claimed.
  WorkItem added = again.AddItem("fuzz item");
  for (const WorkItem& item : normalized.Items()) {
    Check(item.id != added.id, "AddItem reused an id", added.id);
  }
  added.claimed_by = "fuzz-agent";
  Check(again.UpdateItem(added), "UpdateItem did not find the new item");
  again.Normalize();
  StateDocument written = StateDocument::Parse(again.Render());
  std::optional<WorkItem> found = written.FindItem(added.id);
  Check(found && found->claimed_by == "fuzz-agent", "the claimed item did not read back",
        again.Render());
  Check(written.Items().size() == items.size() + 1, "an item appeared or vanished", again.Render());
}

}  // namespace
}  // namespace hfs::state

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Big inputs only make the run slow: the parser is line by line.
  if (size > 64 * 1024) return 0;
  hfs::state::CheckDocument(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
