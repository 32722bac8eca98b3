// The syntax and render checks of the Validator.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "hfs/base/text.h"
#include "hfs/page/page_contract.h"
#include "hfs/pipeline/validator_internal.h"

namespace hfs::pipeline::internal {

namespace {

struct Typo {
  std::string_view word;
  std::string_view meant;
};
constexpr Typo kTypos[] = {{"functoin", "function"}, {"fucntion", "function"}, {"retrun", "return"},
                           {"reutrn", "return"},     {"cosnt", "const"},       {"improt", "import"},
                           {"exprot", "export"}};

bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$';
}

// Offsets of `word` as a whole identifier in `code`.
std::vector<size_t> FindWord(std::string_view code, std::string_view word) {
  std::vector<size_t> found;
  for (size_t at = code.find(word); at != std::string_view::npos; at = code.find(word, at + 1)) {
    bool start = at == 0 || !IsWordChar(code[at - 1]);
    bool end = at + word.size() >= code.size() || !IsWordChar(code[at + word.size()]);
    if (start && end) found.push_back(at);
  }
  return found;
}

std::string ProblemSuggestion(ScanProblemKind kind) {
  switch (kind) {
    case ScanProblemKind::kUnterminatedString:
      return "close the string on the same line";
    case ScanProblemKind::kUnterminatedTemplate:
      return "close the template literal with `";
    case ScanProblemKind::kUnterminatedComment:
      return "close the comment with */";
    case ScanProblemKind::kUnterminatedJsx:
    case ScanProblemKind::kMismatchedJsxTag:
      return "close every JSX element with its own tag";
    default:
      return "balance (), [] and {}";
  }
}

void CheckCodePart(const std::string& path, const CodePart& part, Issues& issues) {
  CodeScan scan = ScanCode(part.text, part.dialect);
  for (const ScanProblem& problem : scan.problems) {
    AddIssue(issues, Severity::kError, "syntax", problem.message, path, problem.line,
             ProblemSuggestion(problem.kind));
  }
  if (part.dialect == CodeDialect::kCss) return;
  for (const Typo& typo : kTypos) {
    for (size_t at : FindWord(scan.code, typo.word)) {
      AddIssue(issues, Severity::kError, "syntax", fmt::format("'{}' is a typo", typo.word), path,
               LineAt(part.text, at), fmt::format("did you mean '{}'?", typo.meant));
    }
  }
}

bool IsVoidElement(const std::string& name) {
  static const std::vector<std::string> kVoid = {"area",  "base",   "br",    "col",  "embed",
                                                 "hr",    "img",    "input", "link", "meta",
                                                 "param", "source", "track", "wbr"};
  return std::find(kVoid.begin(), kVoid.end(), name) != kVoid.end();
}

// Elements whose end tag HTML lets you leave out.
bool HasOptionalEnd(const std::string& name) {
  static const std::vector<std::string> kOptional = {
      "li",    "p",     "td",       "th",       "tr", "option", "dt",   "dd",   "thead",
      "tbody", "tfoot", "colgroup", "optgroup", "rt", "rp",     "html", "head", "body"};
  return std::find(kOptional.begin(), kOptional.end(), name) != kOptional.end();
}

struct OpenElement {
  std::string name;
  int line;
};

void CloseElement(const std::string& path, const MarkupTag& tag, const std::string& name,
                  std::vector<OpenElement>& open, Issues& issues) {
  while (!open.empty() && open.back().name != name && HasOptionalEnd(open.back().name)) {
    open.pop_back();
  }
  if (!open.empty() && open.back().name == name) {
    open.pop_back();
    return;
  }
  bool opened = std::any_of(open.begin(), open.end(),
                            [&](const OpenElement& element) { return element.name == name; });
  std::string message = open.empty() ? fmt::format("</{}> closes nothing", name)
                                     : fmt::format("</{}> does not match <{}> opened on line {}",
                                                   name, open.back().name, open.back().line);
  AddIssue(issues, Severity::kError, "syntax", message, path, tag.line,
           "close elements in the reverse order they were opened");
  if (!opened) return;
  while (open.back().name != name) open.pop_back();
  open.pop_back();
}

void CheckHtmlStructure(const std::string& path, const std::string& content, Issues& issues) {
  std::vector<OpenElement> open;
  for (const MarkupTag& tag : ScanTags(content)) {
    std::string name = AsciiLower(tag.name);
    if (tag.closing) {
      if (!IsVoidElement(name)) CloseElement(path, tag, name, open, issues);
      continue;
    }
    if (tag.self_closing || IsVoidElement(name)) continue;
    if ((name == "li" || name == "p" || name == "option") && !open.empty() &&
        open.back().name == name) {
      open.pop_back();
    }
    open.push_back({name, tag.line});
  }
  for (const OpenElement& element : open) {
    if (HasOptionalEnd(element.name)) continue;
    AddIssue(issues, Severity::kError, "syntax", fmt::format("<{}> is never closed", element.name),
             path, element.line, fmt::format("add </{}>", element.name));
  }
}

bool HasImplicitArrowReturn(std::string_view code) {
  for (size_t at = code.find("=>"); at != std::string_view::npos; at = code.find("=>", at + 2)) {
    size_t next = code.find_first_not_of(" \t\r\n", at + 2);
    if (next != std::string_view::npos && (code[next] == '(' || code[next] == '<')) return true;
  }
  return false;
}

// Exports a PascalCase name or has a default export.
bool IsComponentFile(std::string_view code, std::string_view source) {
  if (DefaultExportName(source) != kNoDefaultExport) return true;
  for (std::string_view prefix : {"export function ", "export const "}) {
    for (size_t at = code.find(prefix); at != std::string_view::npos;
         at = code.find(prefix, at + 1)) {
      size_t name = at + prefix.size();
      if (name < code.size() && std::isupper(static_cast<unsigned char>(code[name])) != 0) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

void CheckSyntax(const std::string& path, const std::string& content, Issues& issues) {
  for (const CodePart& part : CodeParts(path, content)) CheckCodePart(path, part, issues);
  if (page::FileExtension(path) == ".html") CheckHtmlStructure(path, content, issues);
}

void CheckRender(const std::string& path, const std::string& content, Issues& issues) {
  std::string_view extension = page::FileExtension(path);
  if (extension == ".vue") {
    if (content.find("<template") == std::string::npos &&
        content.find("render(") == std::string::npos) {
      AddIssue(issues, Severity::kWarning, "render", "Vue component has no <template>", path, 0,
               "add a <template> block");
    }
    return;
  }
  if (extension != ".tsx" && extension != ".jsx") return;
  CodeScan scan = ScanCode(content, CodeDialect::kJsx);
  if (!IsComponentFile(scan.code, content)) return;
  if (scan.jsx_elements == 0) {
    AddIssue(issues, Severity::kWarning, "render", "component file renders no JSX", path, 0,
             "return JSX from the component");
  } else if (FindWord(scan.code, "return").empty() && !HasImplicitArrowReturn(scan.code)) {
    AddIssue(issues, Severity::kWarning, "render", "component may not return JSX", path, 0,
             "return the JSX from the component function");
  }
}

}  // namespace hfs::pipeline::internal
