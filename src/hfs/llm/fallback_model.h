// hfs/llm/fallback_model.h
//
// FallbackModel tries an ordered list of (provider, model) candidates: when one cannot
// answer (no usable key in time, provider down, model unknown there, keys refused) it
// moves on to the next, but only before the first streamed delta; a request the provider
// rejects as invalid is not retried elsewhere. The response names the provider and model
// that actually answered.
//
//   FallbackModel model({{.provider = "cerebras", .model = "llama-3.3-70b", .client = &cerebras},
//                        {.provider = "groq", .model = "llama-3.3-70b-versatile", .client =
//                        &groq}});
//   ChatResponse reply = HFS_TRY(model.Complete(request, context));   // request.model ignored
//
// Thread-safe when the candidate models are. When every candidate fails, the error has
// the code of the last failure and a message listing each candidate's.
#pragma once

#include <string>
#include <vector>

#include "hfs/llm/model.h"

namespace hfs::llm {

struct FallbackCandidate {
  std::string provider;
  std::string model;
  // Usually the provider's RotatingModel. Must outlive the FallbackModel.
  Model* client = nullptr;
};

// How long a first pass over several candidates lets each wait for a free key.
inline constexpr Duration kDefaultFallbackKeyWait = std::chrono::seconds(3);

class FallbackModel final : public Model {
 public:
  // With more than one candidate, a first pass gives each at most `key_wait` to find a
  // free key (or to see its Retry-After hold end); only when every one of them had no key
  // in time (kResourceExhausted) does a second pass wait, candidate by candidate, up to
  // the call's deadline.
  explicit FallbackModel(std::vector<FallbackCandidate> candidates,
                         Duration key_wait = kDefaultFallbackKeyWait);

  Result<ChatResponse> Complete(const ChatRequest& request, const CallContext& context) override;
  Result<ChatResponse> Stream(const ChatRequest& request, const CallContext& context,
                              const DeltaCallback& on_delta) override;

  const std::vector<FallbackCandidate>& candidates() const { return candidates_; }

 private:
  Result<ChatResponse> Run(const ChatRequest& request, const CallContext& context,
                           const DeltaCallback* on_delta);

  // One pass over the candidates; `waited_out` is set when every failure was a key wait
  // that ran out (kResourceExhausted).
  Result<ChatResponse> Pass(const ChatRequest& request, const CallContext& context,
                            const DeltaCallback* on_delta, bool& waited_out);

  const std::vector<FallbackCandidate> candidates_;
  const Duration key_wait_;
};

// True for failures after which another provider may succeed.
bool ShouldFallBack(const Error& error);

}  // namespace hfs::llm
