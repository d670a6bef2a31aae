#include "rules/rules.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <unordered_map>

#include "model/text_forms.h"
#include "rules/administration.h"
#include "rules/contact_points.h"
#include "toegang/error_codes.h"
#include "toegang/identifiers.h"
#include "toegang/labels.h"

namespace toegang {
namespace {

bool LooksLikeEmail(std::string_view s) {
  size_t at = s.find('@');
  if (at == std::string_view::npos || at == 0 || s.find('@', at + 1) != s.npos)
    return false;
  std::string_view domain = s.substr(at + 1);
  size_t dot = domain.find('.');
  if (dot == std::string_view::npos || dot == 0 || domain.back() == '.')
    return false;
  return std::none_of(s.begin(), s.end(),
                      [](unsigned char c) {
                        return std::isspace(c) || std::iscntrl(c);
                      }) &&
         s.size() <= 254;
}

bool LooksLikePhone(std::string_view s) {
  size_t digits = 0;
  for (unsigned char c : s) {
    if (std::isdigit(c)) {
      ++digits;
    } else if (c != ' ' && c != '+' && c != '/' && c != '.' && c != '-' &&
               c != '(' && c != ')') {
      return false;
    }
  }
  return digits >= 8 && digits <= 15;
}

// Evaluates one mutation. Each Check* returns false after setting
// plan_.status when a rule refuses.
class Planner {
 public:
  Planner(const DelegationGraph& g, const Mutation& m, int64_t now,
          int64_t next_id)
      : g_(g), cat_(g.catalogue()), m_(m), next_id_(next_id) {
    plan_.changes.action = m.action;
    plan_.changes.at = now;
    plan_.actor = m.actor;
  }

  Plan Run() {
    if (!ResolveActor()) return std::move(plan_);
    switch (m_.action) {
      case Action::kAppointHtb:
        AppointHtb();
        break;
      case Action::kSetHtbContact:
        SetHtbContact();
        break;
      case Action::kSetSubafdelingEmail:
        SetSubafdelingEmail();
        break;
      case Action::kActivateCapacity:
        ActivateCapacity();
        break;
      case Action::kDeactivateCapacity:
        DeactivateCapacity();
        break;
      case Action::kSetTb:
      case Action::kAddCoTb:
      case Action::kRemoveCoTb:
      case Action::kRemoveTb:
        DomainManager();
        break;
      case Action::kCreateSubafdeling:
        CreateSubafdeling();
        break;
      case Action::kAuthorize:
      case Action::kDeauthorize:
        Authorization();
        break;
      case Action::kRemoveSubafdeling:
        RemoveSubafdeling();
        break;
      case Action::kAddManager:
      case Action::kRemoveManager:
        SubafdelingManager();
        break;
      case Action::kAddUser:
      case Action::kGrantRight:
      case Action::kRevokeRight:
      case Action::kRemoveUser:
        UserOp();
        break;
    }
    return std::move(plan_);
  }

 private:
  // --- failure helpers --------------------------------------------------
  bool Fail(Status s) {
    plan_.status = std::move(s);
    return false;
  }
  bool Invalid(std::string_view c, std::string msg) {
    return Fail(Status::InvalidInput(c, std::move(msg)));
  }
  bool Refuse(std::string_view c, std::string msg) {
    return Fail(Status::Refused(c, std::move(msg)));
  }

  // --- text for messages ------------------------------------------------
  std::string PersonLabel(Vertex p) const {
    const PersonView d = g_.person(p);
    return NamedLabel(d.name, InszDisplay(d.insz));
  }
  // The ops a change causes are planned in order of the identifiers they
  // name (INSZ, then application), not in the order the graph lists its
  // edges: that order depends on how the model was built (loaded at once,
  // or changed edge by edge since), and the ops become audit rows, which
  // must read the same whichever engine planned them.
  template <typename T>
  static std::vector<T> Canonical(std::vector<T> v) {
    std::sort(v.begin(), v.end());
    return v;
  }

