#include "hfs/triad/state_tools.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "hfs/base/try.h"

namespace hfs::triad {
namespace {

using agent::Required;
using agent::Schema;
using nlohmann::json;
using state::ItemUpdate;
using state::SharedStateManager;
using state::WorkItem;
using state::WorkStatus;

constexpr size_t kPreviewChars = 200;

constexpr std::string_view kGetWorkItemsDescription =
    "List the work items of the shared state that all agents coordinate through: what is "
    "available, what is in progress and by whom (claimed_by), and what is completed. Each item "
    "has a stable id such as \"w3\"; use it with update_work_item. Filter with status "
    "(available, in_progress or completed) or omit it for every item. Use it before claiming "
    "work so you never take what another agent holds. Example: {\"status\": \"available\"}";

constexpr std::string_view kUpdateWorkItemDescription =
    "Change a work item of the shared state. action \"claim\" marks an available item as yours "
    "(it fails with not_available when another agent holds it: pick another), \"complete\" "
    "marks an item you claimed as done, \"release\" gives an item you claimed back, \"add\" "
    "creates a new available item whose text is new_description. description names the item: "
    "its id from get_work_items (preferred, e.g. \"w3\") or its exact text; for add it is "
    "only a label. Example: {\"description\": \"w3\", \"action\": \"claim\"} or "
    "{\"description\": \"new\", \"action\": \"add\", \"new_description\": \"Footer with "
    "legal links\"}";

constexpr std::string_view kGetAgentMemoryDescription =
    "Read your private memory file: the scratchpad, subtasks and notes sections you wrote "
    "earlier with update_agent_memory. Takes no arguments. Example: {}";

constexpr std::string_view kUpdateAgentMemoryDescription =
    "Write to your private memory file so you remember across turns. section is scratchpad "
    "(working thoughts), subtasks (your plan, e.g. a checklist) or notes (facts and decisions). "
    "content replaces the section, or with append true is added below what is there. Lines "
    "may not start with \"## \". Example: {\"section\": \"subtasks\", \"content\": \"- [ ] "
    "grid layout\\n- [ ] mobile breakpoints\", \"append\": false}";

json RuntimeError(const Error& error, std::string context) {
  return {{"success", false},
          {"error", "runtime_error"},
          {"message", error.message},
          {"context", std::move(context)},
          {"retry_allowed", false}};
}

// The first kPreviewChars characters (UTF-8 code points), with "..." when cut.
std::string Preview(std::string_view text) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (chars++ == kPreviewChars) return std::string(text.substr(0, i)) + "...";
  }
  return std::string(text);
}

json OptionalText(const std::optional<std::string>& text) { return text ? json(*text) : json(); }

json ItemJson(const WorkItem& item) {
  return {{"id", item.id},
          {"description", item.description},
          {"status", state::WorkStatusName(item.status())},
          {"claimed_by", OptionalText(item.claimed_by)},
          {"is_complete", item.checked}};
}

json Refusal(std::string message, const std::string& description, std::string reason,
             std::string hint) {
  return {{"success", false},
          {"message", std::move(message)},
          {"description", description},
          {"error_reason", std::move(reason)},
          {"hint", std::move(hint)}};
}

// The envelope of a manager failure: lock_timeout, a validation error, or runtime_error.
Result<json> ManagerFailure(const Error& error, const std::string& description,
                            std::string context) {
  if (error.code == ErrorCode::kDeadlineExceeded) {
    return Refusal(error.message, description, "lock_timeout",
                   "Another agent is writing the shared state; retry in a moment.");
  }
  if (error.code == ErrorCode::kInvalidArgument) return Fail(error);
  return RuntimeError(error, std::move(context));
}

json UpdateJson(const ItemUpdate& update, const std::string& description) {
  json reply = {{"success", update.applied()}, {"message", update.message}};
  if (!update.item.id.empty()) reply["item_id"] = update.item.id;
  reply["description"] = update.item.id.empty() ? description : update.item.description;
  if (!update.item.id.empty()) {
    reply["status"] = state::WorkStatusName(update.item.status());
    reply["claimed_by"] = OptionalText(update.item.claimed_by);
  }
  if (update.refusal) {
    reply["error_reason"] = state::RefusalName(*update.refusal);
    reply["hint"] = update.hint;
  }
  return reply;
}

