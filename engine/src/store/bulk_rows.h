// BulkRows: the part of a BulkWriter (bulk_writer.h) that every store
// shares: which table each row goes to, its columns in order, and the
// values in their stored form (zero-padded digits, the UTC time text, the
// role words). A store's writer supplies only how a table takes rows:
//
//   class MyWriter final : public BulkRows<MyWriter> {
//     // Fills one row of `table` through fill(sink), where sink has
//     // Text(std::string_view), Int(int64_t) and EndRow(); keeps the first
//     // failure, after which it writes nothing.
//     template <typename Fill> void Row(BulkTable table, Fill&& fill);
//     ... status(), Finish() ...
//   };
//
// so that SQLite's batched INSERTs and PostgreSQL's COPY write the same
// rows (the generator's federation is the same in either store).
//
// Thread safety: one thread at a time, as BulkWriter.
#ifndef TOEGANG_STORE_BULK_ROWS_H_
#define TOEGANG_STORE_BULK_ROWS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include "base/time_util.h"
#include "store/bulk_writer.h"

namespace toegang {

// The tables a bulk load writes, in the order a writer flushes them.
enum class BulkTable : size_t {
  kEnterprise,
  kPerson,
  kFunction,
  kFacility,
  kHtb,
  kActiveCapacity,
  kDomainManager,
  kSubafdeling,
  kSubafdelingManager,
  kAuthorization,
  kUser,
  kRight,
  kAudit,
};
inline constexpr size_t kBulkTables = 13;

// A table's name (as the schema spells it, unquoted: PostgreSQL reserves
// "user" and "authorization") and the columns a bulk row fills, in order.
struct BulkTableColumns {
  std::string_view name;
  std::string_view columns;
  int count;  // of columns
};

inline constexpr std::array<BulkTableColumns, kBulkTables> kBulkTableColumns = {
    {
        {"enterprise", "kbo, name, active, juridical_form, start_date", 5},
        {"person", "insz, name", 2},
        {"function", "kbo, insz, role", 3},
        {"facility", "hco, name, type_code, kbo, active", 5},
        {"htb", "kbo, insz, email, phone, by_insz, revision, at", 7},
        {"active_capacity", "kbo, capacity, by_insz, revision, at", 5},
        {"domain_manager",
         "kbo, capacity, subdivision, insz, role, by_insz, revision, at", 8},
        {"subafdeling",
         "id, kbo, capacity, subdivision, hco, email, by_insz, revision, at",
         9},
        {"subafdeling_manager", "subafdeling, insz, by_insz, revision, at", 5},
        {"authorization", "subafdeling, application, by_insz, revision, at", 5},
        {"user", "subafdeling, insz, by_insz, revision, at", 5},
        {"user_right", "subafdeling, insz, application, by_insz, revision, at",
         6},
        {"audit", "revision, at, actor, action, kbo, outcome, detail, message",
         8},
    }};

template <typename Writer>
class BulkRows : public BulkWriter {
 public:
  void Enterprise(uint64_t kbo, std::string_view name, bool active,
                  std::string_view juridical_form,
                  std::string_view start_date) final {
    Put(BulkTable::kEnterprise, [&](auto& q) {
      q.Text(Digits(&kbo_, kbo, 10));
      q.Text(name);
      q.Int(active ? 1 : 0);
      q.Text(juridical_form);
      q.Text(start_date);
    });
  }

  void Person(uint64_t insz, std::string_view name) final {
    Put(BulkTable::kPerson, [&](auto& q) {
      q.Text(Digits(&insz_, insz, 11));
      q.Text(name);
    });
  }

  void Function(uint64_t kbo, uint64_t insz, FunctionRole role) final {
    Put(BulkTable::kFunction, [&](auto& q) {
      q.Text(Digits(&kbo_, kbo, 10));
      q.Text(Digits(&insz_, insz, 11));
      q.Text(role == FunctionRole::kLegalRepresentative ? "legal_representative"
                                                        : "employee");
    });
  }

  void Facility(std::string_view hco, std::string_view name,
                std::string_view type_code, uint64_t kbo, bool active) final {
    Put(BulkTable::kFacility, [&](auto& q) {
      q.Text(hco);
      q.Text(name);
      q.Text(type_code);
      q.Text(Digits(&kbo_, kbo, 10));
      q.Int(active ? 1 : 0);
    });
  }

  void Htb(uint64_t kbo, uint64_t insz, std::string_view email,
           std::string_view phone, const Provenance& prov) final {
    Put(BulkTable::kHtb, [&](auto& q) {
      q.Text(Digits(&kbo_, kbo, 10));
      q.Text(Digits(&insz_, insz, 11));
      q.Text(email);
      q.Text(phone);
      Made(q, prov);
    });
  }

