#include "hfs/triad/outbox.h"

#include <algorithm>
#include <utility>

namespace hfs::triad {
namespace {

// Replaces the entry of `entries` with the same key as `value` in place, or appends it.
template <class T, class Key>
void Upsert(std::vector<T>& entries, T value, Key key) {
  auto same = std::find_if(entries.begin(), entries.end(),
                           [&](const T& entry) { return key(entry) == key(value); });
  if (same == entries.end()) {
    entries.push_back(std::move(value));
  } else {
    *same = std::move(value);
  }
}

}  // namespace

void Outbox::Claim(spec::StagedClaim claim) {
  MutexLock lock(mu_);
  Upsert(claims_, std::move(claim), [](const spec::StagedClaim& c) { return c.section; });
}

void Outbox::Decide(spec::StagedDecision decision) {
  MutexLock lock(mu_);
  Upsert(decisions_, std::move(decision), [](const spec::StagedDecision& d) { return d.section; });
}

void Outbox::AddFile(StagedFile file) {
  MutexLock lock(mu_);
  Upsert(files_, std::move(file), [](const StagedFile& f) { return f.section + '\n' + f.path; });
}

std::vector<spec::StagedClaim> Outbox::claims() const {
  MutexLock lock(mu_);
  return claims_;
}

std::vector<spec::StagedDecision> Outbox::decisions() const {
  MutexLock lock(mu_);
  return decisions_;
}

std::vector<StagedFile> Outbox::files() const {
  MutexLock lock(mu_);
  return files_;
}

std::vector<StagedFile> Outbox::TakeFiles(const std::string& section) {
  MutexLock lock(mu_);
  std::vector<StagedFile> taken;
  for (const StagedFile& file : files_) {
    if (file.section == section) taken.push_back(file);
  }
  std::erase_if(files_, [&](const StagedFile& file) { return file.section == section; });
  return taken;
}

void Outbox::Clear() {
  MutexLock lock(mu_);
  claims_.clear();
  decisions_.clear();
  files_.clear();
}

}  // namespace hfs::triad
