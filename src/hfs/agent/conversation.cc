#include "hfs/agent/conversation.h"

#include <utility>

namespace hfs::agent {

void Conversation::StartPhase(std::string user_message) {
  phase_start_ = messages_.size();
  ++phases_;
  messages_.push_back(llm::Message::User(std::move(user_message)));
}

void Conversation::Append(llm::Message message) { messages_.push_back(std::move(message)); }

}  // namespace hfs::agent
