// Fuzz target for the code scanner (hfs/page/code_tokenizer.h): any bytes scan without
// crashing in each dialect; the blanked texts keep the input's length and its line breaks
// where they were, and change nothing but to blank it; problems name a line of the input;
// and the tags of the markup lie in order inside it, each a '<' ... '>' with a name, on
// the line LineAt gives.
//
//   build-fuzz/fuzz/code_tokenizer_fuzz fuzz/corpus/code_tokenizer   (libFuzzer)
//   build/fuzz/code_tokenizer_fuzz_regression fuzz/corpus/code_tokenizer
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/page/code_tokenizer.h"

namespace hfs::page {
namespace {

void Check(bool condition, const char* what, std::string_view detail = {}) {
  if (condition) return;
  std::fprintf(stderr, "code_tokenizer_fuzz: %s\n%.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

// `blanked` is `text` with some characters other than line breaks replaced by spaces.
void CheckBlanked(std::string_view text, std::string_view blanked, const char* what) {
  Check(blanked.size() == text.size(), what);
  for (size_t i = 0; i < text.size(); ++i) {
    bool kept = blanked[i] == text[i];
    bool blank = blanked[i] == ' ' && text[i] != '\n';
    Check(kept || blank, what);
  }
}

void CheckScan(std::string_view text, CodeDialect dialect) {
  CodeScan scan = ScanCode(text, dialect);
  CheckBlanked(text, scan.code, "code is not the input blanked");
  CheckBlanked(text, scan.uncommented, "uncommented is not the input blanked");
  const int last_line = LineAt(text, text.size());
  for (const ScanProblem& problem : scan.problems) {
    Check(problem.line >= 1 && problem.line <= last_line, "a problem on no line", problem.message);
    Check(!problem.message.empty(), "a problem without a message");
  }
  Check(scan.jsx_elements >= 0, "negative JSX element count");
  Check(dialect == CodeDialect::kJsx || scan.jsx_elements == 0, "JSX elements outside JSX");

  size_t previous_end = 0;
  for (const MarkupTag& tag : ScanTags(scan.uncommented)) {
    Check(!tag.name.empty(), "a tag without a name");
    Check(tag.begin >= previous_end && tag.begin < tag.end && tag.end <= text.size(),
          "tags out of order or outside the text");
    Check(scan.uncommented[tag.begin] == '<' && scan.uncommented[tag.end - 1] == '>',
          "a tag that is not <...>");
    Check(tag.line == LineAt(text, tag.begin), "a tag on the wrong line");
    previous_end = tag.end;
    HasAttribute(tag.attributes, "class");
    AttributeValue(tag.attributes, "id");
  }
}

}  // namespace
}  // namespace hfs::page

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 16 * 1024) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (hfs::page::CodeDialect dialect :
       {hfs::page::CodeDialect::kScript, hfs::page::CodeDialect::kJsx,
        hfs::page::CodeDialect::kCss}) {
    hfs::page::CheckScan(text, dialect);
  }
  return 0;
}
