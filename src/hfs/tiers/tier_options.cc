#include "hfs/tiers/tier_options.h"

#include "hfs/tiers/phase.h"

namespace hfs::tiers {
namespace {

constexpr std::array<std::string_view, 3> kTierNames = {"fast", "general", "reasoning"};
constexpr std::array<std::string_view, 9> kPhaseNames = {"input",     "spawn",       "deliberation",
                                                         "claims",    "negotiation", "freeze",
                                                         "execution", "integration", "output"};

}  // namespace

std::string_view TierName(Tier tier) { return kTierNames[static_cast<size_t>(tier)]; }

std::optional<Tier> ParseTier(std::string_view name) {
  for (Tier tier : kAllTiers) {
    if (TierName(tier) == name) return tier;
  }
  return std::nullopt;
}

std::string_view PhaseName(Phase phase) { return kPhaseNames[static_cast<size_t>(phase)]; }

std::optional<Phase> ParsePhase(std::string_view name) {
  for (Phase phase : kAllPhases) {
    if (PhaseName(phase) == name) return phase;
  }
  return std::nullopt;
}

ModelTiersOptions DefaultModelTiers() {
  ModelTiersOptions options;
  options.tiers[Tier::kReasoning] = {"Complex reasoning: orchestration, synthesis, arbitration",
                                     {{"cerebras", "qwen-3-235b-a22b-instruct-2507"},
                                      {"groq", "moonshotai/kimi-k2-instruct"},
                                      {"gemini", "gemini-2.5-flash"},
                                      {"openrouter", "anthropic/claude-sonnet-4"}}};
  options.tiers[Tier::kGeneral] = {"Balanced: most agent work",
                                   {{"cerebras", "llama-3.3-70b"},
                                    {"groq", "llama-3.3-70b-versatile"},
                                    {"gemini", "gemini-2.5-flash-lite"},
                                    {"openrouter", "meta-llama/llama-3.3-70b-instruct:free"}}};
  options.tiers[Tier::kFast] = {"Fast and cheap: code generation, simple steps",
                                {{"cerebras", "zai-glm-4.7"},
                                 {"groq", "openai/gpt-oss-120b"},
                                 {"gemini", "gemma-3-27b-it"},
                                 {"openrouter", "meta-llama/llama-3.3-70b-instruct:free"}}};
  options.role_defaults = {
      {"orchestrator", Tier::kReasoning}, {"worker_a", Tier::kGeneral},
      {"worker_b", Tier::kGeneral},       {"proposer", Tier::kGeneral},
      {"critic", Tier::kGeneral},         {"synthesizer", Tier::kReasoning},
      {"peer_1", Tier::kGeneral},         {"peer_2", Tier::kGeneral},
      {"peer_3", Tier::kGeneral},         {"code_execution", Tier::kFast},
      {"arbiter", Tier::kReasoning},
  };
  options.phase_overrides = {{"execution", {{"worker_a", Tier::kFast}, {"worker_b", Tier::kFast}}}};
  options.code_models = {{"cerebras", "zai-glm-4.7"}, {"cerebras", "gpt-oss-120b"}};
  return options;
}

}  // namespace hfs::tiers
