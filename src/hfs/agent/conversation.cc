#include "hfs/agent/conversation.h"

#include <utility>

namespace hfs::agent {
namespace {

size_t ApproxTokens(const llm::Message& message) {
  size_t characters = message.content.size();
  for (const llm::ToolCall& call : message.tool_calls) {
    characters += call.name.size() + call.arguments.size();
  }
  return characters / 4 + 4;  // a few tokens of framing per message
}

}  // namespace

void Conversation::StartPhase(std::string user_message) {
  phase_start_ = messages_.size();
  step_starts_.push_back(phase_start_);
  ++phases_;
  messages_.push_back(llm::Message::User(std::move(user_message)));
}

void Conversation::Append(llm::Message message) { messages_.push_back(std::move(message)); }

size_t Conversation::EstimatedTokens() const {
  size_t tokens = 0;
  for (const llm::Message& message : messages_) tokens += ApproxTokens(message);
  return tokens;
}

int Conversation::KeepWithin(size_t max_tokens) {
  size_t tokens = EstimatedTokens();
  size_t drop_steps = 0;
  size_t drop_messages = 0;
  // Never the current (last) step.
  while (tokens > max_tokens && drop_steps + 1 < step_starts_.size()) {
    const size_t end = step_starts_[drop_steps + 1];
    for (size_t i = drop_messages; i < end; ++i) tokens -= ApproxTokens(messages_[i]);
    drop_messages = end;
    ++drop_steps;
  }
  if (drop_steps == 0) return 0;
  messages_.erase(messages_.begin(), messages_.begin() + static_cast<long>(drop_messages));
  step_starts_.erase(step_starts_.begin(), step_starts_.begin() + static_cast<long>(drop_steps));
  for (size_t& start : step_starts_) start -= drop_messages;
  phase_start_ -= drop_messages;
  return static_cast<int>(drop_steps);
}

void Conversation::Clear() {
  messages_.clear();
  step_starts_.clear();
  phase_start_ = 0;
}

}  // namespace hfs::agent
