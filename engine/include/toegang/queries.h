// Result types of the helpdesk queries (SPEC 4.5 explain, 4.6): explain,
// access, users, managed-by, who. See Engine in toegang/engine.h for the
// calls.
//
// Listing queries are paginated with an opaque cursor: pass the
// next_cursor of one page as PageRequest::cursor to get the next. Pages
// follow a fixed order by a stable key (keyset pagination), so while
// mutations happen between pages an entry that exists throughout is listed
// exactly once; entries added or removed meanwhile may or may not appear.
//
// Thread safety: plain value types.
#ifndef TOEGANG_QUERIES_H_
#define TOEGANG_QUERIES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace toegang {

enum class Lang { kNl, kEn };

// A person as the helpdesk names them.
struct PersonRef {
  std::string insz;  // 11 digits
  std::string name;  // empty when the persons registry does not know it
};

// One link of an allowed chain WV -> HTB -> TB/co-TB -> subafdeling ->
// user -> right (SPEC 4.5 explain).
struct ChainLink {
  // "wv", "htb", "tb", "co_tb", "subafdeling", "user", "right".
  std::string step;
  std::optional<PersonRef> person;   // who holds the role (not for
                                     // subafdeling/right)
  std::optional<PersonRef> made_by;  // who made the link, when recorded
  uint64_t revision = 0;             // when it was made (0: registry)
  std::string at;                    // ISO-8601 UTC, empty for registry
  std::string text;                  // one sentence in the asked language
};

// Denied: one role through which a person can fix the failing condition,
// and how to reach them there.
struct FixerContact {
  PersonRef person;
  std::string role;  // "manager", "co_tb", "tb", "htb" or "wv"
  std::string kbo;   // the enterprise the role is held in (10 digits)
  std::string hco;   // manager: the subafdeling's facility
  // manager: the subafdeling's e-mail address; htb: the HTB's e-mail and
  // phone as appointed or last set (htb set-contact); wv: the WV's own when
  // they appointed the current HTB and gave them (manual 3.2.3); empty
  // where the model holds none (TB, co-TB, another WV).
  std::string email, phone;
};

struct Explanation {
  bool allowed = false;
  uint64_t revision = 0;
  std::vector<std::string> facilities;  // granting HCOs when allowed

  // Allowed: the chain through the first granting facility.
  std::vector<ChainLink> chain;
  // Allowed: what to check when logging in to the e-desk still fails
  // (manual 1.3, 2.2, 3.8: browser, digital key, the e-desk's address,
  // ERANOVA with its hours and the enterprise and HCO numbers to have at
  // hand), one sentence each, in the asked language. Empty when denied.
  std::vector<std::string> login_checklist;

  // Denied: the first failing condition of SPEC 4.5 for the closest
  // candidate.
  std::string reason;             // enterprise_inactive, no_htb,
                                  // capacity_inactive, facility_inactive,
                                  // no_subafdeling, application_not_authorized,
                                  // wrong_facility_type (condition 5: the
                                  // OCMW rule no longer holds there),
                                  // not_a_user, right_missing
  int condition = 0;              // 1..7 as numbered in SPEC 4.5
  std::string manual;             // manual section that fixes it, e.g. "3.7"
  std::string candidate_kbo;      // enterprise of the candidate (10 digits)
  std::string candidate_hco;      // facility of the candidate subafdeling
  std::vector<PersonRef> fixers;  // who can fix it, by name and INSZ
  // The same persons by role, a person once per role, ordered by who
  // should act first: the subafdeling's managers, then co-TBs, the TB,
  // the HTB, the WVs (then by INSZ).
  std::vector<FixerContact> fixer_roles;
  // Not a user anywhere: enterprises the person administers or works for,
  // where to ask (KBO numbers, 10 digits).
  std::vector<std::string> where_to_ask;

  std::string summary;  // a paragraph in the asked language
};

struct PageRequest {
  size_t limit = 100;  // at most this many items (1..10000)
  std::string cursor;  // empty for the first page
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_cursor;  // empty on the last page
  uint64_t revision = 0;    // the revision this page was read at
};

// access(insz): one (application, facility) the person may use.
struct AccessEntry {
  std::string application;  // code
  std::string hco;
  std::string facility_name;
  std::string kbo;  // the facility's enterprise
};

// users(hco, [app]): one person who may use the application(s) there.
struct UserEntry {
  PersonRef person;
  std::vector<std::string> applications;  // codes they may use there
};

// managed-by(insz): one thing the person may administer (manual 3.7).
struct ManagedEntry {
  std::string kind;  // "enterprise" | "domain" | "subafdeling"
  std::string role;  // "htb" | "tb" | "co_tb" | "manager"
  std::string kbo;
  std::string enterprise_name;
  std::string capacity;     // code; domain and subafdeling only
  std::string subdivision;  // code; domain and subafdeling only
  std::string hco;          // subafdeling only
  std::string facility_name;
};

// who(kbo): the helpdesk view of one enterprise (manual 2.1, 3.8).
struct WhoReport {
  struct Htb {
    PersonRef person;
    std::string email, phone;  // the HTB's (manual 3.2.2)
    std::optional<PersonRef> appointed_by;
    // The appointing WV's own e-mail and phone (manual 3.2.3), as given.
    std::string appointed_by_email, appointed_by_phone;
    uint64_t revision = 0;
    std::string at;
    // The person who appointed the HTB is no longer a legal representative
    // of the enterprise in the KBO: the appointment stands (it belongs to
    // the enterprise), and a current WV may re-confirm or replace it.
    bool appointed_by_former_wv = false;
    // The KBO still lists the HTB as a WV or employee of the enterprise.
    // When false the HTB stays (their users keep access) but administers
    // nothing until a WV appoints a new one (docs/model.md).
    bool still_listed = true;
  };
  struct Domain {
    std::string capacity, subdivision;  // codes
    std::optional<PersonRef> tb;        // appointed TB (the HTB is TB too)
    std::vector<PersonRef> co_tbs;
  };
  struct Subafdeling {
    std::string hco, facility_name, facility_type;
    bool facility_active = false;
    std::string capacity, subdivision;
    std::string email;
    std::vector<std::string> applications;  // authorized, codes
    std::vector<PersonRef> managers;
    size_t users = 0;
  };
  // One facility CoBRHA lists for the enterprise (manual 2.1 step 2C: "een
  // lijstje van alle voorzieningen" with name and HCO): what
  // `facilities --kbo` shows.
  struct Facility {
    std::string hco, name, type_code;
    bool active = false;  // open in CoBRHA
    struct Activation {
      std::string capacity, subdivision;      // codes
      std::vector<std::string> applications;  // authorized, codes
    };
    std::vector<Activation> subafdelingen;  // by (capacity, subdivision)
    // Per application that has a facility rule (the OCMW rule, SPEC 4.1):
    // its code and whether the rule lets this enterprise carry it here as
    // CoBRHA lists its facilities now. In catalogue order.
    std::vector<std::pair<std::string, bool>> facility_rule;
  };
  std::string kbo, name;
  bool active = false;
  // Whether a facility rule applies to the enterprise (it organizes a
  // facility of a trigger type: an OCMW, for ama-wvg).
  bool ocmw = false;
  std::vector<PersonRef> legal_representatives;
  std::optional<Htb> htb;
  std::vector<std::string> active_capacities;  // codes
  std::vector<Domain> domains;
  std::vector<Subafdeling> subafdelingen;
  std::vector<Facility> facilities;  // by HCO
  uint64_t revision = 0;
};

}  // namespace toegang

#endif  // TOEGANG_QUERIES_H_
