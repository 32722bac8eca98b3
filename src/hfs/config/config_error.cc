#include "hfs/config/config_error.h"

#include <fmt/format.h>

namespace hfs::config {

std::string ConfigIssue::ToString() const {
  std::string out = file;
  if (line > 0) out += fmt::format(":{}:{}", line, column);
  if (!out.empty()) out += ": ";
  if (!path.empty()) out += path + ": ";
  return out + message;
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
