// hfs/agent/conversation.h
//
// Conversation: one agent's message history (user, assistant, tool messages), kept for
// the whole run so that a later phase sees what the agent said and did earlier. A phase
// starts with a user message; the Runner appends the replies and tool results. The
// agent's instructions are not stored here: the Runner sends them first on every call.
//
//   Conversation history;
//   history.StartPhase("Deliberation: claim the sections you own.");
//   RunResult first = runner.Run(agent, history, budget, context);
//   history.StartPhase("Negotiation: 'layout' is contested; decide.");
//   RunResult second = runner.Run(agent, history, budget, context);  // sees phase 1
//
// Thread-compatible: one thread at a time (the thread running the agent).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "hfs/llm/chat.h"

namespace hfs::agent {

class Conversation {
 public:
  // Appends `user_message` and marks it as the start of a new phase.
  void StartPhase(std::string user_message);
  void Append(llm::Message message);

  const std::vector<llm::Message>& messages() const { return messages_; }
  size_t size() const { return messages_.size(); }
  // How many phases have started.
  int phases() const { return phases_; }
  // Index of the first message of the current phase (0 before any phase).
  size_t phase_start() const { return phase_start_; }

 private:
  std::vector<llm::Message> messages_;
  size_t phase_start_ = 0;
  int phases_ = 0;
};

}  // namespace hfs::agent
