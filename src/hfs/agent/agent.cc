#include "hfs/agent/agent.h"

namespace hfs::agent {

Result<ModelChoice> RoleModels::Resolve(const ModelQuery& query) {
  std::string_view role = query.role;
  std::string_view phase = query.phase;
  if (auto it = by_role_.find(role); it != by_role_.end()) return it->second;
  if (fallback_) return *fallback_;
  return Fail(ErrorCode::kNotFound,
              "no model is configured for role '" + std::string(role) + "'" +
                  (phase.empty() ? "" : " in phase '" + std::string(phase) + "'"));
}

}  // namespace hfs::agent
