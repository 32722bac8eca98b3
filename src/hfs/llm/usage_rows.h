// hfs/llm/usage_rows.h
//
// Converts between what the LLM layer sees and what the usage store keeps: a finished
// ProviderCall becomes one UsageRecord (one row per provider request), and stored rows
// become the PastUsage a KeyPool hydrates its rate windows from at start-up.
//
//   RotatingModelOptions options{.on_call = [&](const ProviderCall& call) {
//     usage_store.Record(ToUsageRecord(call));
//   }};
//   pool.Hydrate(PastUsageFor("groq", HFS_TRY(usage_store.Recent(now - 24h))));
//
// Pure functions; thread-safe.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "hfs/keys/key_pool.h"
#include "hfs/llm/provider_call.h"
#include "hfs/store/usage_record.h"

namespace hfs::llm {

store::UsageRecord ToUsageRecord(const ProviderCall& call);

// The rows of `provider` that counted against its rate limits, with the tokens they
// counted (failed and abandoned requests included, as the key pool counts them; it voids
// requests whose key was refused, out of credit or barred from the model, so those are
// left out), in the order given.
std::vector<keys::PastUsage> PastUsageFor(std::string_view provider,
                                          std::span<const store::UsageRecord> rows);

}  // namespace hfs::llm
