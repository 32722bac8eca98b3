// hfs/store/internal/serialized_database.h
//
// The shared part of the backends. A backend implements Connection (one connection,
// thread-compatible); SerializedDatabase makes it a thread-safe Database by holding a
// mutex around every call and around the whole body of a transaction.
//
//   auto connection = HFS_TRY(SqliteConnection::Open(path));
//   std::unique_ptr<Database> db =
//       std::make_unique<internal::SerializedDatabase>(std::move(connection));
//
// Thread-safe (SerializedDatabase); Connection is thread-compatible.
// Begin/Commit/Rollback return the backend's error (see hfs/store/database.h).
#pragma once

#include <memory>

#include "hfs/base/mutex.h"
#include "hfs/store/database.h"

namespace hfs::store::internal {

class Connection : public Executor {
 public:
  virtual Dialect dialect() const = 0;
  virtual Result<void> Begin() = 0;
  virtual Result<void> Commit() = 0;
  virtual Result<void> Rollback() = 0;
};

class SerializedDatabase final : public Database {
 public:
  explicit SerializedDatabase(std::unique_ptr<Connection> connection);

  Dialect dialect() const override { return dialect_; }
  Result<int64_t> Execute(std::string_view sql, const Params& params) override;
  Result<Rows> Query(std::string_view sql, const Params& params) override;
  Result<void> RunInTransaction(const TransactionBody& body) override;

 private:
  const Dialect dialect_;
  Mutex mu_;
  const std::unique_ptr<Connection> connection_ HFS_PT_GUARDED_BY(mu_);
};

}  // namespace hfs::store::internal
