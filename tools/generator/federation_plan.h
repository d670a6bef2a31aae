// The plan of a generated federation: every enterprise, facility,
// subafdeling and user link, decided in memory before anything is
// written, as compact integers (a person is an index; an identifier is made
// from the index when it is written).
//
// Invariants of a plan (what makes the written database pass Verify):
//  1. Persons [first_person, first_person + persons) belong to one
//     enterprise; the first `wvs` are its WVs, the others its employees.
//  2. Only kDelegated and kStoppedLater enterprises have an HTB or anything
//     below it; kNoCapacity ones have an HTB and nothing else.
//  3. A subafdeling exists only for a facility that was active when it was
//     created (kActive or kClosedLater), of a delegating enterprise.
//  4. ama-wvg is authorized on a subafdeling of an OCMW only at a facility
//     of type 009 or 010 (the catalogue's facility rule); non-OCMWs have no
//     facility of type 009, 010 or 089.
//  5. A link's rights are a subset of its subafdeling's authorizations.
//  6. The HTB is neither TB nor co-TB; TB and co-TBs are distinct persons.
//
// Thread safety: a plan is a value; BuildPlan is reentrant.
#ifndef TOEGANG_TOOLS_GENERATOR_FEDERATION_PLAN_H_
#define TOEGANG_TOOLS_GENERATOR_FEDERATION_PLAN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "identifier_maker.h"

namespace toegang::generator {

enum class EnterpriseKind : uint8_t {
  kDelegated,     // HTB, capacity, TB / co-TBs, subafdelingen, users
  kNoHtb,         // active in the KBO, but no HTB appointed: nothing below
  kNoCapacity,    // an HTB, who never activated the hoedanigheid
  kStoppedEarly,  // stopped in the KBO from the start, nothing delegated
  kStoppedLater,  // delegated while active, stopped in the last revision
};

enum class FacilityState : uint8_t {
  kActive,
  kClosedEarly,  // closed in CoBRHA from the start, never a subafdeling
  kClosedLater,  // a subafdeling first, closed in the last revision
};

// Bits of an authorization or right set.
inline constexpr uint8_t kAmaWvg = 1;
inline constexpr uint8_t kVipa = 2;

// The zorgvoorzieningstype codes the generator uses.
enum FacilityType : uint8_t {
  kType009,  // OCMW
  kType010,  // Vereniging van OCMW's
  kType089,  // OCMW (sociaal huis)
  kType034,  // woonzorgcentrum
  kType094,  // dagcentrum
  kType105,  // beschutte werkplaats
  kType106,  // maatwerkbedrijf
};
const char* TypeCodeText(uint8_t type);

struct PlannedEnterprise {
  uint64_t kbo = 0;
  uint32_t first_person = 0, persons = 0;
  uint32_t first_facility = 0, facilities = 0;
  // Subafdeling ids first_sub + 1 .. first_sub + subs.
  uint32_t first_sub = 0, subs = 0;
  uint32_t revision = 0;  // the revision of its delegation, 0: none
  uint8_t wvs = 1;
  uint8_t appointer = 0;  // which WV appointed the HTB
  bool has_tb = false;
  uint8_t co_tbs = 0;
  bool ocmw = false;
  EnterpriseKind kind = EnterpriseKind::kDelegated;
  uint8_t form = 0;     // index into the juridical forms
  uint32_t name = 0;    // picks the name's words
  int32_t started = 0;  // start date, days since 1970
  // Counts for the audit row of its revision.
  uint32_t users = 0, rights = 0;

  bool Delegates() const {
    return kind == EnterpriseKind::kDelegated ||
           kind == EnterpriseKind::kStoppedLater;
  }
  bool HasHtb() const {
    return Delegates() || kind == EnterpriseKind::kNoCapacity;
  }
  bool Active() const {
    return kind != EnterpriseKind::kStoppedEarly &&
           kind != EnterpriseKind::kStoppedLater;
  }
  // Local person indexes (0 .. persons-1) of the roles.
  uint32_t HtbLocal() const { return persons > wvs ? wvs : 0; }
  uint32_t TbLocal() const { return HtbLocal() + 1; }  // when has_tb
  uint32_t FirstCoTbLocal() const { return HtbLocal() + 1 + (has_tb ? 1 : 0); }
  // The first employee that holds no administrative role.
  uint32_t FirstPlainLocal() const { return FirstCoTbLocal() + co_tbs; }
};

struct PlannedFacility {
  uint64_t hco = 0;
  uint32_t enterprise = 0;
  uint32_t subafdeling = 0;  // its subafdeling's id, 0: none
  uint32_t manager = 0;      // named manager: person index + 1, 0: none
  uint32_t name = 0;
  uint8_t type = kType034;
  FacilityState state = FacilityState::kActive;
  uint8_t authorizations = 0;  // kAmaWvg | kVipa
};

struct Plan {
  uint64_t seed = 0;
  uint64_t persons = 0;
  std::vector<PlannedEnterprise> enterprises;
  std::vector<PlannedFacility> facilities;
  // Subafdeling id - 1 -> index of its facility.
  std::vector<uint32_t> subafdeling_facility;
  // User links sorted (subafdeling, INSZ): see LinkKey.
  std::vector<uint64_t> links;
  uint32_t last_revision = 0;  // the registry changes' revision
  // Edge-case counts.
  uint64_t revoked = 0;  // links whose ama-wvg right was revoked
};

// A user link packed in 64 bits, sorting as (subafdeling, INSZ):
// subafdeling id (24 bits) | INSZ (37 bits) | rights (2 bits).
inline constexpr uint64_t kMaxSubafdelingen = (uint64_t{1} << 24) - 1;
inline uint64_t LinkKey(uint64_t sub, uint64_t insz, uint8_t rights) {
  return (sub << 39) | (insz << 2) | rights;
}
inline uint32_t LinkSub(uint64_t key) {
  return static_cast<uint32_t>(key >> 39);
}
inline uint64_t LinkInsz(uint64_t key) {
  return (key >> 2) & ((uint64_t{1} << 37) - 1);
}
inline uint8_t LinkRights(uint64_t key) {
  return static_cast<uint8_t>(key & 3);
}

// Decides the whole federation for persons (1 .. InszMaker::kMaxPersons)
// and seed. The same arguments always give the same plan.
Plan BuildPlan(uint64_t persons, uint64_t seed, const InszMaker& insz);

// Names, deterministic from a number.
std::string PersonName(uint64_t insz, uint64_t seed);
std::string EnterpriseName(const PlannedEnterprise& e);
std::string FacilityName(const PlannedFacility& f);
const char* JuridicalForm(const PlannedEnterprise& e);

}  // namespace toegang::generator

#endif  // TOEGANG_TOOLS_GENERATOR_FEDERATION_PLAN_H_
