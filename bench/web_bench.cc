// WebPage/<page>/<scale>: the server-side time of each of the helpdesk's
// web pages (issue 27: under 50 ms at M), through DecisionService::Handle
// as the admin listener calls it (no socket): the HTML rendered, the
// engine's queries, the delegation picture drawn by Graphviz.
//
//   TOEGANG_BENCH_SCALES=M TOEGANG_BENCH_DIR=/work/benchdata
//     build/bench/toegang_web_bench   (one line)
//
// The engine runs as `toegang serve` runs it (a service, fully built
// before anything is timed). The pages are taken for a person who holds a
// right (with the access chain), that person's enterprise and facility,
// the enterprise and the facility with the most users (the worst case of
// the picture and the member list), a name search and an INSZ search, and
// the facility with the manual's steps for its HTB (each step asked of
// may). Every answer is checked (status 200 or 303) before timing; the
// first answer's wall time is the counter first_ms (the engine sorts the
// names with its load, OpenOptions::index_names, as `serve --admin-listen`
// has it, so the first name search does not).
// The largest facility lists 50 members a subafdeling (its first page);
// its last page is timed too.
#include <SQLiteCpp/SQLiteCpp.h>
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "bench_federation.h"
#include "decision_service.h"
#include "web/web_pages.h"

