// hfs/base/file.h
//
// Whole-file reads and atomic whole-file writes with errors that name the path.
//
//   std::string text = HFS_TRY(ReadFile("config.yaml"));
//   HFS_RETURN_IF_ERROR(WriteFileAtomic(dir / "hfs-report.json", json_text));
//
// Thread-compatible free functions; WriteFileAtomic never leaves a torn file: readers
// see the old content or the new one.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "hfs/base/error.h"

namespace hfs {

// kNotFound when missing, kPermissionDenied when unreadable, kInvalidArgument for a
// directory, kDataLoss on a read error.
Result<std::string> ReadFile(const std::filesystem::path& path);

// Writes to a temporary file beside `path`, fsyncs it and renames it over `path`.
// Creates missing parent directories. kPermissionDenied or kUnavailable on failure.
Result<void> WriteFileAtomic(const std::filesystem::path& path, std::string_view content);

}  // namespace hfs
