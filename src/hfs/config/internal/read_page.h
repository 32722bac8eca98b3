// hfs/config/internal/read_page.h
//
// Readers for what the config says about the page: `sections` (each a name, or a map
// {name, kind: concern|region, contributes: tokens|styles|data|requirements|behaviour})
// and `page` (title, language, and `regions` that fix the outline instead of planning it:
// each an id or {id, title, purpose, content}). Scope lists may name `page/*` (every
// region of the outline, dealt out among the triads that name it) and the sections of
// fixed regions (`page/<id>`). Used only by load.cc.
//
//   internal::ReadSections(r, root, config);       // config.sections, config.section_roles
//   internal::ReadPage(r, root, config);           // config.page, regions' roles
//   if (internal::IsScopeName(name, config)) ...
//
// Thread-compatible.
#pragma once

#include <string>

#include "hfs/config/config.h"
#include "hfs/config/internal/yaml_reader.h"

namespace hfs::config::internal {

// The scope entry that stands for every region of the page.
inline constexpr std::string_view kAllRegions = "page/*";

void ReadSections(YamlReader& r, const YAML::Node& root, Config& config);
// Reads `page` after `sections`; reports a region whose id or section is also a
// configured section's name.
void ReadPage(YamlReader& r, const YAML::Node& root, Config& config);
// True for a configured section, a fixed region's section, or kAllRegions.
bool IsScopeName(const std::string& name, const Config& config);

}  // namespace hfs::config::internal
