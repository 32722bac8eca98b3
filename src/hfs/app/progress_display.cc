#include "hfs/app/progress_display.h"

#include <fmt/format.h>

#include <chrono>

namespace hfs::app {
namespace {

constexpr auto kRedrawInterval = std::chrono::milliseconds(250);

std::string Join(const std::vector<std::string>& items) {
  return items.empty() ? "none" : fmt::format("{}", fmt::join(items, ", "));
}

}  // namespace

ProgressDisplay::ProgressDisplay(std::ostream& out, ProgressMode mode, Clock& clock,
                                 std::function<int()> cooling_keys)
    : out_(out),
      mode_(mode),
      clock_(clock),
      cooling_keys_(std::move(cooling_keys)),
      start_(clock.Now()) {
  if (mode_ != ProgressMode::kTerminal) return;
  redraw_ = std::thread([this] {
    MutexLock lock(mu_);
    while (!stopped_) {
      Redraw();
      wake_.WaitFor(mu_, kRedrawInterval);
    }
  });
}

ProgressDisplay::~ProgressDisplay() { Stop(); }

void ProgressDisplay::Stop() {
  {
    MutexLock lock(mu_);
    if (stopped_) return;
    stopped_ = true;
    if (mode_ == ProgressMode::kTerminal) out_ << "\r\033[K" << std::flush;
  }
  wake_.NotifyAll();
  if (redraw_.joinable()) redraw_.join();
}

std::string ProgressDisplay::Elapsed() const {
  return fmt::format("{:7.1f}s", Seconds(clock_.Now() - start_));
}

void ProgressDisplay::Print(const std::string& line) {
  MutexLock lock(mu_);
  if (mode_ == ProgressMode::kTerminal) out_ << "\r\033[K";
  out_ << "[" << Elapsed() << "] " << line << "\n";
  if (mode_ == ProgressMode::kTerminal && !stopped_) Redraw();
  out_ << std::flush;
}

void ProgressDisplay::PhaseStarted(const std::string& phase) {
  {
    MutexLock lock(mu_);
    phase_ = phase;
    phase_start_ = clock_.Now();
  }
  Print(fmt::format("phase {} started", phase));
}

void ProgressDisplay::PhaseDone(const std::string& phase) {
  Timestamp began;
  {
    MutexLock lock(mu_);
    began = phase_start_;
  }
  Print(fmt::format("phase {} done in {:.1f}s ({} tokens, {} requests so far)", phase,
                    Seconds(clock_.Now() - began), tokens_.load(), requests_.load()));
}

void ProgressDisplay::RoundDone(const pipeline::RoundSummary& round) {
  std::vector<std::string> resolved;
  for (const spec::SectionRoundResult& section : round.sections) {
    if (section.resolved) {
      resolved.push_back(fmt::format("{} -> {}", section.section, section.winner.value_or("none")));
    }
  }
  std::vector<std::string> escalated;
  for (const pipeline::Escalation& escalation : round.escalations) {
    escalated.push_back(escalation.section);
  }
  {
    MutexLock lock(mu_);
    round_ = round.round + 1;
    temperature_ = round.temperature;
    contested_ = round.contested.size() - resolved.size() - escalated.size();
  }
  Print(fmt::format(
      "negotiation round {}: temperature {:.2f}, contested {}; resolved {}; "
      "escalated to the arbiter {}",
      round.round + 1, round.temperature, Join(round.contested), Join(resolved), Join(escalated)));
}

void ProgressDisplay::Note(const std::string& line) { Print(line); }

void ProgressDisplay::CountRequest(int64_t tokens) {
  tokens_ += tokens;
  ++requests_;
}

void ProgressDisplay::Receiving(uint64_t call, int64_t chars, bool done) {
  MutexLock lock(mu_);
  if (done) {
    receiving_.erase(call);
  } else {
    receiving_[call] = chars;
  }
}

std::string ProgressDisplay::StatusLine() {
  MutexLock lock(mu_);
  return Line();
}

std::string ProgressDisplay::Line() {
  const int cooling = cooling_keys_ ? cooling_keys_() : 0;
  std::string line = fmt::format("[{}] {}", Elapsed(), phase_.empty() ? "starting" : phase_);
  if (round_ >= 0 && phase_ == "negotiation") {
    line += fmt::format(" | round {} | temperature {:.2f} | {} contested", round_, temperature_,
                        contested_);
  }
  line += fmt::format(" | {} tokens | {} requests", tokens_.load(), requests_.load());
  if (!receiving_.empty()) {
    int64_t chars = 0;
    for (const auto& [call, received] : receiving_) chars += received;
    line += fmt::format(" | receiving {} repl{}, {} chars", receiving_.size(),
                        receiving_.size() == 1 ? "y" : "ies", chars);
  }
  if (cooling > 0)
    line += fmt::format(" | {} key{} cooling down", cooling, cooling == 1 ? "" : "s");
  return line;
}

void ProgressDisplay::Redraw() { out_ << "\r\033[K" << Line() << std::flush; }

}  // namespace hfs::app
