// tools/emulator/section_code.h
//
// What the emulated model knows about page sections: it finds section names in the
// conversation ("section: hero", `section_id: "pricing"`, "sections: hero, features",
// "## Section hero") and writes code for a section that really renders: an HTML
// fragment with its <style> and <script>, or a TSX React component.
//
//   std::vector<std::string> sections = FindSectionNames({system_text, user_text});
//   std::string html = SectionCode("hero", CodeFlavour::kHtml);
//
// Thread-safe free functions (pure).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hfs::emulator {

enum class CodeFlavour { kHtml, kReact };

// Lowercase section ids in order of first appearance, without duplicates.
std::vector<std::string> FindSectionNames(const std::vector<std::string>& texts);

// A self-contained fragment for `section` (an id such as "hero" or "pricing-table").
std::string SectionCode(std::string_view section, CodeFlavour flavour);

}  // namespace hfs::emulator
