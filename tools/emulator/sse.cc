// tools/emulator/sse.cc
#include "tools/emulator/sse.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace hfs::emulator {
namespace {

using nlohmann::json;

class ChunkWriter {
 public:
  ChunkWriter(const ResponseMeta& meta, bool include_usage)
      : meta_(meta), include_usage_(include_usage) {}

  void Delta(json delta, json finish_reason = nullptr, json extra = json::object()) {
    json chunk = Base();
    chunk["choices"] = json::array({{{"index", 0},
                                     {"delta", std::move(delta)},
                                     {"logprobs", nullptr},
                                     {"finish_reason", std::move(finish_reason)}}});
    if (include_usage_) chunk["usage"] = nullptr;
    chunk.update(extra);
    Emit(chunk);
  }
  void Usage(const json& usage) {
    json chunk = Base();
    chunk["choices"] = json::array();
    chunk["usage"] = usage;
    Emit(chunk);
  }
  void Comment() { events_.push_back(kOpenRouterComment); }
  std::vector<std::string> Finish() {
    events_.push_back(kSseDone);
    return std::move(events_);
  }

 private:
  json Base() const {
    return {{"id", meta_.id},
            {"object", "chat.completion.chunk"},
            {"created", meta_.created},
            {"model", meta_.model},
            {"system_fingerprint", "fp_emulator"}};
  }
  void Emit(const json& chunk) { events_.push_back("data: " + Dump(chunk) + "\n\n"); }

  const ResponseMeta& meta_;
  const bool include_usage_;
  std::vector<std::string> events_;
};

void ToolCallChunks(const Completion& completion, const SseOptions& options, ChunkWriter& writer) {
  for (size_t i = 0; i < completion.tool_calls.size(); ++i) {
    const ToolCall& call = completion.tool_calls[i];
    writer.Delta(
        {{"tool_calls", json::array({{{"index", i},
                                      {"id", call.id},
                                      {"type", "function"},
                                      {"function", {{"name", call.name}, {"arguments", ""}}}}})}});
    for (const std::string& piece : SplitUtf8(call.arguments, options.argument_chunk_bytes)) {
      writer.Delta(
          {{"tool_calls", json::array({{{"index", i}, {"function", {{"arguments", piece}}}}})}});
    }
  }
}

}  // namespace

std::string SseErrorEvent(const ResponseMeta& meta, int code, const std::string& message) {
  const json chunk = {
      {"id", meta.id},
      {"object", "chat.completion.chunk"},
      {"created", meta.created},
      {"model", meta.model},
      {"error", {{"code", code}, {"message", message}}},
      {"choices",
       json::array({{{"index", 0}, {"delta", {{"content", ""}}}, {"finish_reason", "error"}}})}};
  return "data: " + Dump(chunk) + "\n\n";
}

std::vector<std::string> SplitUtf8(const std::string& text, size_t bytes) {
  std::vector<std::string> pieces;
  bytes = std::max<size_t>(1, bytes);
  size_t start = 0;
  while (start < text.size()) {
    size_t end = std::min(text.size(), start + bytes);
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
    pieces.push_back(text.substr(start, end - start));
    start = end;
  }
  return pieces;
}

std::vector<std::string> SseEvents(const Completion& completion, const ResponseMeta& meta,
                                   const SseOptions& options) {
  const bool openrouter = meta.personality == Personality::kOpenRouter;
  ChunkWriter writer(meta, options.include_usage);
  if (openrouter) writer.Comment();
  writer.Delta({{"role", "assistant"}, {"content", ""}});
  if (openrouter) writer.Comment();
  const std::string reasoning_field(ReasoningField(meta.personality));
  for (const std::string& piece : SplitUtf8(completion.reasoning, options.reasoning_chunk_bytes)) {
    writer.Delta({{reasoning_field, piece}});
  }
  for (const std::string& piece : SplitUtf8(completion.content, options.content_chunk_bytes)) {
    writer.Delta({{"content", piece}});
  }
  ToolCallChunks(completion, options, writer);
  json extra = json::object();
  if (meta.personality == Personality::kGroq) extra["x_groq"] = GroqExtra(completion, meta);
  writer.Delta(json::object(), completion.finish_reason, extra);
  if (options.include_usage) writer.Usage(UsageJson(completion));
  return writer.Finish();
}

}  // namespace hfs::emulator
