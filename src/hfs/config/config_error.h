// hfs/config/config_error.h
//
// ConfigIssue: one problem found in a config file, located by file, line and column
// (1-based) and by its path in the document, such as `triads[2].scope.primary[0]`.
// LoadConfig reports every issue it finds, not only the first.
//
//   for (const ConfigIssue& issue : issues) std::cerr << issue.ToString() << "\n";
//   // standard.yaml:41:18: triads[2].scope.reach[0]: unknown section 'visual/spacing'
//
// Plain value type.
#pragma once

#include <string>
#include <vector>

#include "hfs/base/error.h"

namespace hfs::config {

struct ConfigIssue {
  std::string file;
  int line = 0;  // 0 when the problem is not tied to one place (an empty file).
  int column = 0;
  std::string path;  // "" for the document root.
  std::string message;

  // "file:line:column: path: message", leaving out the parts that are empty, with control
  // characters escaped (\n, \0, \x1b) and a very long path or message cut.
  std::string ToString() const;
};

// An Error (kInvalidArgument, or kNotFound/kPermissionDenied for the file itself) whose
// message lists every issue, one per line.
Error IssuesToError(const std::vector<ConfigIssue>& issues);

}  // namespace hfs::config
