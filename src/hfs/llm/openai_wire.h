// hfs/llm/openai_wire.h
//
// The OpenAI chat-completions wire format: encoding a ChatRequest as a request body (with
// the form each server honours), decoding a chat.completion body, and StreamAssembler,
// which rebuilds a ChatResponse from the `data:` payloads of a streamed reply.
//
//   std::string body = HFS_TRY(EncodeChatRequest(request, WireOptionsFor("groq", true)));
//   ChatResponse reply = HFS_TRY(DecodeChatResponse(http_response.body));
//
//   StreamAssembler assembler(&on_delta);
//   parser.Feed(chunk, [&](const net::SseEvent& event) { (void)assembler.Feed(event.data); });
//   Result<ChatResponse> streamed = assembler.Finish();  // kUnavailable when [DONE] never came
//
// Failures: EncodeChatRequest kInvalidArgument when a tool's parameters or the response
// schema is not JSON; DecodeChatResponse and StreamAssembler kInternal when the reply is
// not a chat completion (the message describes it, never quotes the whole body); a
// stream's `error` event maps like an HTTP error (see provider_error.h), else kUnavailable.
// The functions are pure and thread-safe; a StreamAssembler is thread-compatible.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "hfs/base/error.h"
#include "hfs/llm/chat.h"
#include "hfs/llm/model.h"
#include "hfs/llm/provider_capabilities.h"

namespace hfs::llm {

struct WireOptions {
  bool stream = false;
  // With stream: ask for the final usage chunk (stream_options.include_usage), when the
  // server honours it.
  bool include_usage = true;
  // What the server honours (provider_capabilities.h).
  Capabilities capabilities;
};

// WireOptions{stream, include_usage = true, BuiltinCapabilities(provider)}.
WireOptions WireOptionsFor(std::string_view provider, bool stream);

// How a request is encoded for the server:
// - A forced tool is a named tool_choice where the server honours one; elsewhere it is
//   sent as the only tool, with "required" (or "auto" when "required" is not honoured
//   either). kRequired falls back to "auto" the same way.
// - A response schema is "strict" only where strict json_schema is honoured.
// - For a reasoning model (IsReasoningModel), max_tokens grows by the reasoning
//   allowance of the request's effort, so the answer still fits, and the effort ("low"
//   when the request names none) is sent in the server's form.
Result<std::string> EncodeChatRequest(const ChatRequest& request, const WireOptions& options);

Result<ChatResponse> DecodeChatResponse(std::string_view body);

// "stop" -> kStop, "length" -> kLength, "tool_calls"/"function_call" -> kToolCalls,
// "content_filter" -> kContentFilter, anything else kUnknown.
FinishReason ParseFinishReason(std::string_view reason);

// Rebuilds a streamed reply from the data of its SSE events, in order.
class StreamAssembler {
 public:
  // `on_delta` (may be null) receives each content or tool-call fragment as it arrives;
  // it must outlive the assembler.
  explicit StreamAssembler(const DeltaCallback* on_delta = nullptr) : on_delta_(on_delta) {}

  // Takes the data of one event. Returns the stream's error (an `error` field, or a
  // chunk that is not JSON); after an error or "[DONE]" further data is ignored, and so
  // is data that is only white space.
  Result<void> Feed(std::string_view data);

  // The reply once "[DONE]" arrived; the stream's error if one came; otherwise
  // kUnavailable "stream ended without [DONE]".
  Result<ChatResponse> Finish();

  bool done() const { return done_; }
  // True once any content or tool-call delta was handed to the callback (or would have
  // been, with no callback): output was produced, so the call must not be restarted.
  bool delta_delivered() const { return delta_delivered_; }
  // Characters (UTF-8 bytes) of content, reasoning and tool-call arguments so far.
  int64_t received_chars() const { return received_chars_; }

 private:
  Result<void> Chunk(std::string_view data);
  void ToolFragment(const nlohmann::json& fragment);
  void Deliver(const ChatDelta& delta);

  const DeltaCallback* on_delta_;
  ChatResponse response_;
  std::map<int, ToolCall> tool_calls_;  // by the stream's tool-call index
  std::optional<Error> error_;
  bool done_ = false;
  bool delta_delivered_ = false;
  int64_t received_chars_ = 0;
};

}  // namespace hfs::llm
