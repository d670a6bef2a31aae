// StatementCache: the prepared statements of one SQLite connection, kept
// for reuse. SQLite compiles a small statement in 4-15 us on the reference
// machine (an audit INSERT 14 us, the revision SELECT 5 us), which was a
// fifth of the CPU a durable single mutation costs and several times the
// cost of the row itself in an import; a cached statement is only reset
// and bound again.
//
// Get(sql) hands out the statement for one use. The handle resets the
// statement and clears its bindings when it goes out of scope, so a cached
// statement never holds a read transaction open between uses. Asking for
// a statement whose handle is still alive (a nested use) gets a freshly
// prepared, uncached one.
//
// Thread safety: none; like the connection it belongs to, a cache is used
// by one thread at a time. REQUIRES: the cache is destroyed before the
// connection.
#ifndef TOEGANG_STATEMENT_CACHE_H_
#define TOEGANG_STATEMENT_CACHE_H_

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace toegang {

class StatementCache {
 public:
  explicit StatementCache(SQLite::Database& db) : db_(db) {}
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  class Use {
   public:
    ~Use();
    Use(const Use&) = delete;
    Use& operator=(const Use&) = delete;

    SQLite::Statement& operator*() const { return *statement_; }
    SQLite::Statement* operator->() const { return statement_; }

   private:
    friend class StatementCache;
    Use(SQLite::Statement* cached, bool* in_use)
        : statement_(cached), in_use_(in_use) {}
    explicit Use(std::unique_ptr<SQLite::Statement> owned)
        : statement_(owned.get()), owned_(std::move(owned)) {}

    SQLite::Statement* statement_;
    bool* in_use_ = nullptr;  // null: an uncached statement (owned_)
    std::unique_ptr<SQLite::Statement> owned_;
  };

  // The statement for sql, prepared on first use. Throws SQLite::Exception
  // when sql does not compile.
  Use Get(std::string_view sql);

  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::unique_ptr<SQLite::Statement> statement;
    bool in_use = false;
  };
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const {
      return std::hash<std::string_view>{}(s);
    }
  };

  SQLite::Database& db_;
  // Node-based, so an Entry stays where it is while the map grows.
  std::unordered_map<std::string, Entry, TextHash, std::equal_to<>> entries_;
};

}  // namespace toegang

#endif  // TOEGANG_STATEMENT_CACHE_H_
