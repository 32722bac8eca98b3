// tests/e2e/run_hfs.h
//
// Runs the built `hfs` binary (HFS_BINARY) as a user would: from the repository, with only
// PATH and HOME set, and returns its exit code and output.
//
//   HfsRun run = RunHfs(home.path(), "validate-config config/examples/standard.yaml");
//   EXPECT_EQ(run.code, 0) << run.output;
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace hfs {

struct HfsRun {
  int code = -1;
  std::string output;
};

enum class Streams { kStdoutOnly, kBoth };

// `env`: extra NAME=value assignments (values must need no shell quoting).
inline HfsRun RunHfs(const std::filesystem::path& home, const std::string& args,
                     Streams streams = Streams::kBoth, const std::vector<std::string>& env = {}) {
  std::string command = "env -i PATH=/usr/bin:/bin HOME=" + home.string();
  for (const std::string& assignment : env) command += " " + assignment;
  command += std::string(" ") + HFS_BINARY + " " + args +
             (streams == Streams::kBoth ? " 2>&1" : " 2>/dev/null");
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return {};
  HfsRun run;
  std::array<char, 4096> buffer;
  while (size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) {
    run.output.append(buffer.data(), n);
  }
  int status = ::pclose(pipe);
  run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

}  // namespace hfs