// The id `reference` names: an id (with or without '#'), or the text of exactly one item.
// nullopt with `refusal` set when it names none or several.
std::optional<std::string> ResolveItem(const std::vector<WorkItem>& items,
                                       const std::string& reference, json& refusal) {
  std::string id = reference.starts_with('#') ? reference.substr(1) : reference;
  std::vector<std::string> matches;
  for (const WorkItem& item : items) {
    if (item.id == id) return item.id;
    if (item.description == reference) matches.push_back(item.id);
  }
  if (matches.size() == 1) return matches.front();
  if (matches.empty()) {
    refusal = Refusal(fmt::format("No work item '{}'", reference), reference, "not_found",
                      "Use an id listed by get_work_items, such as \"w1\".");
  } else {
    refusal = Refusal(fmt::format("{} work items are described '{}'", matches.size(), reference),
                      reference, "ambiguous",
                      fmt::format("Name the item by its id: one of {}.", fmt::join(matches, ", ")));
  }
  return std::nullopt;
}

class StateTools {
 public:
  StateTools(SharedStateManager& manager, std::string agent_id)
      : manager_(manager), agent_id_(std::move(agent_id)) {}

  Result<json> GetWorkItems(const json& arguments) const;
  Result<json> UpdateWorkItem(const json& arguments) const;
  Result<json> GetAgentMemory() const;
  Result<json> UpdateAgentMemory(const json& arguments) const;

 private:
  Result<json> AddWorkItem(const std::string& description, const json& arguments) const;

  SharedStateManager& manager_;
  const std::string agent_id_;
};

Result<json> StateTools::GetWorkItems(const json& arguments) const {
  std::optional<WorkStatus> status;
  if (arguments.contains("status") && arguments["status"].is_string()) {
    status = state::ParseWorkStatus(arguments["status"].get<std::string>());
  }
  Result<std::vector<WorkItem>> items = manager_.Items(status);
  if (!items) return RuntimeError(items.error(), "get_work_items");
  json list = json::array();
  json counts = {{"available", 0}, {"in_progress", 0}, {"completed", 0}};
  for (const WorkItem& item : *items) {
    list.push_back(ItemJson(item));
    counts[std::string(state::WorkStatusName(item.status()))] =
        counts[std::string(state::WorkStatusName(item.status()))].get<int>() + 1;
  }
  std::string filter =
      status ? fmt::format(" with status '{}'", state::WorkStatusName(*status)) : "";
  return json{{"success", true},
              {"message", fmt::format("Found {} work item(s){}", items->size(), filter)},
              {"items", std::move(list)},
              {"counts", std::move(counts)}};
}

Result<json> StateTools::AddWorkItem(const std::string& description, const json& arguments) const {
  auto given = arguments.find("new_description");
  std::string text =
      given != arguments.end() && given->is_string() ? given->get<std::string>() : "";
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Fail(ErrorCode::kInvalidArgument, "new_description: required when action is 'add'");
  }
  Result<WorkItem> added = manager_.AddItem(text);
  if (!added) {
    Error error = added.error();
    if (error.code == ErrorCode::kInvalidArgument) error.message = "new_" + error.message;
    return ManagerFailure(error, description, "update_work_item.add");
  }
  return json{{"success", true},
              {"message", fmt::format("Added {} ({})", added->id, added->description)},
              {"item_id", added->id},
              {"description", added->description},
              {"status", "available"},
              {"claimed_by", nullptr}};
}

