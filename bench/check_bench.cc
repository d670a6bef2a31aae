// Check latency on a small federation built through the public API, beside
// baseline (a) of SPEC 8: an std::unordered_map from the INSZ to its
// (facility, application) grants with flag arrays for facilities and
// enterprises, fed the same query stream in the same run.
//
// The federation is small (kEnterprises enterprises, kUsersPerFacility users
// per facility) because it is built with real, durable mutations; the
// federation generator and the S/M/L scales belong to bench/ later.
//
//   make bench      or    build-bench/bench/toegang_bench
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "toegang/engine.h"
#include "toegang/identifiers.h"

namespace {

constexpr int kEnterprises = 40;
constexpr int kUsersPerFacility = 25;

std::string InszFor(uint64_t n) {
  // Born 1 Jan 1970 + n days is too clever; use YYMMDD = 700101 and the
  // sequence number, moving the day when the sequence runs out.
  const uint64_t day = 1 + (n / 997) % 28;
  const uint64_t seq = 1 + n % 997;
  const uint64_t base = 700100 * 1000 + day * 1000 + seq;
  return fmt::format("{:09}{:02}", base, 97 - base % 97);
}

std::string KboFor(uint64_t n) {
  const uint64_t base = 4000000 + n;
  return fmt::format("{:08}{:02}", base, 97 - base % 97);
}

struct Grant {
  std::string hco;
  bool allowed;
};

struct Federation {
  std::string dir;
  std::unique_ptr<toegang::Engine> engine;
  std::vector<std::string> allowed_insz, denied_insz;
  std::vector<std::string> allowed_hco;

  // Baseline (a): INSZ -> grants, with facility and enterprise flags.
  struct BaseGrant {
    uint32_t facility;
    uint8_t app;
  };
  std::unordered_map<uint64_t, std::vector<BaseGrant>> index;
  std::vector<uint8_t> facility_ok, enterprise_ok;
  std::vector<uint32_t> facility_enterprise;
};

Federation& Fed() {
  static Federation* fed = [] {
    auto* f = new Federation;
    char tmpl[] = "/tmp/toegang-bench-XXXXXX";
    f->dir = ::mkdtemp(tmpl);
    std::ofstream ent(f->dir + "/enterprise.csv");
    std::ofstream fun(f->dir + "/functions.csv");
    std::ofstream fac(f->dir + "/facilities.csv");
    ent << "\"EnterpriseNumber\",\"Status\",\"JuridicalSituation\","
           "\"TypeOfEnterprise\",\"JuridicalForm\",\"JuridicalFormCAC\","
           "\"StartDate\"\n";
    for (int e = 0; e < kEnterprises; ++e) {
      ent << fmt::format("\"{}\",\"AC\",\"000\",\"2\",\"017\",\"\",\"\"\n",
                         KboFor(e));
      fun << fmt::format("{},{},legal_representative\n", KboFor(e), InszFor(e));
      fac << fmt::format("{},Facility {},094,{},active\n", 100000 + e, e,
                         KboFor(e));
    }
    ent.close();
    fun.close();
    fac.close();
    toegang::OpenOptions o;
    o.create_if_missing = true;
    f->engine = std::move(toegang::Engine::Open(f->dir + "/b.db", o)).value();
    toegang::ImportReport r;
    toegang::ImportOptions io;
    (void)f->engine->ImportKbo(f->dir + "/enterprise.csv", "", io, &r);
    (void)f->engine->ImportFunctions(f->dir + "/functions.csv", io, &r);
    (void)f->engine->ImportFacilities(f->dir + "/facilities.csv", io, &r);
    uint64_t next_user = 100000;
    f->facility_ok.assign(kEnterprises, 1);
    f->enterprise_ok.assign(kEnterprises, 1);
    for (int e = 0; e < kEnterprises; ++e) {
      f->facility_enterprise.push_back(static_cast<uint32_t>(e));
      toegang::Mutation m;
      m.actor = InszFor(e);
      m.kbo = KboFor(e);
      m.insz = InszFor(e);
      m.action = toegang::Action::kAppointHtb;
      (void)f->engine->Apply(m);
      m.action = toegang::Action::kActivateCapacity;
      (void)f->engine->Apply(m);
      m.action = toegang::Action::kCreateSubafdeling;
      m.hco = std::to_string(100000 + e);
      m.email = "bench@example.be";
      m.applications = {"ama-wvg"};
      (void)f->engine->Apply(m);
      for (int u = 0; u < kUsersPerFacility; ++u) {
        toegang::Mutation add;
        add.action = toegang::Action::kAddUser;
        add.actor = InszFor(e);
        add.hco = m.hco;
        add.insz = InszFor(next_user++);
        add.applications = {"ama-wvg"};
        if (f->engine->Apply(add).ok()) {
          f->allowed_insz.push_back(add.insz);
          f->allowed_hco.push_back(add.hco);
          f->index[std::stoull(add.insz)].push_back(
              {static_cast<uint32_t>(e), 0});
        }
        f->denied_insz.push_back(InszFor(next_user + 500000));
      }
    }
    return f;
  }();
  return *fed;
}

void BM_Check_Allowed(benchmark::State& state) {
  Federation& f = Fed();
  size_t i = 0;
  for (auto _ : state) {
    auto d = f.engine->Check(f.allowed_insz[i], "ama-wvg");
    benchmark::DoNotOptimize(d);
    i = (i + 1) % f.allowed_insz.size();
  }
}
BENCHMARK(BM_Check_Allowed);

void BM_Check_Denied(benchmark::State& state) {
  Federation& f = Fed();
  size_t i = 0;
  for (auto _ : state) {
    auto d = f.engine->Check(f.denied_insz[i], "ama-wvg");
    benchmark::DoNotOptimize(d);
    i = (i + 1) % f.denied_insz.size();
  }
}
BENCHMARK(BM_Check_Denied);

void BM_Check_WithHco(benchmark::State& state) {
  Federation& f = Fed();
  size_t i = 0;
  for (auto _ : state) {
    auto d = f.engine->Check(f.allowed_insz[i], "ama-wvg", f.allowed_hco[i]);
    benchmark::DoNotOptimize(d);
    i = (i + 1) % f.allowed_insz.size();
  }
}
BENCHMARK(BM_Check_WithHco);

// Baseline (a), same stream as BM_Check_Allowed: parse the INSZ text (the
// engine must too), look it up, test the flags.
void BM_BaselineHashMap_Allowed(benchmark::State& state) {
  Federation& f = Fed();
  size_t i = 0;
  for (auto _ : state) {
    auto insz = toegang::Insz::Parse(f.allowed_insz[i]);
    bool allowed = false;
    auto it = f.index.find(insz->value());
    if (it != f.index.end()) {
      for (const auto& g : it->second) {
        if (g.app == 0 && f.facility_ok[g.facility] &&
            f.enterprise_ok[f.facility_enterprise[g.facility]]) {
          allowed = true;
        }
      }
    }
    benchmark::DoNotOptimize(allowed);
    i = (i + 1) % f.allowed_insz.size();
  }
}
BENCHMARK(BM_BaselineHashMap_Allowed);

}  // namespace

BENCHMARK_MAIN();
