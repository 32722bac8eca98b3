// hfs/state/internal/replace_file.h
//
// Whole-file replacement for the shared state file, and the clean-up of what killed
// writers leave behind. ReplaceFile writes the new text to `<path>.tmp-<pid>-<hex>` beside
// the file, fsyncs it, renames it over the file and fsyncs the directory: readers see the
// old file or the new one, never a part. A writer killed before the rename leaves its
// temporary file; the next writer, holding the lock, removes every one whose process is
// gone (and those of older builds, named `<path>.tmp-<hex>`).
//
//   HFS_RETURN_IF_ERROR(ReplaceFile(path, text, processes.Self()));
//   RemoveLeftoverTemps(path, processes);   // only under the state file's lock
//
// ReplaceFile fails with kPermissionDenied or kUnavailable naming the file. Thread-safe.
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

#include "hfs/base/error.h"
#include "hfs/state/process_table.h"

namespace hfs::state::internal {

Result<void> ReplaceFile(const std::filesystem::path& path, std::string_view content,
                         const ProcessRef& self);

// Removes the temporary files of `path` whose writer is gone; returns what it removed.
std::vector<std::filesystem::path> RemoveLeftoverTemps(const std::filesystem::path& path,
                                                       const ProcessTable& processes);

}  // namespace hfs::state::internal
