// tools/emulator/section_files.h
//
// The writers behind SectionFiles (internal to tools/emulator): a region's files in its
// output format with the given habits, and a concern's files for its contribution.
//
//   std::vector<EmulatedFile> files = RegionFiles(ask, HabitsFor(ask, seed), seed);
//   std::vector<EmulatedFile> concern = ConcernFiles(ask);
//
// Thread-safe free functions (pure).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tools/emulator/section_code.h"

namespace hfs::emulator {

bool HasHabit(const std::vector<Habit>& habits, Habit habit);

// Unfenced files of a region (SectionFiles adds the Markdown fence habit).
std::vector<EmulatedFile> RegionFiles(const CodeAsk& ask, const std::vector<Habit>& habits,
                                      uint64_t seed);

// Files of a concern: tokens/styles/requirements CSS, a behaviour ES module, data JSON.
std::vector<EmulatedFile> ConcernFiles(const CodeAsk& ask);

// The product a page is about: the part of the page title after its dash ("Pricing —
// SaaS product" -> "SaaS product"), else the page title, else "Acme".
std::string ProductOf(const CodeAsk& ask);

}  // namespace hfs::emulator
