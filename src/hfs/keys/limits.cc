#include "hfs/keys/limits.h"

namespace hfs::keys {

const std::vector<LimitRule>& ProviderLimits::RulesFor(std::string_view model,
                                                       int key_index) const {
  static const std::vector<LimitRule> kNone;
  if (auto key = key_overrides.find(key_index); key != key_overrides.end()) {
    if (auto it = key->second.find(model); it != key->second.end()) return it->second;
    if (auto it = key->second.find(kAnyModel); it != key->second.end()) return it->second;
  }
  if (auto it = models.find(model); it != models.end()) return it->second;
  if (auto it = models.find(kAnyModel); it != models.end()) return it->second;
  return kNone;
}

}  // namespace hfs::keys
