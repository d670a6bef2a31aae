#include "store/statement_cache.h"

#include <utility>

namespace toegang {

StatementCache::Use::~Use() {
  if (in_use_ == nullptr) return;  // owned_ finalizes its statement
  // tryReset: reset reports the error of the last step (already thrown to
  // the user of the handle), which must not throw again from here.
  statement_->tryReset();
  try {
    statement_->clearBindings();
  } catch (const SQLite::Exception&) {  // sqlite3_clear_bindings cannot fail
  }
  *in_use_ = false;
}

StatementCache::Use StatementCache::Get(std::string_view sql) {
  auto it = entries_.find(sql);
  if (it == entries_.end()) {
    auto statement = std::make_unique<SQLite::Statement>(db_, std::string(sql));
    it = entries_.emplace(std::string(sql), Entry{std::move(statement), false})
             .first;
  }
  Entry& e = it->second;
  if (e.in_use) {
    return Use(std::make_unique<SQLite::Statement>(db_, std::string(sql)));
  }
  e.in_use = true;
  return Use(e.statement.get(), &e.in_use);
}

}  // namespace toegang
