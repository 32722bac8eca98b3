// hfs/app/run_pipeline.h
//
// The run itself, once `hfs run` has checked its input: wires the providers (key pools,
// rotating models, usage rows into the store), the model tiers and the prompts to the
// Orchestrator, runs the nine phases, writes the generated files and `hfs-report.json`
// under OUTPUT_DIR/<run-id>/, and prints a summary (or one JSON document with --json).
//
//   return RunPipeline(config, args, usage_store, io);
//
// Thread-compatible. Returns kOk when the run succeeded, kRunFailed when it ran but did
// not succeed (the report says what completed), kUsage when the prompts cannot be loaded.
#pragma once

#include "hfs/app/commands.h"
#include "hfs/config/config.h"
#include "hfs/store/usage_store.h"

namespace hfs::app {

ExitCode RunPipeline(const config::Config& config, const RunArgs& args, store::UsageStore& usage,
                     CommandIo& io);

}  // namespace hfs::app
