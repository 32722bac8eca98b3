// bench/agent_footprint.cc
//
// hfs_bench_agent_footprint: what one agent::Agent costs to create and to keep. Each
// round builds 10,000 agents, each with a unique name, a role, 256 characters of
// instructions and one tool (register_claim) whose handler captures a pointer, the way a
// triad preset builds its agents. The tool's Schema is built once and shared by every
// copy (shared_ptr<const Schema>); the description string is copied per tool.
//
//   create_us: wall time of a round divided by 10,000 (median of 5 rounds after one
//              warm-up round); includes formatting the name and copying the tool.
//   bytes_per_agent: heap bytes still allocated after a round (what the 10,000 agents
//              and their vector hold, as malloc_usable_size reports them) divided by
//              10,000. This binary replaces the global operator new/delete to count.
//
//   hfs_bench_agent_footprint
//   agent_footprint: create_us=0.38 bytes_per_agent=672
//
// Details (allocations per agent, every round) go to stderr.
#include <fmt/format.h>
#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hfs/agent/agent.h"
#include "hfs/agent/schema.h"
#include "hfs/agent/tool.h"

namespace {

std::atomic<int64_t> live_bytes{0};
std::atomic<int64_t> allocations{0};

void* CountedAllocate(size_t size) {
  void* pointer = std::malloc(size == 0 ? 1 : size);
  if (pointer == nullptr) throw std::bad_alloc();
  live_bytes.fetch_add(static_cast<int64_t>(malloc_usable_size(pointer)),
                       std::memory_order_relaxed);
  allocations.fetch_add(1, std::memory_order_relaxed);
  return pointer;
}

void CountedFree(void* pointer) {
  if (pointer == nullptr) return;
  live_bytes.fetch_sub(static_cast<int64_t>(malloc_usable_size(pointer)),
                       std::memory_order_relaxed);
  std::free(pointer);
}

}  // namespace

void* operator new(size_t size) { return CountedAllocate(size); }
void* operator new[](size_t size) { return CountedAllocate(size); }
void* operator new(size_t size, const std::nothrow_t&) noexcept {
  void* pointer = std::malloc(size == 0 ? 1 : size);
  if (pointer != nullptr) {
    live_bytes.fetch_add(static_cast<int64_t>(malloc_usable_size(pointer)));
    allocations.fetch_add(1);
  }
  return pointer;
}
void* operator new[](size_t size, const std::nothrow_t& tag) noexcept {
  return operator new(size, tag);
}
void operator delete(void* pointer) noexcept { CountedFree(pointer); }
void operator delete[](void* pointer) noexcept { CountedFree(pointer); }
void operator delete(void* pointer, size_t) noexcept { CountedFree(pointer); }
void operator delete[](void* pointer, size_t) noexcept { CountedFree(pointer); }
void operator delete(void* pointer, const std::nothrow_t&) noexcept { CountedFree(pointer); }
void operator delete[](void* pointer, const std::nothrow_t&) noexcept { CountedFree(pointer); }

namespace {

using hfs::agent::Agent;
using hfs::agent::Tool;

constexpr int kAgents = 10'000;
constexpr int kRounds = 5;

struct Round {
  double create_us = 0;
  int64_t bytes = 0;
  int64_t allocations = 0;
};

Tool MakeClaimTool(std::vector<std::string>* outbox) {
  using nlohmann::json;
  return hfs::agent::MakeTool(
      "register_claim",
      "Claim a section of the spec for your triad. Use it for every section in your primary "
      "scope. Example: {\"section_id\": \"layout\"}.",
      hfs::agent::Schema::Object()
          .Property("section_id",
                    hfs::agent::Schema::String().Length(1, 128).Describe("The section to claim"),
                    hfs::agent::Required::kYes)
          .Property("proposal", hfs::agent::Schema::String().MinLength(1),
                    hfs::agent::Required::kYes),
      [outbox](const json& arguments, hfs::agent::ToolContext&) -> hfs::Result<json> {
        outbox->push_back(arguments["section_id"].get<std::string>());
        return json{{"ok", true}};
      });
}

Round RunRound(const Tool& tool, const std::string& instructions, hfs::agent::ModelSource* models) {
  int64_t bytes_before = live_bytes.load();
  int64_t allocations_before = allocations.load();
  auto start = std::chrono::steady_clock::now();
  std::vector<Agent> agents;
  agents.reserve(kAgents);
  for (int i = 0; i < kAgents; ++i) {
    agents.push_back(Agent{.name = fmt::format("triad_{}_orchestrator", i),
                           .role = "orchestrator",
                           .instructions = instructions,
                           .tools = {tool},
                           .models = models});
  }
  auto end = std::chrono::steady_clock::now();
  Round round{.create_us = std::chrono::duration<double, std::micro>(end - start).count() / kAgents,
              .bytes = live_bytes.load() - bytes_before,
              .allocations = allocations.load() - allocations_before};
  return round;  // `agents` is freed here, after the measurement
}

// A model source that is never asked: creation does not resolve models.
class NoModel final : public hfs::agent::ModelSource {
 public:
  hfs::Result<hfs::agent::ModelChoice> Resolve(const hfs::agent::ModelQuery&) override {
    return hfs::Fail(hfs::ErrorCode::kNotFound, "no model in this benchmark");
  }
};

}  // namespace

int main() {
  std::vector<std::string> outbox;
  Tool tool = MakeClaimTool(&outbox);
  std::string instructions(256, 'x');
  NoModel models;
  RunRound(tool, instructions, &models);  // warm-up
  std::vector<Round> rounds;
  for (int r = 0; r < kRounds; ++r) {
    rounds.push_back(RunRound(tool, instructions, &models));
    std::fprintf(stderr,
                 "round %d: create_us=%.3f bytes_per_agent=%.1f allocations_per_agent=%.2f\n", r,
                 rounds.back().create_us, static_cast<double>(rounds.back().bytes) / kAgents,
                 static_cast<double>(rounds.back().allocations) / kAgents);
  }
  std::sort(rounds.begin(), rounds.end(),
            [](const Round& a, const Round& b) { return a.create_us < b.create_us; });
  const Round& median = rounds[kRounds / 2];
  std::fprintf(stderr, "sizeof(Agent)=%zu sizeof(Tool)=%zu instructions=%zu chars\n", sizeof(Agent),
               sizeof(Tool), instructions.size());
  std::printf("agent_footprint: create_us=%.3f bytes_per_agent=%lld\n", median.create_us,
              static_cast<long long>(median.bytes / kAgents));
  return 0;
}
