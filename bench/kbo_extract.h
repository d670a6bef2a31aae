// KBO Open Data extracts of the real shape, for the KBO import benchmark
// (kbo_import_bench.cc, issue 23), generated once from a federation file
// and reused:
//  - a full extract (number 140): about 2,000,000 active enterprises in
//    enterprise.csv and 3,500,000 rows in denomination.csv, in the KBO's
//    format (every field quoted, numbers "0200.065.765", dates dd-mm-yyyy,
//    JuridicalFormCAC mostly empty, Language 0-4, types 001-004, natural
//    persons without a juridical form, establishment units' names, names
//    with quotes, commas and accents), sorted by number like the KBO's. It
//    lists the federation's active enterprises with their own juridical
//    form, start date and name, except every 50th, which the import must
//    therefore stop; the rest are numbers the federation does not know.
//  - the update extract that follows it (number 141): 20,000 rows over its
//    four files: 5,000 deletes, of which 4,000 come back in the inserts
//    (changes) and 1,000 do not (stops, 100 of them the federation's),
//    1,000 new enterprises, and the names of the 5,000 inserted.
// Each is written as the folder it unpacks into and as the zip the KBO
// publishes (deflated, made with libzip, the files at the top level).
// meta.csv is real; the other files of an extract (activity, address, ...)
// are there with their real headers but only a few rows: the import lists
// them and reads none.
//
// Thread safety: Get is not thread-safe (call it from benchmark setup).
#ifndef TOEGANG_BENCH_KBO_EXTRACT_H_
#define TOEGANG_BENCH_KBO_EXTRACT_H_

#include <cstdint>
#include <string>

namespace toegang::bench {

struct KboExtracts {
  std::string dir;  // where everything below lives
  std::string full_dir, full_zip, update_dir, update_zip;
  uint64_t full_number = 0, update_number = 0;
  uint64_t enterprises = 0;    // rows of the full enterprise.csv
  uint64_t denominations = 0;  // rows of the full denomination.csv
  uint64_t update_rows = 0;    // rows of the update's four files
  // The federation's enterprises the full extract lists, and its active
  // ones it leaves out (the import stops them).
  uint64_t federation_listed = 0, full_stops = 0;
  // Enterprises the update deletes and does not insert again (stops).
  uint64_t update_stops = 0;
  double generate_seconds = 0;  // 0 when reused

  // The extracts for the federation at federation_path, in
  // $TOEGANG_BENCH_DIR/kbo-<scale>/ (default ./bench-data), generated on
  // first use (a summary file written last marks them complete).
  static const KboExtracts& Get(const std::string& federation_path,
                                const std::string& scale);
};

}  // namespace toegang::bench

#endif  // TOEGANG_BENCH_KBO_EXTRACT_H_
