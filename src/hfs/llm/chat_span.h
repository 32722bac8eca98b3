// hfs/llm/chat_span.h
//
// The trace of one provider request: a `chat {model}` span (kind CLIENT) under the
// caller's span (CallContext::trace), with the OpenTelemetry GenAI attributes
// (gen_ai.operation.name, gen_ai.provider.name, gen_ai.request.model,
// gen_ai.response.model, gen_ai.usage.input_tokens / output_tokens, error.type,
// server.address / server.port), the key id (never the key), the usage row's request id
// (hfs.request.id) and who asked; plus the GenAI client metrics. Prompt and reply text
// enter the span (gen_ai.input.messages / gen_ai.output.messages) only when the scope's
// include_content is set. RotatingModel calls it after every attempt.
//
//   TraceProviderCall(call, request, reply, "https://api.groq.com/openai/v1");
//
// Thread-safe. Does nothing when the call's scope has neither tracer nor metrics.
#pragma once

#include <string_view>

#include "hfs/llm/chat.h"
#include "hfs/llm/provider_call.h"
#include "hfs/llm/provider_client.h"

namespace hfs::llm {

void TraceProviderCall(const ProviderCall& call, const ChatRequest& request,
                       const ProviderReply& reply, std::string_view base_url);

// "api.groq.com" and 443 from "https://api.groq.com/openai/v1"; port 0 when unknown.
struct ServerAddress {
  std::string host;
  int port = 0;
};
ServerAddress ParseServerAddress(std::string_view base_url);

}  // namespace hfs::llm
