#include "federation_plan.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "random_source.h"

namespace toegang::generator {
namespace {

// Independent random streams, so that changing how one part is drawn does
// not reshuffle the others.
enum Stream : uint64_t {
  kStreamSizes = 1,
  kStreamEnterprises,
  kStreamFacilities,
  kStreamLinks,
};

// Shares of the edge cases, per mille of enterprises or facilities.
constexpr uint64_t kStoppedEarlyPerMille = 15;
constexpr uint64_t kStoppedLaterPerMille = 15;
constexpr uint64_t kNoHtbPerMille = 40;
constexpr uint64_t kNoCapacityPerMille = 20;
constexpr uint64_t kOcmwPerMille = 40;
constexpr uint64_t kClosedEarlyPerMille = 15;
constexpr uint64_t kClosedLaterPerMille = 20;
constexpr uint64_t kUnauthorizedPerMille = 30;
constexpr uint64_t kRevokedPerMille = 30;
constexpr uint64_t kNotUserPerMille = 40;

constexpr uint64_t kPersonsPerEnterprise = 50;

constexpr std::array<std::string_view, 40> kPlaces = {
    "Aalst",     "Antwerpen",    "Brugge",     "Gent",        "Genk",
    "Hasselt",   "Kortrijk",     "Leuven",     "Mechelen",    "Oostende",
    "Roeselare", "Sint-Niklaas", "Turnhout",   "Lier",        "Geel",
    "Mol",       "Tienen",       "Ieper",      "Dendermonde", "Lokeren",
    "Beveren",   "Waregem",      "Ninove",     "Herentals",   "Vilvoorde",
    "Halle",     "Zottegem",     "Tielt",      "Diest",       "Bilzen",
    "Lommel",    "Maaseik",      "Tongeren",   "Oudenaarde",  "Eeklo",
    "Poperinge", "Torhout",      "Brasschaat", "Schoten",     "Ronse"};

constexpr std::array<std::string_view, 24> kWords = {
    "De Linde",      "Ter Bunt",        "Het Anker",    "De Lovie",
    "Sint-Jozef",    "De Vlinder",      "Den Achtkant", "De Wingerd",
    "Ter Heide",     "Het Giels Bos",   "De Ark",       "Zonnebloem",
    "De Brug",       "Sint-Vincentius", "Ter Engelen",  "Monsheide",
    "De Oever",      "Het Veer",        "De Kade",      "Ter Linden",
    "De Zonnewende", "Heilig Hart",     "De Meersen",   "Ter Walle"};

constexpr std::array<std::string_view, 48> kFirstNames = {
    "Hilde",  "Tom",      "Marie",  "Luc",     "Els",     "Ahmed",  "Noor",
    "Wendy",  "Koen",     "Sofie",  "Pieter",  "Lotte",   "Jonas",  "Elif",
    "Bram",   "Greet",    "Ana",    "Olivier", "Emma",    "Lucas",  "Louise",
    "Arthur", "Mila",     "Liam",   "Julie",   "Wout",    "Fatima", "Yusuf",
    "Sarah",  "Jan",      "An",     "Bart",    "Katrien", "Dirk",   "Inge",
    "Kris",   "Nathalie", "Stijn",  "Evelien", "Ruben",   "Amal",   "Mehmet",
    "Ilse",   "Geert",    "Veerle", "Thomas",  "Laura",   "Senne"};

constexpr std::array<std::string_view, 48> kLastNames = {
    "Peeters",   "Janssens",   "Maes",           "Jacobs",    "Mertens",
    "Willems",   "Claes",      "Goossens",       "Wouters",   "De Smet",
    "Dubois",    "Lambert",    "Dupont",         "Hermans",   "Aerts",
    "Smet",      "Bosmans",    "Wuyts",          "Verhoeven", "Lemaire",
    "El Amrani", "Yilmaz",     "Van den Broeck", "De Clercq", "Desmet",
    "Vermeulen", "Michiels",   "Martens",        "Van Damme", "Pauwels",
    "Claeys",    "Cools",      "Vandenberghe",   "Lenaerts",  "Leclercq",
    "Segers",    "Verbruggen", "Thys",           "Van Dyck",  "Hendrickx",
    "De Backer", "Stevens",    "Coppens",        "Dewulf",    "Lukasiewicz",
    "Benali",    "Nguyen",     "Kowalski"};

constexpr std::array<const char*, 7> kTypeCodes = {"009", "010", "089", "034",
                                                   "094", "105", "106"};

constexpr std::array<std::string_view, 7> kTypeNames = {
    "OCMW",       "Welzijnsvereniging",   "Sociaal Huis",   "WZC",
    "Dagcentrum", "Beschutte werkplaats", "Maatwerkbedrijf"};

// KBO juridical form codes: vzw, NV, BV; and the OCMW's.
constexpr std::array<const char*, 3> kForms = {"017", "014", "610"};
constexpr const char* kOcmwForm = "416";

// Enterprise sizes: a base of 15-45 persons doubled L times, where L is
// geometric (each further doubling with probability 2/5, at most 10). The
// tail is a power law (exponent about 1.3), integer arithmetic only.
uint64_t RawSize(RandomSource& rng) {
  uint64_t size = rng.Between(15, 45);
  for (int level = 0; level < 10 && rng.Below(5) < 2; ++level) size *= 2;
  return size;
}

// How many facilities an enterprise of `persons` has: one or two, and a
// few more for the large ones.
uint32_t FacilityCount(RandomSource& rng, uint32_t persons) {
  uint32_t n = rng.PerMille(400) ? 2 : 1;
  n += std::min<uint32_t>(persons / 1500, 30);
  return n;
}

uint8_t OcmwFacilityType(RandomSource& rng, uint32_t nth) {
  if (nth == 0) return rng.PerMille(150) ? kType010 : kType009;
  const uint64_t r = rng.Below(10);
  return r < 4 ? kType089 : r < 6 ? kType009 : r < 7 ? kType010 : kType034;
}

uint8_t OtherFacilityType(RandomSource& rng) {
  const uint64_t r = rng.Below(100);
  return r < 30 ? kType034 : r < 55 ? kType094 : r < 70 ? kType105 : kType106;
}

// The authorizations of a new subafdeling, within the facility rule.
uint8_t Authorizations(RandomSource& rng, const PlannedEnterprise& e,
                       uint8_t type) {
  if (rng.PerMille(kUnauthorizedPerMille)) return 0;
  const bool ama_allowed = !e.ocmw || type == kType009 || type == kType010;
  if (!ama_allowed) return rng.PerMille(700) ? kVipa : 0;
  if (rng.PerMille(920)) return kAmaWvg | (rng.PerMille(350) ? kVipa : 0);
  return kVipa;
}

EnterpriseKind DrawKind(RandomSource& rng) {
  uint64_t r = rng.Below(1000);
  if (r < kStoppedEarlyPerMille) return EnterpriseKind::kStoppedEarly;
  r -= kStoppedEarlyPerMille;
  if (r < kStoppedLaterPerMille) return EnterpriseKind::kStoppedLater;
  r -= kStoppedLaterPerMille;
  if (r < kNoHtbPerMille) return EnterpriseKind::kNoHtb;
  r -= kNoHtbPerMille;
  if (r < kNoCapacityPerMille) return EnterpriseKind::kNoCapacity;
  return EnterpriseKind::kDelegated;
}

// Small federations may draw no example of an edge case; give each to an
// enterprise chosen from the end, so that every scale from a few hundred
// persons on has them all (the tests rely on it).
void ForceEdgeCases(std::vector<PlannedEnterprise>* enterprises) {
  auto& es = *enterprises;
  if (es.size() < 8) return;
  auto has = [&](EnterpriseKind k) {
    return std::any_of(es.begin(), es.end(),
                       [k](const PlannedEnterprise& e) { return e.kind == k; });
  };
  size_t next = es.size();
  auto take = [&]() -> PlannedEnterprise& {
    // Skip enterprises already holding a forced or drawn edge case.
    while (next > 1 && es[next - 1].kind != EnterpriseKind::kDelegated) --next;
    return es[--next];
  };
  for (EnterpriseKind k :
       {EnterpriseKind::kStoppedEarly, EnterpriseKind::kStoppedLater,
        EnterpriseKind::kNoHtb, EnterpriseKind::kNoCapacity}) {
    if (!has(k)) take().kind = k;
  }
  if (std::none_of(es.begin(), es.end(), [](const PlannedEnterprise& e) {
        return e.ocmw && e.kind == EnterpriseKind::kDelegated;
      })) {
    take().ocmw = true;
  }
}

}  // namespace

const char* TypeCodeText(uint8_t type) { return kTypeCodes[type]; }

const char* JuridicalForm(const PlannedEnterprise& e) {
  return e.ocmw ? kOcmwForm : kForms[e.form % kForms.size()];
}

std::string PersonName(uint64_t insz, uint64_t seed) {
  const uint64_t h = Mix64(insz ^ Mix64(seed ^ 0x9a3eULL));
  std::string name(kFirstNames[h % kFirstNames.size()]);
  name += ' ';
  name += kLastNames[(h >> 16) % kLastNames.size()];
  return name;
}

std::string EnterpriseName(const PlannedEnterprise& e) {
  const std::string_view place = kPlaces[e.name % kPlaces.size()];
  if (e.ocmw) return "OCMW " + std::string(place);
  const std::string word(kWords[(e.name / kPlaces.size()) % kWords.size()]);
  switch (e.form % kForms.size()) {
    case 0:
      return "vzw " + word + " " + std::string(place);
    case 1:
      return word + " " + std::string(place) + " NV";
    default:
      return word + " " + std::string(place) + " BV";
  }
}

std::string FacilityName(const PlannedFacility& f) {
  const std::string_view place = kPlaces[f.name % kPlaces.size()];
  const std::string_view word =
      kWords[(f.name / kPlaces.size()) % kWords.size()];
  std::string name(kTypeNames[f.type]);
  name += ' ';
  if (f.type == kType009 || f.type == kType010 || f.type == kType089) {
    name += place;
  } else {
    name += word;
    name += ' ';
    name += place;
  }
  return name;
}

Plan BuildPlan(uint64_t persons, uint64_t seed, const InszMaker& insz) {
  Plan plan;
  plan.seed = seed;
  plan.persons = persons;
  const uint64_t count = std::max<uint64_t>(
      1, (persons + kPersonsPerEnterprise / 2) / kPersonsPerEnterprise);

  // Sizes: a few persons each, and the rest shared out in proportion to
  // raw skewed draws, so that the sizes add up to `persons`.
  const uint64_t least = std::min<uint64_t>(3, persons / count);
  const uint64_t shared = persons - least * count;
  std::vector<uint64_t> raw(count);
  {
    RandomSource rng(seed, kStreamSizes);
    for (uint64_t& r : raw) r = RawSize(rng);
  }
  uint64_t total = 0;
  for (uint64_t r : raw) total += r;

  const KboMaker kbo(seed);
  const HcoMaker hco(seed);
  RandomSource erng(seed, kStreamEnterprises);
  plan.enterprises.resize(count);
  uint64_t prefix = 0;
  uint64_t first = 0;
  for (uint64_t k = 0; k < count; ++k) {
    prefix += raw[k];
    const uint64_t end =
        least * (k + 1) +
        static_cast<uint64_t>(static_cast<Uint128>(prefix) * shared / total);
    PlannedEnterprise& e = plan.enterprises[k];
    e.kbo = kbo.Make(k);
    e.first_person = static_cast<uint32_t>(first);
    e.persons = static_cast<uint32_t>(end - first);
    first = end;
    e.kind = DrawKind(erng);
    e.ocmw = erng.PerMille(kOcmwPerMille);
    e.form = static_cast<uint8_t>(erng.Below(100) < 60   ? 0
                                  : erng.Below(100) < 30 ? 1
                                                         : 2);
    e.name = static_cast<uint32_t>(erng.Next() >> 32);
    e.started = static_cast<int32_t>(DaysFromDate({1950, 1, 1}) +
                                     static_cast<int64_t>(erng.Below(25550)));
    e.wvs = e.persons >= 10 && erng.PerMille(300) ? 2 : 1;
    e.appointer = static_cast<uint8_t>(erng.Below(e.wvs));
    const uint32_t employees = e.persons > e.wvs ? e.persons - e.wvs : 0;
    e.has_tb = employees >= 2 && erng.PerMille(850);
    e.co_tbs = static_cast<uint8_t>(std::min<uint64_t>(
        erng.Below(3),
        e.persons > e.FirstCoTbLocal() ? e.persons - e.FirstCoTbLocal() : 0));
  }
  ForceEdgeCases(&plan.enterprises);

  // Facilities and subafdelingen; delegation revisions in enterprise order.
  RandomSource frng(seed, kStreamFacilities);
  uint32_t revision = 1;  // revision 1: the registries
  for (uint32_t k = 0; k < count; ++k) {
    PlannedEnterprise& e = plan.enterprises[k];
    e.first_facility = static_cast<uint32_t>(plan.facilities.size());
    e.facilities = FacilityCount(frng, e.persons);
    e.first_sub = static_cast<uint32_t>(plan.subafdeling_facility.size());
    if (e.HasHtb()) e.revision = ++revision;
    for (uint32_t n = 0; n < e.facilities; ++n) {
      PlannedFacility f;
      f.hco = hco.Make(plan.facilities.size());
      f.enterprise = k;
      f.type = e.ocmw ? OcmwFacilityType(frng, n) : OtherFacilityType(frng);
      // In the enterprise's municipality.
      f.name = static_cast<uint32_t>(frng.Below(1 << 24) * kPlaces.size() +
                                     e.name % kPlaces.size());
      const uint64_t r = frng.Below(1000);
      f.state = r < kClosedEarlyPerMille ? FacilityState::kClosedEarly
                : r < kClosedEarlyPerMille + kClosedLaterPerMille
                    ? FacilityState::kClosedLater
                    : FacilityState::kActive;
      if (!e.Delegates() && f.state == FacilityState::kClosedLater) {
        f.state = FacilityState::kClosedEarly;
      }
      if (e.Delegates() && f.state != FacilityState::kClosedEarly) {
        plan.subafdeling_facility.push_back(
            static_cast<uint32_t>(plan.facilities.size()));
        f.subafdeling = static_cast<uint32_t>(plan.subafdeling_facility.size());
        f.authorizations = Authorizations(frng, e, f.type);
        const uint32_t plain = e.FirstPlainLocal();
        if (e.persons > plain && frng.PerMille(400)) {
          f.manager = e.first_person + plain +
                      static_cast<uint32_t>(frng.Below(e.persons - plain)) + 1;
        }
        ++e.subs;
      }
      plan.facilities.push_back(f);
    }
  }
  plan.last_revision = revision + 1;

  // Small federations: make sure each facility edge case occurs once.
  auto any_fac = [&](auto pred) {
    return std::any_of(plan.facilities.begin(), plan.facilities.end(), pred);
  };
  if (!plan.subafdeling_facility.empty()) {
    if (!any_fac([](const PlannedFacility& f) {
          return f.state == FacilityState::kClosedLater;
        })) {
      plan.facilities[plan.subafdeling_facility.front()].state =
          FacilityState::kClosedLater;
    }
    if (!any_fac([](const PlannedFacility& f) {
          return f.subafdeling != 0 && f.authorizations == 0;
        })) {
      plan.facilities[plan.subafdeling_facility.back()].authorizations = 0;
    }
  }

  // User links: each employee of a delegating enterprise is a user of one
  // to three subafdelingen, first of its own enterprise, then elsewhere.
  RandomSource lrng(seed, kStreamLinks);
  const uint64_t all_subs = plan.subafdeling_facility.size();
  for (PlannedEnterprise& e : plan.enterprises) {
    if (e.subs == 0) continue;
    for (uint32_t local = e.wvs; local < e.persons; ++local) {
      const uint64_t person_insz = insz.Make(e.first_person + local);
      if (lrng.PerMille(kNotUserPerMille)) continue;
      const uint64_t r = lrng.Below(100);
      const uint32_t want = r < 70 ? 1 : r < 92 ? 2 : 3;
      uint32_t picked[3] = {0, 0, 0};
      uint32_t n = 0;
      const uint32_t start = static_cast<uint32_t>(lrng.Below(e.subs));
      for (; n < want && n < e.subs; ++n) {
        picked[n] = e.first_sub + 1 + (start + n) % e.subs;
      }
      for (int attempt = 0; n < want && attempt < 8 && all_subs > e.subs;
           ++attempt) {
        const uint32_t s = static_cast<uint32_t>(lrng.Below(all_subs)) + 1;
        if (s > e.first_sub && s <= e.first_sub + e.subs) continue;
        if (std::find(picked, picked + n, s) != picked + n) continue;
        picked[n++] = s;
      }
      for (uint32_t i = 0; i < n; ++i) {
        const uint8_t auth =
            plan.facilities[plan.subafdeling_facility[picked[i] - 1]]
                .authorizations;
        uint8_t rights = auth;
        if (auth == (kAmaWvg | kVipa) && !lrng.PerMille(600)) rights = kAmaWvg;
        if ((rights & kAmaWvg) != 0 && lrng.PerMille(kRevokedPerMille)) {
          rights &= static_cast<uint8_t>(~kAmaWvg);
          ++plan.revoked;
        }
        plan.links.push_back(LinkKey(picked[i], person_insz, rights));
      }
    }
  }
  // Each edge case at least once: a user without the ama-wvg right.
  if (plan.revoked == 0) {
    for (uint64_t& key : plan.links) {
      if ((LinkRights(key) & kAmaWvg) != 0) {
        key &= ~uint64_t{kAmaWvg};
        ++plan.revoked;
        break;
      }
    }
  }
  std::sort(plan.links.begin(), plan.links.end());
  for (uint64_t key : plan.links) {
    const uint32_t sub = LinkSub(key);
    PlannedEnterprise& e =
        plan.enterprises[plan.facilities[plan.subafdeling_facility[sub - 1]]
                             .enterprise];
    ++e.users;
    e.rights += static_cast<uint32_t>(((LinkRights(key) & kAmaWvg) != 0) +
                                      ((LinkRights(key) & kVipa) != 0));
  }
  return plan;
}

}  // namespace toegang::generator
