// The hfs executable: watches for SIGINT/SIGTERM (commands register what to save), loads
// the environment (.env files included), sets up logging to stderr, runs the command
// line, and turns any escaped exception into exit code 1.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdlib>
#include <exception>
#include <iostream>
#include <string_view>

#include "hfs/app/cli.h"
#include "hfs/app/interrupt_watcher.h"
#include "hfs/base/env.h"

int main(int argc, char** argv) {
  spdlog::set_default_logger(spdlog::stderr_color_mt("hfs"));
  spdlog::set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
  hfs::app::InterruptWatcher interrupts;
  interrupts.Start();
  try {
    hfs::Env process = hfs::Env::FromProcess(environ);
    hfs::Result<hfs::Env> env =
        hfs::Env::Load({.process = environ, .dotenv_files = hfs::DefaultDotEnvFiles(process)});
    if (!env) {
      std::cerr << "Error: " << env.error().message << "\n";
      return static_cast<int>(hfs::app::ExitCode::kUsage);
    }
    const char* term = std::getenv("TERM");
    const bool terminal =
        isatty(STDERR_FILENO) == 1 && term != nullptr && std::string_view(term) != "dumb";
    hfs::app::CommandIo io{std::cout, std::cerr, *env, &interrupts, terminal};
    return hfs::app::RunCli(argc, argv, io);
  } catch (const std::exception& e) {
    std::cerr << "Internal error: " << e.what() << "\n";
    return static_cast<int>(hfs::app::ExitCode::kRunFailed);
  }
}
