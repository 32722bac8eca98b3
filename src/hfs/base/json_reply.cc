#include "hfs/base/json_reply.h"

#include <nlohmann/json.hpp>
#include <vector>

namespace hfs {
namespace {

using nlohmann::json;

std::optional<std::string> StrictObject(std::string_view text) {
  json value = json::parse(text, nullptr, false);
  if (value.is_discarded() || !value.is_object()) return std::nullopt;
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Drops commas that only white space separates from a closing } or ], and escapes raw
// control characters inside strings.
std::string Repaired(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\' && i + 1 < text.size()) {
        out += c;
        out += text[++i];
        continue;
      }
      if (c == '"') in_string = false;
      if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c == '\t') {
        out += "\\t";
      } else {
        out += c;
      }
      continue;
    }
    if (c == '"') in_string = true;
    if (c == ',') {
      size_t next = text.find_first_not_of(" \t\r\n", i + 1);
      if (next != std::string_view::npos && (text[next] == '}' || text[next] == ']')) continue;
    }
    out += c;
  }
  return out;
}

// The text of each ``` fenced block, in order.
std::vector<std::string_view> FencedBlocks(std::string_view reply) {
  std::vector<std::string_view> blocks;
  size_t at = 0;
  while (true) {
    size_t open = reply.find("```", at);
    if (open == std::string_view::npos) break;
    size_t body = reply.find('\n', open);
    if (body == std::string_view::npos) break;
    size_t close = reply.find("```", body);
    if (close == std::string_view::npos) break;
    blocks.push_back(reply.substr(body + 1, close - body - 1));
    at = close + 3;
  }
  return blocks;
}

// The first balanced {...} of `reply` (braces inside strings skipped), or "".
std::string_view FirstBalancedObject(std::string_view reply) {
  size_t start = reply.find('{');
  if (start == std::string_view::npos) return {};
  int depth = 0;
  bool in_string = false;
  for (size_t i = start; i < reply.size(); ++i) {
    const char c = reply[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}' && --depth == 0) {
      return reply.substr(start, i - start + 1);
    }
  }
  return {};
}

std::optional<std::string> Candidate(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (std::optional<std::string> object = StrictObject(text)) return object;
  return StrictObject(Repaired(text));
}

}  // namespace

std::optional<std::string> JsonObjectText(std::string_view reply) {
  if (std::optional<std::string> whole = Candidate(reply)) return whole;
  for (std::string_view block : FencedBlocks(reply)) {
    if (std::optional<std::string> fenced = Candidate(block)) return fenced;
  }
  return Candidate(FirstBalancedObject(reply));
}

}  // namespace hfs
