#include "hfs/trace/critical_path.h"

#include <algorithm>
#include <map>
#include <vector>

#include "hfs/base/ids.h"

namespace hfs::trace {
namespace {

// Timestamps of spans recorded on different threads may disagree by a little; a child
// that starts at most this much before its predecessor ended still follows it.
constexpr Duration kTolerance = std::chrono::milliseconds(1);

struct Weight {
  Duration calls{0};
  int length = 0;
};

bool IsChat(const SpanData& span) { return span.name.rfind("chat ", 0) == 0; }

class Analyzer {
 public:
  explicit Analyzer(std::span<const SpanData> spans) {
    for (const SpanData& span : spans) children_[ToHex(span.parent_span_id)].push_back(&span);
    for (auto& [parent, list] : children_) {
      std::sort(list.begin(), list.end(),
                [](const SpanData* a, const SpanData* b) { return a->start_time < b->start_time; });
    }
  }

  Weight Of(const SpanData& span) {
    if (IsChat(span)) return {span.end_time - span.start_time, 1};
    auto it = children_.find(ToHex(span.span_id));
    if (it == children_.end()) return {};
    const std::vector<const SpanData*>& kids = it->second;
    // best[i]: the heaviest chain of children ending with child i.
    std::vector<Weight> best(kids.size());
    Weight heaviest;
    for (size_t i = 0; i < kids.size(); ++i) {
      const Weight own = Of(*kids[i]);
      Weight before;
      for (size_t j = 0; j < i; ++j) {
        if (kids[j]->end_time <= kids[i]->start_time + kTolerance && best[j].calls > before.calls) {
          before = best[j];
        }
      }
      best[i] = {before.calls + own.calls, before.length + own.length};
      if (best[i].calls > heaviest.calls) heaviest = best[i];
    }
    return heaviest;
  }

 private:
  std::map<std::string, std::vector<const SpanData*>> children_;
};

}  // namespace

CriticalPath ComputeCriticalPath(std::span<const SpanData> spans) {
  CriticalPath path;
  for (const SpanData& span : spans) path.total_calls += IsChat(span) ? 1 : 0;
  auto root =
      std::find_if(spans.begin(), spans.end(), [](const SpanData& span) { return span.IsRoot(); });
  if (root == spans.end()) return path;
  Analyzer analyzer(spans);
  const Weight weight = analyzer.Of(*root);
  path.wall = root->end_time - root->start_time;
  path.calls = weight.calls;
  path.chain_length = weight.length;
  return path;
}

}  // namespace hfs::trace