namespace toegang::bench {
namespace {

// A request's headers by lower-case name.
struct Headers {
  std::map<std::string, std::string> values;
  static std::string_view Look(const void* context, std::string_view name) {
    const auto* h = static_cast<const Headers*>(context);
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    auto it = h->values.find(lower);
    return it == h->values.end() ? std::string_view() : it->second;
  }
};

constexpr const char* kActorHeader = "x-toegang-actor";

struct Site {
  std::unique_ptr<Engine> engine;
  std::unique_ptr<serve::DecisionService> service;
  std::string csrf = "0123456789abcdef0123456789abcdef";
  std::string person_token, person_name;
  std::string kbo, hco, big_kbo, big_hco, big_hco_htb, person_insz;
  // The codes of the largest facility's subafdeling with the most users.
  std::string big_capacity, big_subdivision;
};

std::string One(SQLite::Database& db, const std::string& sql) {
  SQLite::Statement q(db, sql);
  if (!q.executeStep()) Die("no row for: " + sql);
  return q.getColumn(0).getString();
}

Site& SiteOf(const std::string& scale) {
  static std::map<std::string, std::unique_ptr<Site>> sites;
  std::unique_ptr<Site>& site = sites[scale];
  if (site) return *site;
  site = std::make_unique<Site>();
  const std::string path = BenchFederation::Path(scale);
  {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    // A person with a right, at an enterprise with an HTB.
    site->person_insz = One(db,
                            "SELECT r.insz FROM user_right r JOIN subafdeling "
                            "s ON s.id = r.subafdeling JOIN htb h ON h.kbo = "
                            "s.kbo ORDER BY r.rowid LIMIT 1");
    site->kbo = One(db, fmt::format("SELECT s.kbo FROM user_right r JOIN "
                                    "subafdeling s ON s.id = r.subafdeling "
                                    "WHERE r.insz = '{}' LIMIT 1",
                                    site->person_insz));
    site->hco = One(db, fmt::format("SELECT s.hco FROM user_right r JOIN "
                                    "subafdeling s ON s.id = r.subafdeling "
                                    "WHERE r.insz = '{}' LIMIT 1",
                                    site->person_insz));
    site->person_name =
        One(db, fmt::format("SELECT name FROM person WHERE insz = '{}'",
                            site->person_insz));
    site->big_hco = One(db,
                        "SELECT s.hco FROM user u JOIN subafdeling s ON s.id "
                        "= u.subafdeling GROUP BY s.hco ORDER BY count(*) "
                        "DESC LIMIT 1");
    site->big_kbo = One(db,
                        "SELECT s.kbo FROM user u JOIN subafdeling s ON s.id "
                        "= u.subafdeling GROUP BY s.kbo ORDER BY count(*) "
                        "DESC LIMIT 1");
    site->big_capacity = One(
        db, fmt::format("SELECT s.capacity FROM user u JOIN subafdeling s ON "
                        "s.id = u.subafdeling WHERE s.hco = '{}' GROUP BY "
                        "s.id ORDER BY count(*) DESC LIMIT 1",
                        site->big_hco));
    site->big_subdivision = One(
        db, fmt::format("SELECT s.subdivision FROM user u JOIN subafdeling s "
                        "ON s.id = u.subafdeling WHERE s.hco = '{}' GROUP BY "
                        "s.id ORDER BY count(*) DESC LIMIT 1",
                        site->big_hco));
    site->big_hco_htb = One(
        db, fmt::format("SELECT h.insz FROM htb h JOIN facility f ON f.kbo = "
                        "h.kbo WHERE f.hco = '{}'",
                        site->big_hco));
  }
  // As `serve --admin-listen` opens it: the names sorted with the load.
  OpenOptions open;
  open.index_names = true;
  Result<std::unique_ptr<Engine>> engine = Engine::Open(path, open);
  if (!engine.ok()) Die("opening " + path + ": " + engine.status().message());
  site->engine = std::move(engine).value();
  if (Status s = site->engine->Refresh(); !s.ok()) Die(s.message());
  serve::ServiceOptions options;
  options.actor_header = "X-Toegang-Actor";
  site->service =
      std::make_unique<serve::DecisionService>(site->engine.get(), options);
  site->person_token =
      site->service->web().tokens().TokenFor(site->person_insz);
  return *site;
}

serve::HttpResponse Send(Site& site, const std::string& method,
                         const std::string& target, const std::string& body,
                         const std::string& actor = "") {
  Headers h;
  h.values = {{"host", "127.0.0.1:8090"},
              {"cookie", "toegang_csrf=" + site.csrf},
              {"origin", "http://127.0.0.1:8090"}};
  if (!actor.empty()) h.values[kActorHeader] = actor;
  serve::HttpRequest request;
  request.method = method;
  request.target = target;
  request.body = body;
  request.header = &Headers::Look;
  request.header_context = &h;
  request.admin = true;
  return site.service->Handle(request);
}

enum class Page {
  kHome,
  kPerson,
  kEnterprise,
  kFacility,
  kBigEnterprise,
  kBigFacility,
  kBigFacilityWithSteps,
  kBigFacilityLastPage,
  kSearchName,
  kSearchInsz,
};

void BM_WebPage(benchmark::State& state, Page page, const std::string& scale) {
  Site& site = SiteOf(scale);
  std::string method = "GET", target, body, actor;
  switch (page) {
    case Page::kHome:
      target = "/";
      break;
    case Page::kPerson:
      target = "/p/" + site.person_token;
      break;
    case Page::kEnterprise:
      target = "/enterprise/" + site.kbo;
      break;
    case Page::kFacility:
      target = "/facility/" + site.hco;
      break;
    case Page::kBigEnterprise:
      target = "/enterprise/" + site.big_kbo;
      break;
    case Page::kBigFacility:
      target = "/facility/" + site.big_hco;
      break;
    case Page::kBigFacilityWithSteps:
      target = "/facility/" + site.big_hco;
      actor = site.big_hco_htb;
      break;
    case Page::kBigFacilityLastPage:
      // Past the end: the page shows the last 50 (or fewer) members.
      target = "/facility/" + site.big_hco + "?capacity=" + site.big_capacity +
               "&subdivision=" + site.big_subdivision + "&from=999999999";
      actor = site.big_hco_htb;
      break;
    case Page::kSearchName: {
      // The first word of a person's name, as typed.
      std::string word = site.person_name.substr(
          0, std::min<size_t>(site.person_name.find(' '), 5));
      method = "POST";
      target = "/search";
      body = "csrf=" + site.csrf + "&q=" + word;
      break;
    }
    case Page::kSearchInsz:
      method = "POST";
      target = "/search";
      body = "csrf=" + site.csrf + "&q=" + site.person_insz;
      break;
  }
  // The first answer also does what a page does once per loaded model
  // (the name search sorts the names): its wall time is a counter, taken
  // the first time the benchmark runs (the library runs it more than once).
  static std::map<std::pair<Page, std::string>, double> first_answers;
  const auto started = std::chrono::steady_clock::now();
  serve::HttpResponse first = Send(site, method, target, body, actor);
  const double first_ms =
      first_answers
          .try_emplace({page, scale},
                       std::chrono::duration<double, std::milli>(
                           std::chrono::steady_clock::now() - started)
                           .count())
          .first->second;
  if (first.status != 200 && first.status != 303) {
    Die(fmt::format("{} {}: {} {}", method, target, first.status,
                    first.body.substr(0, 400)));
  }
  size_t bytes = 0;
  for (auto _ : state) {
    serve::HttpResponse r = Send(site, method, target, body, actor);
    bytes = r.body.size();
    benchmark::DoNotOptimize(r);
  }
  state.counters["page_KB"] = static_cast<double>(bytes) / 1024.0;
  state.counters["first_ms"] = first_ms;
}

std::vector<std::string> Scales() {
  const char* env = std::getenv("TOEGANG_BENCH_SCALES");
  std::string text = env == nullptr ? "S" : env;
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = text.find(',', start);
    std::string s = text.substr(start, comma - start);
    if (!s.empty()) out.push_back(s);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace
}  // namespace toegang::bench

int main(int argc, char** argv) {
  using toegang::bench::Page;
  const std::pair<const char*, Page> pages[] = {
      {"home", Page::kHome},
      {"person", Page::kPerson},
      {"enterprise", Page::kEnterprise},
      {"facility", Page::kFacility},
      {"largest_enterprise", Page::kBigEnterprise},
      {"largest_facility", Page::kBigFacility},
      {"largest_facility_with_steps", Page::kBigFacilityWithSteps},
      {"largest_facility_last_page_with_steps", Page::kBigFacilityLastPage},
      {"search_name", Page::kSearchName},
      {"search_insz", Page::kSearchInsz},
  };
  for (const std::string& scale : toegang::bench::Scales()) {
    for (const auto& [name, page] : pages) {
      benchmark::RegisterBenchmark(
          fmt::format("WebPage/{}/{}", name, scale).c_str(),
          [which = page, scale](benchmark::State& state) {
            toegang::bench::BM_WebPage(state, which, scale);
          })
          ->Unit(benchmark::kMillisecond);
    }
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
