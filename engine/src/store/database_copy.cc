#include "store/database_copy.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <utility>

#include "toegang/error_codes.h"

namespace toegang {
namespace {

// A digest of a row that does not depend on the store: FNV-1a over each
// value (NULL apart from every text), mixed (splitmix64) so that the sum
// of a table's rows is a digest of the table in any order.
uint64_t RowDigest(const TableRow& row) {
  uint64_t h = 0xcbf29ce484222325ULL;
  auto add = [&](unsigned char c) {
    h ^= c;
    h *= 0x100000001b3ULL;
  };
  for (const std::optional<std::string>& v : row) {
    if (!v) {
      add(0xff);
      add(0);
      continue;
    }
    for (const char c : *v) add(static_cast<unsigned char>(c));
    add(0);
  }
  h += 0x9e3779b97f4a7c15ULL;
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
  return h ^ (h >> 31);
}

std::vector<std::string> SelectAll() {
  std::vector<std::string> sql;
  for (const CopyTable& t : CopyTables()) sql.push_back(CopySelectSql(t));
  return sql;
}

// Each table's digest and the mark of the snapshot they were read at;
// fn, when given, also gets every row.
struct Content {
  HistoryMark mark;
  std::vector<TableDigest> tables;
};
Result<Content> ReadContent(
    Store& store,
    const std::function<Status(size_t, const TableRow&)>& fn = nullptr) {
  Content c;
  c.tables.resize(CopyTables().size());
  Status failed;
  Status s =
      store.ReadTables(SelectAll(), &c.mark, [&](size_t i, const TableRow& r) {
        ++c.tables[i].rows;
        c.tables[i].sum += RowDigest(r);
        if (fn && failed.ok()) failed = fn(i, r);
      });
  if (!s.ok()) return s;
  if (!failed.ok()) return failed;
  return c;
}

// The differences between two contents (at most limit).
std::vector<std::string> Differences(const Content& a, const Content& b,
                                     bool catalogue_only, size_t limit) {
  std::vector<std::string> out;
  if (!catalogue_only &&
      (a.mark.revision != b.mark.revision || a.mark.chain != b.mark.chain)) {
    out.push_back(fmt::format(
        "revision {} (chain {}) against revision {} "
        "(chain {})",
        a.mark.revision, a.mark.chain, b.mark.revision, b.mark.chain));
  }
  const std::vector<CopyTable>& tables = CopyTables();
  for (size_t i = 0; i < tables.size() && out.size() < limit; ++i) {
    if (catalogue_only && tables[i].copied) continue;
    if (a.tables[i].rows != b.tables[i].rows) {
      out.push_back(fmt::format("table {}: {} rows against {}", tables[i].name,
                                a.tables[i].rows, b.tables[i].rows));
    } else if (a.tables[i].sum != b.tables[i].sum) {
      out.push_back(fmt::format("table {}: the rows differ", tables[i].name));
    }
  }
  return out;
}

}  // namespace

const std::vector<CopyTable>& CopyTables() {
  static const std::vector<CopyTable> kTables = {
      {"capacity", "code, name", false},
      {"subdivision", "code, capacity, name", false},
      {"application", "code, capacity, name", false},
      {"application_alias", "alias, application", false},
      {"facility_rule", "application, trigger_type, allowed_type", false},
      {"enterprise", "kbo, name, active, juridical_form, start_date", true},
      {"person", "insz, name", true},
      {"function", "kbo, insz, role", true},
      {"function_ended", "kbo, insz, role, revision, at, source", true},
      {"facility", "hco, name, type_code, kbo, active", true},
      {"htb",
       "kbo, insz, email, phone, by_insz, revision, at, wv_email, wv_phone",
       true},
      {"active_capacity", "kbo, capacity, by_insz, revision, at", true},
      {"domain_manager",
       "kbo, capacity, subdivision, insz, role, by_insz, revision, at", true},
      {"subafdeling",
       "id, kbo, capacity, subdivision, hco, email, by_insz, revision, at",
       true},
      {"subafdeling_manager", "subafdeling, insz, by_insz, revision, at", true},
      {"\"authorization\"", "subafdeling, application, by_insz, revision, at",
       true},
      {"\"user\"", "subafdeling, insz, by_insz, revision, at", true},
      {"user_right", "subafdeling, insz, application, by_insz, revision, at",
       true},
      {"audit",
       "seq, revision, at, actor, action, kbo, outcome, code, detail, message",
       true},
      {"kbo_extract", "id, number, type, snapshot_date, revision", true},
  };
  return kTables;
}

std::string CopySelectSql(const CopyTable& table) {
  return fmt::format("SELECT {} FROM {}", table.columns, table.name);
}

Result<CopySummary> CopyDatabase(Store& from, Store& to) {
  // The destination: empty, and with the source's catalogue.
  Result<StoreCounts> counts = to.Counts();
  if (!counts.ok()) return counts.status();
  Result<Content> before = ReadContent(to);
  if (!before.ok()) return before.status();
  if (before->mark.revision != 0 || counts->enterprises != 0 ||
      counts->persons != 0 || counts->facilities != 0 ||
      counts->audit_rows != 0) {
    return Status::InvalidInput(
        code::kNotEmpty,
        fmt::format("the destination already holds a federation (revision "
                    "{}, {} enterprises, {} persons, {} audit rows): nothing "
                    "was copied; copy into a new database (a file that does "
                    "not exist yet, or an empty PostgreSQL database)",
                    before->mark.revision, counts->enterprises, counts->persons,
                    counts->audit_rows));
  }
  Result<int64_t> next_id = from.NextSubafdelingId();
  if (!next_id.ok()) return next_id.status();

  // The rows, as read in one snapshot of the source, written as they come
  // in one transaction of the destination.
  Result<std::unique_ptr<CopyWriter>> began = to.BeginCopyInto();
  if (!began.ok()) return began.status();
  std::unique_ptr<CopyWriter> writer = std::move(began).value();
  const std::vector<CopyTable>& tables = CopyTables();
  CopySummary summary;
  std::vector<bool> seen(tables.size(), false);
  Result<Content> source =
      ReadContent(from, [&](size_t i, const TableRow& row) -> Status {
        if (!tables[i].copied) return Status::Ok();
        if (!seen[i]) {
          seen[i] = true;
          ++summary.tables;
        }
        ++summary.rows;
        return writer->Insert(tables[i], row);
      });
  if (!source.ok()) return source.status();
  if (std::vector<std::string> d = Differences(*source, *before, true, 1);
      !d.empty()) {
    return Status::Storage(
        code::kStorageError,
        fmt::format("the two databases' catalogues differ ({}): nothing was "
                    "copied; copy between databases of the same toegang "
                    "version",
                    d.front()));
  }
  summary.tables = static_cast<size_t>(
      std::count_if(tables.begin(), tables.end(),
                    [](const CopyTable& t) { return t.copied; }));
  summary.revision = source->mark.revision;
  Status s = writer->Finish(source->mark, from.database_key(), *next_id);
  if (!s.ok()) return s;
  writer.reset();

  // Read back: every table as the source's snapshot had it.
  Result<Content> copied = ReadContent(to);
  if (!copied.ok()) return copied.status();
  if (std::vector<std::string> d = Differences(*source, *copied, false, 5);
      !d.empty()) {
    std::string what;
    for (const std::string& x : d) what += (what.empty() ? "" : "; ") + x;
    return Status::Storage(
        code::kStorageError,
        fmt::format("the copy does not read back as the source: {}; drop the "
                    "destination and copy again",
                    what));
  }
  return summary;
}

Result<std::vector<std::string>> CompareDatabases(Store& a, Store& b,
                                                  size_t limit) {
  Result<Content> ca = ReadContent(a);
  if (!ca.ok()) return ca.status();
  Result<Content> cb = ReadContent(b);
  if (!cb.ok()) return cb.status();
  std::vector<std::string> out = Differences(*ca, *cb, false, limit);
  if (a.database_key() != b.database_key() && out.size() < limit) {
    out.push_back("the database ids differ");
  }
  return out;
}

}  // namespace toegang
