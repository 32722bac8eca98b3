// hfs/pipeline/arbiter_prompt.h
//
// The arbiter's prompt (hfs-original §3.3): a short system message, and one user message
// holding, in order, the user request, the section, temperature and round; each claimant
// with its objectives, primary scope and proposal; the section's last 10 history entries
// ("Round r: by -> action"); a spec summary (temperature, round, status and the
// contested, claimed, unclaimed and frozen sections); the four things to weigh; and the
// exact JSON shape of each decision type.
//
//   llm::ChatRequest chat{.messages = {llm::Message::System(ArbiterSystemPrompt()),
//                                      llm::Message::User(ArbiterUserPrompt(request))}};
//
// Pure functions; thread-safe. REQUIRES: request.spec is set.
#pragma once

#include <string>

#include "hfs/pipeline/arbiter.h"

namespace hfs::pipeline {

// How many of the section's latest history entries the prompt shows.
inline constexpr int kArbiterHistoryEntries = 10;

std::string ArbiterSystemPrompt();
std::string ArbiterUserPrompt(const ArbiterRequest& request);

}  // namespace hfs::pipeline
