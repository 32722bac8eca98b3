// hfs/app/cli.h
//
// The `hfs` command line: global flags (--version, -v/--verbose) and the subcommands
// validate-config, list-presets and run, parsed with CLI11 and dispatched to
// hfs/app/commands.h. Usage errors print a message and return ExitCode::kUsage.
//
//   CommandIo io{std::cout, std::cerr, env};
//   return RunCli(argc, argv, io);
//
// Thread-compatible.
#pragma once

#include "hfs/app/commands.h"

namespace hfs::app {

int RunCli(int argc, const char* const* argv, CommandIo& io);

}  // namespace hfs::app
