// The federation generator (SPEC 7 `toegang generate`, SPEC 8): writes a
// synthetic federation of N persons into a new toegang database, for
// benchmarks, demos and tests.
//
//   toegang::GenerateOptions options;
//   options.persons = 1'000'000;
//   options.seed = 42;
//   options.out_path = "m.db";
//   toegang::GenerateSummary summary;
//   toegang::Status s = toegang::GenerateFederation(options, &summary);
//   if (!s.ok()) { report(s); }
//   auto engine = toegang::Engine::Open("m.db");   // passes Verify()
//
// What is generated (docs/cli.md, `generate`): valid INSZ (with BIS numbers
// and births after 2000), KBO and HCO numbers; about one enterprise per 50
// persons with a power-law tail of large ones; one or two facilities per
// enterprise (more for the large); WVs and employees; HTBs appointed by a
// WV, the hoedanigheid activated, TB and co-TBs, one subafdeling per
// facility with authorizations and named managers; employees as users of
// one to three subafdelingen with rights. And the edge cases of SPEC 4:
// OCMWs (facilities of type 009/010/089, ama-wvg only on 009/010),
// enterprises without HTB or without active hoedanigheid, stopped
// enterprises, closed facilities, unauthorized subafdelingen, users whose
// ama-wvg right was revoked, persons who are users nowhere. Every row is
// one the engine's rules would have accepted at its revision.
//
// The same persons and seed give the same rows, byte for byte (timestamps
// are derived from the seed, never from the clock).
//
// Thread safety: GenerateFederation is reentrant; concurrent calls must
// write to different files (or databases).
#ifndef TOEGANG_TOOLS_GENERATOR_FEDERATION_GENERATOR_H_
#define TOEGANG_TOOLS_GENERATOR_FEDERATION_GENERATOR_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "toegang/status.h"

namespace toegang {

struct GenerateOptions {
  // Number of persons, 1 .. kMaxGeneratedPersons.
  uint64_t persons = 10'000;
  uint64_t seed = 1;
  // The database file to write; it must not exist unless overwrite is
  // set. Or a PostgreSQL connection URI (postgresql://...) of a database
  // that does not exist yet or is an empty toegang database (not_empty
  // otherwise), written in one transaction (store/pg_bulk_writer.h).
  std::string out_path;
  // Replace an existing file at out_path (and its -wal/-shm files); a
  // PostgreSQL database is never replaced (usage).
  bool overwrite = false;
  // Called now and then with the phase ("planning", "persons", ...), and
  // the rows written so far out of all rows to write. May be empty.
  std::function<void(std::string_view phase, uint64_t done, uint64_t total)>
      progress;
};

inline constexpr uint64_t kMaxGeneratedPersons = 15'000'000;

// Counts of what was written (rows of the tables, and the edge cases).
struct GenerateSummary {
  uint64_t persons = 0;
  uint64_t enterprises = 0;
  uint64_t ocmws = 0;
  uint64_t stopped_enterprises = 0;
  uint64_t enterprises_without_htb = 0;
  uint64_t enterprises_without_capacity = 0;  // HTB, hoedanigheid inactive
  uint64_t legal_representatives = 0;
  uint64_t employees = 0;
  uint64_t facilities = 0;
  uint64_t closed_facilities = 0;
  uint64_t htbs = 0;
  uint64_t active_capacities = 0;
  uint64_t domain_managers = 0;  // TB and co-TB rows
  uint64_t subafdelingen = 0;
  uint64_t unauthorized_subafdelingen = 0;
  uint64_t closed_subafdelingen = 0;  // at a facility closed later
  uint64_t subafdeling_managers = 0;
  uint64_t authorizations = 0;
  uint64_t users = 0;           // (subafdeling, person) rows
  uint64_t rights = 0;          // user_right rows
  uint64_t revoked_rights = 0;  // users whose ama-wvg right was revoked
  uint64_t revision = 0;        // the database's revision
  uint64_t audit_rows = 0;
  uint64_t file_bytes = 0;  // size of the database file written
};

// Writes the federation to options.out_path: the file is created by
// Engine::Open (schema, catalogue, mode 0600), filled in one transaction
// under a temporary name beside it, left as a WAL database, synced, and
// only then moved to out_path. On failure nothing is left at out_path
// (an existing file stays untouched unless the final move replaced it),
// and the temporary files are removed. The temporary name is
// "<out_path>.generating-<pid>-<random>"; a run first removes such files
// (and their -journal/-wal/-shm) whose pid is no longer a live process,
// which is what a run killed outright leaves.
// Fills *summary (may be null) on success.
// Failure codes: usage (persons out of range, no out_path), file_exists
// (out_path exists and overwrite is not set), io_error (also a write past
// the file-size limit, when the caller ignores SIGXFSZ as the CLI does),
// storage_error.
[[nodiscard]] Status GenerateFederation(const GenerateOptions& options,
                                        GenerateSummary* summary);

}  // namespace toegang

#endif  // TOEGANG_TOOLS_GENERATOR_FEDERATION_GENERATOR_H_
