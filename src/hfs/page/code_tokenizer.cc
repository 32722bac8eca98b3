// ScanCode: a frame-stack scanner over JS/TS/JSX/CSS text. The frames are code (with
// its own bracket stack), template literal, JSX tag (attributes) and JSX children
// (text); a '}' with an empty bracket stack ends a nested code frame and returns to the
// template or JSX frame that opened it.
#include "hfs/page/code_tokenizer.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace hfs::page {
namespace {

enum class FrameKind { kCode, kTemplate, kJsxTag, kJsxChildren };

struct OpenBracket {
  char bracket;
  size_t offset;
};

struct Frame {
  FrameKind kind = FrameKind::kCode;
  size_t open_offset = 0;
  std::vector<OpenBracket> brackets;  // kCode
  std::string tag;                    // kJsxTag, kJsxChildren
};

bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$';
}
bool IsTagStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool IsTagNameChar(char c) { return IsWordChar(c) || c == '.' || c == '-' || c == ':'; }

char Closer(char opener) { return opener == '(' ? ')' : opener == '[' ? ']' : '}'; }

bool OneOf(std::string_view word, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

class Scanner {
 public:
  Scanner(std::string_view text, CodeDialect dialect) : text_(text), dialect_(dialect) {
    scan_.code = std::string(text);
    scan_.uncommented = std::string(text);
    frames_.push_back(Frame{});
  }

  CodeScan Run() {
    while (pos_ < text_.size()) {
      switch (frames_.back().kind) {
        case FrameKind::kCode:
          StepCode();
          break;
        case FrameKind::kTemplate:
          StepTemplate();
          break;
        case FrameKind::kJsxTag:
          StepJsxTag();
          break;
        case FrameKind::kJsxChildren:
          StepJsxChildren();
          break;
      }
    }
    ReportOpenFrames();
    return std::move(scan_);
  }

 private:
  char At(size_t offset) const { return offset < text_.size() ? text_[offset] : '\0'; }

  void Problem(ScanProblemKind kind, size_t offset, std::string message) {
    scan_.problems.push_back({kind, LineAt(text_, offset), std::move(message)});
  }
  void BracketProblem(ScanProblemKind kind, size_t offset, std::string message) {
    if (bracket_problem_reported_) return;
    bracket_problem_reported_ = true;
    Problem(kind, offset, std::move(message));
  }

  // Blanks [from, to) in the code view, and in the uncommented view too for comments.
  void Blank(size_t from, size_t to, bool comment) {
    for (size_t i = from; i < to && i < text_.size(); ++i) {
      if (text_[i] == '\n') continue;
      scan_.code[i] = ' ';
      if (comment) scan_.uncommented[i] = ' ';
    }
  }

  void Significant(char c) {
    previous_significant_ = last_significant_;
    last_significant_ = c;
    last_word_.clear();
  }

  bool ExpressionMayStart() const {
    if (last_significant_ == '\0') return true;
    if (last_significant_ == 'w') {
      return OneOf(last_word_, {"return", "typeof", "case", "do", "else", "in", "of", "new",
                                "delete", "void", "throw", "yield", "await"});
    }
    if (last_significant_ == '>' && previous_significant_ == '=') return true;  // =>
    return std::string_view("(,=:[!&|?{};+-*%~^").find(last_significant_) != std::string_view::npos;
  }

  void StepCode() {
    char c = text_[pos_];
    char next = At(pos_ + 1);
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      ++pos_;
    } else if (c == '/' && next == '/' && dialect_ != CodeDialect::kCss) {
      size_t end = std::min(text_.find('\n', pos_), text_.size());
      Blank(pos_, end, true);
      pos_ = end;
    } else if (c == '/' && next == '*') {
      BlockComment();
    } else if (c == '\'' || c == '"') {
      QuotedString(c);
      Significant('s');
    } else if (c == '`' && dialect_ != CodeDialect::kCss) {
      frames_.push_back(Frame{.kind = FrameKind::kTemplate, .open_offset = pos_});
      ++pos_;
    } else if (c == '/' && dialect_ != CodeDialect::kCss && ExpressionMayStart() && Regex()) {
      Significant('s');
    } else if (c == '<' && dialect_ == CodeDialect::kJsx && ExpressionMayStart() &&
               (IsTagStart(next) || next == '>')) {
      OpenJsxTag();
    } else if (c == '(' || c == '[' || c == '{') {
      frames_.back().brackets.push_back({c, pos_});
      Significant(c);
      ++pos_;
    } else if (c == ')' || c == ']' || c == '}') {
      CloseBracket(c);
    } else if (IsWordChar(c)) {
      size_t end = pos_;
      while (end < text_.size() && IsWordChar(text_[end])) ++end;
      Significant('w');
      last_word_ = std::string(text_.substr(pos_, end - pos_));
      pos_ = end;
    } else {
      Significant(c);
      ++pos_;
    }
  }

  void BlockComment() {
    size_t close = text_.find("*/", pos_ + 2);
    if (close == std::string_view::npos) {
      Problem(ScanProblemKind::kUnterminatedComment, pos_, "unterminated block comment");
      Blank(pos_, text_.size(), true);
      pos_ = text_.size();
      return;
    }
    Blank(pos_, close + 2, true);
    pos_ = close + 2;
  }

  // A '...' or "..." string; it may not cross an unescaped newline.
  void QuotedString(char quote) {
    size_t start = pos_;
    size_t i = pos_ + 1;
    while (i < text_.size() && text_[i] != quote && text_[i] != '\n') {
      i += text_[i] == '\\' ? 2 : 1;
    }
    if (i >= text_.size() || text_[i] == '\n') {
      Problem(ScanProblemKind::kUnterminatedString, start,
              fmt::format("unterminated string literal (opened with {})", quote));
      i = std::min(i, text_.size());
      Blank(start + 1, i, false);
      pos_ = i;
      return;
    }
    Blank(start + 1, i, false);
    pos_ = i + 1;
  }

  // A regex literal on one line; false (and nothing consumed) when there is none.
  bool Regex() {
    size_t i = pos_ + 1;
    if (At(i) == '/' || At(i) == '*') return false;
    bool in_class = false;
    while (i < text_.size() && text_[i] != '\n') {
      char c = text_[i];
      if (c == '\\') {
        i += 2;
        continue;
      }
      if (c == '[') in_class = true;
      if (c == ']') in_class = false;
      if (c == '/' && !in_class) break;
      ++i;
    }
    if (i >= text_.size() || text_[i] != '/') return false;
    Blank(pos_ + 1, i, false);
    pos_ = i + 1;
    while (pos_ < text_.size() && std::isalpha(static_cast<unsigned char>(text_[pos_])) != 0) {
      ++pos_;
    }
    return true;
  }

  void CloseBracket(char c) {
    std::vector<OpenBracket>& open = frames_.back().brackets;
    if (open.empty()) {
      if (c == '}' && frames_.size() > 1) {  // ends a ${...} or JSX {...}
        frames_.pop_back();
        ++pos_;
        if (frames_.back().kind == FrameKind::kCode) Significant(')');
        return;
      }
      BracketProblem(ScanProblemKind::kUnexpectedBracket, pos_,
                     fmt::format("unexpected closing '{}' with nothing open", c));
    } else if (Closer(open.back().bracket) != c) {
      BracketProblem(ScanProblemKind::kMismatchedBracket, pos_,
                     fmt::format("'{}' closes '{}' opened on line {}", c, open.back().bracket,
                                 LineAt(text_, open.back().offset)));
      open.pop_back();
    } else {
      open.pop_back();
    }
    Significant(')');
    ++pos_;
  }

  void StepTemplate() {
    char c = text_[pos_];
    if (c == '\\') {
      Blank(pos_, pos_ + 2, false);
      pos_ += 2;
    } else if (c == '`') {
      frames_.pop_back();
      Significant('s');
      ++pos_;
    } else if (c == '$' && At(pos_ + 1) == '{') {
      frames_.push_back(Frame{.kind = FrameKind::kCode, .open_offset = pos_});
      last_significant_ = '{';
      pos_ += 2;
    } else {
      Blank(pos_, pos_ + 1, false);
      ++pos_;
    }
  }

  std::string ReadTagName() {
    size_t end = pos_;
    while (end < text_.size() && IsTagNameChar(text_[end])) ++end;
    std::string name(text_.substr(pos_, end - pos_));
    pos_ = end;
    return name;
  }

  void OpenJsxTag() {
    size_t start = pos_;
    ++pos_;
    std::string name = ReadTagName();
    ++scan_.jsx_elements;
    frames_.push_back(Frame{.kind = FrameKind::kJsxTag, .open_offset = start, .tag = name});
  }

  // After an element closes: back in code it acts like a finished expression.
  void ElementClosed() {
    frames_.pop_back();
    if (frames_.back().kind == FrameKind::kCode) Significant(')');
  }

  void StepJsxTag() {
    char c = text_[pos_];
    if (c == '"' || c == '\'') {
      size_t close = text_.find(c, pos_ + 1);
      if (close == std::string_view::npos) {
        Problem(ScanProblemKind::kUnterminatedString, pos_,
                fmt::format("unterminated JSX attribute string in <{}>", frames_.back().tag));
        Blank(pos_ + 1, text_.size(), false);
        pos_ = text_.size();
        return;
      }
      Blank(pos_ + 1, close, false);
      pos_ = close + 1;
    } else if (c == '{') {
      frames_.push_back(Frame{.kind = FrameKind::kCode, .open_offset = pos_});
      last_significant_ = '{';
      ++pos_;
    } else if (c == '/' && At(pos_ + 1) == '>') {
      pos_ += 2;
      ElementClosed();
    } else if (c == '>') {
      frames_.back().kind = FrameKind::kJsxChildren;
      ++pos_;
    } else {
      ++pos_;
    }
  }

  void StepJsxChildren() {
    char c = text_[pos_];
    char next = At(pos_ + 1);
    if (c == '{') {
      frames_.push_back(Frame{.kind = FrameKind::kCode, .open_offset = pos_});
      last_significant_ = '{';
      ++pos_;
    } else if (c == '<' && next == '/') {
      CloseJsxElement();
    } else if (c == '<' && (IsTagStart(next) || next == '>')) {
      OpenJsxTag();
    } else {
      Blank(pos_, pos_ + 1, false);
      ++pos_;
    }
  }

  void CloseJsxElement() {
    size_t start = pos_;
    pos_ += 2;
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_])) != 0) {
      ++pos_;
    }
    std::string name = ReadTagName();
    size_t close = text_.find('>', pos_);
    if (close == std::string_view::npos) {
      Problem(ScanProblemKind::kUnterminatedJsx, start,
              fmt::format("JSX closing tag </{}> has no '>'", name));
      pos_ = text_.size();
      return;
    }
    pos_ = close + 1;
    const std::string& open = frames_.back().tag;
    if (name != open) {
      Problem(ScanProblemKind::kMismatchedJsxTag, start,
              fmt::format("JSX closing tag </{}> does not match <{}> opened on line {}", name, open,
                          LineAt(text_, frames_.back().open_offset)));
    }
    ElementClosed();
  }

  void ReportOpenFrames() {
    while (frames_.size() > 1) {
      const Frame& frame = frames_.back();
      switch (frame.kind) {
        case FrameKind::kTemplate:
          Problem(ScanProblemKind::kUnterminatedTemplate, frame.open_offset,
                  "unterminated template literal");
          break;
        case FrameKind::kJsxTag:
        case FrameKind::kJsxChildren:
          Problem(ScanProblemKind::kUnterminatedJsx, frame.open_offset,
                  fmt::format("JSX element <{}> is never closed", frame.tag));
          break;
        case FrameKind::kCode:
          ReportOpenBrackets(frame);
          BracketProblem(ScanProblemKind::kUnclosedBracket, frame.open_offset,
                         "embedded expression '{' is never closed");
          break;
      }
      frames_.pop_back();
    }
    ReportOpenBrackets(frames_.back());
  }

  void ReportOpenBrackets(const Frame& frame) {
    if (frame.brackets.empty()) return;
    const OpenBracket& first = frame.brackets.front();
    BracketProblem(ScanProblemKind::kUnclosedBracket, first.offset,
                   fmt::format("'{}' is never closed ({} bracket(s) left open)", first.bracket,
                               frame.brackets.size()));
  }

  std::string_view text_;
  CodeDialect dialect_;
  CodeScan scan_;
  std::vector<Frame> frames_;
  size_t pos_ = 0;
  // 'w' after a word, 's' after a string/regex, ')' after a closed expression, else the
  // punctuation character; '\0' at the start.
  char last_significant_ = '\0';
  char previous_significant_ = '\0';
  std::string last_word_;
  bool bracket_problem_reported_ = false;
};

}  // namespace

CodeScan ScanCode(std::string_view text, CodeDialect dialect) {
  return Scanner(text, dialect).Run();
}

int LineAt(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  return 1 +
         static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(offset), '\n'));
}

}  // namespace hfs::page
