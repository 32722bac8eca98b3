// hfs/triad/output_paths.h
//
// Which file paths a code model may write, per output format. Generated files are staged
// under these paths and later written below the run's output directory, so a path must
// stay inside it: relative, '/'-separated, no '..' or '.' or empty segment, no leading
// '/', no backslash, no control characters, at most kMaxOutputPathLength characters from
// [A-Za-z0-9._/-], and an extension the format allows:
//   html, vanilla: .html .css .js      react:  .tsx .ts .jsx .js .css
//   vue:           .vue .ts .js .css   svelte: .svelte .ts .js .css
//
//   HFS_RETURN_IF_ERROR(CheckOutputPath("components/hero.js", "html"));   // ok
//   CheckOutputPath("../x.html", "html");  // kInvalidArgument: "path '../x.html': ..."
//   for (std::string_view ext : AllowedExtensions("react")) Mention(ext);
//
// Pure functions; thread-safe. CheckOutputPath fails with kInvalidArgument whose message
// names the path and the first reason it is refused (an unknown output format included).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hfs/base/error.h"

namespace hfs::triad {

inline constexpr size_t kMaxOutputPathLength = 200;

Result<void> CheckOutputPath(std::string_view path, std::string_view output_format);

// The extensions (with the dot) allowed for `output_format`; empty for an unknown format.
std::vector<std::string_view> AllowedExtensions(std::string_view output_format);

// "html, vanilla, react, vue, svelte".
std::string KnownOutputFormats();

}  // namespace hfs::triad
