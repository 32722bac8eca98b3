// tools/emulator/history_check.h
//
// What a llama.cpp `llama-server` checks in the history of a chat request before it runs
// the model: every assistant tool call carries arguments that parse as JSON. A request
// that replays a call whose arguments were cut short (a reply that ended at the token
// limit, sent back verbatim) is refused with HTTP 500 "Failed to parse tool call
// arguments as JSON", and the same history is refused again on every retry
// (ggml-org/llama.cpp#25510; docs/emulator.md). The emulator applies it to the plain
// personality, the one that imitates a self-hosted OpenAI-compatible server.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

namespace hfs::emulator {

// The refusal message for the first assistant tool call in `request["messages"]` whose
// `function.arguments` is a string that does not parse as JSON; nullopt when all parse.
std::optional<std::string> BrokenHistoryArguments(const nlohmann::json& request);

}  // namespace hfs::emulator