  // The persons by INSZ: vertex numbers depend on the order the model was
  // built in (a reopened engine numbers them in load order), an INSZ does
  // not, so a message (and the audit row it goes into) reads the same on
  // every engine.
  std::string People(const std::vector<Vertex>& vs) const {
    if (vs.empty()) return "nobody";
    std::vector<Vertex> sorted = vs;
    std::sort(sorted.begin(), sorted.end(), [&](Vertex a, Vertex b) {
      return g_.person(a).insz < g_.person(b).insz;
    });
    std::string out;
    for (Vertex v : sorted) {
      if (!out.empty()) out += ", ";
      out += PersonLabel(v);
    }
    return out;
  }
  std::string EnterpriseLabel() const {
    const EnterpriseData& e = g_.enterprise(ent_);
    // Refusals and audit rows name the enterprise with its bare number.
    return NamedLabel(e.name, KboDisplay(e.kbo));
  }
  // The enterprise CoBRHA lists as the facility's organizer.
  std::string OrganizerLabel(const FacilityData& f) const {
    return f.enterprise == kNoVertex
               ? std::string("no known enterprise")
               : KboDisplay(g_.enterprise(f.enterprise).kbo);
  }
  std::string DomainLabel() const {
    return fmt::format("domain {} / {}", cat_.capacity(cap_).name,
                       cat_.subdivision(sub_).name);
  }
  std::string HtbText() const {
    const EnterpriseData& e = g_.enterprise(ent_);
    if (e.htb == kNoVertex) {
      return fmt::format(
          "{} has no HTB yet: a legal representative (WV: {}) appoints one "
          "first (manual 3.2)",
          EnterpriseLabel(),
          People(g_.Sources(ent_, LinkKind::kLegalRepresentative)));
    }
    if (!HtbStillListed(g_, e.htb, ent_)) {
      return fmt::format(
          "the HTB of {} is {}, whom the KBO no longer lists as its WV or "
          "employee: a WV ({}) appoints a new HTB first (manual 3.2)",
          EnterpriseLabel(), PersonLabel(e.htb),
          People(g_.Sources(ent_, LinkKind::kLegalRepresentative)));
    }
    return fmt::format("the HTB of {} is {}", EnterpriseLabel(),
                       PersonLabel(e.htb));
  }
  // The HTB, the TB and the co-TBs of the current domain.
  std::vector<Vertex> DomainManagers() const {
    std::vector<Vertex> out;
    const EnterpriseData& e = g_.enterprise(ent_);
    if (e.htb != kNoVertex && HtbStillListed(g_, e.htb, ent_)) {
      out.push_back(e.htb);
    }
    Vertex d = g_.FindDomain(ent_, cap_, sub_);
    if (d != kNoVertex) {
      for (Vertex v : g_.Sources(d, LinkKind::kTb)) out.push_back(v);
      for (Vertex v : g_.Sources(d, LinkKind::kCoTb)) out.push_back(v);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

  // --- resolution -------------------------------------------------------
  bool ResolveActor() {
    if (m_.actor.empty()) {
      return Invalid(code::kUsage,
                     "name the actor with --by INSZ: the person who makes "
                     "this change");
    }
    Result<Insz> a = Insz::Parse(m_.actor);
    if (!a.ok()) {
      return Invalid(a.status().code(),
                     "actor (--by): " + a.status().message());
    }
    actor_ = a->value();
    plan_.actor = a->ToString();
    plan_.changes.actor = actor_;
    actor_v_ = g_.FindPerson(actor_);
    return true;
  }

  bool ResolveEnterprise() {
    if (m_.kbo.empty()) {
      return Invalid(code::kUsage, "name the enterprise with --kbo NUMBER");
    }
    Result<Kbo> k = Kbo::Parse(m_.kbo);
    if (!k.ok()) return Invalid(k.status().code(), k.status().message());
    kbo_ = k->value();
    plan_.kbo = k->ToString();
    ent_ = g_.FindEnterprise(kbo_);
    if (ent_ == kNoVertex) {
      return Refuse(code::kEnterpriseUnknown,
                    fmt::format("enterprise {} is not in the KBO registry: "
                                "import the KBO Open Data first (toegang "
                                "import kbo), or check the number",
                                k->Display()));
    }
    return true;
  }

  bool CheckActive() {
    if (!g_.enterprise(ent_).active) {
      return Refuse(code::kEnterpriseInactive,
                    fmt::format("enterprise {} is stopped in the KBO; nothing "
                                "can be granted for it until the KBO lists "
                                "it as active again (manual 1.1)",
                                EnterpriseLabel()));
    }
    return true;
  }

  bool ResolveCapacity() {
    Result<CapacityId> c = cat_.FindCapacity(m_.capacity);
    if (!c.ok()) return Fail(c.status());
    cap_ = *c;
    return true;
  }

  bool ResolveSubdivision() {
    // Look among all subdivisions first, so that a subdivision of another
    // capacity is named as such rather than as unknown.
    Result<SubdivisionId> within = cat_.FindSubdivision(m_.subdivision, cap_);
    if (within.ok()) {
      sub_ = *within;
      return true;
    }
    for (size_t c = 0; c < cat_.capacity_count() && !m_.subdivision.empty();
         ++c) {
      Result<SubdivisionId> other =
          cat_.FindSubdivision(m_.subdivision, static_cast<CapacityId>(c));
      if (other.ok()) {
        return Refuse(
            code::kSubdivisionNotInCapacity,
            fmt::format("subdivisie \"{}\" belongs to hoedanigheid "
                        "\"{}\", not to \"{}\"; pick a subdivisie "
                        "of \"{}\" (manual 3.5)",
                        cat_.subdivision(*other).name,
                        cat_.capacity(static_cast<CapacityId>(c)).name,
                        cat_.capacity(cap_).name, cat_.capacity(cap_).name));
      }
    }
    return Fail(within.status());
  }

  bool ResolveSubject(std::string_view what) {
    if (m_.insz.empty()) {
      return Invalid(code::kUsage,
                     fmt::format("name the {} with --insz INSZ", what));
    }
    Result<Insz> p = Insz::Parse(m_.insz);
    if (!p.ok()) {
      return Invalid(p.status().code(), fmt::format("{} (--insz): {}", what,
                                                    p.status().message()));
    }
    subject_ = p->value();
    subject_v_ = g_.FindPerson(subject_);
    return true;
  }

  bool ResolveOneApplication() {
    if (m_.applications.size() != 1) {
      return Invalid(code::kUsage,
                     "name exactly one application (--app), e.g. "
                     "ama-wvg");
    }
    Result<AppId> a = cat_.FindApplication(m_.applications.front());
    if (!a.ok()) return Fail(a.status());
    app_ = *a;
    return true;
  }

  // Finds the live subafdeling named by --hco (and, to disambiguate,
  // --kbo / --hoedanigheid / --subdivisie).
  bool ResolveSubafdeling() {
    if (m_.hco.empty()) {
      return Invalid(code::kUsage, "name the subafdeling with --hco NUMBER");
    }
    Result<Hco> h = Hco::Parse(m_.hco);
    if (!h.ok()) return Invalid(h.status().code(), h.status().message());
    hco_ = h->str();
    std::optional<uint64_t> want_kbo;
    if (!m_.kbo.empty()) {
      Result<Kbo> k = Kbo::Parse(m_.kbo);
      if (!k.ok()) return Invalid(k.status().code(), k.status().message());
      want_kbo = k->value();
    }
    std::optional<CapacityId> want_cap;
    if (!m_.capacity.empty()) {
      if (!ResolveCapacity()) return false;
      want_cap = cap_;
    }
    Vertex f = g_.FindFacility(hco_);
    std::vector<Vertex> found;
    if (f != kNoVertex) {
      for (Vertex s : g_.SubafdelingenAt(f)) {
        const DomainData& d = g_.domain(g_.subafdeling(s).domain);
        if (want_kbo && g_.enterprise(d.enterprise).kbo != *want_kbo) continue;
        if (want_cap && d.capacity != *want_cap) continue;
        if (!m_.subdivision.empty()) {
          Result<SubdivisionId> sd =
              cat_.FindSubdivision(m_.subdivision, d.capacity);
          if (!sd.ok() || *sd != d.subdivision) continue;
        }
        found.push_back(s);
      }
    }
    if (found.empty()) {
      if (want_kbo) plan_.kbo = KboDigits(*want_kbo);
      return Refuse(
          code::kSubafdelingUnknown,
          fmt::format("there is no subafdeling for facility HCO {}{}; "
                      "the HTB or a TB of the domain creates it "
                      "first (toegang subafdeling create, manual "
                      "3.6)",
                      hco_,
                      f == kNoVertex ? " (the facility is not "
                                       "in CoBRHA)"
                                     : ""));
    }
    if (found.size() > 1) {
      return Invalid(code::kAmbiguous,
                     fmt::format("facility HCO {} is a subafdeling in {} "
                                 "domains; add --kbo, --hoedanigheid or "
                                 "--subdivisie to pick one",
                                 hco_, found.size()));
    }
    subafd_ = found.front();
    const SubafdelingData& s = g_.subafdeling(subafd_);
    const DomainData& d = g_.domain(s.domain);
    ent_ = d.enterprise;
    kbo_ = g_.enterprise(ent_).kbo;
    plan_.kbo = KboDigits(kbo_);
    cap_ = d.capacity;
    sub_ = d.subdivision;
    return true;
  }

  // --- actor checks -----------------------------------------------------
  // What the actor administers, from the same visit over the
  // administrative edges as managed-by (administration.h); computed once
  // per mutation, on first use.
  Role ActorRoleOn(Vertex v) const {
    if (actor_v_ == kNoVertex || v == kNoVertex) return Role::kNone;
    if (!administered_) administered_ = Administered(g_, actor_v_);
    auto it = administered_->find(v);
    return it == administered_->end() ? Role::kNone : it->second;
  }
  bool ActorIsHtb() const { return ActorRoleOn(ent_) == Role::kHtb; }
  // The HTB is TB of every domain, also of one no TB was set for yet.
  bool ActorManagesDomain() const {
    return ActorIsHtb() ||
           ActorRoleOn(g_.FindDomain(ent_, cap_, sub_)) >= Role::kCoTb;
  }
  bool ActorManagesSubafdeling() const {
    return ActorManagesDomain() || ActorRoleOn(subafd_) >= Role::kManager;
  }

  // The actor is the enterprise's HTB but the KBO no longer lists them as
  // its WV or employee: their power ended with that function.
  bool ActorIsUnlistedHtb() const {
    const Vertex htb = g_.enterprise(ent_).htb;
    return actor_v_ != kNoVertex && htb == actor_v_ &&
           !HtbStillListed(g_, htb, ent_);
  }
  bool RefuseUnlistedHtb(std::string_view what) {
    return Refuse(
        code::kFunctionEnded,
        fmt::format("{} is the HTB of {}, but the KBO no longer lists them as "
                    "a legal representative (WV) or employee of it, so that "
                    "function ended and with it the power to {}. A WV ({}) "
                    "appoints a new HTB (toegang htb appoint, manual 3.2); "
                    "what the HTB granted stays",
                    PersonLabel(actor_v_), EnterpriseLabel(), what,
                    People(g_.Sources(ent_, LinkKind::kLegalRepresentative))));
  }

  bool RequireHtb(std::string_view what) {
    if (ActorIsHtb()) return true;
    if (ActorIsUnlistedHtb()) return RefuseUnlistedHtb(what);
    return Refuse(code::kNotAuthorized,
                  fmt::format("only the HTB may {}; {}", what, HtbText()));
  }
  bool RequireDomainManager(std::string_view what) {
    if (ActorManagesDomain()) return true;
    if (ActorIsUnlistedHtb()) return RefuseUnlistedHtb(what);
    return Refuse(code::kNotAuthorized,
                  fmt::format("only the HTB or a TB/co-TB of the {} of {} may "
                              "{}; they are: {}. Ask one of them, or ask the "
                              "HTB to appoint you (manual 3.5)",
                              DomainLabel(), EnterpriseLabel(), what,
                              People(DomainManagers())));
  }
  bool RequireSubafdelingManager(std::string_view what) {
    if (ActorManagesSubafdeling()) return true;
    if (ActorIsUnlistedHtb()) return RefuseUnlistedHtb(what);
    std::vector<Vertex> who = DomainManagers();
    for (Vertex v : g_.Sources(subafd_, LinkKind::kManager)) who.push_back(v);
    std::sort(who.begin(), who.end());
    who.erase(std::unique(who.begin(), who.end()), who.end());
    return Refuse(code::kNotAuthorized,
                  fmt::format("only the HTB, a TB/co-TB of the domain or a "
                              "manager of subafdeling HCO {} may {}; they are: "
                              "{} (manual 3.7)",
                              hco_, what, People(who)));
  }

  bool CheckCapacityActive() {
    if (g_.CapacityActive(ent_, cap_)) return true;
    return Refuse(
        code::kCapacityInactive,
        fmt::format("hoedanigheid \"{}\" is not active for {}; the "
                    "HTB activates it first (toegang hoedanigheid "
                    "activate, manual 3.4); {}",
                    cat_.capacity(cap_).name, EnterpriseLabel(), HtbText()));
  }

  // Application facility rule (SPEC 4.1): an enterprise with a facility of
  // a trigger type carries the application only on allowed types.
  bool CheckFacilityRule(AppId app, Vertex facility) {
    const FacilityData& f = g_.facility(facility);
    for (const FacilityRule& r : cat_.facility_rules()) {
      if (r.application != app) continue;
      std::vector<Vertex> own = g_.Targets(ent_, LinkKind::kOrganizes);
      auto has_type = [&](const std::vector<std::string>& types, Vertex v) {
        return std::find(types.begin(), types.end(),
                         g_.facility(v).type_code) != types.end();
      };
      bool triggered = std::any_of(own.begin(), own.end(), [&](Vertex v) {
        return has_type(r.trigger_types, v);
      });
      if (!triggered || has_type(r.allowed_types, facility)) continue;
      std::string right;
      for (Vertex v : own) {
        if (!has_type(r.allowed_types, v)) continue;
        const FacilityData& o = g_.facility(v);
        if (!right.empty()) right += ", ";
        right += fmt::format("HCO {} {} (type {}{})", o.hco, o.name,
                             o.type_code, o.active ? "" : ", closed");
      }
      std::string allowed;
      for (const std::string& t : r.allowed_types) {
        allowed += (allowed.empty() ? "" : " or ") + t;
      }
      return Refuse(
          code::kWrongFacilityType,
          fmt::format("{} is an OCMW: it carries \"{}\" only on a facility of "
                      "type {} as kept in CoBRHA by the former afdeling "
                      "Welzijn en Samenleving, not on HCO {} (type {}) "
                      "(manual 1.1, 3.6). Use {}",
                      EnterpriseLabel(), cat_.application(app).name, allowed,
                      f.hco, f.type_code,
                      right.empty() ? std::string("such a facility; this "
                                                  "enterprise has none in "
                                                  "CoBRHA yet")
                                    : right));
    }
    return true;
  }

  // A granting mutation on an existing subafdeling whose facility CoBRHA
  // now lists under another organizer is refused: the subafdeling no
  // longer grants access (SPEC 4.5 condition 4) and must be replaced.
  bool CheckFacilityStillOwned() {
    const FacilityData& f = g_.facility(g_.subafdeling(subafd_).facility);
    if (f.enterprise == ent_) return true;
    return Refuse(
        code::kFacilityNotOfEnterprise,
        fmt::format("facility HCO {} ({}) is now organized by {} in CoBRHA, "
                    "not by {}; this subafdeling grants nothing any more. "
                    "Remove it (toegang subafdeling remove); the new "
                    "organizer creates its own (manual 3.6)",
                    hco_, f.name, OrganizerLabel(f), EnterpriseLabel()));
  }

  // What a refusal on a closed facility tells the helpdesk to do: nothing
  // in access management reopens it (manual 1.1).
  static std::string ClosedFacilityRemedy() {
    return fmt::format(
        "this cannot be fixed in access management (manual 1.1): check the "
        "HCO number in CoBRHA ({}) and import the facilities file once "
        "CoBRHA lists the facility as active again. A maatwerkbedrijf not "
        "yet known in CoBRHA first contacts zorgenwerk.zorg@vlaanderen.be; "
        "for other questions about the facility: {}",
        kCobrhaAddress, EranovaText(Lang::kEn));
  }

  // A granting mutation on an existing subafdeling whose facility CoBRHA
  // closed is refused: the subafdeling grants nothing (SPEC 4.5 condition
  // 4), so an "ok" would look like a fix that is none.
  bool CheckFacilityOpen() {
    const FacilityData& f = g_.facility(g_.subafdeling(subafd_).facility);
    if (f.active) return true;
    return Refuse(code::kFacilityClosed,
                  fmt::format("facility HCO {} ({}) is closed in CoBRHA; its "
                              "subafdeling grants no access, so nothing can "
                              "be granted on it. {}",
                              hco_, f.name, ClosedFacilityRemedy()));
  }

  bool CheckAppInCapacity(AppId app) {
    if (cat_.application(app).capacity == cap_) return true;
    return Refuse(
        code::kApplicationNotInCapacity,
        fmt::format("application \"{}\" is not part of hoedanigheid "
                    "\"{}\"; it belongs to \"{}\"",
                    cat_.application(app).name, cat_.capacity(cap_).name,
                    cat_.capacity(cat_.application(app).capacity).name));
  }

  bool CheckAuthorized(AppId app) {
    if ((g_.subafdeling(subafd_).authorizations >> app) & 1U) return true;
    return Refuse(
        code::kApplicationNotAuthorized,
        fmt::format("subafdeling HCO {} is not authorized for \"{}\"; "
                    "the HTB or a TB of the domain authorizes it "
                    "first (toegang subafdeling authorize, manual "
                    "3.6); they are: {}",
                    hco_, cat_.application(app).name,
                    People(DomainManagers())));
  }

  // --- ops --------------------------------------------------------------
  Op NewOp(Action kind) const {
    Op op;
    op.kind = kind;
    op.kbo = kbo_;
    op.capacity = cap_;
    op.subdivision = sub_;
    op.insz = subject_;
    if (subafd_ != kNoVertex) {
      op.subafdeling = g_.subafdeling(subafd_).id;
      op.hco = hco_;
    }
    return op;
  }
  void Emit(Op op) { plan_.changes.ops.push_back(std::move(op)); }

  // --- the mutations ----------------------------------------------------
  // The contact data given (--email, --phone, --wv-email, --wv-phone):
  // each one given must be valid.
  bool CheckContactData() {
    for (const auto& [text, what] :
         {std::pair<const std::string&, const char*>{m_.email, "--email"},
          {m_.wv_email, "--wv-email"}}) {
      if (!text.empty() && !LooksLikeEmail(text)) {
        return Invalid(
            code::kInvalidEmail,
            fmt::format("\"{}\" ({}) is not an e-mail address", text, what));
      }
    }
    for (const auto& [text, what] :
         {std::pair<const std::string&, const char*>{m_.phone, "--phone"},
          {m_.wv_phone, "--wv-phone"}}) {
      if (!text.empty() && !LooksLikePhone(text)) {
        return Invalid(code::kInvalidPhone,
                       fmt::format("\"{}\" ({}) is not a phone number (8 to "
                                   "15 digits, optionally with + / . - and "
                                   "spaces)",
                                   text, what));
      }
    }
    return true;
  }

  // The HTB's contact data, or the appointing WV's own (manual 3.2.2,
  // 3.2.3), changed: by a WV of the enterprise or the HTB; the WV's own
  // only by the WV who appointed the HTB (docs/model.md "Contact data").
  void SetHtbContact() {
    if (!ResolveEnterprise()) return;
    if (m_.email.empty() && m_.phone.empty() && m_.wv_email.empty() &&
        m_.wv_phone.empty()) {
      Invalid(code::kUsage,
              "give the contact data to change: --email, --phone (the "
              "HTB's), --wv-email, --wv-phone (the appointing WV's own)");
      return;
    }
    if (!CheckContactData()) return;
    const EnterpriseData& e = g_.enterprise(ent_);
    const std::vector<Vertex> wvs =
        g_.Sources(ent_, LinkKind::kLegalRepresentative);
    if (e.htb == kNoVertex) {
      Refuse(code::kNoHtb,
             fmt::format("{} has no HTB, so there is no HTB contact data to "
                         "change: a WV ({}) appoints one with their e-mail "
                         "address and phone number (toegang htb appoint "
                         "--email --phone, manual 3.2.2)",
                         EnterpriseLabel(), People(wvs)));
      return;
    }
    const bool is_wv = actor_v_ != kNoVertex &&
                       std::binary_search(wvs.begin(), wvs.end(), actor_v_);
    if (!is_wv && !ActorIsHtb()) {
      if (ActorIsUnlistedHtb()) {
        RefuseUnlistedHtb("change the HTB's contact data");
        return;
      }
      Refuse(code::kNotAuthorized,
             fmt::format("only a legal representative (WV) of {} ({}) or its "
                         "HTB ({}) may change the HTB's contact data "
                         "(manual 3.2.2, 3.2.3)",
                         EnterpriseLabel(), People(wvs), PersonLabel(e.htb)));
      return;
    }
    uint64_t appointer = 0;
    if (std::optional<Edge> link = g_.FindLink(e.htb, ent_, LinkKind::kHtb)) {
      appointer = g_.provenance(g_.graph()[*link]).by;
    }
    if ((!m_.wv_email.empty() || !m_.wv_phone.empty()) &&
        (appointer == 0 || appointer != actor_)) {
      Refuse(code::kNotAuthorized,
             fmt::format("--wv-email and --wv-phone are the own contact data "
                         "of the WV who appointed the HTB ({}); only they "
                         "may change them (manual 3.2.3)",
                         appointer == 0 ? std::string("not recorded")
                                        : InszDisplay(appointer)));
      return;
    }
    Op op = NewOp(Action::kSetHtbContact);
    op.insz = g_.person(e.htb).insz;
    op.email = m_.email.empty() ? e.htb_email : m_.email;
    op.phone = m_.phone.empty() ? e.htb_phone : m_.phone;
    op.wv_email = m_.wv_email.empty() ? e.wv_email : m_.wv_email;
    op.wv_phone = m_.wv_phone.empty() ? e.wv_phone : m_.wv_phone;
    if (op.email == e.htb_email && op.phone == e.htb_phone &&
        op.wv_email == e.wv_email && op.wv_phone == e.wv_phone) {
      Refuse(code::kContactUnchanged,
             fmt::format("the contact data of the HTB of {} is already "
                         "what was given; nothing to change",
                         EnterpriseLabel()));
      return;
    }
    Emit(std::move(op));
  }

  // The subafdeling's contact e-mail (manual 3.6 "Geef een e-mailadres
  // in"), changed by whoever manages the subafdeling.
  void SetSubafdelingEmail() {
    if (!ResolveSubafdeling()) return;
    if (m_.email.empty() || !LooksLikeEmail(m_.email)) {
      Invalid(code::kInvalidEmail,
              m_.email.empty()
                  ? std::string("give the subafdeling's new contact e-mail "
                                "address with --email (manual 3.6)")
                  : fmt::format("\"{}\" is not an e-mail address", m_.email));
      return;
    }
    if (!RequireSubafdelingManager("change the subafdeling's e-mail address "
                                   "(manual 3.6)")) {
      return;
    }
    if (g_.subafdeling(subafd_).email == m_.email) {
      Refuse(code::kContactUnchanged,
             fmt::format("the e-mail address of subafdeling HCO {} already "
                         "is {}; nothing to change",
                         hco_, m_.email));
      return;
    }
    Op op = NewOp(Action::kSetSubafdelingEmail);
    op.email = m_.email;
    Emit(std::move(op));
  }

  void AppointHtb() {
    if (!ResolveEnterprise() || !ResolveSubject("HTB to appoint")) return;
    if (!CheckContactData()) return;
    if (!CheckActive()) return;
    std::vector<Vertex> wvs = g_.Sources(ent_, LinkKind::kLegalRepresentative);
    if (actor_v_ == kNoVertex ||
        !std::binary_search(wvs.begin(), wvs.end(), actor_v_)) {
      if (g_.LegalRepresentativeEnded(kbo_, actor_)) {
        Refuse(
            code::kFunctionEnded,
            fmt::format("the function of {} as legal representative (WV) "
                        "of {} ended: the KBO functions registry no "
                        "longer lists it, so they may no longer appoint "
                        "its HTB (manual 3.2.1); its WVs are now: {}",
                        InszDisplay(actor_), EnterpriseLabel(), People(wvs)));
        return;
      }
      Refuse(code::kNotAuthorized,
             fmt::format("only a legal representative (WV) of {} as known in "
                         "the KBO may appoint its HTB (manual 3.2.1); its WVs "
                         "are: {}",
                         EnterpriseLabel(), People(wvs)));
      return;
    }
    bool related =
        subject_v_ != kNoVertex &&
        (g_.HasLink(subject_v_, ent_, LinkKind::kLegalRepresentative) ||
         g_.HasLink(subject_v_, ent_, LinkKind::kEmployee));
    if (!related) {
      Refuse(code::kNotWvOrEmployee,
             fmt::format("the HTB must be an employee or a legal "
                         "representative of {} (manual 3.2.1); {} is "
                         "neither. Import the functions file that lists them "
                         "first, or appoint someone who is",
                         EnterpriseLabel(), m_.insz));
      return;
    }
    const EnterpriseData& e = g_.enterprise(ent_);
    if (e.htb == subject_v_) {
      Refuse(code::kAlreadyHtb,
             fmt::format("{} is already the HTB of {}; nothing to do (manual "
                         "3.2.2): an HTB is appointed once and stays for "
                         "every application (manual 2.1). Who the legal "
                         "representative and the HTB are, {} tells from the "
                         "enterprise number",
                         PersonLabel(subject_v_), EnterpriseLabel(),
                         EranovaText(Lang::kEn)));
      return;
    }
    Op op = NewOp(Action::kAppointHtb);
    op.email = m_.email;
    op.phone = m_.phone;
    op.wv_email = m_.wv_email;
    op.wv_phone = m_.wv_phone;
    op.previous = e.htb == kNoVertex ? 0 : g_.person(e.htb).insz;
    Emit(std::move(op));
  }

  void ActivateCapacity() {
    if (!ResolveEnterprise() || !ResolveCapacity() || !CheckActive()) return;
    if (!RequireHtb("activate a hoedanigheid (manual 3.4)")) return;
    if (g_.CapacityActive(ent_, cap_)) {
      Refuse(code::kAlreadyActive,
             fmt::format("hoedanigheid \"{}\" is already active for {}",
                         cat_.capacity(cap_).name, EnterpriseLabel()));
      return;
    }
    Emit(NewOp(Action::kActivateCapacity));
  }

  // Deactivating a hoedanigheid takes down what hangs on it, each step an
  // op of its own caused by the deactivation: every subafdeling of its
  // domains (as subafdeling remove does), then the domains' co-TBs and TB;
  // the hoedanigheid itself goes last. Who may: the HTB, as for
  // activating it (docs/model.md "Undoing roles").
  void DeactivateCapacity() {
    if (!ResolveEnterprise() || !ResolveCapacity()) return;
    if (!RequireHtb("deactivate a hoedanigheid (manual 3.4)")) return;
    if (!g_.CapacityActive(ent_, cap_)) {
      Refuse(code::kCapacityInactive,
             fmt::format("hoedanigheid \"{}\" is not active for {}; there is "
                         "nothing to deactivate",
                         cat_.capacity(cap_).name, EnterpriseLabel()));
      return;
    }
    const std::string cause(ActionName(m_.action));
    for (size_t i = 0; i < cat_.subdivision_count(); ++i) {
      const auto sd = static_cast<SubdivisionId>(i);
      if (cat_.subdivision(sd).capacity != cap_) continue;
      const Vertex d = g_.FindDomain(ent_, cap_, sd);
      if (d == kNoVertex) continue;
      std::vector<std::pair<int64_t, Vertex>> subs;
      for (Vertex s : g_.Targets(d, LinkKind::kSubafdeling)) {
        if (!g_.subafdeling(s).removed) {
          subs.emplace_back(g_.subafdeling(s).id, s);
        }
      }
      for (const auto& [id, s] : Canonical(std::move(subs))) {
        EmitSubafdelingRemoval(s, cause, /*caused=*/true);
      }
      std::vector<uint64_t> co;
      for (Vertex p : g_.Sources(d, LinkKind::kCoTb)) {
        co.push_back(g_.person(p).insz);
      }
      Op base = NewOp(Action::kRemoveCoTb);
      base.subdivision = sd;
      base.cause = cause;
      for (uint64_t insz : Canonical(std::move(co))) {
        Op op = base;
        op.insz = insz;
        Emit(std::move(op));
      }
      if (g_.domain(d).tb != kNoVertex) {
        Op op = base;
        op.kind = Action::kRemoveTb;
        op.insz = g_.person(g_.domain(d).tb).insz;
        Emit(std::move(op));
      }
    }
    Op op = NewOp(Action::kDeactivateCapacity);
    op.insz = 0;
    Emit(std::move(op));
  }

  void DomainManager() {
    const Action a = m_.action;
    const bool removing = a == Action::kRemoveCoTb || a == Action::kRemoveTb;
    if (!ResolveEnterprise() || !ResolveCapacity() || !ResolveSubdivision() ||
        !ResolveSubject(
            a == Action::kSetTb || a == Action::kRemoveTb ? "TB" : "co-TB")) {
      return;
    }
    if (!removing && !CheckActive()) return;
    if (!RequireHtb("appoint or remove the TBs of a domain (manual 3.5)")) {
      return;
    }
    if (!removing && !CheckCapacityActive()) return;
    Vertex d = g_.FindDomain(ent_, cap_, sub_);
    const bool is_htb =
        subject_v_ != kNoVertex && g_.enterprise(ent_).htb == subject_v_;
    const bool is_tb = d != kNoVertex && subject_v_ != kNoVertex &&
                       g_.HasLink(subject_v_, d, LinkKind::kTb);
    const bool is_co = d != kNoVertex && subject_v_ != kNoVertex &&
                       g_.HasLink(subject_v_, d, LinkKind::kCoTb);
    if (a == Action::kRemoveTb) {
      if (!is_tb) {
        Refuse(
            code::kNotAManager,
            is_htb
                ? fmt::format("{} is the HTB of {} and as such TB of every "
                              "domain (manual 3.3.2); that ends only when a "
                              "WV appoints another HTB (toegang htb appoint, "
                              "manual 3.2)",
                              PersonLabel(subject_v_), EnterpriseLabel())
                : fmt::format("{} is not the TB of the {} of {}; the TB "
                              "is {} (toegang who --kbo {})",
                              m_.insz, DomainLabel(), EnterpriseLabel(),
                              d != kNoVertex && g_.domain(d).tb != kNoVertex
                                  ? PersonLabel(g_.domain(d).tb)
                                  : std::string("the HTB (no TB was "
                                                "set)"),
                              KboDisplay(kbo_)));
        return;
      }
      // The domain goes back to the HTB, who is TB of every domain without
      // being set (manual 3.3.2); what the TB granted stays (SPEC 4.4).
      Emit(NewOp(Action::kRemoveTb));
      return;
    }
    if (a == Action::kRemoveCoTb) {
      if (!is_co) {
        Refuse(code::kNotAManager,
               fmt::format("{} is not a co-TB of the {} of {}", m_.insz,
                           DomainLabel(), EnterpriseLabel()));
        return;
      }
      Emit(NewOp(Action::kRemoveCoTb));
      return;
    }
    // tb set of a co-TB promotes them in one step: the co-TB role goes
    // (an op caused by tb.set), then the TB role comes, replacing the TB.
    const bool promoting = a == Action::kSetTb && is_co;
    if (is_htb || is_tb || (is_co && !promoting)) {
      Refuse(code::kAlreadyManager,
             is_htb
                 ? fmt::format("{} is the HTB of {} and as such already TB "
                               "of every domain (manual 3.3.2, 3.5)",
                               PersonLabel(subject_v_), EnterpriseLabel())
                 : fmt::format(
                       "{} is already {} of the {} of {}; a person "
                       "is not TB and co-TB of one domain (manual "
                       "3.5){}",
                       PersonLabel(subject_v_), is_tb ? "TB" : "co-TB",
                       DomainLabel(), EnterpriseLabel(),
                       is_co ? "; to make them the TB: toegang tb set" : ""));
      return;
    }
    if (promoting) {
      Op demote = NewOp(Action::kRemoveCoTb);
      demote.cause = std::string(ActionName(a));
      Emit(std::move(demote));
    }
    Op op = NewOp(a);
    if (a == Action::kSetTb && d != kNoVertex && g_.domain(d).tb != kNoVertex) {
      op.previous = g_.person(g_.domain(d).tb).insz;
    }
    Emit(std::move(op));
  }

  void CreateSubafdeling() {
    if (!ResolveEnterprise() || !ResolveCapacity() || !ResolveSubdivision()) {
      return;
    }
    if (m_.hco.empty()) {
      Invalid(code::kUsage, "name the facility with --hco NUMBER");
      return;
    }
    Result<Hco> h = Hco::Parse(m_.hco);
    if (!h.ok()) {
      Fail(h.status());
      return;
    }
    hco_ = h->str();
    if (m_.email.empty() || !LooksLikeEmail(m_.email)) {
      Invalid(code::kInvalidEmail,
              m_.email.empty()
                  ? std::string("a subafdeling needs a contact e-mail address "
                                "(--email, manual 3.6)")
                  : fmt::format("\"{}\" is not an e-mail address", m_.email));
      return;
    }
    Result<std::vector<AppId>> apps = cat_.FindApplications(m_.applications);
    if (!apps.ok()) {
      Fail(apps.status());
      return;
    }
    std::vector<uint64_t> managers;
    for (const std::string& text : m_.managers) {
      Result<Insz> p = Insz::Parse(text);
      if (!p.ok()) {
        Invalid(p.status().code(),
                "subafdeling manager (--beheerder): " + p.status().message());
        return;
      }
      if (std::find(managers.begin(), managers.end(), p->value()) ==
          managers.end()) {
        managers.push_back(p->value());
      }
    }
    if (!CheckActive()) return;
    if (!RequireDomainManager("create a subafdeling (manual 3.6)")) return;
    if (!CheckCapacityActive()) return;
    Vertex f = g_.FindFacility(hco_);
    if (f == kNoVertex) {
      Refuse(
          code::kFacilityUnknown,
          fmt::format("facility HCO {} is not in CoBRHA; look the HCO number "
                      "up in CoBRHA and import the facilities file. A "
                      "maatwerkbedrijf that is not yet known in CoBRHA "
                      "first contacts zorgenwerk.zorg@vlaanderen.be "
                      "(manual 1.1)",
                      hco_));
      return;
    }
    const FacilityData& fd = g_.facility(f);
    if (fd.enterprise != ent_) {
      Refuse(code::kFacilityNotOfEnterprise,
             fmt::format("facility HCO {} ({}) is organized by {}, not by {}; "
                         "a subafdeling is created by the organizing "
                         "enterprise (manual 2.1 step 2C)",
                         hco_, fd.name, OrganizerLabel(fd), EnterpriseLabel()));
      return;
    }
    if (!fd.active) {
      Refuse(code::kFacilityClosed,
             fmt::format("facility HCO {} ({}) is closed in CoBRHA; only an "
                         "active facility becomes a subafdeling. {}",
                         hco_, fd.name, ClosedFacilityRemedy()));
      return;
    }
    Vertex d = g_.FindDomain(ent_, cap_, sub_);
    if (d != kNoVertex && g_.SubafdelingIn(d, f) != kNoVertex) {
      Refuse(code::kAlreadyExists,
             fmt::format("facility HCO {} is already a subafdeling of the {} "
                         "of {}; edit it instead (subafdeling authorize, "
                         "manual 3.6 \"Je hebt al een subafdeling\")",
                         hco_, DomainLabel(), EnterpriseLabel()));
      return;
    }
    for (AppId a : *apps) {
      if (!CheckAppInCapacity(a) || !CheckFacilityRule(a, f)) return;
    }
    Op create = NewOp(Action::kCreateSubafdeling);
    create.subafdeling = next_id_;
    create.hco = hco_;
    create.email = m_.email;
    Emit(create);
    for (AppId a : *apps) {
      Op op = create;
      op.kind = Action::kAuthorize;
      op.email.clear();
      op.app = a;
      Emit(std::move(op));
    }
    for (uint64_t p : managers) {
      Op op = create;
      op.kind = Action::kAddManager;
      op.email.clear();
      op.insz = p;
      Emit(std::move(op));
    }
  }

  void Authorization() {
    if (!ResolveSubafdeling() || !ResolveOneApplication()) return;
    const bool granting = m_.action == Action::kAuthorize;
    if (granting &&
        (!CheckActive() || !CheckFacilityStillOwned() || !CheckFacilityOpen()))
      return;
    if (!RequireDomainManager(granting ? "authorize a subafdeling (manual 3.6)"
                                       : "deauthorize a subafdeling")) {
      return;
    }
    const SubafdelingData& s = g_.subafdeling(subafd_);
    const bool has = (s.authorizations >> app_) & 1U;
    if (granting) {
      if (!CheckAppInCapacity(app_)) return;
      if (has) {
        Refuse(code::kAlreadyAuthorized,
               fmt::format("subafdeling HCO {} is already authorized for "
                           "\"{}\"",
                           hco_, cat_.application(app_).name));
        return;
      }
      if (!CheckFacilityRule(app_, s.facility)) return;
      Op op = NewOp(Action::kAuthorize);
      op.app = app_;
      Emit(std::move(op));
      return;
    }
    if (!CheckAuthorized(app_)) return;
    Op op = NewOp(Action::kDeauthorize);
    op.app = app_;
    Emit(op);
    // Deauthorizing revokes the right from every user who holds it.
    std::vector<uint64_t> holders;
    for (Vertex p : g_.Sources(subafd_, LinkKind::kRight)) {
      if (g_.HasLink(p, subafd_, LinkKind::kRight, app_)) {
        holders.push_back(g_.person(p).insz);
      }
    }
    for (uint64_t insz : Canonical(std::move(holders))) {
      Op revoke = op;
      revoke.kind = Action::kRevokeRight;
      revoke.insz = insz;
      revoke.cause = std::string(ActionName(m_.action));
      plan_.changes.ops.insert(plan_.changes.ops.end() - 1, revoke);
    }
  }

  void RemoveSubafdeling() {
    if (!ResolveSubafdeling()) return;
    if (!RequireDomainManager("remove a subafdeling")) return;
    EmitSubafdelingRemoval(subafd_, std::string(ActionName(m_.action)),
                           /*caused=*/false);
  }

  // The ops that take subafdeling s down: its rights, users, managers and
  // authorizations (each caused by `cause`), then s itself, caused too
  // when `caused` (a hoedanigheid deactivated), else the op asked for.
  void EmitSubafdelingRemoval(Vertex s, const std::string& cause, bool caused) {
    const SubafdelingData& sd = g_.subafdeling(s);
    Op base = NewOp(Action::kRemoveSubafdeling);
    base.subdivision = g_.domain(sd.domain).subdivision;
    base.subafdeling = sd.id;
    base.hco = g_.facility(sd.facility).hco;
    base.insz = 0;
    base.cause = cause;
    // Take down everything that hangs on it first, each step audited.
    std::vector<std::pair<uint64_t, AppId>> rights;
    for (auto [it, end] = in_edges(s, g_.graph()); it != end; ++it) {
      const Link& l = g_.graph()[*it];
      if (l.kind != LinkKind::kRight) continue;
      rights.emplace_back(g_.person(source(*it, g_.graph())).insz, l.app);
    }
    for (const auto& [insz, app] : Canonical(std::move(rights))) {
      Op op = base;
      op.kind = Action::kRevokeRight;
      op.insz = insz;
      op.app = app;
      Emit(std::move(op));
    }
    for (LinkKind kind : {LinkKind::kUser, LinkKind::kManager}) {
      std::vector<uint64_t> persons;
      for (Vertex p : g_.Sources(s, kind)) {
        persons.push_back(g_.person(p).insz);
      }
      for (uint64_t insz : Canonical(std::move(persons))) {
        Op op = base;
        op.kind = kind == LinkKind::kUser ? Action::kRemoveUser
                                          : Action::kRemoveManager;
        op.insz = insz;
        Emit(std::move(op));
      }
    }
    for (size_t a = 0; a < cat_.application_count(); ++a) {
      if (((sd.authorizations >> a) & 1U) == 0) continue;
      Op op = base;
      op.kind = Action::kDeauthorize;
      op.app = static_cast<AppId>(a);
      Emit(std::move(op));
    }
    // The subafdeling itself goes last, once nothing refers to it.
    if (!caused) base.cause.clear();
    Emit(std::move(base));
  }

  void SubafdelingManager() {
    const bool adding = m_.action == Action::kAddManager;
    if (!ResolveSubafdeling() ||
        !ResolveSubject("subafdeling manager (beheerder)")) {
      return;
    }
    if (adding &&
        (!CheckActive() || !CheckFacilityStillOwned() || !CheckFacilityOpen()))
      return;
    if (!RequireDomainManager("name the managers of a subafdeling "
                              "(manual 3.6)")) {
      return;
    }
    const bool is = subject_v_ != kNoVertex &&
                    g_.HasLink(subject_v_, subafd_, LinkKind::kManager);
    if (adding && is) {
      Refuse(code::kAlreadyManager,
             fmt::format("{} already manages subafdeling HCO {}",
                         PersonLabel(subject_v_), hco_));
      return;
    }
    if (!adding && !is) {
      Refuse(code::kNotAManager,
             fmt::format("{} is not a manager of subafdeling HCO {}", m_.insz,
                         hco_));
      return;
    }
    Emit(NewOp(m_.action));
  }

  void UserOp() {
    if (!ResolveSubafdeling() || !ResolveSubject("user")) return;
    const Action a = m_.action;
    std::vector<AppId> apps;
    if (a == Action::kGrantRight || a == Action::kRevokeRight) {
      if (!ResolveOneApplication()) return;
      apps.push_back(app_);
    } else if (a == Action::kAddUser) {
      Result<std::vector<AppId>> r = cat_.FindApplications(m_.applications);
      if (!r.ok()) {
        Fail(r.status());
        return;
      }
      apps = *r;
    }
    const bool granting = a == Action::kAddUser || a == Action::kGrantRight;
    if (granting &&
        (!CheckActive() || !CheckFacilityStillOwned() || !CheckFacilityOpen()))
      return;
    if (!RequireSubafdelingManager("manage the users of this subafdeling")) {
      return;
    }
    const bool is_user = subject_v_ != kNoVertex &&
                         g_.HasLink(subject_v_, subafd_, LinkKind::kUser);
    if (a == Action::kAddUser) {
      if (is_user) {
        Refuse(code::kAlreadyUser,
               fmt::format("{} is already a user of subafdeling HCO {}; grant "
                           "rights with toegang user grant",
                           PersonLabel(subject_v_), hco_));
        return;
      }
      for (AppId app : apps) {
        if (!CheckAuthorized(app)) return;
      }
      Emit(NewOp(Action::kAddUser));
      for (AppId app : apps) {
        Op op = NewOp(Action::kGrantRight);
        op.app = app;
        Emit(std::move(op));
      }
      return;
    }
    if (!is_user) {
      Refuse(code::kNotAUser,
             fmt::format("{} is not a user of subafdeling HCO {}; add the "
                         "person first (toegang user add, manual 3.7)",
                         m_.insz, hco_));
      return;
    }
    if (a == Action::kRemoveUser) {
      Op remove = NewOp(Action::kRemoveUser);
      Emit(remove);
      std::vector<AppId> held;
      for (auto [it, end] = out_edges(subject_v_, g_.graph()); it != end;
           ++it) {
        const Link& l = g_.graph()[*it];
        if (l.kind == LinkKind::kRight && target(*it, g_.graph()) == subafd_) {
          held.push_back(l.app);
        }
      }
      for (AppId app : Canonical(std::move(held))) {
        Op revoke = NewOp(Action::kRevokeRight);
        revoke.app = app;
        revoke.cause = std::string(ActionName(a));
        plan_.changes.ops.insert(plan_.changes.ops.end() - 1, revoke);
      }
      return;
    }
    const bool holds = g_.HasLink(subject_v_, subafd_, LinkKind::kRight, app_);
    if (a == Action::kGrantRight) {
      if (!CheckAuthorized(app_)) return;
      if (holds) {
        Refuse(code::kAlreadyGranted,
               fmt::format("{} already holds \"{}\" at subafdeling HCO {}",
                           PersonLabel(subject_v_), cat_.application(app_).name,
                           hco_));
        return;
      }
    } else if (!holds) {
      Refuse(code::kRightMissing,
             fmt::format("{} does not hold \"{}\" at subafdeling HCO {}",
                         m_.insz, cat_.application(app_).name, hco_));
      return;
    }
    Op op = NewOp(a);
    op.app = app_;
    Emit(std::move(op));
  }

  const DelegationGraph& g_;
  const Catalogue& cat_;
  const Mutation& m_;
  const int64_t next_id_;
  Plan plan_;

  uint64_t actor_ = 0;
  Vertex actor_v_ = kNoVertex;
  uint64_t kbo_ = 0;
  Vertex ent_ = kNoVertex;
  CapacityId cap_ = 0;
  SubdivisionId sub_ = 0;
  uint64_t subject_ = 0;
  Vertex subject_v_ = kNoVertex;
  std::string hco_;
  Vertex subafd_ = kNoVertex;
  AppId app_ = 0;
  mutable std::optional<std::unordered_map<Vertex, Role>> administered_;
};

}  // namespace

Plan PlanMutation(const DelegationGraph& graph, const Mutation& mutation,
                  int64_t now, int64_t next_subafdeling_id) {
  return Planner(graph, mutation, now, next_subafdeling_id).Run();
}

}  // namespace toegang
