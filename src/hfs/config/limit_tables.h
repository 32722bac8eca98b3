// hfs/config/limit_tables.h
//
// Rate-limit tables: the YAML form of keys::ProviderLimits. HFS ships one table per
// built-in provider (config/limits/<provider>.yaml, compiled into the binary), and a
// config may override any model's limits under `providers.<name>.limits`.
//
//   # config/limits/groq.yaml
//   shared_across_models: false
//   models:
//     llama-3.3-70b-versatile: {requests_per_minute: 30, tokens_per_minute: 12000}
//
//   keys::ProviderLimits groq = HFS_TRY(BuiltinLimitTable("groq"));
//
// Thread-compatible free functions; kInvalidArgument with located issues on a bad table.
#pragma once

#include <string_view>

#include "hfs/base/error.h"
#include "hfs/keys/limits.h"

namespace hfs::config {

Result<keys::ProviderLimits> ParseLimitTable(std::string_view yaml, std::string_view file_name);
// The shipped table of a built-in provider; empty limits for any other name.
Result<keys::ProviderLimits> BuiltinLimitTable(std::string_view provider);

}  // namespace hfs::config
