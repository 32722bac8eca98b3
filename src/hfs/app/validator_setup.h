// hfs/app/validator_setup.h
//
// Finds the external validators' tools for `hfs run` and `hfs doctor`: the search of
// hfs/pipeline/validator_tools.h from the process environment, starting at the hfs
// executable's directory (/proc/self/exe) and then the current directory.
// HFS_VALIDATORS=off turns the external validators off (each reported as skipped).
//
//   pipeline::ValidatorTools tools = DetectValidators(io.env, pipeline::VersionProbe::kRun);
//
// Thread-compatible. Never fails: missing tools carry their reason.
#pragma once

#include "hfs/base/env.h"
#include "hfs/pipeline/validator_tools.h"

namespace hfs::app {

pipeline::ValidatorTools DetectValidators(
    const Env& env, pipeline::VersionProbe probe = pipeline::VersionProbe::kSkip);

}  // namespace hfs::app
