#include "hfs/trace/instruments.h"

#include "hfs/trace/metrics.h"

namespace hfs::trace {
namespace {

Attributes With(Attributes attributes, Attribute extra) {
  attributes.push_back(std::move(extra));
  return attributes;
}

}  // namespace

void RecordPhase(MetricsRegistry* metrics, const std::string& phase, Duration duration,
                 PhaseOutcome outcome) {
  if (metrics == nullptr) return;
  Attributes labels{{"hfs.phase.name", phase}};
  metrics->GetHistogram("hfs.phase.duration", "s", "Duration of an HFS phase", kHfsDurationBuckets)
      .Record(Seconds(duration), labels);
  if (outcome == PhaseOutcome::kSucceeded) {
    metrics->GetCounter("hfs.phase.success.count", "{execution}", "Phases that succeeded")
        .Add(1, labels);
  } else {
    metrics->GetCounter("hfs.phase.failure.count", "{execution}", "Phases that failed")
        .Add(1, labels);
  }
}

void RecordTriad(MetricsRegistry* metrics, const TriadMeasurement& triad) {
  if (metrics == nullptr) return;
  metrics
      ->GetHistogram("hfs.triad.duration", "s", "Duration of a triad's work in a phase",
                     kHfsDurationBuckets)
      .Record(Seconds(triad.duration),
              {{"hfs.triad.id", triad.triad}, {"hfs.triad.phase", triad.phase}});
  Attributes labels{{"hfs.triad.id", triad.triad}, {"hfs.phase.name", triad.phase}};
  metrics->GetCounter("hfs.tokens.prompt", "{token}", "Prompt tokens")
      .Add(triad.prompt_tokens, labels);
  metrics->GetCounter("hfs.tokens.completion", "{token}", "Completion tokens")
      .Add(triad.completion_tokens, labels);
  metrics->GetCounter("hfs.tokens.total", "{token}", "Prompt and completion tokens")
      .Add(triad.prompt_tokens + triad.completion_tokens, labels);
}

void RecordAgent(MetricsRegistry* metrics, const AgentMeasurement& agent) {
  if (metrics == nullptr) return;
  metrics->GetHistogram("hfs.agent.duration", "s", "Duration of one agent run", kHfsDurationBuckets)
      .Record(Seconds(agent.duration), {{"hfs.agent.role", agent.role},
                                        {"hfs.triad.id", agent.triad},
                                        {"hfs.phase.name", agent.phase}});
  Attributes labels{{"hfs.agent.name", agent.agent}, {"hfs.phase.name", agent.phase}};
  Counter& tokens =
      metrics->GetCounter("hfs.agent.tokens", "{token}", "Tokens per agent, phase and type");
  tokens.Add(agent.prompt_tokens, With(labels, {"gen_ai.token.type", "input"}));
  tokens.Add(agent.completion_tokens, With(labels, {"gen_ai.token.type", "output"}));
}

void RecordChat(MetricsRegistry* metrics, const ChatMeasurement& chat) {
  if (metrics == nullptr) return;
  Attributes labels{{"gen_ai.operation.name", "chat"},
                    {"gen_ai.provider.name", chat.provider},
                    {"gen_ai.request.model", chat.request_model}};
  if (!chat.response_model.empty())
    labels.push_back({"gen_ai.response.model", chat.response_model});
  if (!chat.server_address.empty()) labels.push_back({"server.address", chat.server_address});
  metrics
      ->GetHistogram("gen_ai.client.operation.duration", "s", "GenAI operation duration",
                     kOperationDurationBuckets)
      .Record(Seconds(chat.duration),
              chat.error_type.empty() ? labels : With(labels, {"error.type", chat.error_type}));
  if (chat.error_type.empty()) {
    Histogram& tokens = metrics->GetHistogram("gen_ai.client.token.usage", "{token}",
                                              "Measures number of input and output tokens used",
                                              kTokenUsageBuckets);
    tokens.Record(static_cast<double>(chat.input_tokens),
                  With(labels, {"gen_ai.token.type", "input"}));
    tokens.Record(static_cast<double>(chat.output_tokens),
                  With(labels, {"gen_ai.token.type", "output"}));
  }
  if (chat.rate_limited) {
    metrics->GetCounter("hfs.llm.rate_limited", "{response}", "Rate-limit responses from providers")
        .Add(1, {{"gen_ai.provider.name", chat.provider}});
  }
}

}  // namespace hfs::trace
