// hfs/base/text.h
//
// Small text helpers shared by the modules.
//
//   if (AsciiLower(header_name) == "retry-after") ...
//   html += "<td>" + EscapeHtml(model_output) + "</td>";
//   std::string uri = "data:image/png;base64," + Base64Encode(png_bytes);
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace hfs {

// `text` with ASCII letters in lower case; other bytes (UTF-8 included) unchanged.
std::string AsciiLower(std::string_view text);

// `text` safe inside HTML text and quoted attribute values: & < > " ' become entities;
// other bytes (UTF-8 included) unchanged.
std::string EscapeHtml(std::string_view text);

// The largest index <= `at` (and <= text.size()) that starts a UTF-8 character, so that
// text.substr(0, index) never ends inside one.
size_t Utf8Boundary(std::string_view text, size_t at);

// Standard base64 (RFC 4648, with '=' padding) of the bytes of `data`.
std::string Base64Encode(std::string_view data);

}  // namespace hfs
