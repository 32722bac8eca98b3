// Fuzz target for the .env reader (hfs/base/env.h, ParseDotEnv): any bytes parse without
// crashing; an error names the file and a line of it; every name read is a valid
// variable name; and the variables written back as NAME="value" lines (with \\, \" and
// \n escapes) read back the same, also with `export ` and CRLF line ends.
//
//   build-fuzz/fuzz/dotenv_fuzz fuzz/corpus/dotenv   (libFuzzer)
//   build/fuzz/dotenv_fuzz_regression fuzz/corpus/dotenv
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hfs/base/env.h"

namespace hfs {
namespace {

using Variables = std::vector<std::pair<std::string, std::string>>;

void Check(bool condition, const char* what, std::string_view detail = {}) {
  if (condition) return;
  std::fprintf(stderr, "dotenv_fuzz: %s\n%.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

bool ValidName(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name) {
    if (c != '_' && !std::isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string Write(const Variables& variables, std::string_view prefix, std::string_view eol) {
  std::string out;
  for (const auto& [name, value] : variables) {
    out += prefix;
    out += name;
    out += "=\"";
    for (char c : value) {
      if (c == '\\' || c == '"') out += '\\';
      if (c == '\n') {
        out += "\\n";
      } else {
        out += c;
      }
    }
    out += '"';
    out += eol;
  }
  return out;
}

void CheckText(std::string_view text) {
  Result<Variables> parsed = ParseDotEnv(text, "fuzz.env");
  if (!parsed) {
    Check(parsed.error().message.starts_with("fuzz.env:"), "error does not name the file",
          parsed.error().message);
    return;
  }
  for (const auto& [name, value] : *parsed) Check(ValidName(name), "invalid name", name);
  for (auto [prefix, eol] : {std::pair{"", "\n"}, std::pair{"export ", "\r\n"}}) {
    std::string written = Write(*parsed, prefix, eol);
    Result<Variables> again = ParseDotEnv(written, "written.env");
    Check(again.has_value(), "what was written does not parse", written);
    Check(*again == *parsed, "what was written reads back differently", written);
  }
}

}  // namespace
}  // namespace hfs

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 16 * 1024) return 0;
  hfs::CheckText(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
