// tools/emulator/seeded.h
//
// Deterministic randomness: every random choice of the emulator is a pure function of
// the configured seed and of what it is about (a request number, a property path), so a
// run with the same seed and the same requests behaves the same.
//
//   uint64_t h = SeedFor(options.seed, "tool-choice", conversation_text);
//   size_t pick = h % tools.size();
//   bool fire = UnitInterval(SeedFor(options.seed, request_number)) < 0.05;
//
// Thread-safe free functions (pure).
#pragma once

#include <cstdint>
#include <string_view>

namespace hfs::emulator {

// SplitMix64 finalizer: a well-mixed 64-bit function of x.
constexpr uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// FNV-1a folded into Mix.
constexpr uint64_t HashText(std::string_view text) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : text) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return Mix(h);
}

constexpr uint64_t SeedFor(uint64_t seed, uint64_t value) { return Mix(seed ^ Mix(value)); }
constexpr uint64_t SeedFor(uint64_t seed, std::string_view a, std::string_view b = {}) {
  return Mix(seed ^ HashText(a) ^ Mix(HashText(b)));
}

// Uniform in [0, 1) from the top 53 bits.
constexpr double UnitInterval(uint64_t h) {
  return static_cast<double>(h >> 11) * (1.0 / 9007199254740992.0);
}

}  // namespace hfs::emulator
