// bench/harness.cc
#include "bench/harness.h"

#include <fmt/format.h>
#include <pthread.h>
#include <sched.h>
#include <time.h>

#include <algorithm>
#include <cmath>

namespace hfs::bench {

EmulatorHarness::EmulatorHarness(emulator::EmulatorOptions options, const Clock& clock,
                                 int server_threads)
    : emulator_(std::make_unique<emulator::Emulator>(std::move(options), clock)),
      server_threads_(server_threads) {}

EmulatorHarness::~EmulatorHarness() { Stop(); }

Result<std::string> EmulatorHarness::Start() {
  server_ = std::make_unique<emulator::Server>(*emulator_, server_threads_);
  Result<int> port = server_->Start("127.0.0.1", 0);
  if (!port) return Fail(port.error());
  return fmt::format("http://127.0.0.1:{}", *port);
}

void EmulatorHarness::Stop() {
  if (server_) server_->Stop();
  server_.reset();
}

std::vector<keys::ApiKey> EmulatorKeys(std::string_view provider, int count) {
  std::vector<keys::ApiKey> keys;
  for (int i = 1; i <= count; ++i) {
    std::string text = fmt::format("emu-{}-{}", provider, i);
    keys::ApiKey key{.provider = std::string(provider),
                     .index = i,
                     .fingerprint = keys::Fingerprint(text),
                     .secret = keys::Secret(text)};
    key.scope = key.id();
    keys.push_back(std::move(key));
  }
  return keys;
}

Duration ThreadCpuTime() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec);
}

std::vector<int> AllowedCpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> cpus;
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
  }
  return cpus;
}

bool PinCallingThread(const std::vector<int>& cpus) {
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int cpu : cpus) CPU_SET(cpu, &set);
  return !cpus.empty() && pthread_setaffinity_np(pthread_self(), sizeof(set), &set) == 0;
}

double Percentile(std::vector<double>& values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double rank = std::ceil(p / 100.0 * static_cast<double>(values.size()));
  const size_t index = static_cast<size_t>(std::clamp(rank, 1.0, double(values.size()))) - 1;
  return values[index];
}

}  // namespace hfs::bench
