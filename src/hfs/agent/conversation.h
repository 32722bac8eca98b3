// hfs/agent/conversation.h
//
// Conversation: one agent's message history (user, assistant, tool messages). Each step
// of the agent starts with a user message (StartPhase); the Runner appends the replies
// and tool results. The agent's instructions are not stored here: the Runner sends them
// first on every call.
//
// The history is kept within a window so a long run does not re-send every earlier step
// on every call: KeepWithin drops the oldest whole steps (a tool call never loses its
// result) until the rest fits, and Clear drops everything when the triad moves to the
// next pipeline phase, whose prompt carries the earlier phases' summaries instead.
//
//   Conversation history;
//   history.StartPhase("Deliberation: claim the sections you own.");
//   RunResult first = runner.Run(agent, history, budget, context);
//   history.StartPhase("Negotiation round 2: 'layout' is contested; decide.");
//   history.KeepWithin(6000);                                  // round 1 kept if it fits
//   RunResult second = runner.Run(agent, history, budget, context);
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
  // Appends `user_message` and marks it as the start of a new step.
  void StartPhase(std::string user_message);
  void Append(llm::Message message);

  // Drops the oldest steps, whole, until the history's estimated size is at most
  // `max_tokens` (about 4 characters a token) or only the current step is left; the
  // current step is never cut. Returns how many steps were dropped.
  int KeepWithin(size_t max_tokens);
  // Drops every message.
  void Clear();

  const std::vector<llm::Message>& messages() const { return messages_; }
  size_t size() const { return messages_.size(); }
  // How many steps have started (dropped ones included).
  int phases() const { return phases_; }
  // Index of the first message of the current step (0 before any step).
  size_t phase_start() const { return phase_start_; }
  // The history's estimated size in tokens.
  size_t EstimatedTokens() const;

 private:
  std::vector<llm::Message> messages_;
  // The first message of each step still held, oldest first.
  std::vector<size_t> step_starts_;
  size_t phase_start_ = 0;
  int phases_ = 0;
};

}  // namespace hfs::agent
