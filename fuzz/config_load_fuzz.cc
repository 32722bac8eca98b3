// Fuzz target for the config loader (hfs/config/load.h, LoadConfigFromString): any bytes
// load without crashing or throwing, into a Config or an error that names the file; in a
// loaded config every triad id and every section name is non-empty and unique.
//
//   build-fuzz/fuzz/config_load_fuzz fuzz/corpus/config_load   (libFuzzer)
//   build/fuzz/config_load_fuzz_regression fuzz/corpus/config_load
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "hfs/config/load.h"

namespace hfs::config {
namespace {

void Check(bool condition, const char* what, std::string_view detail = {}) {
  if (condition) return;
  std::fprintf(stderr, "config_load_fuzz: %s\n%.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

void CheckYaml(std::string_view yaml) {
  Result<Config> config = LoadConfigFromString(yaml, "fuzz.yaml");
  if (!config) {
    Check(config.error().message.find("fuzz.yaml") != std::string::npos,
          "an error that does not name the file", config.error().message);
    return;
  }
  std::set<std::string> ids;
  for (const triad::TriadOptions& triad : config->triads) {
    Check(!triad.id.empty(), "a triad without an id");
    Check(ids.insert(triad.id).second, "two triads with one id", triad.id);
  }
  std::set<std::string> sections;
  for (const std::string& section : config->sections) {
    Check(!section.empty(), "a section without a name");
    Check(sections.insert(section).second, "a section listed twice", section);
  }
}

}  // namespace
}  // namespace hfs::config

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Larger inputs are refused before parsing (and only slow the run down).
  if (size > 64 * 1024) return 0;
  hfs::config::CheckYaml(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
