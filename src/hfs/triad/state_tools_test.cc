#include "hfs/triad/state_tools.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hfs/base/check.h"
#include "hfs/base/file_lock.h"
#include "hfs/testing/fake_clock.h"
#include "hfs/testing/temp_dir.h"

namespace hfs::triad {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct Reply {
  agent::ToolStatus status;
  json body;
};

class StateToolsTest : public ::testing::Test {
 protected:
  Reply Call(const std::vector<agent::Tool>& tools, const std::string& tool,
             const json& arguments) {
    agent::ToolOutcome outcome = agent::ExecuteToolCall(
        tools, {.id = "c1", .name = tool, .arguments = arguments.dump()}, {});
    return {outcome.status, json::parse(outcome.content)};
  }
  Reply Call(const std::string& tool, const json& arguments) {
    return Call(mine_, tool, arguments);
  }

  // The hints of an invalid_arguments reply.
  std::vector<std::string> Hints(const std::string& tool, const json& arguments) {
    Reply reply = Call(tool, arguments);
    EXPECT_EQ(reply.status, agent::ToolStatus::kInvalidArguments) << reply.body.dump();
    EXPECT_EQ(reply.body["error"], "invalid_arguments");
    EXPECT_EQ(reply.body["retry"], true);
    if (!reply.body.contains("hints")) return {};
    return reply.body["hints"].get<std::vector<std::string>>();
  }

