#include "hfs/config/internal/yaml_limits.h"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <vector>

namespace hfs::config::internal {
namespace {

struct LimitBroken {
  YAML::Mark mark;
  std::string message;
};

// How much of the document a node stands for once aliases are expanded.
struct Size {
  size_t values = 0;
  size_t bytes = 0;
};

// Walks the parser's events, counting what an expanded document would hold; throws
// LimitBroken at the first bound broken.
class LimitCounter : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1) {
      throw LimitBroken{mark,
                        "a second YAML document; a config is one document (remove the '---' "
                        "line and what follows it, or merge the two)"};
    }
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { Leaf(mark, anchor, 0); }
  void OnScalar(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                const std::string& value) override {
    Leaf(mark, anchor, value.size());
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (++aliases_ > kMaxAliases) {
      throw LimitBroken{mark,
                        fmt::format("more than {} aliases; write the values out", kMaxAliases)};
    }
    if (std::any_of(open_.begin(), open_.end(),
                    [&](const Open& o) { return o.anchor == anchor; })) {
      std::string name = anchor <= names_.size() ? names_[anchor - 1] : "";
      throw LimitBroken{mark, fmt::format("alias '*{}' is used inside the node it names", name)};
    }
    Add(mark, anchored_[anchor]);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value /*style*/) override {
    Start(mark, anchor);
  }
  void OnSequenceEnd() override { End(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value /*style*/) override {
    Start(mark, anchor);
  }
  void OnMapEnd() override { End(); }
  // Anchors are numbered from 1 in the order they are named.
  void OnAnchor(const YAML::Mark& /*mark*/, const std::string& name) override {
    names_.push_back(name);
  }

 private:
  struct Open {
    YAML::anchor_t anchor;
    Size before;
  };

  void Add(const YAML::Mark& mark, Size size) {
    total_.values += size.values;
    total_.bytes += size.bytes;
    const char* cause = aliases_ > 0 ? "aliases expand the document past" : "more than";
    if (total_.values > kMaxValues) {
      throw LimitBroken{mark, fmt::format("{} {} values (keys, list items and scalars); a "
                                          "config needs far fewer",
                                          cause, kMaxValues)};
    }
    if (total_.bytes > kMaxConfigBytes) {
      throw LimitBroken{mark, fmt::format("{} {} bytes of text", cause, kMaxConfigBytes)};
    }
  }
  void Leaf(const YAML::Mark& mark, YAML::anchor_t anchor, size_t bytes) {
    Add(mark, {1, bytes});
    if (anchor != YAML::NullAnchor) anchored_[anchor] = {1, bytes};
  }
  void Start(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (open_.size() >= kMaxDepth) {
      throw LimitBroken{mark, fmt::format("nested more than {} levels deep", kMaxDepth)};
    }
    open_.push_back({anchor, total_});
    Add(mark, {1, 0});
  }
  void End() {
    Open node = open_.back();
    open_.pop_back();
    if (node.anchor != YAML::NullAnchor) {
      anchored_[node.anchor] = {total_.values - node.before.values,
                                total_.bytes - node.before.bytes};
    }
  }

  int documents_ = 0;
  size_t aliases_ = 0;
  Size total_;
  std::vector<Open> open_;
  std::map<YAML::anchor_t, Size> anchored_;
  std::vector<std::string> names_;
};

}  // namespace

ConfigIssue TooLargeIssue(std::string_view file_name) {
  return {.file = std::string(file_name),
          .message = fmt::format("larger than 1 MiB ({} bytes), the most a config may hold",
                                 kMaxConfigBytes)};
}

std::string NormalizeLineBreaks(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\r') {
      out += text[i];
    } else if (i + 1 == text.size() || text[i + 1] != '\n') {
      out += '\n';
    }
  }
  return out;
}

std::optional<ConfigIssue> CheckYamlLimits(std::string_view text, std::string_view file_name) {
  if (text.size() > kMaxConfigBytes) return TooLargeIssue(file_name);
  std::istringstream stream{std::string(text)};
  YAML::Parser parser(stream);
  LimitCounter counter;
  try {
    while (parser.HandleNextDocument(counter)) {
    }
  } catch (const LimitBroken& broken) {
    return ConfigIssue{.file = std::string(file_name),
                       .line = broken.mark.is_null() ? 0 : broken.mark.line + 1,
                       .column = broken.mark.is_null() ? 0 : broken.mark.column + 1,
                       .message = broken.message};
  }
  return std::nullopt;
}

}  // namespace hfs::config::internal
