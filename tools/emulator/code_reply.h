// tools/emulator/code_reply.h
//
// JSON replies to HFS's structured calls (internal to tools/emulator): the page outline
// ("page_outline") and a section's code ("generated_code": {"files": [{"path",
// "content"}], "notes"}), fitted to the schema the request sent. Also finds the code
// call's header in a conversation.
//
//   std::optional<CodeAsk> ask = FindCodeAsk(request["messages"]);
//   if (auto reply = CodeReply(schema, *ask, seed)) completion.content = *reply;
//
// Thread-safe free functions (pure); never throw.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/emulator/section_code.h"

namespace hfs::emulator {

// The code call's ask: the header of the last user message that has one, with the output
// format taken from an "Output format:" line elsewhere in the conversation when the header
// has none, and import_repaired set when a user message containing "is not available in
// the" follows an assistant reply. nullopt when no user message has a header.
std::optional<CodeAsk> FindCodeAsk(const nlohmann::json& messages);

// The outline for the request found in `texts` ("Request: ..."; else `fallback`) as JSON
// text valid against `schema` (properties it forbids dropped, required ones it adds
// generated with `seed`); nullopt when it cannot be made to fit.
std::optional<std::string> OutlineReply(const nlohmann::json& schema,
                                        const std::vector<std::string>& texts,
                                        std::string_view fallback, uint64_t seed);

// {"files": SectionFiles(ask, seed), "notes": ...} as JSON text valid against `schema`;
// nullopt when it cannot be made to fit. `broken`: a region's first file also holds a
// script with an unclosed function (a syntax error a build reports with file and line).
std::optional<std::string> CodeReply(const nlohmann::json& schema, const CodeAsk& ask,
                                     uint64_t seed, bool broken = false);

// The text of a chat message's `content`: the string, or the joined text parts.
std::string MessageText(const nlohmann::json& content);

// True when `schema` describes an object with a "files" array property.
bool HasFilesProperty(const nlohmann::json& schema);

}  // namespace hfs::emulator
