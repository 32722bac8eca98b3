// hfs/triad/state_tools.h
//
// The four shared-state tools of hfs-original §7.3 (get_work_items, update_work_item,
// get_agent_memory, update_agent_memory), bound to one SharedStateManager and one agent,
// as agent::Tool values. With them any agent can see what is available and what is
// claimed, claim, complete or release work items, add new ones and keep private notes.
//
//   state::SharedStateManager shared({.state_path = ".hfs/state.md"}, clock);
//   std::vector<agent::Tool> tools = HFS_TRY(MakeStateTools(shared, "layout_leader"));
//   agent.tools.insert(agent.tools.end(), tools.begin(), tools.end());
//
// Items are named by their stable id ("w3", as get_work_items lists them); the
// `description` argument of update_work_item takes the id, or the exact description text
// when exactly one item has it. Replies are the original envelopes:
//   get_work_items      {success, message, items[{id, description, status, claimed_by,
//                        is_complete}], counts{available, in_progress, completed}}
//   update_work_item    {success, message, item_id, description, status, claimed_by} or
//                       {success:false, message, description, error_reason, hint} with
//                       error_reason not_found | not_available | not_owner |
//                       already_complete | ambiguous | lock_timeout
//   get_agent_memory    {success, message, agent_id, content}
//   update_agent_memory {success, message, section, preview}
// Other failures (file I/O) are {success:false, error:"runtime_error", message, context,
// retry_allowed:false}. Invalid arguments (schema violations, `add` without
// new_description, a description that does not fit on one line, content that would start
// a section) are handler Errors with kInvalidArgument, which the agent layer returns as
// its retryable invalid_arguments message (hfs/agent/tool.h).
//
// Thread-safe: the tools only call the thread-safe manager, which must outlive them.
#pragma once

#include <string>
#include <vector>

#include "hfs/agent/tool.h"
#include "hfs/base/error.h"
#include "hfs/state/shared_state_manager.h"

namespace hfs::triad {

// kInvalidArgument when `agent_id` is not a valid agent id (state::CheckAgentId).
Result<std::vector<agent::Tool>> MakeStateTools(state::SharedStateManager& manager,
                                                std::string agent_id);

}  // namespace hfs::triad
