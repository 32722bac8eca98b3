// hfs/state/internal/utf8.h
//
// UTF-8 checks for the text of the shared state file: descriptions and table cells must
// be well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above
// U+10FFFF), are measured in characters (code points), and are quoted in messages with
// any bad byte written as \xNN, so a message is always valid UTF-8 itself.
//
//   if (std::optional<size_t> bad = FindInvalidUtf8(text)) ...   // byte index
//   size_t chars = CountChars(text);                              // valid text only
//   std::string shown = QuoteForMessage(line, 60);                // "- [ ] caf\xc3..."
//
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace hfs::state::internal {

// The length of the well-formed UTF-8 sequence that starts at `text[i]`, or 0.
size_t SequenceLength(std::string_view text, size_t i);
// The index of the first byte that is not part of well-formed UTF-8, or nullopt.
std::optional<size_t> FindInvalidUtf8(std::string_view text);
// The number of code points of well-formed UTF-8 `text`.
size_t CountChars(std::string_view text);
// The index of the first control character (U+0000-U+001F or U+007F), or nullopt.
std::optional<size_t> FindControlChar(std::string_view text);
// `text` cut to `max_chars` characters (with "..." when cut), malformed bytes and control
// characters written as \xNN.
std::string QuoteForMessage(std::string_view text, size_t max_chars);

}  // namespace hfs::state::internal
