#include "hfs/page/imports.h"

#include <gtest/gtest.h>

namespace hfs::page {
namespace {

std::vector<std::string> Specifiers(const std::vector<ImportUse>& uses) {
  std::vector<std::string> specifiers;
  for (const ImportUse& use : uses) specifiers.push_back(use.specifier);
  return specifiers;
}

TEST(ImportsOfTest, StaticDynamicExportAndRequireForms) {
  std::vector<ImportUse> uses = ImportsOf(
      "import React from 'react';\n"
      "import './styles.css';\n"
      "import { useState, type FC } from \"react\";\n"
      "import * as THREE from 'three';\n"
      "import Default, {\n  a as b,\n  c,\n} from '@scope/pkg/sub';\n"
      "import type { Props } from './types';\n"
      "export { default as Button } from './Button';\n"
      "export * from '../lib';\n"
      "const Page = lazy(() => import('./Page'));\n"
      "const fs = require('fs');\n"
      "const tpl = await import(`./static.js`);\n");
  EXPECT_EQ(Specifiers(uses), (std::vector<std::string>{"react", "./styles.css", "react", "three",
                                                        "@scope/pkg/sub", "./types", "./Button",
                                                        "../lib", "./Page", "fs", "./static.js"}));
}

TEST(ImportsOfTest, LineNumbersAreThoseOfTheSpecifier) {
  std::vector<ImportUse> uses = ImportsOf(
      "// header\n"
      "import a from 'a';\n"
      "\n"
      "import {\n  b,\n} from 'b';\n"
      "f(require(\n  'c'));\n");
  ASSERT_EQ(uses.size(), 3u);
  EXPECT_EQ(uses[0].line, 2);
  EXPECT_EQ(uses[1].line, 6);
  EXPECT_EQ(uses[2].line, 8);
}

TEST(ImportsOfTest, CommentsStringsAndNonImportsAreIgnored) {
  std::vector<ImportUse> uses = ImportsOf(
      "// import x from 'commented';\n"
      "/* require('block') */\n"
      "const s = \"import y from 'in-string'\";\n"
      "const t = `require('in-template')`;\n"
      "console.log(import.meta.env.MODE);\n"
      "const name = 'dyn';\n"
      "import(`./pages/${name}.js`);\n"
      "require(name);\n"
      "obj.require('member');\n"
      "export const from = 'x';\n"
      "export default { from: 'y' };\n"
      "import real from 'real';\n");
  EXPECT_EQ(Specifiers(uses), std::vector<std::string>{"real"});
}

TEST(ImportsOfTest, JsxTextIsNotCode) {
  std::vector<ImportUse> uses = ImportsOf(
      "import x from 'x';\n"
      "export const P = () => <p>We import goods from 'abroad' and don't require('much')</p>;\n");
  EXPECT_EQ(Specifiers(uses), std::vector<std::string>{"x"});
}

TEST(ImportsOfTest, VueFileCountsOnlyScriptBlocks) {
  std::vector<ImportUse> uses = ImportsOf(
      "<template>\n"
      "  <p>import fake from 'template'</p>\n"
      "</template>\n"
      "\n"
      "<script setup lang=\"ts\">\n"
      "import { ref } from 'vue'\n"
      "import Card from './Card.vue'\n"
      "</script>\n"
      "\n"
      "<style scoped>\n"
      "@import 'theme.css';\n"
      "</style>\n");
  ASSERT_EQ(Specifiers(uses), (std::vector<std::string>{"vue", "./Card.vue"}));
  EXPECT_EQ(uses[0].line, 6);
  EXPECT_EQ(uses[1].line, 7);
}

TEST(ImportsOfTest, SvelteFileWithTwoScriptBlocks) {
  std::vector<ImportUse> uses = ImportsOf(
      "<script context=\"module\">\n"
      "  export const prerender = true;\n"
      "</script>\n"
      "<script>\n"
      "  import { onMount } from 'svelte';\n"
      "</script>\n"
      "<h1>Hello {name}</h1>\n"
      "<p>import nothing from 'markup'</p>\n");
  ASSERT_EQ(Specifiers(uses), std::vector<std::string>{"svelte"});
  EXPECT_EQ(uses[0].line, 5);
}

TEST(ImportsOfTest, TypeScriptGenericsDoNotHideImports) {
  std::vector<ImportUse> uses = ImportsOf(
      "import { ref } from 'vue';\n"
      "const a = <T,>(x: T) => x;\n"
      "const b = ref<string>('');\n"
      "import('later');\n");
  EXPECT_EQ(Specifiers(uses), (std::vector<std::string>{"vue", "later"}));
}

TEST(ImportsOfTest, EmptyAndMalformedInput) {
  EXPECT_TRUE(ImportsOf("").empty());
  EXPECT_TRUE(ImportsOf("import").empty());
  EXPECT_TRUE(ImportsOf("import x from 'unterminated\n").empty());
  EXPECT_TRUE(ImportsOf("<script>\nimport a from 'a'").size() == 1u);
}

TEST(IsLocalImportTest, RelativeAndAbsolutePathsAreLocal) {
  EXPECT_TRUE(IsLocalImport("./x"));
  EXPECT_TRUE(IsLocalImport("../x/y.js"));
  EXPECT_TRUE(IsLocalImport("/src/main.ts"));
  EXPECT_TRUE(IsLocalImport("."));
  EXPECT_FALSE(IsLocalImport("react"));
  EXPECT_FALSE(IsLocalImport("@scope/pkg"));
  EXPECT_FALSE(IsLocalImport("//cdn.example.com/x.js"));
  EXPECT_FALSE(IsLocalImport(".hidden"));
  EXPECT_FALSE(IsLocalImport(""));
}

TEST(PackageNameTest, BareAndScopedSpecifiers) {
  EXPECT_EQ(PackageName("react"), "react");
  EXPECT_EQ(PackageName("react-dom/client"), "react-dom");
  EXPECT_EQ(PackageName("@scope/pkg"), "@scope/pkg");
  EXPECT_EQ(PackageName("@scope/pkg/x/y"), "@scope/pkg");
  EXPECT_EQ(PackageName("lodash/debounce.js"), "lodash");
  EXPECT_EQ(PackageName("three?raw"), "three");
}

TEST(PackageNameTest, NonPackagesHaveNoName) {
  EXPECT_EQ(PackageName("./x"), "");
  EXPECT_EQ(PackageName("/x"), "");
  EXPECT_EQ(PackageName("node:fs"), "");
  EXPECT_EQ(PackageName("https://esm.sh/react"), "");
  EXPECT_EQ(PackageName("@/components/X.vue"), "");
  EXPECT_EQ(PackageName("~/utils"), "");
  EXPECT_EQ(PackageName("#internal"), "");
  EXPECT_EQ(PackageName("@scope"), "");
  EXPECT_EQ(PackageName(""), "");
}

}  // namespace
}  // namespace hfs::page
