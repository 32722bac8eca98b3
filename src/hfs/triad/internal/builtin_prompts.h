// hfs/triad/internal/builtin_prompts.h
//
// The text of prompts/*.md, compiled into the binary by CMake (builtin_prompts.cc is
// generated at configure time), so hfs needs no prompt files at run time.
//
//   for (const BuiltinPrompt& prompt : BuiltinPrompts()) Use(prompt.name, prompt.text);
#pragma once

#include <span>
#include <string_view>

namespace hfs::triad::internal {

struct BuiltinPrompt {
  std::string_view name;  // the file name without ".md"
  std::string_view text;
};

std::span<const BuiltinPrompt> BuiltinPrompts();

}  // namespace hfs::triad::internal
