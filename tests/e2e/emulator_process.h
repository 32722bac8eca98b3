// tests/e2e/emulator_process.h
//
// Starts the built hfs-emulator (HFS_EMULATOR_BINARY) as a child process on an ephemeral
// port, waits for its "listening on HOST:PORT" line, and stops it (SIGTERM) when
// destroyed. Env() gives the variables that point hfs at it (as --print-env prints them).
//
//   EmulatorProcess emulator;
//   ASSERT_TRUE(emulator.started());
//   HfsRun run = RunHfs(home, "run -c ... -r ...", Streams::kBoth, emulator.Env());
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cstdio>
#include <string>
#include <vector>

namespace hfs {

class EmulatorProcess {
 public:
  explicit EmulatorProcess(std::vector<std::string> extra_args = {}) {
    int out[2];
    if (::pipe(out) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      ::close(out[0]);
      ::close(out[1]);
      std::vector<std::string> args = {HFS_EMULATOR_BINARY, "--port", "0"};
      args.insert(args.end(), extra_args.begin(), extra_args.end());
      std::vector<char*> argv;
      for (std::string& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    FILE* stream = ::fdopen(out[0], "r");
    std::array<char, 256> line{};
    if (stream != nullptr && std::fgets(line.data(), line.size(), stream) != nullptr) {
      std::string text(line.data());
      const std::string prefix = "listening on ";
      if (text.rfind(prefix, 0) == 0) {
        address_ = text.substr(prefix.size());
        while (!address_.empty() && (address_.back() == '\n' || address_.back() == '\r')) {
          address_.pop_back();
        }
      }
    }
    stream_ = stream;
  }

  ~EmulatorProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    if (stream_ != nullptr) std::fclose(stream_);
  }
  EmulatorProcess(const EmulatorProcess&) = delete;
  EmulatorProcess& operator=(const EmulatorProcess&) = delete;

  bool started() const { return !address_.empty(); }
  std::string url() const { return "http://" + address_; }

  // NAME=value assignments for the four providers, keys emu-<provider>-1..8.
  std::vector<std::string> Env() const {
    std::vector<std::string> env;
    for (const auto& [name, prefix] :
         {std::pair<std::string, std::string>{"CEREBRAS", "/cerebras/v1"},
          {"GROQ", "/groq/openai/v1"},
          {"GEMINI", "/gemini/v1beta/openai"},
          {"OPENROUTER", "/openrouter/api/v1"}}) {
      std::string lower = name;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      env.push_back("NUM_" + name + "=8");
      for (int i = 1; i <= 8; ++i) {
        env.push_back(name + "_API_KEY_" + std::to_string(i) + "=emu-" + lower + "-" +
                      std::to_string(i));
      }
      env.push_back("HFS_" + name + "_BASE_URL=" + url() + prefix);
    }
    return env;
  }

 private:
  pid_t pid_ = -1;
  FILE* stream_ = nullptr;
  std::string address_;
};

}  // namespace hfs
