// hfs/app/progress_display.h
//
// ProgressDisplay: what `hfs run` shows on stderr while it works. Phase starts and ends,
// negotiation rounds (temperature, contested sections, decisions, escalations) are
// always printed as plain, timestamped lines. On a terminal a status line below them is
// redrawn several times a second with the phase, round, temperature, contested sections,
// tokens and requests so far, the replies streaming in now and their characters so far,
// and keys cooling down after a rate limit.
//
//   ProgressDisplay progress(std::cerr, ProgressMode::kTerminal, clock, count_cooling_keys);
//   deps.on_phase_start = [&](const std::string& p) { progress.PhaseStarted(p); };
//   usage observer: progress.CountRequest(call.prompt_tokens + call.completion_tokens);
//   client on_receive: progress.Receiving(p.call, p.chars, p.done);
//   progress.Stop();                              // before printing the summary
//
// Thread-safe: the callbacks may come from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <thread>

#include "hfs/base/clock.h"
#include "hfs/base/mutex.h"
#include "hfs/pipeline/negotiation_engine.h"

namespace hfs::app {

enum class ProgressMode { kLines, kTerminal };

class ProgressDisplay {
 public:
  // `cooling_keys` (may be empty) counts the keys cooling down now; it is called from the
  // redraw thread.
  ProgressDisplay(std::ostream& out, ProgressMode mode, Clock& clock,
                  std::function<int()> cooling_keys = {});
  ~ProgressDisplay();
  ProgressDisplay(const ProgressDisplay&) = delete;
  ProgressDisplay& operator=(const ProgressDisplay&) = delete;

  void PhaseStarted(const std::string& phase);
  void PhaseDone(const std::string& phase);
  void RoundDone(const pipeline::RoundSummary& round);
  // Any other event worth a line ("escalated layout:critic: fast -> general ...").
  void Note(const std::string& line);
  // One provider request settled, with its tokens.
  void CountRequest(int64_t tokens);
  // Call `call` has received `chars` characters of its streamed reply so far; `done`
  // ends it. Cheap: it only updates a counter that the next redraw reads.
  void Receiving(uint64_t call, int64_t chars, bool done);
  // Clears the status line and stops redrawing. Idempotent.
  void Stop();

  // The status line as it would be drawn now (without control characters).
  std::string StatusLine();

 private:
  // Prints a line above the status line.
  void Print(const std::string& line);
  // The status line without control characters; calls cooling_keys_.
  std::string Line() HFS_REQUIRES(mu_);
  void Redraw() HFS_REQUIRES(mu_);
  std::string Elapsed() const;

  std::ostream& out_;
  const ProgressMode mode_;
  Clock& clock_;
  const std::function<int()> cooling_keys_;
  const Timestamp start_;
  std::atomic<int64_t> tokens_{0};
  std::atomic<int64_t> requests_{0};
  Mutex mu_;
  CondVar wake_;
  std::string phase_ HFS_GUARDED_BY(mu_);
  Timestamp phase_start_ HFS_GUARDED_BY(mu_);
  int round_ HFS_GUARDED_BY(mu_) = -1;
  double temperature_ HFS_GUARDED_BY(mu_) = -1;
  size_t contested_ HFS_GUARDED_BY(mu_) = 0;
  // Characters received so far by each call still streaming.
  std::map<uint64_t, int64_t> receiving_ HFS_GUARDED_BY(mu_);
  bool stopped_ HFS_GUARDED_BY(mu_) = false;
  std::thread redraw_;
};

}  // namespace hfs::app
