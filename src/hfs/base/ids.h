// hfs/base/ids.h
//
// Identifiers: random 128-bit trace ids and 64-bit span ids (OpenTelemetry sizes, never
// all zero), rendered as lowercase hex; and run ids that sort by start time.
//
//   TraceId trace = NewTraceId();
//   std::string hex = ToHex(trace);          // 32 hex characters
//   std::string run = NewRunId(clock.Now()); // "20261124-105030-3fa9c1"
//
// Thread-safe: each thread draws from its own random engine.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "hfs/base/clock.h"

namespace hfs {

using TraceId = std::array<uint8_t, 16>;
using SpanId = std::array<uint8_t, 8>;

TraceId NewTraceId();
SpanId NewSpanId();
bool IsZero(std::span<const uint8_t> id);

// Lowercase hex of the bytes, two characters per byte.
std::string ToHex(std::span<const uint8_t> bytes);
// Parses exactly 2*N hex characters; nullopt otherwise.
std::optional<TraceId> TraceIdFromHex(std::string_view hex);
std::optional<SpanId> SpanIdFromHex(std::string_view hex);

// "YYYYMMDD-HHMMSS-xxxxxx" (UTC time of `now` and 24 random bits).
std::string NewRunId(Timestamp now);

}  // namespace hfs
