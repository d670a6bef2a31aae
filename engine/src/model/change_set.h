// ChangeSet: what one committed mutation does, as primitive operations on
// the delegation state. The rules (rules.h) turn a Mutation into a
// ChangeSet; the store writes it in one transaction with its audit rows;
// the graph applies the same ops. Each op's JSON form is the detail of its
// audit row, so the audit log doubles as the change log.
//
// Thread safety: plain value types.
#ifndef TOEGANG_CHANGE_SET_H_
#define TOEGANG_CHANGE_SET_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/catalogue.h"
#include "toegang/mutation.h"

namespace toegang {

// One primitive change. The op kinds reuse Action: a primitive op is the
// smallest form of a mutation (e.g. kAddUser adds a user without rights;
// each right is a kGrantRight op of its own).
struct Op {
  Action kind = Action::kAppointHtb;
  uint64_t kbo = 0;                // enterprise concerned
  CapacityId capacity = 0;         // hoedanigheid
  SubdivisionId subdivision = 0;   // subdivisie
  int64_t subafdeling = 0;         // subafdeling id
  std::string hco;                 // its facility
  uint64_t insz = 0;               // the person concerned (appointee, user)
  AppId app = 0;                   // application (authorize, grant ...)
  std::string email;               // htb appoint / set-contact, subafdeling
                                   // create / set-email: the new value
  std::string phone;               // htb appoint / set-contact
  std::string wv_email, wv_phone;  // htb appoint / set-contact: the
                                   // appointing WV's own contact data
  uint64_t previous = 0;           // the HTB / TB this op replaces, or 0
  // Empty for the op the actor asked for; else the action that caused this
  // op (e.g. a kRevokeRight caused by "subafdeling.deauthorize").
  std::string cause;
};

struct ChangeSet {
  Action action = Action::kAppointHtb;  // the mutation asked for
  uint64_t actor = 0;                   // INSZ of the actor
  int64_t at = 0;                       // unix seconds, UTC
  uint64_t revision = 0;                // set by the store on commit
  std::vector<Op> ops;                  // in the order they apply
};

// The op as a JSON object (audit detail), with identifiers in their text
// forms and catalogue entries by code.
std::string OpToJson(const Op& op, const Catalogue& catalogue);
// The inverse of OpToJson; nullopt when json is not an op this catalogue
// can hold (then the change log cannot be replayed and the caller loads
// from the tables instead).
std::optional<Op> OpFromJson(std::string_view json, const Catalogue& catalogue);
// One readable line: "user.grant 85073003328 ama-wvg at 12345".
std::string OpSummary(const Op& op, const Catalogue& catalogue);

}  // namespace toegang

#endif  // TOEGANG_CHANGE_SET_H_
