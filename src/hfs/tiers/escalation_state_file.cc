#include "hfs/tiers/escalation_state_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "hfs/base/file.h"
#include "hfs/base/file_lock.h"
#include "hfs/base/try.h"

namespace hfs::tiers {
namespace {

using nlohmann::json;

constexpr int kVersion = 1;

Error Corrupt(const std::filesystem::path& path, std::string_view what) {
  return Error{ErrorCode::kDataLoss,
               fmt::format("{}: not a valid escalation state file ({}); fix it or run "
                           "`hfs tiers reset -c CONFIG` to start over",
                           path.string(), what)};
}

Result<EscalationMap> Parse(const std::filesystem::path& path, const std::string& text) {
  const json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return Fail(Corrupt(path, "malformed JSON"));
  if (!document.is_object() || !document.contains("escalations") ||
      !document["escalations"].is_array()) {
    return Fail(Corrupt(path, "expected an object with an \"escalations\" array"));
  }
  if (document.value("version", kVersion) != kVersion) {
    return Fail(Corrupt(path, fmt::format("unsupported version {}", document["version"].dump())));
  }
  EscalationMap state;
  for (const json& entry : document["escalations"]) {
    if (!entry.is_object() || !entry.contains("role") || !entry["role"].is_string() ||
        !entry.contains("tier") || !entry["tier"].is_string() ||
        (entry.contains("triad") && !entry["triad"].is_string())) {
      return Fail(Corrupt(path, fmt::format("bad entry {}", entry.dump())));
    }
    std::optional<Tier> tier = ParseTier(entry["tier"].get<std::string>());
    if (!tier) return Fail(Corrupt(path, fmt::format("unknown tier in {}", entry.dump())));
    RoleKey key{.triad = entry.value("triad", ""), .role = entry["role"].get<std::string>()};
    Tier& slot = state.try_emplace(std::move(key), *tier).first->second;
    slot = std::max(slot, *tier);
  }
  return state;
}

std::string Serialize(const EscalationMap& state) {
  json entries = json::array();
  for (const auto& [key, tier] : state) {
    entries.push_back({{"triad", key.triad}, {"role", key.role}, {"tier", TierName(tier)}});
  }
  return json{{"version", kVersion}, {"escalations", entries}}.dump(2) + "\n";
}

}  // namespace

std::string RoleKeyName(const RoleKey& key) {
  return key.triad.empty() ? key.role : key.triad + ":" + key.role;
}

std::filesystem::path EscalationStatePath(const std::filesystem::path& config_path) {
  return config_path.parent_path() / ".hfs" / "escalations.json";
}

Result<EscalationMap> ReadEscalationState(const std::filesystem::path& path) {
  Result<std::string> text = ReadFile(path);
  if (!text) {
    if (text.error().code == ErrorCode::kNotFound) return EscalationMap{};
    return Fail(text.error());
  }
  return Parse(path, *text);
}

Result<EscalationMap> MergeEscalation(const std::filesystem::path& path, const RoleKey& key,
                                      Tier tier, std::chrono::milliseconds lock_timeout) {
  FileLock lock = HFS_TRY(FileLock::Acquire(path, lock_timeout));
  EscalationMap state = HFS_TRY(ReadEscalationState(path));
  Tier& slot = state.try_emplace(key, tier).first->second;
  slot = std::max(slot, tier);
  HFS_RETURN_IF_ERROR(WriteFileAtomic(path, Serialize(state)));
  return state;
}

Result<size_t> ClearEscalationState(const std::filesystem::path& path,
                                    std::chrono::milliseconds lock_timeout) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return size_t{0};
  FileLock lock = HFS_TRY(FileLock::Acquire(path, lock_timeout));
  // A corrupt file is cleared too: that is what reset is for.
  Result<EscalationMap> state = ReadEscalationState(path);
  HFS_RETURN_IF_ERROR(WriteFileAtomic(path, Serialize({})));
  return state ? state->size() : size_t{0};
}

}  // namespace hfs::tiers
