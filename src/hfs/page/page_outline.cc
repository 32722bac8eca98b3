#include "hfs/page/page_outline.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "hfs/base/json_reply.h"

namespace hfs::page {
namespace {

using nlohmann::json;

bool IsRegionId(std::string_view id) {
  if (id.empty() || id.size() > 40 || id[0] < 'a' || id[0] > 'z') return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return id.back() != '-';
}

std::string StringField(const json& object, const char* key, std::vector<std::string>& problems,
                        std::string_view path) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) {
    problems.push_back(fmt::format("{}{}: a string is required", path, key));
    return "";
  }
  return it->get<std::string>();
}

}  // namespace

std::string RegionSection(std::string_view id) { return fmt::format("page/{}", id); }

const std::string& OutlineSchemaJson() {
  static const std::string schema = R"({
  "type": "object",
  "properties": {
    "title": {"type": "string", "description": "The page's <title>"},
    "language": {"type": "string", "description": "BCP 47 language tag, e.g. en"},
    "regions": {
      "type": "array",
      "minItems": 1,
      "maxItems": 12,
      "description": "The visible regions of the page, top to bottom",
      "items": {
        "type": "object",
        "properties": {
          "id": {"type": "string", "pattern": "^[a-z][a-z0-9-]*$",
                 "description": "Root element id, e.g. pricing"},
          "title": {"type": "string", "description": "Heading of the region"},
          "purpose": {"type": "string", "description": "What the region is for"},
          "content": {"type": "string",
                      "description": "The content the request implies, concretely"}
        },
        "required": ["id", "title", "purpose", "content"],
        "additionalProperties": false
      }
    }
  },
  "required": ["title", "language", "regions"],
  "additionalProperties": false
})";
  return schema;
}

std::vector<std::string> OutlineProblems(const PageOutline& outline) {
  std::vector<std::string> problems;
  if (outline.title.empty()) problems.push_back("title: must not be empty");
  if (outline.regions.empty()) problems.push_back("regions: at least one region is required");
  if (outline.regions.size() > kMaxRegions) {
    problems.push_back(fmt::format("regions: at most {} regions", kMaxRegions));
  }
  std::set<std::string> ids;
  for (size_t i = 0; i < outline.regions.size(); ++i) {
    const Region& region = outline.regions[i];
    if (!IsRegionId(region.id)) {
      problems.push_back(fmt::format(
          "regions[{}].id: '{}' must be lower-case letters, digits and '-', starting with a "
          "letter (at most 40 characters)",
          i, region.id));
    } else if (!ids.insert(region.id).second) {
      problems.push_back(fmt::format("regions[{}].id: '{}' is used twice", i, region.id));
    }
    if (region.title.empty()) problems.push_back(fmt::format("regions[{}].title: empty", i));
  }
  return problems;
}

Result<PageOutline> ParseOutline(std::string_view text) {
  std::optional<std::string> object = JsonObjectText(text);
  if (!object) return Fail(ErrorCode::kInvalidArgument, "the outline reply is not a JSON object");
  json value = json::parse(*object);
  std::vector<std::string> problems;
  PageOutline outline;
  outline.title = StringField(value, "title", problems, "");
  if (value.contains("language") && value["language"].is_string() &&
      !value["language"].get<std::string>().empty()) {
    outline.language = value["language"].get<std::string>();
  }
  auto regions = value.find("regions");
  if (regions == value.end() || !regions->is_array()) {
    problems.push_back("regions: an array is required");
  } else {
    for (size_t i = 0; i < regions->size(); ++i) {
      const json& item = (*regions)[i];
      std::string path = fmt::format("regions[{}].", i);
      if (!item.is_object()) {
        problems.push_back(path + ": an object is required");
        continue;
      }
      Region region;
      region.id = StringField(item, "id", problems, path);
      region.section = RegionSection(region.id);
      region.title = StringField(item, "title", problems, path);
      region.purpose = StringField(item, "purpose", problems, path);
      region.content = StringField(item, "content", problems, path);
      outline.regions.push_back(std::move(region));
    }
  }
  if (problems.empty()) problems = OutlineProblems(outline);
  if (!problems.empty()) {
    return Fail(
        ErrorCode::kInvalidArgument,
        fmt::format("the outline reply does not match its schema: {}", fmt::join(problems, "; ")));
  }
  return outline;
}

}  // namespace hfs::page
