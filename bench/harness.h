// bench/harness.h
//
// What the benchmarks share: an hfs-emulator served in-process on 127.0.0.1 (ephemeral
// port), the key list a KeyPool needs for the emulator's numbered keys, the CPU time of
// the calling thread, and percentiles.
//
//   SystemClock clock;
//   EmulatorHarness emulator(options, clock);
//   std::string base = HFS_TRY(emulator.Start());          // "http://127.0.0.1:41235"
//   std::vector<keys::ApiKey> keys = EmulatorKeys("groq", 51);
//   ...
//   emulator.Stop();   // after the clients closed their keep-alive connections
//
// Thread-compatible (EmulatorHarness is started and stopped by one thread; the emulator
// itself is thread-safe).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/base/clock.h"
#include "hfs/base/error.h"
#include "hfs/keys/key_discovery.h"
#include "tools/emulator/config.h"
#include "tools/emulator/emulator.h"
#include "tools/emulator/server.h"

namespace hfs::bench {

class EmulatorHarness {
 public:
  // `clock` must outlive the harness. `server_threads` bounds the keep-alive connections
  // the server can hold at once (each holds one thread).
  EmulatorHarness(emulator::EmulatorOptions options, const Clock& clock, int server_threads);
  ~EmulatorHarness();

  // Serves on 127.0.0.1, port 0. Returns the base URL, or kUnavailable when it cannot bind.
  Result<std::string> Start();
  void Stop();

  emulator::Emulator& emulator() { return *emulator_; }

 private:
  std::unique_ptr<emulator::Emulator> emulator_;
  std::unique_ptr<emulator::Server> server_;
  int server_threads_;
};

// The emulator's numbered keys ("emu-groq-1".."emu-groq-<count>") as KeyPool keys, each its
// own quota scope.
std::vector<keys::ApiKey> EmulatorKeys(std::string_view provider, int count);

// CPU time consumed by the calling thread.
Duration ThreadCpuTime();

// The CPUs this process may run on (sched_getaffinity); empty when unknown.
std::vector<int> AllowedCpus();
// Restricts the calling thread (and the threads it starts afterwards) to `cpus`. False
// when the system refuses.
bool PinCallingThread(const std::vector<int>& cpus);

// The p-th percentile (0..100) of `values` by nearest rank; 0 when empty. Sorts `values`.
double Percentile(std::vector<double>& values, double p);

}  // namespace hfs::bench
