// hfs/pipeline/merger_internal.h
//
// Name helpers of the Merger (merger.cc, merger_names.cc) and the Validator. Internal to
// the pipeline module. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hfs/base/text.h"
#include "hfs/pipeline/merger.h"

namespace hfs::pipeline::internal {

// ".css" for "styles/a.css"; "" without an extension.
std::string_view Extension(std::string_view path);

// "HeroBanner" for "hero-banner" / "hero banner" / "layout/header" -> "LayoutHeader";
// prefixed with "Section" when it would start with a digit or be empty.
std::string PascalCase(std::string_view text);

// Lower-case letters and digits only, for loose name comparison.
std::string LooseName(std::string_view text);

// The paths the merger writes itself for `format` (staged files there are renamed).
std::vector<std::string> ReservedPaths(OutputFormat format);

}  // namespace hfs::pipeline::internal
