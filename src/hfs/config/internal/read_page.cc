#include "hfs/config/internal/read_page.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "hfs/page/page_contract.h"

namespace hfs::config::internal {
namespace {

constexpr size_t kMaxRegionIdLength = 40;

bool IsRegionId(const std::string& id) {
  return HoldsOnly(id, Letters::kLowerCase, "-") && id.front() >= 'a' && id.front() <= 'z' &&
         id.back() != '-';
}

// What is wrong with a section name, or "" when nothing is.
std::string SectionNameProblem(const std::string& name) {
  if (!HoldsOnly(name, Letters::kAnyCase, "_-/")) {
    return fmt::format("section name '{}' may hold only letters, digits, '_', '-' and '/'", name);
  }
  if (name.front() == '/' || name.back() == '/' || name.find("//") != std::string::npos) {
    return fmt::format(
        "section name '{}' has an empty part between '/'; write names such as "
        "'layout/grid'",
        name);
  }
  if (name.rfind("page/", 0) == 0) {
    return fmt::format(
        "section name '{}': 'page/' names the page's regions; declare regions "
        "under `page.regions`",
        name);
  }
  return "";
}

// One entry of `sections`: its name and role, or nullopt (with an issue).
std::optional<std::pair<std::string, page::SectionRole>> ReadSectionEntry(YamlReader& r,
                                                                          const YAML::Node& node,
                                                                          const std::string& path) {
  std::string name;
  page::SectionRole role;
  bool contribution_given = false;
  if (node.IsMap()) {
    if (!r.Map(node, path, {"name", "kind", "contributes"}) || !r.Require(node, "name", path)) {
      return std::nullopt;
    }
    r.String(node, "name", path, name);
    if (auto kind = r.Choice(node, "kind", path, {"concern", "region"})) {
      role.kind = *kind == 0 ? page::SectionKind::kConcern : page::SectionKind::kRegion;
    }
    if (auto index = r.Choice(node, "contributes", path,
                              {"tokens", "styles", "data", "requirements", "behaviour"})) {
      role.contribution = static_cast<page::Contribution>(*index);
      contribution_given = true;
    }
    if (contribution_given && role.kind == page::SectionKind::kRegion) {
      r.Report(node["contributes"], Child(path, "contributes"),
               "only a concern contributes; a region is rendered");
    }
  } else {
    std::optional<std::string> scalar = r.ScalarString(node, path);
    if (!scalar) return std::nullopt;
    name = *scalar;
  }
  if (!contribution_given) role.contribution = page::InferContribution(name);
  return std::make_pair(std::move(name), role);
}

page::Region ReadRegion(YamlReader& r, const YAML::Node& node, const std::string& path) {
  page::Region region;
  if (node.IsMap()) {
    if (!r.Map(node, path, {"id", "title", "purpose", "content"}) || !r.Require(node, "id", path)) {
      return region;
    }
    r.String(node, "id", path, region.id);
    r.String(node, "title", path, region.title);
    r.String(node, "purpose", path, region.purpose);
    r.String(node, "content", path, region.content);
  } else if (std::optional<std::string> id = r.ScalarString(node, path)) {
    region.id = *id;
  }
  if (!region.id.empty() && !r.WithinLength(node, path, region.id, kMaxRegionIdLength)) {
    region.id.clear();
  } else if (!region.id.empty() && !IsRegionId(region.id)) {
    r.Report(node, path,
             fmt::format("region id '{}' may hold only lower-case letters, digits and '-', "
                         "starting with a letter",
                         region.id));
    region.id.clear();
  }
  if (region.title.empty()) region.title = region.id;
  region.section = page::RegionSection(region.id);
  return region;
}

}  // namespace

void ReadSections(YamlReader& r, const YAML::Node& root, Config& config) {
  if (!r.Require(root, "sections", "")) return;
  const YAML::Node node = root["sections"];
  if (!r.Sequence(node, "sections")) return;
  if (node.size() == 0) r.Report(node, "sections", "at least one section is required");
  std::set<std::string> seen;
  for (size_t i = 0; i < node.size(); ++i) {
    std::string path = Index("sections", i);
    auto entry = ReadSectionEntry(r, node[i], path);
    if (!entry) continue;
    const std::string& name = entry->first;
    if (!r.WithinLength(node[i], path, name, kMaxNameLength)) continue;
    if (std::string problem = SectionNameProblem(name); !problem.empty()) {
      r.Report(node[i], path, std::move(problem));
    } else if (!seen.insert(name).second) {
      r.Report(node[i], path, fmt::format("section '{}' is listed twice", name));
    } else {
      config.sections.push_back(name);
      config.section_roles[name] = entry->second;
      if (entry->second.kind == page::SectionKind::kRegion) {
        config.page.regions.push_back(
            {.id = page::Slug(name), .section = name, .title = name, .purpose = "", .content = ""});
      }
    }
  }
}

void ReadPage(YamlReader& r, const YAML::Node& root, Config& config) {
  const YAML::Node node = root["page"];
  if (!node.IsDefined() || !r.Map(node, "page", {"title", "language", "regions"})) return;
  r.String(node, "title", "page", config.page.title);
  r.String(node, "language", "page", config.page.language);
  const YAML::Node regions = node["regions"];
  if (!regions.IsDefined() || !r.Sequence(regions, "page.regions")) return;
  if (regions.size() > page::kMaxRegions) {
    r.Report(regions, "page.regions", fmt::format("at most {} regions", page::kMaxRegions));
  }
  std::set<std::string> ids;
  for (const page::Region& region : config.page.regions) ids.insert(region.id);
  for (size_t i = 0; i < regions.size(); ++i) {
    std::string path = Index("page.regions", i);
    page::Region region = ReadRegion(r, regions[i], path);
    if (region.id.empty()) continue;
    bool clash = std::any_of(config.sections.begin(), config.sections.end(),
                             [&](const std::string& s) { return s == region.id; });
    if (clash) {
      r.Report(regions[i], path,
               fmt::format("region '{}' has the name of the section '{}' in `sections`; a "
                           "section is either a region or a concern",
                           region.id, region.id));
      continue;
    }
    if (!ids.insert(region.id).second) {
      r.Report(regions[i], path, fmt::format("region '{}' is listed twice", region.id));
      continue;
    }
    config.section_roles[region.section] = {.kind = page::SectionKind::kRegion};
    config.page.regions.push_back(std::move(region));
  }
}

bool IsScopeName(const std::string& name, const Config& config) {
  if (name == kAllRegions) return true;
  if (std::find(config.sections.begin(), config.sections.end(), name) != config.sections.end()) {
    return true;
  }
  return std::any_of(config.page.regions.begin(), config.page.regions.end(),
                     [&](const page::Region& region) { return region.section == name; });
}

}  // namespace hfs::config::internal
