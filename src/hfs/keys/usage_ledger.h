// hfs/keys/usage_ledger.h
//
// UsageLedger: the requests and tokens one quota bucket (a scope and model) has used,
// as a time-ordered log, with running sums per window so that checking a limit costs
// O(1) amortised. Entries can be adjusted (a reservation's estimated tokens replaced by
// the real count) or voided (a request that was never sent).
//
//   UsageLedger ledger;
//   uint64_t id = ledger.Add(now, /*tokens=*/1200);            // reserve
//   ledger.SetTokens(id, 845);                                 // commit real usage
//   Duration wait = ledger.TimeUntilFree(now, rule, /*tokens=*/1000);
//
// Thread-compatible: KeyPool guards it with its mutex.
#pragma once

#include <cstdint>
#include <deque>
#include <map>

#include "hfs/base/clock.h"
#include "hfs/keys/limits.h"

namespace hfs::keys {

class UsageLedger {
 public:
  // Appends one request with `tokens` at `time` (clamped so the log stays ordered).
  // Returns an id for SetTokens / Void.
  uint64_t Add(Timestamp time, int64_t tokens);
  void SetTokens(uint64_t id, int64_t tokens);
  // Removes the request's counts (it was never sent).
  void Void(uint64_t id);

  // Requests or tokens used within (now - window, now].
  int64_t Used(Timestamp now, LimitKind kind, Duration window);
  // Zero when one more request of `tokens` fits under `rule` at `now`; otherwise how
  // long until enough of the log has left the window. `pending` more of the rule's unit
  // (requests, or tokens) count as used without being in the log (requests in flight);
  // when they alone leave no room, the log cannot free it: Duration::max(). Otherwise a
  // request larger than the whole limit fits once the window is empty.
  Duration TimeUntilFree(Timestamp now, const LimitRule& rule, int64_t tokens, int64_t pending = 0);
  // Drops entries older than `horizon` (the longest window in use).
  void Prune(Timestamp now, Duration horizon);

  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    Timestamp time;
    int64_t requests;
    int64_t tokens;
  };
  // Running sums of entries [cursor, end) for one window length.
  struct WindowSum {
    uint64_t cursor = 0;
    int64_t requests = 0;
    int64_t tokens = 0;
  };

  WindowSum& Advance(Timestamp now, Duration window);
  Entry* Find(uint64_t id);
  void AdjustSums(uint64_t id, int64_t requests_delta, int64_t tokens_delta);

  std::deque<Entry> entries_;
  uint64_t first_id_ = 0;  // id of entries_.front()
  std::map<Duration::rep, WindowSum> sums_;
};

}  // namespace hfs::keys
