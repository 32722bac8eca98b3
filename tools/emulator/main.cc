// tools/emulator/main.cc
//
// hfs-emulator: serves the emulated providers until SIGTERM or SIGINT.
//   hfs-emulator [--config FILE] [--host H] [--port N] [--seed N] [--window-scale X]
//                [--realism kind|realistic]
//   hfs-emulator --print-env URL
// Prints "listening on HOST:PORT" on stdout once it accepts connections.
#include <fmt/format.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "hfs/base/clock.h"
#include "hfs/base/try.h"
#include "tools/emulator/config.h"
#include "tools/emulator/emulator.h"
#include "tools/emulator/server.h"

namespace hfs::emulator {
namespace {

constexpr int kEnvKeyCount = 8;

struct Flags {
  std::optional<std::string> config;
  std::optional<std::string> host;
  std::optional<int> port;
  std::optional<uint64_t> seed;
  std::optional<double> window_scale;
  std::optional<RealismProfile> realism;
  std::optional<std::string> print_env;
};

constexpr const char* kUsage =
    "usage: hfs-emulator [--config FILE] [--host HOST] [--port N] [--seed N]\n"
    "                    [--window-scale X] [--realism kind|realistic] | --print-env URL\n";

Result<Flags> ParseFlags(const std::vector<std::string>& args) {
  Flags flags;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--help" || flag == "-h") return Fail(ErrorCode::kInvalidArgument, "help");
    if (i + 1 >= args.size()) return Fail(ErrorCode::kInvalidArgument, flag + " needs a value");
    const std::string& value = args[++i];
    try {
      if (flag == "--config")
        flags.config = value;
      else if (flag == "--host")
        flags.host = value;
      else if (flag == "--port")
        flags.port = std::stoi(value);
      else if (flag == "--seed")
        flags.seed = std::stoull(value);
      else if (flag == "--window-scale")
        flags.window_scale = std::stod(value);
      else if (flag == "--print-env")
        flags.print_env = value;
      else if (flag == "--realism")
        flags.realism = ParseRealismProfile(value);
      else
        return Fail(ErrorCode::kInvalidArgument, "unknown flag " + flag);
    } catch (const std::exception&) {
      return Fail(ErrorCode::kInvalidArgument, fmt::format("bad value for {}: {}", flag, value));
    }
  }
  if (std::find(args.begin(), args.end(), "--realism") != args.end() && !flags.realism) {
    return Fail(ErrorCode::kInvalidArgument, "--realism must be kind or realistic");
  }
  if (flags.window_scale && *flags.window_scale <= 0) {
    return Fail(ErrorCode::kInvalidArgument, "--window-scale must be positive");
  }
  return flags;
}

void PrintEnv(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  const std::pair<const char*, const char*> providers[] = {{"CEREBRAS", "cerebras"},
                                                           {"GROQ", "groq"},
                                                           {"GEMINI", "gemini"},
                                                           {"OPENROUTER", "openrouter"}};
  for (const auto& [upper, lower] : providers) {
    fmt::print("export NUM_{}={}\n", upper, kEnvKeyCount);
    for (int i = 1; i <= kEnvKeyCount; ++i) {
      fmt::print("export {}_API_KEY_{}=emu-{}-{}\n", upper, i, lower, i);
    }
    const auto personality = ParsePersonality(lower);
    fmt::print("export HFS_{}_BASE_URL={}{}\n", upper, url, DefaultPrefix(*personality));
  }
}

Result<EmulatorOptions> Options(const Flags& flags) {
  EmulatorOptions options = flags.config ? HFS_TRY(LoadConfig(*flags.config)) : DefaultOptions();
  if (flags.host) options.host = *flags.host;
  if (flags.port) options.port = *flags.port;
  if (flags.seed) options.seed = *flags.seed;
  if (flags.window_scale) options.window_scale = *flags.window_scale;
  if (flags.realism) options.realism = *flags.realism;
  return options;
}

// Blocks SIGTERM and SIGINT in every thread (call before starting any) and returns the set.
sigset_t BlockStopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

int Run(const std::vector<std::string>& args) {
  const auto flags = ParseFlags(args);
  if (!flags) {
    std::fputs(kUsage, stderr);
    return flags.error().message == "help" ? 0
                                           : (fmt::print(stderr, "{}\n", flags.error().message), 2);
  }
  if (flags->print_env) {
    PrintEnv(*flags->print_env);
    return 0;
  }
  const auto options = Options(*flags);
  if (!options) {
    fmt::print(stderr, "hfs-emulator: {}\n", options.error().ToString());
    return 2;
  }
  const sigset_t signals = BlockStopSignals();
  SystemClock clock;
  Emulator emulator(*options, clock);
  Server server(emulator, options->threads);
  const auto port = server.Start(options->host, options->port);
  if (!port) {
    fmt::print(stderr, "hfs-emulator: {}\n", port.error().ToString());
    return 1;
  }
  fmt::print("listening on {}:{}\n", options->host, *port);
  std::fflush(stdout);
  int received = 0;
  sigwait(&signals, &received);
  server.Stop();
  return 0;
}

}  // namespace
}  // namespace hfs::emulator

int main(int argc, char** argv) {
  return hfs::emulator::Run(std::vector<std::string>(argv + 1, argv + argc));
}
