#include "hfs/store/internal/serialized_database.h"

#include "hfs/base/check.h"

namespace hfs::store::internal {

SerializedDatabase::SerializedDatabase(std::unique_ptr<Connection> connection)
    : dialect_(connection->dialect()), connection_(std::move(connection)) {}

Result<int64_t> SerializedDatabase::Execute(std::string_view sql, const Params& params) {
  MutexLock lock(mu_);
  return connection_->Execute(sql, params);
}

Result<Rows> SerializedDatabase::Query(std::string_view sql, const Params& params) {
  MutexLock lock(mu_);
  return connection_->Query(sql, params);
}

Result<void> SerializedDatabase::RunInTransaction(const TransactionBody& body) {
  HFS_CHECK(body != nullptr, "RunInTransaction needs a body");
  MutexLock lock(mu_);
  if (auto begun = connection_->Begin(); !begun) return begun;
  Result<void> result = body(*connection_);
  if (!result) {
    (void)connection_->Rollback();  // the body's error is the one to report
    return result;
  }
  if (auto committed = connection_->Commit(); !committed) {
    (void)connection_->Rollback();
    return committed;
  }
  return Ok();
}

}  // namespace hfs::store::internal
