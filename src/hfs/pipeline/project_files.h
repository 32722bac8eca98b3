// hfs/pipeline/project_files.h
//
// The files a user needs to keep developing a generated react, vue or svelte frontend
// without HFS: package.json (private, type module, the format's packages at the exact
// versions pinned in tools/validators/package.json, esbuild as a devDependency, and
// `npm run build` = `node build.mjs --dir . --format <format> --out dist`) and build.mjs
// (tools/validators/build.mjs, the same script the validators build with). Both are
// compiled into the binary at configure time (src/hfs/pipeline/CMakeLists.txt), so editing
// either file re-runs the configure step. html and vanilla output needs no build: none.
//
//   for (const auto& [path, content] : ProjectFiles(OutputFormat::kVue, "Pricing")) {
//     Write(run_dir / path, content);   // then: npm install && npm run build -> dist/
//   }
//
// Pure; thread-safe. Never fails.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "hfs/pipeline/pipeline_options.h"

namespace hfs::pipeline {

// Path -> content: {"package.json", "build.mjs"} for react, vue and svelte; empty for html
// and vanilla. `title` names the package (lower-cased, "hfs-frontend" when nothing is left).
std::map<std::string, std::string> ProjectFiles(OutputFormat format, std::string_view title);

namespace internal {

// Generated at configure time from tools/validators (project_files_builtin.cc).
std::string_view BuiltinBuildScript();
// The exact version tools/validators/package.json pins for `package`; "" when none.
std::string_view PinnedVersion(std::string_view package);

}  // namespace internal
}  // namespace hfs::pipeline
