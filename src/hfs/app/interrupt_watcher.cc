#include "hfs/app/interrupt_watcher.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <utility>

#include "hfs/app/exit_code.h"
#include "hfs/base/subprocess.h"
#include "hfs/pipeline/external_validators.h"

namespace hfs::app {
namespace {

// SIGUSR2 tells the watcher to stop without exiting; SIGINT/SIGTERM stop the process.
sigset_t WatchedSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGUSR2);
  return set;
}

constexpr int kExitInterrupted = static_cast<int>(ExitCode::kInterrupted);

// Ends the process without leaving debris: the programs it runs stop (and end their
// descendants), then the validators' temporary directories go.
[[noreturn]] void ExitNow() {
  StopSubprocesses();
  pipeline::RemoveScratchDirs();
  _exit(kExitInterrupted);
}

}  // namespace

void InterruptWatcher::Start() {
  sigset_t set = WatchedSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  thread_ = std::thread([this] { Watch(); });
}

InterruptWatcher::~InterruptWatcher() {
  if (!thread_.joinable()) return;
  pthread_kill(thread_.native_handle(), SIGUSR2);
  thread_.join();
}

InterruptRegistration::InterruptRegistration(InterruptRegistration&& other) noexcept
    : watcher_(std::exchange(other.watcher_, nullptr)), id_(other.id_) {}

InterruptRegistration& InterruptRegistration::operator=(InterruptRegistration&& other) noexcept {
  if (this != &other) {
    if (watcher_ != nullptr) watcher_->Remove(id_);
    watcher_ = std::exchange(other.watcher_, nullptr);
    id_ = other.id_;
  }
  return *this;
}

InterruptRegistration::~InterruptRegistration() {
  if (watcher_ != nullptr) watcher_->Remove(id_);
}

InterruptRegistration InterruptWatcher::OnInterrupt(std::function<void()> callback) {
  MutexLock lock(mu_);
  const uint64_t id = next_id_++;
  callbacks_.emplace(id, std::move(callback));
  return InterruptRegistration(this, id);
}

void InterruptWatcher::Remove(uint64_t id) {
  MutexLock lock(mu_);
  callbacks_.erase(id);
}

void InterruptWatcher::Watch() {
  sigset_t set = WatchedSignals();
  int signal = 0;
  if (sigwait(&set, &signal) != 0 || signal == SIGUSR2) return;
  // A second SIGINT or SIGTERM while the callbacks run ends the process at once.
  std::thread([] {
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    int second = 0;
    while (sigwait(&stop, &second) != 0) {
    }
    ExitNow();
  }).detach();
  // Callbacks run with the lock held, so none is removed (and its captures destroyed)
  // while it runs.
  MutexLock lock(mu_);
  for (const auto& [id, callback] : callbacks_) callback();
  ExitNow();
}

}  // namespace hfs::app
