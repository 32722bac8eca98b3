// hfs/base/env.h
//
// Env is a snapshot of configuration variables: the process environment, plus the
// variables of `.env` files, which never override a variable that is already set.
// Components read variables through an Env they are given, never through getenv, so
// tests build an Env from a map. Each variable remembers where it came from: the
// working directory's `.env` may come with a cloned repository, so it is trusted less
// (hfs/keys/key_discovery.h does not let it redirect keys set elsewhere).
//
//   Env env = HFS_TRY(Env::Load({.process = environ,
//                                .dotenv_files = DefaultDotEnvFiles(Env::FromProcess(environ))}));
//   std::optional<std::string> count = env.Get("NUM_CEREBRAS");
//   bool trusted = env.Source("HFS_GROQ_BASE_URL") != EnvSource::kWorkingDirectoryFile;
//
// Thread-compatible value type; const access is safe from many threads.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hfs/base/error.h"

namespace hfs {

// Where a variable came from. Variables set directly (Env(Variables), SetDefault without
// a source) count as kProcess.
enum class EnvSource { kProcess, kUserFile, kWorkingDirectoryFile };

struct DotEnvFile {
  // Implicit, so that a list of paths is a list of user files.
  DotEnvFile(std::filesystem::path file, EnvSource from = EnvSource::kUserFile)
      : path(std::move(file)), source(from) {}
  std::filesystem::path path;
  EnvSource source;
};

struct EnvLoadOptions {
  // A NULL-terminated "NAME=value" array such as `environ`; may be null.
  char** process = nullptr;
  // Read in order; a missing file is skipped, an unreadable or malformed one is an error.
  std::vector<DotEnvFile> dotenv_files;
};

class Env {
 public:
  Env() = default;
  using Variables = std::map<std::string, std::string, std::less<>>;
  explicit Env(Variables variables) : variables_(std::move(variables)) {}

  // The process variables only.
  static Env FromProcess(char** process);
  // Fails with kInvalidArgument naming file:line for a malformed .env line, or
  // kPermissionDenied/kDataLoss when a file exists but cannot be read.
  static Result<Env> Load(const EnvLoadOptions& options);

  std::optional<std::string> Get(std::string_view name) const;
  // Get(name), or `fallback` when unset or empty.
  std::string GetOr(std::string_view name, std::string_view fallback) const;
  // Where `name` came from; kProcess when it is unset.
  EnvSource Source(std::string_view name) const;
  // Sets `name` unless it is already set. Returns whether it was set.
  bool SetDefault(std::string name, std::string value, EnvSource source = EnvSource::kProcess);
  // The .env files that contributed at least one variable.
  const std::vector<std::filesystem::path>& loaded_files() const { return loaded_files_; }

 private:
  Variables variables_;
  // Only variables that did not come from the process.
  std::map<std::string, EnvSource, std::less<>> sources_;
  std::vector<std::filesystem::path> loaded_files_;
};

// Parses .env text: `NAME=value`, `export NAME=value`, '#' comments, blank lines,
// single- or double-quoted values (double quotes understand \n, \" and \\). A UTF-8
// byte order mark at the start is skipped; CRLF line ends are fine.
// `file_name` is used in errors only: "FILE:LINE: expected NAME=value".
Result<std::vector<std::pair<std::string, std::string>>> ParseDotEnv(std::string_view text,
                                                                     std::string_view file_name);

// $HFS_HOME, or ~/.hfs when HFS_HOME is unset.
std::filesystem::path HfsHome(const Env& env);
// "./.env" (kWorkingDirectoryFile) then "$HFS_HOME/.env" (kUserFile). Pass the process
// variables, so that no .env file chooses which $HFS_HOME is read.
std::vector<DotEnvFile> DefaultDotEnvFiles(const Env& env);

}  // namespace hfs
