// hfs/config/config.h
//
// Config: everything one HFS run is configured with, as the option structs of the
// modules that use them. LoadConfig (hfs/config/load.h) fills it from YAML; every field
// not in the file keeps the default of the original HFS.
//
//   Config config = HFS_TRY(LoadConfig("config/examples/standard.yaml"));
//   for (const triad::TriadOptions& triad : config.triads) ...
//
// Plain value type.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "hfs/llm/provider_options.h"
#include "hfs/page/section_role.h"
#include "hfs/pipeline/pipeline_options.h"
#include "hfs/tiers/tier_options.h"
#include "hfs/trace/observability_options.h"
#include "hfs/triad/triad_options.h"

namespace hfs::config {

struct Config {
  // The file it was loaded from ("" when loaded from text).
  std::string source_path;
  std::vector<triad::TriadOptions> triads;
  // Configured section names in spec order (concerns, and regions declared in
  // `sections`); planned regions are added by the run.
  std::vector<std::string> sections;
  // The role of each configured section and of each region fixed by `page.regions`.
  std::map<std::string, page::SectionRole> section_roles;
  pipeline::PageOptions page;
  pipeline::PressureOptions pressure;
  pipeline::ArbiterOptions arbiter;
  pipeline::OutputOptions output;
  tiers::ModelTiersOptions model_tiers = tiers::DefaultModelTiers();
  // Built-in providers first (in fallback order), then custom ones in config order.
  std::vector<llm::ProviderOptions> providers = llm::BuiltinProviders();
  trace::ObservabilityOptions observability;
  // A directory of prompt templates (prompts/<name>.md) overriding the built-in ones;
  // LoadConfig makes it relative to the config file and checks it. "" = built-in only.
  std::string prompts_dir;
};

}  // namespace hfs::config
