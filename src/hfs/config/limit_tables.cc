#include "hfs/config/limit_tables.h"

#include "hfs/config/internal/builtin_limit_tables.h"
#include "hfs/config/internal/limit_reader.h"

namespace hfs::config {

Result<keys::ProviderLimits> ParseLimitTable(std::string_view yaml, std::string_view file_name) {
  internal::YamlReader r{std::string(file_name)};
  keys::ProviderLimits limits;
  try {
    YAML::Node root = YAML::Load(std::string(yaml));
    if (r.Map(root, "", {"shared_across_models", "models"})) {
      r.Boolean(root, "shared_across_models", "", limits.shared_across_models);
      if (r.Require(root, "models", "")) {
        internal::ReadModelLimits(r, root["models"], "models", limits.models);
      }
    }
  } catch (const YAML::Exception& e) {
    return Fail(internal::MalformedYaml(file_name, e));
  } catch (const internal::TooManyIssues&) {
    // The first kMaxIssues are reported.
  }
  if (!r.issues().empty()) return Fail(IssuesToError(r.issues()));
  return limits;
}

Result<keys::ProviderLimits> BuiltinLimitTable(std::string_view provider) {
  for (const internal::BuiltinLimitTableText& table : internal::kBuiltinLimitTables) {
    if (table.provider == provider) {
      return ParseLimitTable(table.yaml, "config/limits/" + std::string(provider) + ".yaml");
    }
  }
  return keys::ProviderLimits{};
}

}  // namespace hfs::config
