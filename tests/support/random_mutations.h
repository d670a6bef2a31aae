// Seeded random mutations over the fixture's cast (test_federation.h), for
// the crash test and the rules' property test. Most are made by people of
// the enterprise concerned so that a fair share commits; the rest by
// anybody, including persons the federation has never seen.
#ifndef TOEGANG_TESTS_RANDOM_MUTATIONS_H_
#define TOEGANG_TESTS_RANDOM_MUTATIONS_H_

#include <random>
#include <string>
#include <vector>

#include "support/random_identifiers.h"
#include "support/test_federation.h"
#include "toegang/mutation.h"

namespace toegang::testing {

// An enterprise of the cast with its people and facilities.
struct CastOrg {
  const char* kbo;
  std::vector<std::string> people;  // WV first, then employees
  std::vector<std::string> hcos;
};

inline const std::vector<CastOrg>& CastOrgs() {
  static const std::vector<CastOrg> kOrgs = {
      {kOcmw,
       {kWvOcmw, kEmpOcmw, kEmp2Ocmw},
       {kHcoOcmw, kHcoSociaalHuis, kHcoOcmwClosed}},
      {kWzc, {kWvWzc, kEmpWzc}, {kHcoWzc, kHcoWzcOost}},
      {kOther, {kWvOther}, {kHcoOther}},
      {kStopped, {kWvStopped}, {kHcoStopped, kHcoStoppedClosed}},
  };
  return kOrgs;
}

// The cast's persons without a function anywhere.
inline const std::vector<std::string>& CastOutsiders() {
  static const std::vector<std::string> kOthers = {kUser1, kUser2, kUser3,
                                                   kOutsider};
  return kOthers;
}

template <typename T>
const T& PickOne(std::mt19937_64& rng, const std::vector<T>& v) {
  return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)];
}

inline bool Chance(std::mt19937_64& rng, int percent) {
  return std::uniform_int_distribution<int>(0, 99)(rng) < percent;
}

// One mutation of any action. stranger_percent: how often the actor (and,
// as often, the target person) is a random valid INSZ instead of someone
// of the cast.
inline Mutation RandomMutation(std::mt19937_64& rng, int stranger_percent) {
  const CastOrg& org =
      CastOrgs()[std::discrete_distribution<size_t>({50, 35, 10, 5})(rng)];
  std::vector<std::string> anyone = org.people;
  anyone.insert(anyone.end(), CastOutsiders().begin(), CastOutsiders().end());
  std::string actor =
      Chance(rng, 70) ? PickOne(rng, org.people) : PickOne(rng, anyone);
  std::string target = PickOne(rng, anyone);
  if (Chance(rng, stranger_percent)) actor = RandomInsz(rng);
  if (Chance(rng, stranger_percent)) target = RandomInsz(rng);
  const std::string hco = Chance(rng, 90)
                              ? PickOne(rng, org.hcos)
                              : PickOne(rng, PickOne(rng, CastOrgs()).hcos);
  const std::string app = Chance(rng, 60) ? "ama-wvg" : "vipa";
  static const std::vector<Action> kActions = {Action::kAppointHtb,
                                               Action::kActivateCapacity,
                                               Action::kSetTb,
                                               Action::kAddCoTb,
                                               Action::kRemoveCoTb,
                                               Action::kCreateSubafdeling,
                                               Action::kAuthorize,
                                               Action::kDeauthorize,
                                               Action::kRemoveSubafdeling,
                                               Action::kAddManager,
                                               Action::kRemoveManager,
                                               Action::kAddUser,
                                               Action::kGrantRight,
                                               Action::kRevokeRight,
                                               Action::kRemoveUser,
                                               Action::kRemoveTb,
                                               Action::kDeactivateCapacity,
                                               Action::kSetHtbContact,
                                               Action::kSetSubafdelingEmail};
  static const std::vector<double> kWeights = {6, 6,  6,  5, 3, 12, 8, 4, 2, 4,
                                               2, 16, 14, 6, 4, 2,  1, 2, 2};
  const Action action = kActions[std::discrete_distribution<size_t>(
      kWeights.begin(), kWeights.end())(rng)];
  // The WV appoints the HTB, mostly.
  if (action == Action::kAppointHtb && Chance(rng, 80)) {
    actor = org.people.front();
  }
  M m(action, actor);
  switch (action) {
    case Action::kAppointHtb:
      m.Kbo(org.kbo).Insz(PickOne(rng, anyone)).Email("htb@example.be");
      break;
    case Action::kActivateCapacity:
    case Action::kDeactivateCapacity:
      m.Kbo(org.kbo);
      break;
    case Action::kSetHtbContact:
      m.Kbo(org.kbo).Phone(Chance(rng, 50) ? "+32 9 266 99 00"
                                           : "09 123 45 67");
      break;
    case Action::kSetSubafdelingEmail:
      m.Hco(hco).Email(Chance(rng, 50) ? "a@example.be" : "b@example.be");
      break;
    case Action::kSetTb:
    case Action::kAddCoTb:
    case Action::kRemoveCoTb:
    case Action::kRemoveTb:
      m.Kbo(org.kbo).Insz(target);
      break;
    case Action::kCreateSubafdeling:
      m.Kbo(org.kbo).Hco(hco).Email("toegang@example.be").App(app);
      if (Chance(rng, 40)) m.App(app == "vipa" ? "ama-wvg" : "vipa");
      if (Chance(rng, 40)) m.Manager(PickOne(rng, CastOutsiders()));
      break;
    case Action::kAuthorize:
    case Action::kDeauthorize:
      m.Hco(hco).App(app);
      break;
    case Action::kRemoveSubafdeling:
      m.Hco(hco);
      break;
    case Action::kAddManager:
    case Action::kRemoveManager:
    case Action::kRemoveUser:
      m.Hco(hco).Insz(target);
      break;
    case Action::kAddUser:
      m.Hco(hco).Insz(target);
      if (Chance(rng, 70)) m.App(app);
      break;
    case Action::kGrantRight:
    case Action::kRevokeRight:
      m.Hco(hco).Insz(target).App(app);
      break;
  }
  return m.m;
}

}  // namespace toegang::testing

#endif  // TOEGANG_TESTS_RANDOM_MUTATIONS_H_
