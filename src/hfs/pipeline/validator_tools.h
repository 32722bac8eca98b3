// hfs/pipeline/validator_tools.h
//
// Finds the external validators' tools at run time: node, the pinned npm packages of
// tools/validators (esbuild, playwright-core, axe-core, react, react-dom, vue, svelte,
// installed with `npm ci --prefix tools/validators`) beside its scripts build.mjs and
// render.mjs, and Chromium. The validators directory is
//   1. $HFS_VALIDATORS_DIR when set (a directory holding build.mjs, render.mjs and
//      node_modules/; nothing else is tried when it is wrong), else
//   2. the first of <dir>/tools/validators and <dir>/share/hfs/validators holding
//      node_modules/, for <dir> each ancestor of the hfs executable's directory, then of
//      the current directory (so a build tree inside the repository and an installed
//      prefix both work).
// node is $HFS_NODE or `node` in PATH; Chromium is $HFS_CHROMIUM or the first of
// chromium, chromium-browser in PATH. Chromium runs with its sandbox where it can work
// (DecideChromiumSandbox), with --no-sandbox elsewhere.
//
//   ValidatorTools tools = DetectValidatorTools(ValidatorSearchFrom(env, {exe_dir, cwd}));
//   if (!tools.chromium.available) Print(tools.chromium.reason);
//
// Thread-compatible. Never fails: a missing tool is `available = false` with the reason.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "hfs/base/env.h"

namespace hfs::pipeline {

struct ValidatorTool {
  // "node", "esbuild", "chromium", "playwright-core", "axe-core", "react", "react-dom", "vue",
  // "svelte".
  std::string name;
  bool available = false;
  // What was checked: the executable or package directory.
  std::filesystem::path path;
  std::string version;
  // Why it is not available ("" when it is).
  std::string reason;
};

// Whether Chromium runs with its sandbox, and why.
struct ChromiumSandbox {
  bool enabled = false;
  // "unprivileged user namespaces work", "hfs runs as root", ...
  std::string reason;
};

// What the sandbox decision looks at (ReadSandboxFacts reads them on this machine).
struct SandboxFacts {
  // The effective user is root: Chromium refuses its sandbox then.
  bool root = false;
  // A child process could make a user namespace (unshare(CLONE_NEWUSER)).
  bool user_namespaces = false;
  // kernel.apparmor_restrict_unprivileged_userns=1: such namespaces are of no use.
  bool apparmor_restricts_user_namespaces = false;
  // chrome-sandbox, Chromium's setuid-root helper, is installed beside it.
  bool setuid_helper = false;
};

// The sandbox where it can work: not as root; with the setuid helper, or else with
// unprivileged user namespaces that AppArmor does not restrict.
ChromiumSandbox DecideChromiumSandbox(const SandboxFacts& facts);

// The facts for `chromium` (the executable found), by cheap checks: the effective uid, a
// forked child's unshare(CLONE_NEWUSER), the AppArmor sysctl, chrome-sandbox's mode.
SandboxFacts ReadSandboxFacts(const std::filesystem::path& chromium);

// Whether to run `node --version` and `chromium --version` (a doctor does; a run need not).
enum class VersionProbe { kSkip, kRun };

struct ValidatorSearch {
  // $HFS_VALIDATORS_DIR.
  std::optional<std::filesystem::path> validators_dir;
  // Directories whose ancestors are searched, in order.
  std::vector<std::filesystem::path> search_from;
  // $PATH.
  std::string path_variable;
  std::optional<std::string> node;      // $HFS_NODE
  std::optional<std::string> chromium;  // $HFS_CHROMIUM
  VersionProbe probe = VersionProbe::kSkip;
};

struct ValidatorTools {
  // The directory holding build.mjs, render.mjs and node_modules/; empty when none.
  std::filesystem::path dir;
  // How `dir` was chosen, or why there is none.
  std::string dir_reason;
  ValidatorTool node{.name = "node"};
  ValidatorTool esbuild{.name = "esbuild"};
  ValidatorTool chromium{.name = "chromium"};
  ValidatorTool playwright{.name = "playwright-core"};
  ValidatorTool axe{.name = "axe-core"};
  ValidatorTool react{.name = "react"};
  ValidatorTool react_dom{.name = "react-dom"};
  ValidatorTool vue{.name = "vue"};
  ValidatorTool svelte{.name = "svelte"};
  // How Chromium runs (decided when it is available).
  ChromiumSandbox sandbox{.reason = "chromium is not available"};

  // esbuild syntax checks and builds (node + esbuild + build.mjs).
  bool CanBundle() const { return esbuild.available; }
  // Rendering (node + playwright-core + chromium + render.mjs).
  bool CanRender() const { return chromium.available; }
  bool CanAudit() const { return axe.available; }
  bool CanBundleReact() const {
    return esbuild.available && react.available && react_dom.available;
  }
  bool CanBuildVue() const { return esbuild.available && vue.available; }
  bool CanBuildSvelte() const { return esbuild.available && svelte.available; }
  std::vector<ValidatorTool> All() const {
    return {node, esbuild, chromium, playwright, axe, react, react_dom, vue, svelte};
  }
};

// The search of the file comment from `env` (HFS_VALIDATORS_DIR, PATH, HFS_NODE,
// HFS_CHROMIUM) and the directories to search from.
ValidatorSearch ValidatorSearchFrom(const Env& env, std::vector<std::filesystem::path> search_from,
                                    VersionProbe probe = VersionProbe::kSkip);

ValidatorTools DetectValidatorTools(const ValidatorSearch& search);

}  // namespace hfs::pipeline
