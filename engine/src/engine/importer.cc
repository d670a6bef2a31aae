#include "engine/importer.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "import/extract_source.h"
#include "import/import_rows.h"
#include "model/text_forms.h"
#include "toegang/error_codes.h"
#include "toegang/identifiers.h"

namespace toegang {
namespace {

// The first record of a file: `check` says whether it is the header the
// file starts with (ok) or why not. When `optional` (a header that may be
// left out), a first record check rejects is the first row of data.
struct HeaderFn {
  template <typename Check, typename = std::enable_if_t<std::is_invocable_r_v<
                                Status, Check&, const Fields&>>>
  HeaderFn(Check c, bool header_is_optional = false)  // NOLINT: implicit
      : check(std::move(c)), optional(header_is_optional) {}
  std::function<Status(const Fields&)> check;
  bool optional;
};
using RowFn = std::function<Result<ImportSession::Put>(const Fields&)>;

// A header that may be left out: a first record that is not one is data.
HeaderFn OptionalHeader(bool (*is_header)(const Fields&)) {
  return HeaderFn(
      [is_header](const Fields& f) {
        return is_header(f)
                   ? Status::Ok()
                   : Status::InvalidInput(code::kInvalidHeader, "not a header");
      },
      /*header_is_optional=*/true);
}

// Whether s is a valid date dd-mm-yyyy (from 1800).
bool IsDayMonthYear(const std::string& s) {
  if (s.size() != 10 || s[2] != '-' || s[5] != '-') return false;
  for (size_t i : {0, 1, 3, 4, 6, 7, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  const std::string_view v(s);
  const auto d = *ParseDigits(v.substr(0, 2));
  const auto mo = *ParseDigits(v.substr(3, 2));
  const auto y = *ParseDigits(v.substr(6, 4));
  constexpr uint64_t kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || d > kDays[mo - 1] || y < 1800) {
    return false;
  }
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return !(mo == 2 && d == 29 && !leap);
}

// meta.csv of a KBO Open Data extract ("Variable","Value" rows).
struct ExtractMeta {
  std::string type;  // "full" | "update"
  uint64_t number = 0;
  std::string snapshot_date;  // dd-mm-yyyy as given
};

Result<ExtractMeta> ReadExtractMeta(ExtractSource& source) {
  const std::string path = source.Display("meta.csv");
  uint64_t size = 0;
  Result<std::unique_ptr<std::istream>> opened = source.Read("meta.csv", &size);
  if (!opened.ok()) return opened.status();
  std::istream& in = **opened;
  auto bad = [&](size_t line, const std::string& what) {
    return Status::InvalidInput(code::kInvalidExtract,
                                fmt::format("{}:{}: {}", path, line, what));
  };
  CsvReader reader(in);
  Fields f;
  std::string error;
  std::map<std::string, std::pair<std::string, size_t>> values;
  bool first = true;
  for (;;) {
    CsvReader::Outcome o = reader.Next(&f, &error);
    if (o == CsvReader::Outcome::kEnd) break;
    if (o == CsvReader::Outcome::kError) return bad(reader.line(), error);
    if (f.size() != 2) {
      return bad(
          reader.line(),
          fmt::format("expected 2 columns (\"Variable\",\"Value\"), got {}{}",
                      f.size(),
                      f.size() == 1 && f[0].find(';') != std::string::npos
                          ? " (the file is separated by ';', not ',')"
                          : ""));
    }
    if (first) {
      first = false;
      if (f[0] == "Variable" && f[1] == "Value") continue;
      return bad(reader.line(), "expected the header \"Variable\",\"Value\"");
    }
    values[f[0]] = {f[1], reader.line()};
  }
  if (first) return bad(1, "the file is empty");
  auto get = [&](const char* name) -> Result<std::pair<std::string, size_t>> {
    auto it = values.find(name);
    if (it == values.end() || it->second.first.empty()) {
      return bad(reader.line(), fmt::format("no {} given", name));
    }
    return it->second;
  };
  ExtractMeta m;
  for (const char* name : {"ExtractTimestamp", "Version"}) {
    Result<std::pair<std::string, size_t>> v = get(name);
    if (!v.ok()) return v.status();
  }
  Result<std::pair<std::string, size_t>> type = get("ExtractType");
  if (!type.ok()) return type.status();
  std::string t = type->first;
  std::transform(t.begin(), t.end(), t.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (t != "full" && t != "update") {
    return bad(type->second,
               fmt::format("ExtractType \"{}\" is neither full nor update",
                           type->first));
  }
  m.type = t;
  Result<std::pair<std::string, size_t>> number = get("ExtractNumber");
  if (!number.ok()) return number.status();
  std::optional<uint64_t> n = FromDigits(number->first);
  if (!n || number->first.size() > 9) {
    return bad(
        number->second,
        fmt::format("ExtractNumber \"{}\" is not a number", number->first));
  }
  m.number = *n;
  Result<std::pair<std::string, size_t>> date = get("SnapshotDate");
  if (!date.ok()) return date.status();
  if (!IsDayMonthYear(date->first)) {
    return bad(date->second,
               fmt::format("SnapshotDate \"{}\" is not a date dd-mm-yyyy",
                           date->first));
  }
  m.snapshot_date = date->first;
  return m;
}

// The header of a one-column delete file, e.g. "EnterpriseNumber".
HeaderFn OneColumnHeader(const char* name) {
  return [name](const Fields& f) {
    if (f.size() == 1 && f[0] == name) return Status::Ok();
    return Status::InvalidInput(
        code::kInvalidHeader,
        fmt::format("expected the header \"{}\" (1 column), got {} "
                    "column{}{}",
                    name, f.size(), f.size() == 1 ? "" : "s",
                    f.size() == 1 && f[0].find(';') != std::string::npos
                        ? " (the file is separated by ';', not ',')"
                        : ""));
  };
}

Result<Kbo> OneKbo(const Fields& f, const char* column) {
  if (f.size() != 1) {
    return Status::InvalidInput(
        code::kInvalidRow,
        fmt::format("expected 1 column ({}), got {}", column, f.size()));
  }
  Result<Kbo> k = Kbo::Parse(f[0]);
  if (!k.ok()) {
    return Status::InvalidInput(
        k.status().code(),
        fmt::format("column \"{}\": {}", column, k.status().message()));
  }
  return k;
}

// The file name an audit row gives as the source of a registry change.
std::string SourceName(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

// ReadCsv on a stream (a file, or an entry of a zip); path names it in
// the report, total is its size for the progress (0: unknown).
Status ReadCsvStream(std::istream& in, const std::string& path, uint64_t total,
                     const ImportOptions& options, ImportReport* report,
                     const HeaderFn& header, const RowFn& row) {
  CsvReader reader(in);
  Fields fields;
  std::string error;
  bool first = true;
  auto bad = [&](size_t line, std::string_view c, std::string msg) {
    ++report->invalid;
    if (report->errors.size() < ImportReport::kMaxListedErrors) {
      report->errors.push_back(
          RowError{path, line, std::string(c), std::move(msg)});
    }
  };
  for (;;) {
    CsvReader::Outcome o = reader.Next(&fields, &error);
    if (o == CsvReader::Outcome::kEnd) break;
    if (first && reader.looks_semicolon_separated()) {
      // Every line would be refused the same way: say it once, for the
      // file.
      ++report->rows;
      bad(reader.line(),
          header.optional ? code::kInvalidRow : code::kInvalidHeader,
          "the file is separated by ';', not ','");
      return Status::InvalidInput(
          code::kImportRejected,
          fmt::format("{} is separated by ';' (a spreadsheet's default in "
                      "Belgium), not ','; save it again as CSV with ',' "
                      "between fields; nothing was imported",
                      path));
    }
    if (o == CsvReader::Outcome::kError) {
      ++report->rows;
      bad(reader.line(), code::kInvalidRow, error);
      first = false;
      continue;
    }
    if (first) {
      first = false;
      Status h = header.check(fields);
      if (h.ok()) continue;
      if (!header.optional) {
        // A wrong header means the file is not what it claims to be.
        bad(reader.line(), h.code(), h.message());
        return Status::InvalidInput(
            code::kImportRejected,
            fmt::format("{}: {}; nothing was imported", path, h.message()));
      }
    }
    ++report->rows;
    Result<ImportSession::Put> put = row(fields);
    if (!put.ok()) {
      if (put.status().kind() == Status::Kind::kStorage) return put.status();
      bad(reader.line(), put.status().code(), put.status().message());
      continue;
    }
    switch (*put) {
      case ImportSession::Put::kInserted:
        ++report->inserted;
        break;
      case ImportSession::Put::kUpdated:
        ++report->updated;
        break;
      case ImportSession::Put::kUnchanged:
        ++report->unchanged;
        break;
      case ImportSession::Put::kIgnored:
        ++report->ignored;
        break;
    }
    if (options.progress && (report->rows & 0xffff) == 0) {
      options.progress(reader.bytes_read(), total);
    }
  }
  if (in.bad()) {
    return Status::Storage(code::kIoError,
                           fmt::format("reading {} failed after line {}; "
                                       "nothing was imported",
                                       path, reader.line()));
  }
  if (first) {
    bad(1, code::kInvalidRow, "the file is empty");
    return Status::InvalidInput(
        code::kImportRejected,
        fmt::format("{} is empty; nothing was imported", path));
  }
  if (options.progress) options.progress(reader.bytes_read(), total);
  return Status::Ok();
}

// Streams one CSV file through row, recording bad rows in *report.
Status ReadCsv(const std::string& path, const ImportOptions& options,
               ImportReport* report, const HeaderFn& header, const RowFn& row) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::Storage(
        code::kIoError,
        fmt::format("cannot read {}: {}", path, std::strerror(errno)));
  }
  struct stat st {};
  const uint64_t total =
      ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
  return ReadCsvStream(in, path, total, options, report, header, row);
}

}  // namespace

Status Importer::ImportKbo(const std::string& enterprises_csv,
                           const std::string& denominations_csv,
                           const ImportOptions& options, ImportReport* report) {
  return RunImport(
      "import.kbo", options, report, [&](ImportSession& session) -> Status {
        session.SetSource(SourceName(enterprises_csv), false);
        Status s = ReadCsv(
            enterprises_csv, options, report,
            [](const Fields& f) { return CheckEnterpriseHeader(f); },
            [&](const Fields& f) -> Result<ImportSession::Put> {
              Result<EnterpriseRow> row = ParseEnterpriseRow(f);
              if (!row.ok()) return row.status();
              return session.PutEnterprise(*row);
            });
        if (!s.ok() || denominations_csv.empty()) return s;
        s = ReadCsv(
            denominations_csv, options, report,
            [](const Fields& f) { return CheckDenominationHeader(f); },
            [&](const Fields& f) -> Result<ImportSession::Put> {
              Result<DenominationRow> row = ParseDenominationRow(f);
              if (!row.ok()) return row.status();
              return session.PutDenomination(*row);
            });
        if (!s.ok()) return s;
        Result<size_t> renamed = session.FinishDenominations();
        if (!renamed.ok()) return renamed.status();
        // Each renamed enterprise was counted as an unchanged name row.
        report->unchanged -= std::min(report->unchanged, *renamed);
        report->updated += *renamed;
        return Status::Ok();
      });
}

Status Importer::ImportKboOpenData(const std::string& path,
                                   const ImportOptions& options,
                                   ImportReport* report) {
  *report = ImportReport();
  Result<std::unique_ptr<ExtractSource>> opened = ExtractSource::Open(path);
  if (!opened.ok()) return opened.status();
  ExtractSource& source = **opened;
  if (!source.Has("meta.csv")) {
    return Status::InvalidInput(
        code::kInvalidExtract,
        fmt::format("{}: not a KBO Open Data extract: it has no meta.csv",
                    path));
  }
  Result<ExtractMeta> meta = ReadExtractMeta(source);
  if (!meta.ok()) return meta.status();
  const bool full = meta->type == "full";
  const std::vector<std::string> needed =
      full ? std::vector<std::string>{"enterprise.csv", "denomination.csv"}
           : std::vector<std::string>{
                 "enterprise_delete.csv", "enterprise_insert.csv",
                 "denomination_delete.csv", "denomination_insert.csv"};
  for (const std::string& f : needed) {
    if (!source.Has(f)) {
      return Status::InvalidInput(
          code::kInvalidExtract,
          fmt::format("{}: the {} extract {} has no {}; the download is "
                      "incomplete: fetch it again",
                      path, meta->type, meta->number, f));
    }
  }
  size_t others = 0;
  for (const std::string& name : source.Names()) {
    if (name != "meta.csv" &&
        std::find(needed.begin(), needed.end(), name) == needed.end()) {
      ++others;
    }
  }
  // One file of the extract through row, streamed.
  auto read = [&](const char* name, const HeaderFn& header,
                  const RowFn& row) -> Status {
    uint64_t size = 0;
    Result<std::unique_ptr<std::istream>> in = source.Read(name, &size);
    if (!in.ok()) return in.status();
    return ReadCsvStream(**in, source.Display(name), size, options, report,
                         header, row);
  };
  const ExtractMeta m = *meta;
  return RunImport(
      "import.kbo-open-data", options, report,
      [&](ImportSession& session) -> Status {
        report->extract_number = m.number;
        report->extract_type = m.type;
        report->other_files = others;
        Result<std::optional<ImportSession::Extract>> last =
            session.LastExtract();
        if (!last.ok()) return last.status();
        if (!full) {
          if (!last->has_value()) {
            return Status::Refused(
                code::kNoFullExtract,
                fmt::format("update extract {} cannot be applied: no full "
                            "extract was imported yet. Import the latest "
                            "full extract first "
                            "(KboOpenData_NNNN_YYYY_MM_Full.zip)",
                            m.number));
          }
          const uint64_t prev = (*last)->number;
          if (m.number <= prev) {
            report->already_applied = true;
            return Status::Ok();  // nothing written: no commit
          }
          if (m.number != prev + 1 && !options.force) {
            const bool several = m.number - prev > 2;
            return Status::Refused(
                code::kExtractGap,
                fmt::format(
                    "update extract {} does not follow the last extract "
                    "applied ({}): {} missing. Apply {} first, or a newer "
                    "full extract; --force applies this one anyway",
                    m.number, prev,
                    several ? fmt::format("extracts {} to {} are", prev + 1,
                                          m.number - 1)
                            : fmt::format("extract {} is", prev + 1),
                    several ? "them" : "it"));
          }
        } else if (last->has_value() && (*last)->type == "full" &&
                   (*last)->number == m.number) {
          report->already_applied = true;
          return Status::Ok();
        }
        const std::string reason =
            fmt::format("KBO Open Data {} extract {} of {}", m.type, m.number,
                        m.snapshot_date);
        session.SetSource(reason, /*full=*/true);
        auto enterprises = [&](const char* csv) {
          return read(
              csv, [](const Fields& f) { return CheckEnterpriseHeader(f); },
              [&](const Fields& f) -> Result<ImportSession::Put> {
                Result<EnterpriseRow> row = ParseEnterpriseRow(f);
                if (!row.ok()) return row.status();
                return session.PutEnterprise(*row);
              });
        };
        auto denominations = [&](const char* csv) {
          return read(
              csv, [](const Fields& f) { return CheckDenominationHeader(f); },
              [&](const Fields& f) -> Result<ImportSession::Put> {
                Result<DenominationRow> row = ParseDenominationRow(f);
                if (!row.ok()) return row.status();
                return session.PutDenomination(*row);
              });
        };
        Status s;
        if (full) {
          s = enterprises("enterprise.csv");
          if (s.ok()) s = denominations("denomination.csv");
        } else {
          // Deletes first: noted, and applied as stops only for the
          // numbers the insert file does not list again.
          s = read("enterprise_delete.csv", OneColumnHeader("EnterpriseNumber"),
                   [&](const Fields& f) -> Result<ImportSession::Put> {
                     Result<Kbo> k = OneKbo(f, "EnterpriseNumber");
                     if (!k.ok()) return k.status();
                     return session.DeleteEnterprise(*k);
                   });
          // A deleted denomination is not erased: toegang keeps one name
          // per enterprise, which the inserts that follow replace.
          if (s.ok()) {
            s = read("denomination_delete.csv", OneColumnHeader("EntityNumber"),
                     [&](const Fields& f) -> Result<ImportSession::Put> {
                       if (f.size() != 1) {
                         return Status::InvalidInput(
                             code::kInvalidRow,
                             fmt::format("expected 1 column "
                                         "(EntityNumber), got {}",
                                         f.size()));
                       }
                       return ImportSession::Put::kIgnored;
                     });
          }
          if (s.ok()) s = enterprises("enterprise_insert.csv");
          if (s.ok()) s = denominations("denomination_insert.csv");
        }
        if (!s.ok() || report->invalid > 0) return s;
        Result<size_t> renamed = session.FinishDenominations();
        if (!renamed.ok()) return renamed.status();
        report->unchanged -= std::min(report->unchanged, *renamed);
        report->updated += *renamed;
        Result<size_t> stopped =
            full ? session.StopUnlistedEnterprises(
                       fmt::format("not in {}", reason))
                 : session.StopDeletedEnterprises(
                       fmt::format("deleted in {}", reason));
        if (!stopped.ok()) return stopped.status();
        return session.RecordExtract(
            ImportSession::Extract{m.number, m.type, m.snapshot_date});
      });
}

Status Importer::ImportPersons(const std::string& csv,
                               const ImportOptions& options,
                               ImportReport* report) {
  return ImportOneFile("import.persons", csv, options, report, IsPersonsHeader,
                       ParsePersonRow, &ImportSession::PutPerson);
}

Status Importer::ImportFunctions(const std::string& csv,
                                 const ImportOptions& options,
                                 ImportReport* report) {
  return ImportOneFile("import.functions", csv, options, report,
                       IsFunctionsHeader, ParseFunctionRow,
                       &ImportSession::PutFunction,
                       &ImportSession::EndUnlistedFunctions);
}

Status Importer::ImportFacilities(const std::string& csv,
                                  const ImportOptions& options,
                                  ImportReport* report) {
  return ImportOneFile("import.facilities", csv, options, report,
                       IsFacilitiesHeader, ParseFacilityRow,
                       &ImportSession::PutFacility,
                       &ImportSession::CloseUnlistedFacilities);
}

// One CSV file with an optional header, parsed by parse and written by
// put: the persons, functions and facilities imports.
// With options.full, `unlisted` ends (or closes) what the file does not
// list; nullptr: the registry has no whole-file form (persons).
template <typename Row>
Status Importer::ImportOneFile(
    std::string_view action, const std::string& csv,
    const ImportOptions& options, ImportReport* report,
    bool (*is_header)(const Fields&), Result<Row> (*parse)(const Fields&),
    Result<ImportSession::Put> (ImportSession::*put)(const Row&),
    Result<size_t> (ImportSession::*unlisted)()) {
  if (options.full && unlisted == nullptr) {
    *report = ImportReport();
    return Status::InvalidInput(code::kUsage,
                                fmt::format("{} has no --full form", action));
  }
  if (options.full && options.skip_invalid) {
    *report = ImportReport();
    return Status::InvalidInput(
        code::kUsage,
        "--full and --skip-invalid do not go together: a skipped row "
        "would end what it lists. Fix the bad rows, or import without "
        "--full");
  }
  return RunImport(action, options, report, [&](ImportSession& session) {
    session.SetSource(SourceName(csv), options.full);
    Status s = ReadCsv(csv, options, report, OptionalHeader(is_header),
                       [&](const Fields& f) -> Result<ImportSession::Put> {
                         Result<Row> row = parse(f);
                         if (!row.ok()) return row.status();
                         return (session.*put)(*row);
                       });
    // Nothing is ended on the word of a file with bad rows.
    if (!s.ok() || !options.full || report->invalid > 0) return s;
    Result<size_t> ended = (session.*unlisted)();
    return ended.ok() ? Status::Ok() : ended.status();
  });
}

Status Importer::RunImport(std::string_view action,
                           const ImportOptions& options, ImportReport* report,
                           const std::function<Status(ImportSession&)>& fill) {
  *report = ImportReport();
  report->dry_run = options.dry_run;
  return locked_([&](Store& store, const ImpactFn& impact) -> Result<bool> {
    Result<std::unique_ptr<ImportSession>> begun = store.BeginImport();
    if (!begun.ok()) return begun.status();
    std::unique_ptr<ImportSession> session = std::move(begun).value();
    Status s = fill(*session);
    if (s.ok() && report->invalid > 0 && !options.skip_invalid) {
      s = Status::InvalidInput(
          code::kImportRejected,
          fmt::format("{} of {} rows are invalid, so nothing was imported; "
                      "fix them, or load the good rows with --skip-invalid",
                      report->invalid, report->rows));
    }
    if (!s.ok()) {
      session.reset();  // roll back before recording the refusal
      // Nothing was kept: the report says so, but keeps the bad rows.
      report->inserted = report->updated = report->unchanged = 0;
      // A dry run writes nothing, not even its refusal.
      if (s.code() == code::kImportRejected && !options.dry_run) {
        AuditRecord r;
        r.action = std::string(action);
        r.code = s.code();
        r.message = s.message();
        r.detail =
            nlohmann::json{{"rows", report->rows}, {"invalid", report->invalid}}
                .dump();
        Status logged = store.RecordRefusal(r);
        if (!logged.ok()) return logged;
      }
      return s;
    }
    report->changes = session->changes();
    const RegistryChanges& rc = report->changes;
    // Who loses or gains access: the same for a dry run and the real
    // import.
    Result<std::vector<AccessImpact>> computed = impact(session->delta());
    if (!computed.ok()) return computed.status();
    report->impact = std::move(computed).value();
    if (options.dry_run) {
      session.reset();  // roll back: nothing written
      return false;
    }
    nlohmann::json detail = {
        {"rows", report->rows},       {"inserted", report->inserted},
        {"updated", report->updated}, {"unchanged", report->unchanged},
        {"ignored", report->ignored}, {"invalid", report->invalid}};
    if (rc.total() > 0) {
      detail["changes"] = {
          {"enterprises_stopped", rc.enterprises_stopped},
          {"enterprises_reactivated", rc.enterprises_reactivated},
          {"functions_added", rc.functions_added},
          {"functions_ended", rc.functions_ended},
          {"facilities_closed", rc.facilities_closed},
          {"facilities_reopened", rc.facilities_reopened},
          {"facilities_moved", rc.facilities_moved}};
    }
    const bool changed = report->inserted + report->updated + rc.total() > 0 ||
                         session->wrote_state();
    Result<uint64_t> rev = session->Commit(
        std::string(action), detail.dump(),
        fmt::format("{}: {} inserted, {} updated, {} unchanged, {} skipped as "
                    "invalid{}",
                    action, report->inserted, report->updated,
                    report->unchanged, report->invalid,
                    rc.functions_ended + rc.facilities_closed > 0
                        ? fmt::format("; {} functions ended, {} facilities "
                                      "closed",
                                      rc.functions_ended, rc.facilities_closed)
                        : std::string()),
        changed);
    if (!rev.ok()) return rev.status();
    report->revision = *rev;
    session.reset();
    return changed;
  });
}
}  // namespace toegang
