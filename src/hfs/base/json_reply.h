// hfs/base/json_reply.h
//
// Reading the JSON object a model meant to send. Real models wrap JSON in Markdown
// fences, put a sentence before or after it, or leave a trailing comma or a raw line
// break inside a string. JsonObjectText finds the object in such a reply and returns it
// as clean JSON text, or nothing when the reply holds no object (prose, a truncated
// object, an array).
//
//   std::optional<std::string> text = JsonObjectText("Here it is:\n```json\n{\"a\": 1,}\n```");
//   // *text == R"({"a":1})"
//
// In order, it tries: the whole reply; each fenced block; the first balanced {...} in
// the reply. Each candidate is read as strict JSON, then once more after the repairs
// (trailing commas before } or ] removed, raw control characters inside strings
// escaped). Single-quoted "JSON" and cut-off objects are not guessed at.
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hfs {

// The JSON object in `reply` as compact JSON text, or nullopt.
std::optional<std::string> JsonObjectText(std::string_view reply);

}  // namespace hfs
