// tools/emulator/faults.h
//
// Fault injection: one seeded draw per request picks at most one fault, with the
// probabilities of FaultOptions (their sum is at most 1; the rest is "no fault"). Also the
// helpers that spoil tool-call arguments.
//
//   Fault fault = DrawFault(provider.faults, SeedFor(seed, request_number));
//   if (fault == Fault::kArgumentsNotJson) call.arguments = BreakJson(call.arguments);
//
// Thread-safe free functions (pure).
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "tools/emulator/config.h"

namespace hfs::emulator {

enum class Fault {
  kNone,
  kError500,
  kError502,
  kError503,
  kHang,
  kReset,
  kStreamCut,
  kMalformedJson,
  kArgumentsNotJson,
  kArgumentsViolateSchema,
  kToolUseFailed,
};

// "none", "error_500", ... (the config key of the fault).
std::string_view FaultName(Fault fault);

// The fault for a request whose seeded draw is `draw` (any 64-bit value).
Fault DrawFault(const FaultOptions& options, uint64_t draw);

// Text that is not valid JSON (a truncated copy of `json_text` with a stray brace).
std::string BreakJson(std::string_view json_text);

// Arguments (JSON text) changed so that they fail `schema`: a required property removed,
// else a property given the wrong type, else a value of the wrong type.
std::string ViolateSchema(std::string_view arguments, const nlohmann::json& schema);

}  // namespace hfs::emulator
