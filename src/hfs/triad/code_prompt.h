// hfs/triad/code_prompt.h
//
// The code model's prompt and reply contract for one section of a page with a contract
// (hfs/page/page_contract.h): a header of `Key: value` lines (section, kind, root id,
// contribution, format, file names), a per-format and per-kind example with the right
// file names, module style and default export, the quality rules a frontend engineer
// would give, and the whole page contract. ContractProblems checks a reply's files
// against it (a concern writes no markup, a region writes its markup file, imports are
// limited to the format's toolchain, a React region default-exports its component), so
// a broken reply gets one repair turn with the exact problems.
//
//   std::string system = CodeSystemPrompt(contract, "page/pricing", "layout");
//   std::string user = CodeUserPrompt(contract, "page/pricing", proposal, request, notes);
//   std::vector<std::string> problems = ContractProblems(contract, "page/pricing", files);
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hfs/page/page_contract.h"
#include "hfs/triad/outbox.h"

namespace hfs::triad {

std::string CodeSystemPrompt(const page::PageContract& contract, std::string_view section,
                             std::string_view triad);
std::string CodeUserPrompt(const page::PageContract& contract, std::string_view section,
                           std::string_view proposal, std::string_view request,
                           std::string_view instructions);
// Empty when the files keep the contract.
std::vector<std::string> ContractProblems(const page::PageContract& contract,
                                          std::string_view section,
                                          const std::vector<StagedFile>& files);

}  // namespace hfs::triad
