// hfs/llm/model.h
//
// Model: something that completes a chat. The OpenAI-compatible adapter talks HTTP to
// one provider with one key; wrappers add behaviour around any Model: RotatingModel
// (keys and the one retry loop), FallbackModel (other providers), TracedModel (spans).
// The streaming form hands each delta to a callback as it arrives and still returns the
// whole response at the end.
//
//   Result<ChatResponse> reply = model.Complete(request, context);
//   Result<ChatResponse> streamed = model.Stream(request, context, [](const ChatDelta& d) {
//     std::cout << d.content;
//   });
//
// Implementations are thread-safe. Failures use the codes of ErrorForStatus
// (hfs/llm/provider_error.h): kResourceExhausted (rate limited), kUnavailable,
// kDeadlineExceeded, kInvalidArgument, kUnauthenticated, kPermissionDenied, kNotFound,
// kInternal (an unparseable reply).
#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "hfs/base/clock.h"
#include "hfs/base/error.h"
#include "hfs/llm/chat.h"
#include "hfs/trace/trace_scope.h"

namespace hfs::llm {

// A piece of a streamed reply.
struct ChatDelta {
  std::string content;
  // Index and fragment of a tool call's arguments (name and id arrive in the first one).
  int tool_index = -1;
  std::string tool_call_id;
  std::string tool_name;
  std::string tool_arguments;
};

using DeltaCallback = std::function<void(const ChatDelta&)>;

// Who is calling, for usage records and traces; never sent to the provider.
struct CallContext {
  std::string run_id;
  std::string triad;
  std::string role;
  std::string phase;
  // The call must finish (waits for a key included) by this time.
  Timestamp deadline = Timestamp::max();
  // How long one attempt may wait for a free key (within the deadline): a FallbackModel
  // first asks each provider with a short wait, so one whose keys are all cooling does not
  // hold the call while another could answer.
  Duration key_wait = Duration::max();
  // Where the call's `chat` spans go (under the calling agent's span).
  trace::TraceScope trace;
  // Set when the run is interrupted: agent loops stop before their next model call.
  const std::atomic<bool>* cancelled = nullptr;
};

class Model {
 public:
  virtual ~Model() = default;
  virtual Result<ChatResponse> Complete(const ChatRequest& request, const CallContext& context) = 0;
  virtual Result<ChatResponse> Stream(const ChatRequest& request, const CallContext& context,
                                      const DeltaCallback& on_delta) = 0;
};

}  // namespace hfs::llm