Result<json> StateTools::UpdateWorkItem(const json& arguments) const {
  std::string description = arguments["description"].get<std::string>();
  std::string action = arguments["action"].get<std::string>();
  if (action == "add") return AddWorkItem(description, arguments);
  std::string context = "update_work_item." + action;
  Result<std::vector<WorkItem>> items = manager_.Items();
  if (!items) return RuntimeError(items.error(), context);
  json refusal;
  std::optional<std::string> id = ResolveItem(*items, description, refusal);
  if (!id) return refusal;
  Result<ItemUpdate> update = action == "claim"      ? manager_.Claim(*id, agent_id_)
                              : action == "complete" ? manager_.Complete(*id, agent_id_)
                                                     : manager_.Release(*id, agent_id_);
  if (!update) return ManagerFailure(update.error(), description, context);
  return UpdateJson(*update, description);
}

Result<json> StateTools::GetAgentMemory() const {
  Result<std::string> content = manager_.ReadAgentMemory(agent_id_);
  if (!content) return RuntimeError(content.error(), "get_agent_memory");
  return json{{"success", true},
              {"message", fmt::format("Memory of agent {}", agent_id_)},
              {"agent_id", agent_id_},
              {"content", *content}};
}

Result<json> StateTools::UpdateAgentMemory(const json& arguments) const {
  std::string name = arguments["section"].get<std::string>();
  state::MemorySection section = *state::ParseMemorySection(name);
  auto flag = arguments.find("append");
  bool append = flag != arguments.end() && flag->is_boolean() && flag->get<bool>();
  Result<std::string> body = manager_.UpdateAgentMemory(
      agent_id_, section, arguments["content"].get<std::string>(),
      append ? state::MemoryWrite::kAppend : state::MemoryWrite::kReplace);
  if (!body) {
    if (body.error().code == ErrorCode::kInvalidArgument) return Fail(body.error());
    return RuntimeError(body.error(), "update_agent_memory");
  }
  return json{
      {"success", true},
      {"message", fmt::format("{} section '{}'", append ? "Appended to" : "Replaced", name)},
      {"section", name},
      {"preview", Preview(*body)}};
}

}  // namespace

Result<std::vector<agent::Tool>> MakeStateTools(SharedStateManager& manager, std::string agent_id) {
  HFS_RETURN_IF_ERROR(state::CheckAgentId(agent_id));
  auto tools = std::make_shared<const StateTools>(manager, std::move(agent_id));
  std::vector<agent::Tool> result;
  result.push_back(
      agent::MakeTool("get_work_items", std::string(kGetWorkItemsDescription),
                      Schema::Object().Property(
                          "status", Schema::Enum({"available", "in_progress", "completed"})
                                        .Describe("Only items with this status; omit for all")),
                      [tools](const json& arguments, agent::ToolContext&) {
                        return tools->GetWorkItems(arguments);
                      }));
  result.push_back(agent::MakeTool(
      "update_work_item", std::string(kUpdateWorkItemDescription),
      Schema::Object()
          .Property("description",
                    Schema::String().MinLength(1).Describe(
                        "The item's id from get_work_items (e.g. \"w3\") or its exact text"),
                    Required::kYes)
          .Property("action",
                    Schema::Enum({"claim", "complete", "release", "add"})
                        .Describe("claim, complete, release or add"),
                    Required::kYes)
          .Property("new_description",
                    Schema::String().Describe("The new item's text, one line; required for add")),
      [tools](const json& arguments, agent::ToolContext&) {
        return tools->UpdateWorkItem(arguments);
      }));
  result.push_back(agent::MakeTool(
      "get_agent_memory", std::string(kGetAgentMemoryDescription), Schema::Object(),
      [tools](const json&, agent::ToolContext&) { return tools->GetAgentMemory(); }));
  result.push_back(agent::MakeTool(
      "update_agent_memory", std::string(kUpdateAgentMemoryDescription),
      Schema::Object()
          .Property("section",
                    Schema::Enum({"scratchpad", "subtasks", "notes"})
                        .Describe("scratchpad, subtasks or notes"),
                    Required::kYes)
          .Property("content", Schema::String().Describe("Markdown text to write"), Required::kYes)
          .Property("append",
                    Schema::Boolean().Describe(
                        "true adds below the section's text; false (default) replaces it")),
      [tools](const json& arguments, agent::ToolContext&) {
        return tools->UpdateAgentMemory(arguments);
      }));
  return result;
}

}  // namespace hfs::triad