  void ActiveCapacity(uint64_t kbo, std::string_view capacity,
                      const Provenance& prov) final {
    Put(BulkTable::kActiveCapacity, [&](auto& q) {
      q.Text(Digits(&kbo_, kbo, 10));
      q.Text(capacity);
      Made(q, prov);
    });
  }

  void DomainManager(uint64_t kbo, std::string_view capacity,
                     std::string_view subdivision, uint64_t insz, bool tb,
                     const Provenance& prov) final {
    Put(BulkTable::kDomainManager, [&](auto& q) {
      q.Text(Digits(&kbo_, kbo, 10));
      q.Text(capacity);
      q.Text(subdivision);
      q.Text(Digits(&insz_, insz, 11));
      q.Text(tb ? "tb" : "co_tb");
      Made(q, prov);
    });
  }

  void Subafdeling(int64_t id, uint64_t kbo, std::string_view capacity,
                   std::string_view subdivision, std::string_view hco,
                   std::string_view email, const Provenance& prov) final {
    Put(BulkTable::kSubafdeling, [&](auto& q) {
      q.Int(id);
      q.Text(Digits(&kbo_, kbo, 10));
      q.Text(capacity);
      q.Text(subdivision);
      q.Text(hco);
      q.Text(email);
      Made(q, prov);
    });
  }

  void SubafdelingManager(int64_t subafdeling, uint64_t insz,
                          const Provenance& prov) final {
    Put(BulkTable::kSubafdelingManager, [&](auto& q) {
      q.Int(subafdeling);
      q.Text(Digits(&insz_, insz, 11));
      Made(q, prov);
    });
  }

  void Authorization(int64_t subafdeling, std::string_view application,
                     const Provenance& prov) final {
    Put(BulkTable::kAuthorization, [&](auto& q) {
      q.Int(subafdeling);
      q.Text(application);
      Made(q, prov);
    });
  }

  void User(int64_t subafdeling, uint64_t insz, const Provenance& prov) final {
    Put(BulkTable::kUser, [&](auto& q) {
      q.Int(subafdeling);
      q.Text(Digits(&insz_, insz, 11));
      Made(q, prov);
    });
  }

  void Right(int64_t subafdeling, uint64_t insz, std::string_view application,
             const Provenance& prov) final {
    Put(BulkTable::kRight, [&](auto& q) {
      q.Int(subafdeling);
      q.Text(Digits(&insz_, insz, 11));
      q.Text(application);
      Made(q, prov);
    });
  }

  void Audit(uint64_t revision, int64_t at, std::string_view action,
             uint64_t kbo, std::string_view detail,
             std::string_view message) final {
    Put(BulkTable::kAudit, [&](auto& q) {
      q.Int(static_cast<int64_t>(revision));
      q.Text(Time(at));
      q.Text("");  // actor
      q.Text(action);
      q.Text(kbo == 0 ? std::string_view() : Digits(&kbo_, kbo, 10));
      q.Text("ok");
      q.Text(detail);
      q.Text(message);
    });
  }

 private:
  template <typename Fill>
  void Put(BulkTable table, Fill&& fill) {
    static_cast<Writer*>(this)->Row(table, std::forward<Fill>(fill));
  }

  // Zero-padded digits into *out (no allocation once out has capacity).
  static std::string_view Digits(std::string* out, uint64_t value, int width) {
    out->assign(static_cast<size_t>(width), '0');
    for (int i = width - 1; i >= 0 && value > 0; --i) {
      (*out)[static_cast<size_t>(i)] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
    return *out;
  }

  // The provenance columns: by_insz, revision, at.
  template <typename Sink>
  void Made(Sink& q, const Provenance& prov) {
    q.Text(Digits(&by_, prov.by, 11));
    q.Int(static_cast<int64_t>(prov.revision));
    q.Text(Time(prov.at));
  }

  // The stored form of a time; rows come in runs of one time, so the last
  // one is kept.
  const std::string& Time(int64_t at) {
    if (at != time_ || time_text_.empty()) {
      time_ = at;
      time_text_ = FormatUtc(at);
    }
    return time_text_;
  }

  std::string kbo_, insz_, by_;  // digits of the current row
  int64_t time_ = std::numeric_limits<int64_t>::min();
  std::string time_text_;
};

}  // namespace toegang

#endif  // TOEGANG_STORE_BULK_ROWS_H_
