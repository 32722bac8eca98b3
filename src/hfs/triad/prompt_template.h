// hfs/triad/prompt_template.h
//
// Prompt templates: markdown text with named placeholders `{{name}}` (letters, digits and
// '_'). Rendering replaces each with its value; a placeholder without a value is an
// error, so a prompt never reaches a model with a hole in it. `{{{{` writes a literal
// "{{".
//
//   Result<std::string> prompt = RenderTemplate("Build {{request}} for {{triad}}.",
//                                               {{"request", "a pricing page"},
//                                                {"triad", "layout"}}, "deliberate.md");
//
// Pure functions; thread-safe. RenderTemplate fails with kInvalidArgument naming the
// template and every placeholder that has no value, or an unterminated "{{".
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "hfs/base/error.h"

namespace hfs::triad {

using TemplateValues = std::map<std::string, std::string, std::less<>>;

Result<std::string> RenderTemplate(std::string_view text, const TemplateValues& values,
                                   std::string_view template_name);

// The placeholder names a template uses.
std::set<std::string> TemplatePlaceholders(std::string_view text);

}  // namespace hfs::triad
