// hfs/store/usage_spill.h
//
// The usage spill file keeps usage rows that could not be written to the database until
// a later UsageStore::Open writes them (docs/usage-store.md, "Spill file"). It holds one
// JSON object per line. Rows are appended under an exclusive lock on `<path>.lock`
// (FileLock) and fsynced, so several processes can share one spill file. A last line
// without its newline (cut short by a crash) is ignored when the file is read, and the
// next append starts on a new line.
//
//   HFS_RETURN_IF_ERROR(AppendUsageSpill(path, rows, std::chrono::seconds(30)));
//   SpillReplay replayed = HFS_TRY(ReplayUsageSpill(
//       path, [&](const std::vector<UsageRecord>& rows) { return Insert(rows); },
//       std::chrono::seconds(30)));
//
// Thread-safe free functions: the lock excludes other threads as well as other processes.
// AppendUsageSpill returns kDeadlineExceeded when the lock is still held after
// `lock_timeout`, and kUnavailable or kPermissionDenied (naming the file) when the file
// cannot be written. ReplayUsageSpill returns the same errors, or the error of `write`;
// the spill file is kept whenever it fails.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/base/error.h"
#include "hfs/store/usage_record.h"

namespace hfs::store {

// One line of the spill file, with its newline.
std::string UsageSpillLine(const UsageRecord& record);

struct UsageSpillContents {
  std::vector<UsageRecord> rows;
  // Complete lines that are not a usage row (kept aside by ReplayUsageSpill).
  std::vector<std::string> unreadable_lines;
  // The text ended with a line without its newline, which was ignored.
  bool torn_tail = false;
};

// Reads the text of a spill file. Never fails: unreadable lines are returned apart.
UsageSpillContents ParseUsageSpill(std::string_view text);

// Appends `rows` to the spill file at `path` (creating it and its directory), fsynced.
Result<void> AppendUsageSpill(const std::filesystem::path& path, std::span<const UsageRecord> rows,
                              std::chrono::milliseconds lock_timeout);

struct SpillReplay {
  size_t rows = 0;              // rows handed to `write`
  size_t unreadable_lines = 0;  // lines moved to `rejected_path`
  bool torn_tail = false;       // a cut-short last line was dropped
  std::filesystem::path rejected_path;
};

// When the spill file exists: holds its lock, hands its rows to `write` (one call, in file
// order) and, when that succeeds, removes the file. Unreadable lines are appended to
// `<path>.rejected` first, so no text is thrown away. Without a spill file: returns an
// empty SpillReplay.
Result<SpillReplay> ReplayUsageSpill(
    const std::filesystem::path& path,
    const std::function<Result<void>(const std::vector<UsageRecord>&)>& write,
    std::chrono::milliseconds lock_timeout);

}  // namespace hfs::store
