// The helpdesk's cards of a person and of a facility (`toegang who --insz`,
// `who --hco`, the admin web page), and the name search that finds persons
// and enterprises: plain value types that Engine::WhoPerson,
// Engine::WhoFacility and Engine::FindByName return
// (toegang/engine.h). The enterprise's card is WhoReport
// (toegang/queries.h).
//
// Numbers are canonical digits (INSZ 11, KBO 10, HCO as registered);
// applications, capacities and subdivisions are catalogue codes. A link's
// provenance (who made it, at which revision, when) is empty for what the
// registries state (a function of the KBO).
//
// Thread safety: plain value types.
#ifndef TOEGANG_CARDS_H_
#define TOEGANG_CARDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "toegang/queries.h"

namespace toegang {

// An enterprise as the cards name it.
struct EnterpriseRef {
  std::string kbo;  // 10 digits
  std::string name;
  bool active = false;  // not stopped in the KBO
};

// Who made a delegation link, and when.
struct LinkMade {
  std::optional<PersonRef> by;  // empty when not recorded
  uint64_t revision = 0;
  std::string at;  // ISO-8601 UTC, empty when not recorded
};

// who(insz): one person's functions, roles, memberships and decisions.
struct PersonCard {
  // A function in the KBO: legal representative ("wv") or employee
  // ("employee") of an enterprise.
  struct Function {
    std::string kind;
    EnterpriseRef enterprise;
  };
  // An administrative role held by this person's own link (not by
  // inheritance: the HTB administers every domain without a TB link).
  struct Role {
    std::string role;  // "htb" | "tb" | "co_tb" | "manager"
    EnterpriseRef enterprise;
    std::string capacity, subdivision;  // tb, co_tb, manager
    std::string hco, facility_name;     // manager
    LinkMade made;
    // htb: the KBO still lists the person as WV or employee (else the
    // role stands but administers nothing, docs/model.md).
    bool still_listed = true;
  };
  // A user link to a subafdeling, with the rights held there.
  struct Membership {
    EnterpriseRef enterprise;
    std::string capacity, subdivision;
    std::string hco, facility_name;
    std::string email;                // the subafdeling's contact address
    std::vector<std::string> rights;  // application codes, sorted
    LinkMade made;
  };
  // The decision for one application of the catalogue (any facility).
  struct AppDecision {
    std::string application;  // code
    std::string application_name;
    Explanation explanation;  // as Engine::Explain answers it
  };

  PersonRef person;
  // The federation knows the INSZ (the persons registry or any link);
  // an unknown one has an empty card and every application denied.
  bool known = false;
  std::vector<Function> functions;      // by (kbo, kind)
  std::vector<Role> roles;              // by (kbo, role, capacity, ...)
  std::vector<Membership> memberships;  // by (hco, capacity, subdivision)
  std::vector<AppDecision> decisions;   // in catalogue order
  uint64_t revision = 0;
};

// who(hco): one facility, who runs it and who is a member there.
struct FacilityCard {
  struct Member {
    PersonRef person;
    std::vector<std::string> rights;  // codes, sorted; empty: no right
    LinkMade made;                    // the user link
  };
  struct Subafdeling {
    std::string capacity, subdivision;
    std::string email;
    std::vector<std::string> applications;  // authorized, codes
    std::vector<PersonRef> managers;        // named managers, by INSZ
    std::optional<PersonRef> tb;            // the domain's TB, if appointed
    std::vector<PersonRef> co_tbs;
    std::vector<Member> members;  // by INSZ
    LinkMade made;
  };
  std::string hco, name, type;
  bool active = false;  // open in CoBRHA
  std::optional<EnterpriseRef> organizer;
  std::optional<PersonRef> htb;  // the organizer's HTB
  std::string htb_email, htb_phone;
  std::vector<Subafdeling> subafdelingen;  // by (capacity, subdivision)
  uint64_t revision = 0;
};

// find-by-name: a person or an enterprise whose name starts with the
// text asked.
struct NameHit {
  std::string kind;  // "person" | "enterprise"
  std::string id;    // INSZ (11 digits) or KBO (10 digits)
  std::string name;
};

}  // namespace toegang

#endif  // TOEGANG_CARDS_H_
