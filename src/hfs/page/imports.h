// hfs/page/imports.h
//
// The module imports of generated JS/TS/JSX/Vue/Svelte code, found with the scanner of
// hfs/page/code_tokenizer.h (so imports inside comments and strings do not count), and
// the two questions asked about a specifier: is it a local file, and which npm package
// does it name.
//
//   for (const ImportUse& use : ImportsOf(file.content)) {
//     if (IsLocalImport(use.specifier)) CheckExists(file.path, use.specifier, use.line);
//     else if (std::string package = PackageName(use.specifier); !package.empty())
//       dependencies.insert(package);
//   }
//
// Pure functions; thread-safe. They never fail or throw: malformed code yields a best
// effort.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hfs::page {

struct ImportUse {
  std::string specifier;  // as written, without quotes
  int line = 0;           // 1-based line of the specifier in the source
};

// Static `import x from 'a'`, `import 'a'`, `import {a} from "a"`, `import type ...`,
// `export ... from 'a'`, dynamic `import('a')` and `require('a')` (static string or
// template without ${...} arguments only), not inside comments or strings, in text order.
// For .vue/.svelte files (callers pass the whole file) only the <script> blocks count:
// a file with a line starting with `<script` is such a component.
std::vector<ImportUse> ImportsOf(std::string_view source);

// "./x", "../x", "/x", "." and ".." are local ("//host/x" is a URL, not local).
bool IsLocalImport(std::string_view specifier);

// The package name of a bare specifier: "react-dom/client" -> "react-dom",
// "@scope/pkg/x" -> "@scope/pkg", "pkg?raw" -> "pkg". Empty for local specifiers and for
// ones that name no package: URLs and schemes ("https://...", "node:fs", "virtual:x"),
// "#internal" imports and path aliases ("@/x", "~/x").
std::string PackageName(std::string_view specifier);

}  // namespace hfs::page
