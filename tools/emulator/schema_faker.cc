// tools/emulator/schema_faker.cc
#include "tools/emulator/schema_faker.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "tools/emulator/seeded.h"

namespace hfs::emulator {
namespace {

using nlohmann::json;

constexpr int kMaxDepth = 12;
constexpr const char* kWords[] = {"clear",   "simple",  "layout", "accessible", "responsive",
                                  "section", "content", "update", "design",     "agreed"};

struct Walk {
  const FakerContext& context;
  std::string path;      // "$.sections[0].id"
  std::string property;  // the nearest property name
  int depth = 0;

  uint64_t Hash() const { return SeedFor(context.seed, path); }
  Walk Child(std::string_view suffix, std::string_view name) const {
    return {context, path + std::string(suffix), std::string(name), depth + 1};
  }
};

json Fake(const json& schema, const Walk& walk);

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool LooksLikeSection(std::string_view property) {
  return Lower(std::string(property)).find("section") != std::string::npos;
}

// The declared type; "null" only when it is the only one.
std::string TypeOf(const json& schema) {
  if (schema.contains("type")) {
    const json& type = schema["type"];
    if (type.is_string()) return type.get<std::string>();
    if (type.is_array()) {
      for (const auto& t : type) {
        if (t.is_string() && t != "null") return t.get<std::string>();
      }
      return "null";
    }
  }
  if (schema.contains("properties")) return "object";
  if (schema.contains("items")) return "array";
  return "string";
}

json PickEnum(const json& values, const Walk& walk) {
  if (!walk.context.steer_word.empty()) {
    for (const auto& value : values) {
      if (value.is_string() &&
          Lower(value.get<std::string>()).find(walk.context.steer_word) != std::string::npos) {
        return value;
      }
    }
  }
  if (LooksLikeSection(walk.property)) {
    for (const std::string& section : walk.context.sections) {
      for (const auto& value : values) {
        if (value == section) return value;
      }
    }
  }
  return values[walk.Hash() % values.size()];
}

std::string Words(const Walk& walk, size_t count) {
  std::string text;
  uint64_t h = walk.Hash();
  for (size_t i = 0; i < count; ++i) {
    h = Mix(h);
    if (!text.empty()) text += ' ';
    text += kWords[h % std::size(kWords)];
  }
  return text;
}

std::string BaseString(const Walk& walk) {
  const std::string name = Lower(walk.property);
  if (LooksLikeSection(name)) {
    const auto& sections = walk.context.sections;
    if (sections.empty()) return "main";
    return sections[walk.Hash() % sections.size()];
  }
  if (walk.context.string_hook) {
    if (auto hooked = walk.context.string_hook(walk.property)) return *hooked;
  }
  if (name == "id" || name.ends_with("_id")) return "item-" + std::to_string(walk.Hash() % 1000);
  if (name.find("name") != std::string::npos || name.find("title") != std::string::npos) {
    return Words(walk, 2);
  }
  return Words(walk, 6);
}

json FakeString(const json& schema, const Walk& walk) {
  std::string text = BaseString(walk);
  const size_t min_length = schema.value("minLength", size_t{0});
  const size_t max_length = schema.value("maxLength", size_t{1} << 20);
  while (text.size() < min_length) text += text.empty() ? "x" : " " + text;
  if (text.size() > max_length) text.resize(std::max(min_length, max_length));
  if (text.size() < min_length) text.append(min_length - text.size(), 'x');
  return text;
}

// [low, high] from minimum/maximum and the exclusive forms, around a default range.
std::pair<double, double> Bounds(const json& schema, bool integer) {
  const double step = integer ? 1.0 : 1e-6;
  double low = schema.value("minimum", -1e300);
  double high = schema.value("maximum", 1e300);
  if (schema.contains("exclusiveMinimum") && schema["exclusiveMinimum"].is_number()) {
    low = std::max(low, schema["exclusiveMinimum"].get<double>() + step);
  }
  if (schema.contains("exclusiveMaximum") && schema["exclusiveMaximum"].is_number()) {
    high = std::min(high, schema["exclusiveMaximum"].get<double>() - step);
  }
  if (low < -1e299 && high > 1e299) return {0, 10};
  if (low < -1e299) low = high - 10;
  if (high > 1e299) high = low + 10;
  if (integer) return {std::ceil(low), std::floor(high)};
  return {low, high};
}

json FakeNumber(const json& schema, const Walk& walk, bool integer) {
  const auto [low, high] = Bounds(schema, integer);
  if (high <= low) return integer ? json(static_cast<int64_t>(low)) : json(low);
  const double u = UnitInterval(walk.Hash());
  if (integer) {
    const auto span = static_cast<uint64_t>(high - low) + 1;
    return static_cast<int64_t>(low) + static_cast<int64_t>(walk.Hash() % span);
  }
  return std::clamp(std::round((low + u * (high - low)) * 100) / 100, low, high);
}

json FakeObject(const json& schema, const Walk& walk) {
  json object = json::object();
  if (!schema.contains("properties") || !schema["properties"].is_object()) return object;
  for (const auto& [name, property] : schema["properties"].items()) {
    object[name] = Fake(property, walk.Child("." + name, name));
  }
  return object;
}

json FakeArray(const json& schema, const Walk& walk) {
  const size_t min_items = schema.value("minItems", size_t{0});
  const size_t max_items = schema.value("maxItems", size_t{64});
  size_t count = std::max<size_t>(min_items, 1 + walk.Hash() % 3);
  count = std::min(count, std::max(min_items, max_items));
  const json items = schema.contains("items") ? schema["items"] : json::object();
  json array = json::array();
  for (size_t i = 0; i < count; ++i) {
    // Built in steps: g++ 12 at -O3 misreads `"[" + std::to_string(i)` (-Wrestrict).
    std::string index = "[";
    index += std::to_string(i);
    index += ']';
    array.push_back(Fake(items, walk.Child(index, walk.property)));
  }
  return array;
}

json MergeAllOf(const json& schema) {
  json merged = schema;
  merged.erase("allOf");
  for (const auto& part : schema["allOf"]) {
    if (!part.is_object()) continue;
    for (const auto& [key, value] : part.items()) {
      if (key == "properties" && merged.contains("properties")) {
        merged["properties"].update(value);
      } else if (key == "required" && merged.contains("required")) {
        for (const auto& r : value) merged["required"].push_back(r);
      } else {
        merged[key] = value;
      }
    }
  }
  return merged;
}

json Fake(const json& schema, const Walk& walk) {
  if (!schema.is_object() || walk.depth > kMaxDepth) return nullptr;
  if (schema.contains("const")) return schema["const"];
  if (schema.contains("enum") && schema["enum"].is_array() && !schema["enum"].empty()) {
    return PickEnum(schema["enum"], walk);
  }
  for (const char* branch : {"anyOf", "oneOf"}) {
    if (schema.contains(branch) && schema[branch].is_array() && !schema[branch].empty()) {
      return Fake(schema[branch][0], walk);
    }
  }
  if (schema.contains("allOf") && schema["allOf"].is_array()) return Fake(MergeAllOf(schema), walk);
  const std::string type = TypeOf(schema);
  if (type == "object") return FakeObject(schema, walk);
  if (type == "array") return FakeArray(schema, walk);
  if (type == "integer") return FakeNumber(schema, walk, /*integer=*/true);
  if (type == "number") return FakeNumber(schema, walk, /*integer=*/false);
  if (type == "boolean") return (walk.Hash() & 1) == 0;
  if (type == "null") return nullptr;
  return FakeString(schema, walk);
}

}  // namespace

nlohmann::json FakeValue(const nlohmann::json& schema, const FakerContext& context) {
  try {
    return Fake(schema, Walk{context, "$", "", 0});
  } catch (const std::exception&) {
    return nullptr;  // a schema with values of unexpected types
  }
}

}  // namespace hfs::emulator
