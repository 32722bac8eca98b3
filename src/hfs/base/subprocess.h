// hfs/base/subprocess.h
//
// RunSubprocess: runs a program (argv, looked up in PATH when argv[0] has no '/') with a
// timeout, and captures its stdout and stderr. The child runs in its own process group;
// on timeout the whole group (the program and everything it started in it) gets its stop
// signal, then SIGKILL. The child gets its stop signal as its parent-death signal too
// (PR_SET_PDEATHSIG), so it does not outlive this process, however this process ends
// (SIGKILL included). StopSubprocesses stops every program running (for an exit that skips
// destructors). The child gets this process's environment without its secrets (see
// IsSecretVariable): a validator or browser never sees an API key.
//
//   Result<SubprocessResult> ran = RunSubprocess(
//       {.argv = {"node", "render.mjs", "--page", page}, .timeout = std::chrono::seconds(60)});
//   if (ran && !ran->timed_out && ran->exit_code == 0) Parse(ran->stdout_text);
//
// Thread-safe (the running programs are listed for StopSubprocesses). Fails with kInvalidArgument
// for an empty argv, kNotFound when the program cannot be started (missing or not executable),
// kInternal when pipes or fork fail. A program that starts and then fails or times out is data in
// the result.
#pragma once

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/base/error.h"

namespace hfs {

struct SubprocessOptions {
  std::vector<std::string> argv;
  std::chrono::milliseconds timeout{60000};
  // Empty: the current directory.
  std::filesystem::path working_dir;
  // Set in the child's environment on top of this process's environment (whose secrets
  // are left out); what is given here is passed as is.
  std::map<std::string, std::string> env;
  // Output beyond this many bytes per stream is dropped (and `truncated` set).
  size_t max_output_bytes = 16 << 20;
  // How the program is asked to stop: at the timeout and by StopSubprocesses (sent to its
  // process group, SIGKILL follows kStopGrace later), and when this process ends (the
  // parent-death signal). A program that runs descendants in groups of their own must end
  // them itself on this signal: render.mjs takes SIGTERM and kills its browser.
  int stop_signal = SIGKILL;
};

// How long a program has between its stop signal (when not SIGKILL) and SIGKILL.
inline constexpr std::chrono::milliseconds kStopGrace{2000};

struct SubprocessResult {
  // The exit status; 128 + signal when killed by a signal; -1 when timed out.
  int exit_code = 0;
  bool timed_out = false;
  bool truncated = false;
  std::string stdout_text;
  std::string stderr_text;
  std::chrono::milliseconds elapsed{0};
};

Result<SubprocessResult> RunSubprocess(const SubprocessOptions& options);

// Stops every program that RunSubprocess runs now, in any thread: each process group gets
// its stop signal, and SIGKILL when it is still running kStopGrace later. Returns once they
// have all ended (their RunSubprocess calls return, with the signal in exit_code), or after
// 2 * kStopGrace; true when none is left.
bool StopSubprocesses();

// Whether an inherited variable is a secret that children must not get: its name holds
// API_KEY, TOKEN, SECRET, PASSWORD, PASSWD, CREDENTIAL or OTLP_HEADERS (any case), or is
// HFS_*_KEY* or NUM_* (key variables); or its value is a URL with a password
// ("mysql://user:pass@host/db", as HFS_DB_URL and TIDB_DB_URL may be).
bool IsSecretVariable(std::string_view name, std::string_view value);

// The executable `name` in the directories of `path_variable` (a PATH value), or `name`
// itself when it holds a '/'; empty when it is not found or not executable.
std::filesystem::path FindExecutable(const std::string& name, const std::string& path_variable);

}  // namespace hfs
