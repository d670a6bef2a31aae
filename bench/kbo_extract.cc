#include "kbo_extract.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <zip.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "bench_federation.h"  // Die

namespace toegang::bench {
namespace {

namespace fs = std::filesystem;

constexpr uint64_t kEnterprises = 2'000'000;
constexpr uint64_t kDenominations = 3'500'000;
constexpr uint64_t kEstablishmentNames = 400'000;
constexpr uint64_t kFullNumber = 140;
constexpr uint64_t kLeaveOutEvery = 50;  // of the federation's active ones
// The update: 5,000 deletes (4,000 inserted again), 1,000 new enterprises.
constexpr uint64_t kUpdateChanged = 4'000;
constexpr uint64_t kUpdateStopsOfFederation = 100;
constexpr uint64_t kUpdateStopsOther = 900;
constexpr uint64_t kUpdateNew = 1'000;

uint64_t Mix(uint64_t x) {  // splitmix64's finalizer
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// A KBO or establishment number from its first 8 digits: mod-97 check.
uint64_t WithCheck(uint64_t base) { return base * 100 + (97 - base % 97); }

std::string KboText(uint64_t n) {  // 0200.065.765
  const std::string d = fmt::format("{:010}", n);
  return d.substr(0, 4) + "." + d.substr(4, 3) + "." + d.substr(7, 3);
}

std::string EstablishmentText(uint64_t n) {  // 2.000.123.456
  const std::string d = fmt::format("{:010}", n);
  return d.substr(0, 1) + "." + d.substr(1, 3) + "." + d.substr(4, 3) + "." +
         d.substr(7, 3);
}

// "yyyy-mm-dd" (the federation's) as "dd-mm-yyyy" (the KBO's).
std::string KboDate(const std::string& iso) {
  if (iso.size() != 10) return "";
  return iso.substr(8, 2) + "-" + iso.substr(5, 2) + "-" + iso.substr(0, 4);
}

// A CSV file written the KBO's way: every field quoted, '"' doubled.
class CsvOut {
 public:
  CsvOut(const fs::path& path, std::initializer_list<std::string_view> header)
      : f_(std::fopen(path.c_str(), "wb")) {
    if (f_ == nullptr) Die("cannot write " + path.string());
    Row(header);
  }
  ~CsvOut() {
    Flush();
    std::fclose(f_);
  }
  CsvOut(const CsvOut&) = delete;
  CsvOut& operator=(const CsvOut&) = delete;

  void Row(std::initializer_list<std::string_view> fields) {
    bool first = true;
    for (std::string_view v : fields) {
      if (!first) buf_ += ',';
      first = false;
      buf_ += '"';
      for (char c : v) {
        if (c == '"') buf_ += '"';
        buf_ += c;
      }
      buf_ += '"';
    }
    buf_ += '\n';
    ++rows_;
    if (buf_.size() > (1 << 20)) Flush();
  }
  uint64_t rows() const { return rows_ - 1; }  // without the header

 private:
  void Flush() {
    if (std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size()) {
      Die("writing a KBO extract failed (disk full?)");
    }
    buf_.clear();
  }
  std::FILE* f_;
  std::string buf_;
  uint64_t rows_ = 0;
};

constexpr std::array<std::string_view, 16> kWords = {
    "Bakkerij",    "Apotheek",        "Garage",
    "Zorgcentrum", "Brasserie",       "Immo",
    "Transport",   "Kinesitherapie",  "Boulangerie",
    "Pharmacie",   "Menuiserie",      "Huisartsenpraktijk",
    "Dierenarts",  "Bouwonderneming", "Atelier",
    "Woonzorg"};
constexpr std::array<std::string_view, 24> kNames = {
    "Peeters", "Janssens", "Maes",      "Jacobs",  "Mertens", "Willems",
    "Claes",   "Goossens", "Wouters",   "De Smet", "Dubois",  "Lambert",
    "Dupont",  "Martin",   "Simon",     "Lefèvre", "Laurent", "Leroy",
    "Müller",  "Schmitz",  "Van Damme", "Hermans", "Aerts",   "Desmet"};
constexpr std::array<std::string_view, 20> kPlaces = {
    "Gent",      "Antwerpen", "Brugge",   "Leuven",    "Hasselt",
    "Mechelen",  "Aalst",     "Kortrijk", "Liège",     "Namur",
    "Charleroi", "Mons",      "Eupen",    "Bruxelles", "Ieper",
    "Genk",      "Turnhout",  "Lier",     "Ronse",     "Arlon"};
constexpr std::array<std::string_view, 12> kForms = {
    "014", "015", "016", "017", "030", "114",
    "116", "417", "610", "612", "616", "721"};
constexpr std::array<std::string_view, 4> kSuffix = {"BV", "NV", "VZW", "SRL"};

// What the extract says about an enterprise the federation does not know:
// derived from its number, so the full and the update extract agree.
struct Generated {
  bool natural_person;
  std::string form, start_date, name;
  int language;  // of its name: 0-4
};

Generated Describe(uint64_t kbo, uint64_t salt = 0) {
  const uint64_t h = Mix(kbo ^ (salt * 0x5851f42d4c957f2dULL));
  Generated g;
  g.natural_person = h % 100 < 45;
  g.form =
      g.natural_person ? "" : std::string(kForms[(h >> 8) % kForms.size()]);
  const int year = 1950 + static_cast<int>((h >> 16) % 77);
  const int month = 1 + static_cast<int>((h >> 24) % 12);
  const int day = 1 + static_cast<int>((h >> 28) % 28);
  g.start_date = fmt::format("{:02}-{:02}-{}", day, month, year);
  const std::string_view word = kWords[(h >> 33) % kWords.size()];
  const std::string_view name = kNames[(h >> 37) % kNames.size()];
  const std::string_view place = kPlaces[(h >> 42) % kPlaces.size()];
  switch ((h >> 47) % 64) {
    case 0:  // a quote inside the name, doubled in the file
      g.name = fmt::format("{} \"{}\" {}", word, name, place);
      break;
    case 1:
    case 2:  // a comma inside the quoted field
      g.name = fmt::format("{}, {} & Zonen", name, word);
      break;
    default:
      g.name = g.natural_person
                   ? fmt::format("{} {} {}", word, name, place)
                   : fmt::format("{} {} {} {}", word, name, place,
                                 kSuffix[(h >> 53) % kSuffix.size()]);
  }
  const uint64_t l = (h >> 56) % 100;
  g.language = l < 58 ? 2 : l < 93 ? 1 : l < 95 ? 3 : l < 97 ? 4 : 0;
  return g;
}

struct FederationEnterprise {
  std::string form, start_date, name;
  bool active;
};

std::string JuridicalSituation(uint64_t kbo) {
  const uint64_t h = Mix(kbo ^ 0x51ULL) % 100;
  return h < 97 ? "000" : h < 99 ? "012" : "100";
}

std::string JuridicalFormCac(const Generated& g, uint64_t kbo) {
  return !g.natural_person && Mix(kbo ^ 0xcacULL) % 100 < 3 ? "116" : "";
}

void WriteMeta(const fs::path& dir, const std::string& type, uint64_t number) {
  CsvOut meta(dir / "meta.csv", {"Variable", "Value"});
  meta.Row({"SnapshotDate", "05-12-2026"});
  meta.Row({"ExtractTimestamp", "06-12-2026 02:45:57"});
  meta.Row({"ExtractType", type});
  meta.Row({"ExtractNumber", std::to_string(number)});
  meta.Row({"Version", "1.0.0"});
}

// The files the import lists and does not read: real headers, a few rows.
void WriteOthers(const fs::path& dir, const std::string& suffix) {
  const std::vector<std::pair<std::string, std::vector<std::string_view>>>
      others = {
          {"activity",
           {"EntityNumber", "ActivityGroup", "NaceVersion", "NaceCode",
            "Classification"}},
          {"address",
           {"EntityNumber", "TypeOfAddress", "CountryNL", "CountryFR",
            "Zipcode", "MunicipalityNL", "MunicipalityFR", "StreetNL",
            "StreetFR", "HouseNumber", "Box", "ExtraAddressInfo",
            "DateStrikingOff"}},
          {"contact",
           {"EntityNumber", "EntityContact", "ContactType", "Value"}},
          {"establishment",
           {"EstablishmentNumber", "StartDate", "EnterpriseNumber"}},
          {"branch", {"Id", "StartDate", "EnterpriseNumber"}},
      };
  for (const auto& [name, columns] : others) {
    std::FILE* f = std::fopen((dir / (name + suffix + ".csv")).c_str(), "wb");
    if (f == nullptr) Die("cannot write " + dir.string());
    std::string line;
    for (size_t i = 0; i < columns.size(); ++i) {
      line += fmt::format("{}\"{}\"", i ? "," : "", columns[i]);
    }
    std::fprintf(f, "%s\n", line.c_str());
    for (int r = 0; r < 3; ++r) {
      line.clear();
      for (size_t i = 0; i < columns.size(); ++i) {
        line += fmt::format("{}\"{}\"", i ? "," : "",
                            i == 0 ? "0200.065.765" : "x");
      }
      std::fprintf(f, "%s\n", line.c_str());
    }
    std::fclose(f);
  }
  if (suffix.empty() || suffix == "_insert") {
    CsvOut code(dir / "code.csv",
                {"Category", "Code", "Language", "Description"});
    code.Row({"JuridicalForm", "017", "NL", "Vereniging zonder winstoogmerk"});
    code.Row({"JuridicalForm", "610", "NL", "Besloten vennootschap"});
  }
}

// The folder's files as a zip at zip_path (deflated, like the KBO's).
void Zip(const fs::path& dir, const fs::path& zip_path) {
  const std::string tmp = zip_path.string() + ".part";
  int error = 0;
  zip_t* z = zip_open(tmp.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (z == nullptr) Die(fmt::format("cannot create {} ({})", tmp, error));
  std::vector<fs::path> files;
  for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
    files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& p : files) {
    zip_source_t* src = zip_source_file(z, p.c_str(), 0, -1);
    if (src == nullptr ||
        zip_file_add(z, p.filename().c_str(), src, ZIP_FL_ENC_UTF_8) < 0) {
      Die(fmt::format("cannot add {} to {}: {}", p.string(), tmp,
                      zip_strerror(z)));
    }
  }
  if (zip_close(z) != 0) Die(fmt::format("cannot write {}", tmp));
  fs::rename(tmp, zip_path);
}

std::map<std::string, uint64_t> ReadSummary(const fs::path& path) {
  std::map<std::string, uint64_t> out;
  std::ifstream in(path);
  std::string key;
  uint64_t value = 0;
  while (in >> key >> value) out[key] = value;
  return out;
}

void Generate(const std::string& federation_path, KboExtracts* x) {
  // The federation's enterprises.
  std::map<uint64_t, FederationEnterprise> federation;
  {
    SQLite::Database db(federation_path, SQLite::OPEN_READONLY);
    SQLite::Statement q(db,
                        "SELECT kbo, juridical_form, start_date, name, active "
                        "FROM enterprise");
    while (q.executeStep()) {
      federation[std::stoull(q.getColumn(0).getString())] =
          FederationEnterprise{
              q.getColumn(1).getString(), q.getColumn(2).getString(),
              q.getColumn(3).getString(), q.getColumn(4).getInt() != 0};
    }
  }
  std::vector<uint64_t> listed;
  uint64_t active_seen = 0;
  for (const auto& [kbo, e] : federation) {
    if (!e.active) continue;  // the KBO lists only active enterprises
    if (active_seen++ % kLeaveOutEvery == kLeaveOutEvery - 1) {
      ++x->full_stops;
    } else {
      listed.push_back(kbo);
    }
  }
  x->federation_listed = listed.size();
  std::vector<uint64_t> federation_listed = listed;
  // Numbers the federation does not know, up to 2 million in all.
  std::mt19937_64 rng(20261207);
  uint64_t base = 2'000'000;
  auto next_number = [&] {
    for (;;) {
      base += 1 + rng() % 8;
      const uint64_t n = WithCheck(base);
      if (!federation.count(n)) return n;
    }
  };
  std::vector<uint64_t> generated;
  while (listed.size() < kEnterprises) {
    const uint64_t n = next_number();
    listed.push_back(n);
    generated.push_back(n);
  }
  std::sort(listed.begin(), listed.end());

  // --- the full extract -------------------------------------------------
  const fs::path full = x->full_dir;
  fs::create_directories(full);
  WriteMeta(full, "full", kFullNumber);
  WriteOthers(full, "");
  {
    CsvOut ent(
        full / "enterprise.csv",
        {"EnterpriseNumber", "Status", "JuridicalSituation", "TypeOfEnterprise",
         "JuridicalForm", "JuridicalFormCAC", "StartDate"});
    CsvOut den(
        full / "denomination.csv",
        {"EntityNumber", "Language", "TypeOfDenomination", "Denomination"});
    const uint64_t extra = kDenominations - kEnterprises - kEstablishmentNames;
    for (uint64_t i = 0; i < listed.size(); ++i) {
      const uint64_t kbo = listed[i];
      const std::string number = KboText(kbo);
      Generated g = Describe(kbo);
      auto fed = federation.find(kbo);
      if (fed != federation.end()) {  // as the federation knows it
        g.natural_person = false;
        g.form = fed->second.form;
        g.start_date = KboDate(fed->second.start_date);
        // One in 100 renamed since.
        g.name = Mix(kbo) % 100 == 0 ? fed->second.name + " (nieuwe naam)"
                                     : fed->second.name;
        g.language = 2;
      }
      ent.Row({number, "AC", JuridicalSituation(kbo),
               g.natural_person ? "1" : "2", g.form, JuridicalFormCac(g, kbo),
               g.start_date});
      // A natural person has no official name, only a trade name.
      den.Row({number, std::to_string(g.language),
               g.natural_person ? "003" : "001", g.name});
      // Spread the other names evenly over the enterprises.
      if ((i + 1) * extra / listed.size() != i * extra / listed.size()) {
        const uint64_t h = Mix(kbo ^ 0xd0ULL);
        switch (h % 3) {
          case 0:  // the same name in the other language (Brussels)
            den.Row({number, g.language == 1 ? "2" : "1", "001", g.name});
            break;
          case 1:  // an abbreviation
            den.Row({number, std::to_string(g.language), "002",
                     fmt::format("{}{}", g.name.substr(0, 1),
                                 kSuffix[h % kSuffix.size()])});
            break;
          default:  // a trade name
            den.Row({number, std::to_string(g.language), "003",
                     fmt::format("{} {}", kWords[(h >> 8) % kWords.size()],
                                 kPlaces[(h >> 16) % kPlaces.size()])});
        }
      }
    }
    // Establishment units' trade names come after the enterprises (their
    // numbers start with 2 to 8); the import skips them.
    uint64_t unit = 20'000'000;
    for (uint64_t i = 0; i < kEstablishmentNames; ++i) {
      unit += 1 + rng() % 5;
      const uint64_t h = Mix(unit);
      den.Row({EstablishmentText(WithCheck(unit)), h % 2 ? "1" : "2", "003",
               fmt::format("{} {}", kWords[h % kWords.size()],
                           kPlaces[(h >> 8) % kPlaces.size()])});
    }
    x->enterprises = ent.rows();
    x->denominations = den.rows();
  }
  if (x->enterprises != kEnterprises || x->denominations != kDenominations) {
    Die(
        fmt::format("the full extract came out with {} enterprises and {} "
                    "denominations",
                    x->enterprises, x->denominations));
  }

  // --- the update extract -----------------------------------------------
  std::shuffle(generated.begin(), generated.end(), rng);
  std::vector<uint64_t> stops(generated.begin(),
                              generated.begin() + kUpdateStopsOther);
  std::vector<uint64_t> changed(
      generated.begin() + kUpdateStopsOther,
      generated.begin() + kUpdateStopsOther + kUpdateChanged);
  // Spread over the federation's listed enterprises.
  for (uint64_t i = 0; i < kUpdateStopsOfFederation; ++i) {
    stops.push_back(federation_listed[i * federation_listed.size() /
                                      kUpdateStopsOfFederation]);
  }
  std::vector<uint64_t> added;
  for (uint64_t i = 0; i < kUpdateNew; ++i) added.push_back(next_number());
  std::vector<uint64_t> deleted = stops;
  deleted.insert(deleted.end(), changed.begin(), changed.end());
  std::vector<uint64_t> inserted = changed;
  inserted.insert(inserted.end(), added.begin(), added.end());
  std::sort(deleted.begin(), deleted.end());
  std::sort(inserted.begin(), inserted.end());
  x->update_stops = stops.size();

  const fs::path update = x->update_dir;
  fs::create_directories(update);
  WriteMeta(update, "update", kFullNumber + 1);
  WriteOthers(update, "_delete");
  WriteOthers(update, "_insert");
  {
    CsvOut del(update / "enterprise_delete.csv", {"EnterpriseNumber"});
    CsvOut ins(
        update / "enterprise_insert.csv",
        {"EnterpriseNumber", "Status", "JuridicalSituation", "TypeOfEnterprise",
         "JuridicalForm", "JuridicalFormCAC", "StartDate"});
    CsvOut den_del(update / "denomination_delete.csv", {"EntityNumber"});
    CsvOut den_ins(
        update / "denomination_insert.csv",
        {"EntityNumber", "Language", "TypeOfDenomination", "Denomination"});
    for (uint64_t kbo : deleted) del.Row({KboText(kbo)});
    for (uint64_t kbo : inserted) {
      // What changed: described anew (another form, date and name).
      const Generated g = Describe(kbo, /*salt=*/kFullNumber + 1);
      const std::string number = KboText(kbo);
      ins.Row({number, "AC", JuridicalSituation(kbo),
               g.natural_person ? "1" : "2", g.form, JuridicalFormCac(g, kbo),
               g.start_date});
      den_del.Row({number});
      den_ins.Row({number, std::to_string(g.language),
                   g.natural_person ? "003" : "001", g.name});
    }
    x->update_rows = del.rows() + ins.rows() + den_del.rows() + den_ins.rows();
  }
  Zip(full, x->full_zip);
  Zip(update, x->update_zip);
}

}  // namespace

const KboExtracts& KboExtracts::Get(const std::string& federation_path,
                                    const std::string& scale) {
  static std::map<std::string, std::unique_ptr<KboExtracts>> cache;
  std::unique_ptr<KboExtracts>& slot = cache[scale];
  if (slot) return *slot;
  slot = std::make_unique<KboExtracts>();
  KboExtracts& x = *slot;
  const char* dir_env = std::getenv("TOEGANG_BENCH_DIR");
  x.dir = fmt::format("{}/kbo-{}", dir_env != nullptr ? dir_env : "bench-data",
                      scale);
  const std::string full_name =
      fmt::format("KboOpenData_{:04}_2026_12_Full", kFullNumber);
  const std::string update_name =
      fmt::format("KboOpenData_{:04}_2026_12_Update", kFullNumber + 1);
  x.full_dir = x.dir + "/" + full_name;
  x.full_zip = x.full_dir + ".zip";
  x.update_dir = x.dir + "/" + update_name;
  x.update_zip = x.update_dir + ".zip";
  x.full_number = kFullNumber;
  x.update_number = kFullNumber + 1;
  const fs::path summary = fs::path(x.dir) / "summary.txt";
  if (fs::exists(summary)) {
    std::map<std::string, uint64_t> s = ReadSummary(summary);
    x.enterprises = s["enterprises"];
    x.denominations = s["denominations"];
    x.update_rows = s["update_rows"];
    x.federation_listed = s["federation_listed"];
    x.full_stops = s["full_stops"];
    x.update_stops = s["update_stops"];
    return x;
  }
  fmt::print(stderr, "bench: generating KBO Open Data extracts in {} ...\n",
             x.dir);
  const auto t0 = std::chrono::steady_clock::now();
  fs::remove_all(x.dir);
  fs::create_directories(x.dir);
  Generate(federation_path, &x);
  x.generate_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  std::ofstream out(summary);
  out << "enterprises " << x.enterprises << "\ndenominations "
      << x.denominations << "\nupdate_rows " << x.update_rows
      << "\nfederation_listed " << x.federation_listed << "\nfull_stops "
      << x.full_stops << "\nupdate_stops " << x.update_stops << "\n";
  if (!out) Die("cannot write " + summary.string());
  return x;
}

}  // namespace toegang::bench
