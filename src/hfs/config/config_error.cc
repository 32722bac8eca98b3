#include "hfs/config/config_error.h"

#include <fmt/format.h>

namespace hfs::config {
namespace {

// `text` with control characters escaped (\n, \0, \x1b) and cut after about `max` bytes.
std::string Printable(std::string_view text, size_t max) {
  std::string out;
  size_t i = 0;
  for (; i < text.size() && out.size() < max; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != 0x7f) {
      out += text[i];
    } else if (c == '\n' || c == '\r' || c == '\t' || c == '\0') {
      out += c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : "\\0";
    } else {
      out += fmt::format("\\x{:02x}", c);
    }
  }
  // Ends the cut at a whole UTF-8 character.
  while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) out += text[i++];
  if (i < text.size()) out += fmt::format("... ({} more bytes)", text.size() - i);
  return out;
}

}  // namespace

std::string ConfigIssue::ToString() const {
  std::string out = Printable(file, 1000);
  if (line > 0) out += fmt::format(":{}:{}", line, column);
  if (!out.empty()) out += ": ";
  if (!path.empty()) out += Printable(path, 200) + ": ";
  return out + Printable(message, 1000);
}

Error IssuesToError(const std::vector<ConfigIssue>& issues) {
  std::string message;
  for (const ConfigIssue& issue : issues) {
    if (!message.empty()) message += "\n";
    message += issue.ToString();
  }
  return Error{ErrorCode::kInvalidArgument, message};
}

}  // namespace hfs::config