  void AddItems() {
    HFS_CHECK(manager_.AddItems({"Hero section", "Footer", "Footer"}), "AddItems");
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  state::SharedStateManager manager_{
      {.state_path = dir_.path() / ".hfs" / "state.md", .lock_timeout = std::chrono::seconds(2)},
      clock_};
  std::vector<agent::Tool> mine_ = MakeStateTools(manager_, "agent-1").value();
  std::vector<agent::Tool> theirs_ = MakeStateTools(manager_, "agent-2").value();
};

TEST_F(StateToolsTest, FourToolsWithModelReadableDescriptions) {
  std::vector<std::string> names;
  for (const agent::Tool& tool : mine_) {
    names.push_back(tool.name);
    EXPECT_THAT(tool.description, HasSubstr("Example"));
  }
  EXPECT_THAT(names, ElementsAre("get_work_items", "update_work_item", "get_agent_memory",
                                 "update_agent_memory"));
  EXPECT_THAT(mine_[1].parameters->ToJsonText(),
              HasSubstr(R"("enum":["claim","complete","release","add"])"));
  EXPECT_EQ(MakeStateTools(manager_, "no/slash").error().code, ErrorCode::kInvalidArgument);
}

TEST_F(StateToolsTest, ValidationErrors) {
  EXPECT_THAT(Hints("get_work_items", {{"status", "done"}}),
              ElementsAre("status: must be one of available, in_progress, completed"));
  EXPECT_THAT(Hints("update_work_item", json::object()),
              ElementsAre("description: required", "action: required"));
  EXPECT_THAT(Hints("update_work_item", {{"description", ""}, {"action", "claim"}}),
              ElementsAre(HasSubstr("description: must be")));
  EXPECT_THAT(Hints("update_work_item", {{"description", "w1"}, {"action", "delete"}}),
              ElementsAre("action: must be one of claim, complete, release, add"));
  EXPECT_THAT(Hints("update_work_item", {{"description", "x"}, {"action", "add"}}),
              ElementsAre("new_description: required when action is 'add'"));
  EXPECT_THAT(Hints("update_work_item",
                    {{"description", "x"}, {"action", "add"}, {"new_description", "  "}}),
              ElementsAre("new_description: required when action is 'add'"));
  EXPECT_THAT(Hints("update_work_item",
                    {{"description", "x"}, {"action", "add"}, {"new_description", "a\nb"}}),
              ElementsAre("new_description: must be one line"));
  EXPECT_THAT(Hints("update_work_item",
                    {{"description", "x"}, {"action", "add"}, {"new_description", "[IP:me]"}}),
              ElementsAre(HasSubstr("new_description: may not contain '[IP:'")));
  EXPECT_THAT(Hints("update_work_item", {{"description", "w1"}, {"action", "claim"}, {"x", 1}}),
              ElementsAre("unknown property 'x'"));
  EXPECT_THAT(Hints("update_agent_memory", {{"section", "diary"}, {"content", "x"}}),
              ElementsAre("section: must be one of scratchpad, subtasks, notes"));
  EXPECT_THAT(Hints("update_agent_memory", {{"section", "notes"}}),
              ElementsAre("content: required"));
  EXPECT_THAT(
      Hints("update_agent_memory", {{"section", "notes"}, {"content", "x"}, {"append", "yes"}}),
      ElementsAre("append: must be a boolean (got string)"));
  EXPECT_THAT(Hints("update_agent_memory", {{"section", "notes"}, {"content", "## Fake"}}),
              ElementsAre(HasSubstr("content: a line may not start with '## '")));
  EXPECT_THAT(Hints("get_agent_memory", {{"agent_id", "agent-2"}}),
              ElementsAre("unknown property 'agent_id'"));
  EXPECT_TRUE(manager_.Items()->empty());  // nothing was added by the bad calls
}

TEST_F(StateToolsTest, AddAndListWithCounts) {
  Reply added = Call("update_work_item",
                     {{"description", "new"}, {"action", "add"}, {"new_description", " Pricing "}});
  EXPECT_EQ(added.status, agent::ToolStatus::kOk);
  EXPECT_EQ(added.body, (json{{"success", true},
                              {"message", "Added w1 (Pricing)"},
                              {"item_id", "w1"},
                              {"description", "Pricing"},
                              {"status", "available"},
                              {"claimed_by", nullptr}}));
  AddItems();
  ASSERT_TRUE(manager_.Claim("w2", "agent-2")->applied());
  Reply all = Call("get_work_items", json::object());
  EXPECT_EQ(all.body["message"], "Found 4 work item(s)");
  EXPECT_EQ(all.body["counts"], (json{{"available", 3}, {"in_progress", 1}, {"completed", 0}}));
  EXPECT_EQ(all.body["items"][3], (json{{"id", "w2"},  // file order: In Progress is second
                                        {"description", "Hero section"},
                                        {"status", "in_progress"},
                                        {"claimed_by", "agent-2"},
                                        {"is_complete", false}}));
  Reply claimed = Call("get_work_items", {{"status", "in_progress"}});
  EXPECT_EQ(claimed.body["message"], "Found 1 work item(s) with status 'in_progress'");
  EXPECT_EQ(claimed.body["counts"], (json{{"available", 0}, {"in_progress", 1}, {"completed", 0}}));
  EXPECT_EQ(Call("get_work_items", {{"status", nullptr}}).body["items"].size(), 4u);
}

TEST_F(StateToolsTest, ClaimCompleteRelease) {
  AddItems();
  Reply claim = Call("update_work_item", {{"description", "w1"}, {"action", "claim"}});
  EXPECT_EQ(claim.status, agent::ToolStatus::kOk);
  EXPECT_EQ(claim.body, (json{{"success", true},
                              {"message", "Claimed w1 (Hero section)"},
                              {"item_id", "w1"},
                              {"description", "Hero section"},
                              {"status", "in_progress"},
                              {"claimed_by", "agent-1"}}));

  Reply taken =
      Call(theirs_, "update_work_item", {{"description", "Hero section"}, {"action", "claim"}});
  EXPECT_EQ(taken.status, agent::ToolStatus::kFailed);
  EXPECT_EQ(taken.body["success"], false);
  EXPECT_EQ(taken.body["error_reason"], "not_available");
  EXPECT_EQ(taken.body["claimed_by"], "agent-1");
  EXPECT_EQ(taken.body["message"], "w1 is already claimed by agent-1");
  EXPECT_THAT(taken.body["hint"].get<std::string>(), HasSubstr("get_work_items"));

  EXPECT_EQ(Call(theirs_, "update_work_item", {{"description", "#w1"}, {"action", "complete"}})
                .body["error_reason"],
            "not_owner");
  Reply done = Call("update_work_item", {{"description", "w1"}, {"action", "complete"}});
  EXPECT_EQ(done.body["status"], "completed");
  EXPECT_EQ(done.body["claimed_by"], nullptr);
  EXPECT_EQ(
      Call("update_work_item", {{"description", "w1"}, {"action", "release"}}).body["error_reason"],
      "already_complete");

  EXPECT_EQ(Call("update_work_item", {{"description", "w2"}, {"action", "claim"}}).body["success"],
            true);
  Reply released = Call("update_work_item", {{"description", "w2"}, {"action", "release"}});
  EXPECT_EQ(released.body["status"], "available");
  EXPECT_EQ(released.body["message"], "Released w2 (Footer)");
}

TEST_F(StateToolsTest, UnknownAndAmbiguousItems) {
  AddItems();
  Reply missing = Call("update_work_item", {{"description", "w9"}, {"action", "claim"}});
  EXPECT_EQ(missing.body["error_reason"], "not_found");
  EXPECT_EQ(missing.body["description"], "w9");
  Reply ambiguous = Call("update_work_item", {{"description", "Footer"}, {"action", "claim"}});
  EXPECT_EQ(ambiguous.body["error_reason"], "ambiguous");
  EXPECT_EQ(ambiguous.body["hint"], "Name the item by its id: one of w2, w3.");
}

TEST_F(StateToolsTest, LockTimeoutIsReportedAsRetryable) {
  AddItems();
  FileLock held = FileLock::Acquire(manager_.state_path(), std::chrono::milliseconds(100)).value();
  state::SharedStateManager impatient(
      {.state_path = manager_.state_path(), .lock_timeout = std::chrono::milliseconds(30)}, clock_);
  std::vector<agent::Tool> tools = MakeStateTools(impatient, "agent-1").value();
  Reply reply = Call(tools, "update_work_item", {{"description", "w1"}, {"action", "claim"}});
  EXPECT_EQ(reply.body["success"], false);
  EXPECT_EQ(reply.body["error_reason"], "lock_timeout");
  EXPECT_THAT(reply.body["message"].get<std::string>(), HasSubstr("lock timeout after 30 ms"));
  EXPECT_THAT(reply.body["hint"].get<std::string>(), HasSubstr("retry"));
}

TEST_F(StateToolsTest, AgentMemory) {
  Reply empty = Call("get_agent_memory", json::object());
  EXPECT_EQ(empty.body["agent_id"], "agent-1");
  EXPECT_THAT(empty.body["content"].get<std::string>(), HasSubstr("# Agent Memory: agent-1"));
  Reply written =
      Call("update_agent_memory", {{"section", "notes"}, {"content", std::string(250, 'n')}});
  EXPECT_EQ(written.status, agent::ToolStatus::kOk);
  EXPECT_EQ(written.body["message"], "Replaced section 'notes'");
  EXPECT_EQ(written.body["section"], "notes");
  EXPECT_EQ(written.body["preview"], std::string(200, 'n') + "...");
  Reply appended = Call("update_agent_memory",
                        {{"section", "subtasks"}, {"content", "- [ ] a"}, {"append", true}});
  EXPECT_EQ(appended.body["preview"], "- [ ] a");
  EXPECT_THAT(Call("get_agent_memory", json::object()).body["content"].get<std::string>(),
              HasSubstr("## Subtasks\n- [ ] a\n"));
  // Each agent has its own memory.
  EXPECT_THAT(Call(theirs_, "get_agent_memory", json::object()).body["content"].get<std::string>(),
              ::testing::Not(HasSubstr("- [ ] a")));
}

}  // namespace
}  // namespace hfs::triad
