// Explain's text (explain_text.h).
#include "rules/explain_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "base/time_util.h"
#include "model/text_forms.h"
#include "rules/answer_parts.h"
#include "rules/contact_points.h"
#include "toegang/labels.h"

namespace toegang {
namespace {

class Writer {
 public:
  Writer(const DelegationGraph& g, uint64_t insz, AppId app,
         const std::string& hco, Lang lang, uint64_t revision)
      : g_(g),
        cat_(g.catalogue()),
        insz_(insz),
        person_(g.FindPerson(insz)),
        app_(app),
        hco_(hco),
        nl_(lang == Lang::kNl),
        revision_(revision) {}

  // --- allowed ---------------------------------------------------------------

  void Allowed(Vertex s, Explanation* out) const {
    std::string via;
    for (const std::string& h : out->facilities) {
      via += (via.empty() ? "" : ", ") + h;
    }
    if (s == kNoVertex) {  // cannot happen: check and explain agree
      out->summary =
          F("{} mag de toepassing {} gebruiken via HCO {} "
            "(revisie {}).",
            "{} may use the application {} through HCO {} "
            "(revision {}).",
            InszLabel(insz_), AppName(), via, revision_);
      return;
    }
    const SubafdelingData& sub = g_.subafdeling(s);
    const Vertex dv = sub.domain;
    const DomainData& d = g_.domain(dv);
    const Vertex ev = d.enterprise;
    const EnterpriseData& ent = g_.enterprise(ev);
    std::vector<ChainLink>& chain = out->chain;

    // WV -> HTB.
    std::optional<Edge> htb_edge = g_.FindLink(ent.htb, ev, LinkKind::kHtb);
    const Provenance htb_prov =
        htb_edge ? g_.provenance(g_.graph()[*htb_edge]) : Provenance{};
    const Vertex wv = htb_prov.by == 0 ? kNoVertex : g_.FindPerson(htb_prov.by);
    if (wv != kNoVertex && g_.HasLink(wv, ev, LinkKind::kLegalRepresentative)) {
      chain.push_back(
          MakeLink("wv", Ref(wv), nullptr,
                   F("{} is wettelijk vertegenwoordiger (WV) van {} "
                     "volgens de KBO.",
                     "{} is a legal representative (WV) of {} "
                     "according to the KBO.",
                     PersonLabel(wv), EnterpriseLabel(ev))));
    }
    ChainLink htb = MakeLink(
        "htb", Ref(ent.htb), &htb_prov,
        F("{} is hoofdtoegangsbeheerder (HTB) van {}, aangesteld door {} {}.",
          "{} is the main access manager (HTB) of {}, appointed by {} {}.",
          PersonLabel(ent.htb), EnterpriseLabel(ev), By(htb_prov),
          When(htb_prov)));
    SetMadeBy(htb_prov, &htb);
    chain.push_back(std::move(htb));

    // TB (or the HTB as TB of every domain), and the co-TBs who built the
    // rest of the chain.
    if (d.tb != kNoVertex) {
      std::optional<Edge> tb_edge = g_.FindLink(d.tb, dv, LinkKind::kTb);
      const Provenance prov =
          tb_edge ? g_.provenance(g_.graph()[*tb_edge]) : Provenance{};
      ChainLink tb = MakeLink(
          "tb", Ref(d.tb), &prov,
          F("{} is toegangsbeheerder (TB) van het domein {}, aangesteld door "
            "{} {}.",
            "{} is the access manager (TB) of domain {}, appointed by {} {}.",
            PersonLabel(d.tb), DomainLabel(dv), By(prov), When(prov)));
      SetMadeBy(prov, &tb);
      chain.push_back(std::move(tb));
    } else {
      chain.push_back(MakeLink(
          "tb", Ref(ent.htb), nullptr,
          F("Er is geen aparte toegangsbeheerder (TB) aangesteld voor het "
            "domein {}: de HTB {} is automatisch toegangsbeheerder van elk "
            "domein (handleiding 3.3.2).",
            "No separate access manager (TB) is appointed for domain {}: "
            "the HTB {} is the access manager of every domain (manual "
            "3.3.2).",
            DomainLabel(dv), PersonLabel(ent.htb))));
    }
    std::optional<Edge> user_edge = g_.FindLink(person_, s, LinkKind::kUser);
    std::optional<Edge> right_edge =
        g_.FindLink(person_, s, LinkKind::kRight, app_);
    const Provenance user_prov =
        user_edge ? g_.provenance(g_.graph()[*user_edge]) : Provenance{};
    const Provenance right_prov =
        right_edge ? g_.provenance(g_.graph()[*right_edge]) : Provenance{};
    std::vector<Vertex> co_makers;
    for (uint64_t by : {sub.prov.by, user_prov.by, right_prov.by}) {
      Vertex maker = by == 0 ? kNoVertex : g_.FindPerson(by);
      if (maker != kNoVertex && g_.HasLink(maker, dv, LinkKind::kCoTb)) {
        co_makers.push_back(maker);
      }
    }
    std::sort(co_makers.begin(), co_makers.end(), [&](Vertex a, Vertex b) {
      return g_.person(a).insz < g_.person(b).insz;
    });
    co_makers.erase(std::unique(co_makers.begin(), co_makers.end()),
                    co_makers.end());
    for (Vertex co : co_makers) {
      std::optional<Edge> co_edge = g_.FindLink(co, dv, LinkKind::kCoTb);
      const Provenance prov =
          co_edge ? g_.provenance(g_.graph()[*co_edge]) : Provenance{};
      ChainLink link = MakeLink(
          "co_tb", Ref(co), &prov,
          F("{} is co-toegangsbeheerder (co-TB) van het domein {}, aangesteld "
            "door {} {}.",
            "{} is a co-access manager (co-TB) of domain {}, appointed by {} "
            "{}.",
            PersonLabel(co), DomainLabel(dv), By(prov), When(prov)));
      SetMadeBy(prov, &link);
      chain.push_back(std::move(link));
    }

    // Subafdeling -> user -> right.
    ChainLink sublink = MakeLink(
        "subafdeling", std::nullopt, &sub.prov,
        F("Voorziening {} is subafdeling van het domein {}, geactiveerd door "
          "{} {}, en is geautoriseerd voor {}.",
          "Facility {} is a subafdeling of domain {}, activated by {} {}, "
          "and is authorized for {}.",
          FacilityLabel(sub.facility), DomainLabel(dv), ByAt(sub.prov, s),
          When(sub.prov), AppName()));
    SetMadeBy(sub.prov, &sublink);
    chain.push_back(std::move(sublink));
    ChainLink user = MakeLink(
        "user", Ref(person_), &user_prov,
        F("{} is gebruiker van die subafdeling, toegevoegd door {} {}.",
          "{} is a user of that subafdeling, added by {} {}.",
          PersonLabel(person_), ByAt(user_prov, s), When(user_prov)));
    SetMadeBy(user_prov, &user);
    chain.push_back(std::move(user));
    ChainLink right =
        MakeLink("right", std::nullopt, &right_prov,
                 F("{} heeft er het recht {}, toegekend door {} {}.",
                   "{} holds the right {} there, granted by {} {}.",
                   PersonLabel(person_), AppName(), ByAt(right_prov, s),
                   When(right_prov)));
    SetMadeBy(right_prov, &right);
    chain.push_back(std::move(right));

    out->summary = F(
        "{} mag de toepassing {} gebruiken via HCO {} (revisie {}). De "
        "toegang loopt via subafdeling {} van onderneming {}, met {} als "
        "hoofdtoegangsbeheerder (HTB); de keten (wettelijk vertegenwoordiger "
        "-> HTB -> toegangsbeheerder -> subafdeling -> gebruiker -> recht) "
        "toont wie elke schakel legde en wanneer.",
        "{} may use the application {} through HCO {} (revision {}). Access "
        "runs through subafdeling {} of enterprise {}, with {} as main access "
        "manager (HTB); the chain (legal representative -> HTB -> access "
        "manager -> subafdeling -> user -> right) shows who made each link "
        "and when.",
        InszLabel(insz_), AppName(), via, revision_,
        FacilityLabel(sub.facility), EnterpriseLabel(ev), PersonLabel(ent.htb));
    out->login_checklist =
        LoginChecklist(nl_ ? Lang::kNl : Lang::kEn, KboDisplay(ent.kbo),
                       g_.facility(sub.facility).hco);
  }

  // --- denied ----------------------------------------------------------------

  std::string DeniedSummary(const Verdict& v, const Ties& ties,
                            const Fixers& fixers) const {
    std::string opening =
        hco_.empty()
            ? F("{} mag de toepassing {} niet gebruiken (revisie {}).",
                "{} may not use the application {} (revision {}).",
                InszLabel(insz_), AppName(), revision_)
            : F("{} mag de toepassing {} niet gebruiken via voorziening HCO "
                "{} (revisie {}).",
                "{} may not use the application {} through facility HCO {} "
                "(revision {}).",
                InszLabel(insz_), AppName(), hco_, revision_);
    return opening + " " + FailureText(v, ties) + FixerText(v, ties, fixers);
  }

 private:
  // --- words -----------------------------------------------------------------

  const char* L(const char* nl, const char* en) const { return nl_ ? nl : en; }

  template <typename... Args>
  std::string F(const char* nl, const char* en, Args&&... args) const {
    return fmt::format(fmt::runtime(L(nl, en)), std::forward<Args>(args)...);
  }

  PersonRef Ref(Vertex p) const { return PersonRefOf(g_, p); }
  PersonRef RefByInsz(uint64_t insz) const { return PersonRefByInsz(g_, insz); }
  std::string InszLabel(uint64_t insz) const {
    const PersonRef r = RefByInsz(insz);
    return NamedLabel(r.name, InszDisplay(insz));
  }
  std::string PersonLabel(Vertex p) const {
    return InszLabel(g_.person(p).insz);
  }

  std::string EnterpriseLabel(Vertex e) const {
    const EnterpriseData& d = g_.enterprise(e);
    return toegang::EnterpriseLabel(d.name, KboDisplay(d.kbo));
  }
  std::string FacilityLabel(Vertex f) const {
    const FacilityData& d = g_.facility(f);
    return d.name.empty() ? fmt::format("HCO {}", d.hco)
                          : fmt::format("HCO {} ({})", d.hco, d.name);
  }
  std::string DomainLabel(Vertex d) const {
    const DomainData& dd = g_.domain(d);
    return fmt::format("\"{}\" / \"{}\"", cat_.capacity(dd.capacity).name,
                       cat_.subdivision(dd.subdivision).name);
  }
  std::string AppName() const {
    return fmt::format("\"{}\"", cat_.application(app_).name);
  }
  std::string CapacityName() const {
    return fmt::format("\"{}\"",
                       cat_.capacity(cat_.application(app_).capacity).name);
  }
  // The subdivision(s) of the domains, or those the capacity has.
  std::string SubdivisionNames(const std::vector<Vertex>& domains) const {
    std::vector<std::string> names;
    names.reserve(domains.size());
    for (Vertex d : domains) {
      names.push_back(cat_.subdivision(g_.domain(d).subdivision).name);
    }
    if (names.empty()) {
      for (size_t i = 0; i < cat_.subdivision_count(); ++i) {
        const SubdivisionEntry& s =
            cat_.subdivision(static_cast<SubdivisionId>(i));
        if (s.capacity == cat_.application(app_).capacity) {
          names.push_back(s.name);
        }
      }
    }
    std::string out;
    for (const std::string& n : names) {
      if (!out.empty()) out += L(" of ", " or ");
      out += "\"" + n + "\"";
    }
    return out;
  }

  std::string When(const Provenance& p) const {
    if (p.at == 0) return F("in revisie {}", "at revision {}", p.revision);
    return F("in revisie {} op {}", "at revision {} on {}", p.revision,
             FormatUtc(p.at));
  }
  std::string By(const Provenance& p) const {
    return p.by == 0 ? std::string(L("onbekend", "unknown")) : InszLabel(p.by);
  }
  // The maker of a link at subafdeling s, with the role that let them.
  std::string ByAt(const Provenance& p, Vertex s) const {
    std::string who = By(p);
    Vertex maker = p.by == 0 ? kNoVertex : g_.FindPerson(p.by);
    if (maker == kNoVertex) return who;
    const SubafdelingData& sub = g_.subafdeling(s);
    const DomainData& d = g_.domain(sub.domain);
    std::string role;
    if (g_.enterprise(d.enterprise).htb == maker) {
      role = "HTB";
    } else if (d.tb == maker) {
      role = "TB";
    } else if (g_.HasLink(maker, sub.domain, LinkKind::kCoTb)) {
      role = "co-TB";
    } else if (g_.HasLink(maker, s, LinkKind::kManager)) {
      role = L("subafdelingsbeheerder", "subafdeling manager");
    }
    return role.empty() ? who : F("{} als {}", "{} as {}", who, role);
  }

  static ChainLink MakeLink(std::string step, std::optional<PersonRef> person,
                            const Provenance* prov, std::string text) {
    ChainLink l;
    l.step = std::move(step);
    l.person = std::move(person);
    l.text = std::move(text);
    if (prov != nullptr) {
      l.revision = prov->revision;
      l.at = prov->at == 0 ? std::string() : FormatUtc(prov->at);
    }
    return l;
  }
  void SetMadeBy(const Provenance& p, ChainLink* l) const {
    if (p.by != 0) l->made_by = RefByInsz(p.by);
  }

  std::string RoleText(const FixerRole& role) const {
    switch (role.kind) {
      case FixerRole::Kind::kWv:
        return "WV";
      case FixerRole::Kind::kHtb:
        return "HTB";
      case FixerRole::Kind::kTb:
        return "TB";
      case FixerRole::Kind::kCoTb:
        return "co-TB";
      case FixerRole::Kind::kManager:
        return L("subafdelingsbeheerder", "subafdeling manager");
      case FixerRole::Kind::kHtbOf:
        return F("HTB van KBO {}", "HTB of KBO {}", KboDisplay(role.kbo));
    }
    return "";
  }

  // Manual 1.1 / 3.6: an OCMW carries the application only on facilities
  // of the allowed types; empty when that does not stand in the way.
  std::string FacilityRuleNote(Vertex enterprise, Vertex facility) const {
    if (enterprise == kNoVertex || facility == kNoVertex) return "";
    const std::vector<Vertex> own =
        g_.Targets(enterprise, LinkKind::kOrganizes);
    auto has_type = [&](const std::vector<std::string>& types, Vertex f) {
      return std::find(types.begin(), types.end(), g_.facility(f).type_code) !=
             types.end();
    };
    for (const FacilityRule& r : cat_.facility_rules()) {
      if (r.application != app_) continue;
      const bool triggered = std::any_of(own.begin(), own.end(), [&](Vertex f) {
        return has_type(r.trigger_types, f);
      });
      if (!triggered || has_type(r.allowed_types, facility)) continue;
      std::string types, right;
      for (const std::string& t : r.allowed_types) {
        types += (types.empty() ? "" : L(" of ", " or ")) + t;
      }
      for (Vertex f : own) {
        if (!has_type(r.allowed_types, f)) continue;
        right += (right.empty() ? "" : ", ") + FacilityLabel(f);
      }
      if (right.empty()) right = L("(geen in CoBRHA)", "(none in CoBRHA)");
      return F(
          " Opgelet: {} is een OCMW en kan {} enkel activeren op een "
          "voorziening met zorgvoorzieningstype {}, zoals de "
          "voormalige afdeling Welzijn en Samenleving die in CoBRHA "
          "onderhoudt, niet op voorziening {} (type {}); gebruik {} "
          "(handleiding 1.1).",
          " Note: {} is an OCMW and can carry {} only on a facility of "
          "CoBRHA type {} as kept in CoBRHA by the former "
          "afdeling Welzijn en Samenleving, not on facility {} (type "
          "{}); use {} (manual 1.1).",
          EnterpriseLabel(enterprise), AppName(), types,
          FacilityLabel(facility), g_.facility(facility).type_code, right);
    }
    return "";
  }

  // ERANOVA with its number, e-mail and hours (contact_points.h).
  std::string Eranova() const {
    return EranovaText(nl_ ? Lang::kNl : Lang::kEn);
  }

  // What failed, for the candidate.
  std::string FailureText(const Verdict& v, const Ties& ties) const {
    const std::string ent =
        v.enterprise == kNoVertex ? "" : EnterpriseLabel(v.enterprise);
    const std::string fac =
        v.facility == kNoVertex ? "" : FacilityLabel(v.facility);
    const std::string code = cat_.application(app_).code;
    switch (v.reason) {
      case Reason::kEnterpriseInactive: {
        const std::string what =
            v.enterprise == kNoVertex
                ? F("Voorwaarde 1 faalt: de onderneming (inrichtende macht) "
                    "van voorziening {} is niet gekend in de KBO.",
                    "Condition 1 fails: the enterprise (organizing body) of "
                    "facility {} is not known in the KBO.",
                    fac)
                : F("Voorwaarde 1 faalt: onderneming {} is stopgezet in de "
                    "KBO, dus geeft geen enkele subafdeling van die "
                    "onderneming toegang, ook niet voorziening {}.",
                    "Condition 1 fails: enterprise {} is stopped in the KBO, "
                    "so none of its subafdelingen grants access, facility {} "
                    "included.",
                    ent, fac);
        return what +
               F(" Handleiding 1.1: dit kan niet in het toegangsbeheer "
                 "worden opgelost; de onderneming moet in de KBO als actief "
                 "gekend zijn. Voor vragen over de onderneming: {}, met het "
                 "ondernemingsnummer bij de hand.",
                 " Manual 1.1: this cannot be fixed in access management; "
                 "the enterprise must be active in the KBO. For questions "
                 "about the enterprise: {}, with the enterprise number at "
                 "hand.",
                 Eranova());
      }
      case Reason::kNoHtb:
        return F(
            "Voorwaarde 2 faalt: onderneming {} heeft nog geen "
            "hoofdtoegangsbeheerder (HTB), dus geeft geen enkele "
            "subafdeling ervan toegang (het gaat om voorziening {}). "
            "Handleiding 3.2: een wettelijk vertegenwoordiger (WV) van "
            "de onderneming stelt via CSAM \"Beheer der "
            "Toegangsbeheerders\" een hoofdtoegangsbeheerder aan: "
            "zichzelf, een andere WV of een werknemer (toegang htb "
            "appoint).",
            "Condition 2 fails: enterprise {} has no main access "
            "manager (HTB) yet, so none of its subafdelingen grants "
            "access (the candidate is facility {}). Manual 3.2: a legal "
            "representative (WV) of the enterprise appoints an HTB in "
            "CSAM \"Beheer der Toegangsbeheerders\": themselves, "
            "another WV or an employee (toegang htb appoint).",
            ent, fac);
      case Reason::kCapacityInactive:
        return F(
            "Voorwaarde 3 faalt: de hoedanigheid {} is niet geactiveerd "
            "voor onderneming {} (het gaat om voorziening {}). "
            "Handleiding 3.4: de hoofdtoegangsbeheerder (HTB) activeert "
            "de hoedanigheid {} via CSAM \"Beheer der "
            "Toegangsbeheerders\" (toegang hoedanigheid activate).",
            "Condition 3 fails: the capacity (hoedanigheid) {} is not "
            "active for enterprise {} (the candidate is facility {}). "
            "Manual 3.4: the main access manager (HTB) activates the "
            "capacity {} in CSAM \"Beheer der Toegangsbeheerders\" "
            "(toegang hoedanigheid activate).",
            CapacityName(), ent, fac, CapacityName());
      case Reason::kFacilityInactive: {
        std::string what;
        if (v.facility == kNoVertex) {
          what =
              F("Voorwaarde 4 faalt: voorziening HCO {} is niet gekend in "
                "CoBRHA, dus is ook haar onderneming (inrichtende macht) "
                "niet gekend.",
                "Condition 4 fails: facility HCO {} is not known in "
                "CoBRHA, so its enterprise (organizing body) is not known "
                "either.",
                hco_);
        } else if (g_.facility(v.facility).active) {
          // Active, but CoBRHA lists another organizer now.
          const Vertex now = g_.facility(v.facility).enterprise;
          what =
              F("Voorwaarde 4 faalt: voorziening {} wordt in CoBRHA nu "
                "ingericht door {}, niet meer door onderneming {}; de "
                "subafdeling van {} geeft daarom geen toegang meer. De "
                "nieuwe inrichtende macht activeert de voorziening als "
                "subafdeling (handleiding 3.6).",
                "Condition 4 fails: facility {} is now organized by {} in "
                "CoBRHA, no longer by enterprise {}; the subafdeling of {} "
                "therefore grants no access any more. The new organizing "
                "enterprise activates the facility as a subafdeling "
                "(manual 3.6).",
                fac,
                now == kNoVertex ? std::string(L("een onbekende "
                                                 "onderneming",
                                                 "an unknown enterprise"))
                                 : EnterpriseLabel(now),
                ent, ent);
        } else {
          what =
              F("Voorwaarde 4 faalt: voorziening {} van onderneming {} is "
                "gesloten in CoBRHA, en een gesloten voorziening geeft "
                "geen toegang.",
                "Condition 4 fails: facility {} of enterprise {} is closed "
                "in CoBRHA, and a closed facility grants no access.",
                fac, ent);
        }
        return what +
               F(" Handleiding 1.1: dit kan niet in het toegangsbeheer "
                 "worden opgelost; kijk het HCO-nummer na in CoBRHA "
                 "(https://publiek.departementzorg.be/Cobrha). Is de "
                 "voorziening een maatwerkbedrijf dat nog niet gekend is in "
                 "CoBRHA, neem dan eerst contact op met "
                 "zorgenwerk.zorg@vlaanderen.be. Voor vragen over de "
                 "voorziening: {}, met het ondernemingsnummer en het "
                 "HCO-nummer bij de hand.",
                 " Manual 1.1: this cannot be fixed in access management; "
                 "check the HCO number in CoBRHA "
                 "(https://publiek.departementzorg.be/Cobrha). If the "
                 "facility is a maatwerkbedrijf (sheltered workshop) not yet "
                 "known in CoBRHA, first contact "
                 "zorgenwerk.zorg@vlaanderen.be. For questions about the "
                 "facility: {}, with the enterprise number and the HCO "
                 "number at hand.",
                 Eranova());
      }
      case Reason::kNoSubafdeling:
        return F(
            "Voorwaarde 4 faalt: voorziening {} is nog geen subafdeling "
            "van onderneming {} in de hoedanigheid {}. Handleiding 3.6: "
            "de hoofdtoegangsbeheerder (HTB) of een toegangsbeheerder "
            "(TB) van het domein activeert de voorziening als "
            "subafdeling van het type {} en vinkt de autorisatie {} aan "
            "(toegang subafdeling create --app {}); daarna voegt "
            "een beheerder de gebruiker toe met dat recht (handleiding "
            "3.7).{}",
            "Condition 4 fails: facility {} is not yet a subafdeling of "
            "enterprise {} in the capacity (hoedanigheid) {}. Manual "
            "3.6: the main access manager (HTB) or an access manager "
            "(TB) of the domain activates the facility as a subafdeling "
            "of type {} and ticks the authorization {} (toegang "
            "subafdeling create --app {}); then a manager adds the "
            "user with that right (manual 3.7).{}",
            fac, ent, CapacityName(), SubdivisionNames(v.domains), AppName(),
            code, FacilityRuleNote(v.enterprise, v.facility));
      case Reason::kApplicationNotAuthorized:
        return F(
            "Voorwaarde 5 faalt: subafdeling {} van onderneming {} is "
            "niet geautoriseerd voor {}. Handleiding 3.6 (\"Je hebt al "
            "een subafdeling\"): de hoofdtoegangsbeheerder (HTB) of een "
            "toegangsbeheerder (TB) van het domein {} vinkt bij de "
            "subafdeling de toepassing {} aan (toegang subafdeling "
            "authorize --hco {} --app {}).{}",
            "Condition 5 fails: subafdeling {} of enterprise {} is not "
            "authorized for {}. Manual 3.6 (\"you already have a "
            "subafdeling\"): the main access manager (HTB) or an access "
            "manager (TB) of domain {} ticks the application {} on the "
            "subafdeling (toegang subafdeling authorize --hco {} --app "
            "{}).{}",
            fac, ent, AppName(),
            DomainLabel(g_.subafdeling(v.subafdeling).domain), AppName(),
            g_.facility(v.facility).hco, code,
            FacilityRuleNote(v.enterprise, v.facility));
      case Reason::kWrongFacilityType:
        return F(
            "Voorwaarde 5 faalt: subafdeling {} van onderneming {} is "
            "geautoriseerd voor {}, maar de OCMW-regel laat dat daar niet "
            "meer toe: CoBRHA vermeldt de voorzieningen van de onderneming "
            "nu zo dat de autorisatie niets meer verleent.{} De "
            "hoofdtoegangsbeheerder (HTB) of een toegangsbeheerder (TB) "
            "van het domein {} activeert de juiste voorziening als "
            "subafdeling (toegang facilities --kbo {}, toegang subafdeling "
            "create --app {}, handleiding 3.6); is het type in CoBRHA "
            "fout, dan wordt het daar rechtgezet.",
            "Condition 5 fails: subafdeling {} of enterprise {} is "
            "authorized for {}, but the OCMW rule no longer allows it "
            "there: CoBRHA now lists the enterprise's facilities such that "
            "the authorization grants nothing.{} The main access manager "
            "(HTB) or an access manager (TB) of domain {} activates the "
            "right facility as a subafdeling (toegang facilities --kbo {}, "
            "toegang subafdeling create --app {}, manual 3.6); if the type "
            "in CoBRHA is wrong, it is corrected there.",
            fac, ent, AppName(), FacilityRuleNote(v.enterprise, v.facility),
            DomainLabel(g_.subafdeling(v.subafdeling).domain),
            KboDisplay(g_.enterprise(v.enterprise).kbo), code);
      case Reason::kNotAUser:
        if (v.subafdeling == kNoVertex) return NowhereText(ties);
        return F(
            "Voorwaarde 6 faalt: {} is geen gebruiker van subafdeling "
            "{} van onderneming {}. Handleiding 3.7: de "
            "hoofdtoegangsbeheerder (HTB), een toegangsbeheerder (TB) "
            "van het domein of een subafdelingsbeheerder voegt {} toe "
            "als gebruiker van de subafdeling met het recht {} (toegang "
            "user add --hco {} --insz {:011} --app {}).",
            "Condition 6 fails: {} is not a user of subafdeling {} of "
            "enterprise {}. Manual 3.7: the main access manager (HTB), "
            "an access manager (TB) of the domain or a manager of the "
            "subafdeling adds {} as a user of the subafdeling with the "
            "right {} (toegang user add --hco {} --insz {:011} --app "
            "{}).",
            InszLabel(insz_), fac, ent, InszLabel(insz_), AppName(),
            g_.facility(v.facility).hco, insz_, code);
      case Reason::kRightMissing:
        return F(
            "Voorwaarde 7 faalt: {} is gebruiker van subafdeling {} van "
            "onderneming {}, maar heeft er het recht {} niet. "
            "Handleiding 3.7: de hoofdtoegangsbeheerder (HTB), een "
            "toegangsbeheerder (TB) van het domein of een "
            "subafdelingsbeheerder kent {} het recht {} toe (toegang "
            "user grant --hco {} --insz {:011} --app {}).",
            "Condition 7 fails: {} is a user of subafdeling {} of "
            "enterprise {} but does not hold the right {} there. Manual "
            "3.7: the main access manager (HTB), an access manager (TB) "
            "of the domain or a manager of the subafdeling grants {} "
            "the right {} (toegang user grant --hco {} --insz {:011} "
            "--app {}).",
            InszLabel(insz_), fac, ent, AppName(), InszLabel(insz_), AppName(),
            g_.facility(v.facility).hco, insz_, code);
      case Reason::kNone:
        break;
    }
    return "";
  }

  // Not a user of any subafdeling.
  std::string NowhereText(const Ties& ties) const {
    std::string out =
        F("Voorwaarde 6 faalt: {} is van geen enkele subafdeling gebruiker. "
          "Handleiding 3.7: een beheerder van de subafdeling van de "
          "voorziening (de hoofdtoegangsbeheerder (HTB), een "
          "toegangsbeheerder (TB) van het domein of een "
          "subafdelingsbeheerder) voegt {} toe als gebruiker met het recht {}.",
          "Condition 6 fails: {} is not a user of any subafdeling. Manual 3.7: "
          "a manager of the facility's subafdeling (the main access manager "
          "(HTB), an access manager (TB) of the domain or a manager of the "
          "subafdeling) adds {} as a user with the right {}.",
          InszLabel(insz_), InszLabel(insz_), AppName());
    if (ties.enterprises.empty()) {
      return out + F(" Het model verbindt {} met geen enkele onderneming: "
                     "vraag het aan de hoofdtoegangsbeheerder (HTB) van de "
                     "onderneming waarvoor de persoon werkt; {} kan aan de "
                     "hand van het ondernemingsnummer zeggen wie dat is.",
                     " The model ties {} to no enterprise: ask the main "
                     "access manager (HTB) of the enterprise the person works "
                     "for; {} can tell who that is from the enterprise "
                     "number.",
                     InszLabel(insz_), Eranova());
    }
    std::string where;
    for (Vertex e : ties.enterprises) {
      where += (where.empty() ? "" : ", ") + EnterpriseLabel(e);
    }
    return out + F(" Waar vragen: {} is verbonden aan {}; vraag het daar.",
                   " Where to ask: {} is tied to {}; ask there.",
                   InszLabel(insz_), where);
  }

  std::string FixerText(const Verdict& v, const Ties& ties,
                        const Fixers& fixers) const {
    if (v.reason == Reason::kEnterpriseInactive) {
      return L(
          " Niemand in het toegangsbeheer kan dit oplossen: het is een "
          "gegeven van de KBO.",
          " Nobody in access management can fix this: it is a fact of "
          "the KBO.");
    }
    if (v.reason == Reason::kFacilityInactive) {
      return L(
          " Niemand in het toegangsbeheer kan dit oplossen: het is een "
          "gegeven van CoBRHA.",
          " Nobody in access management can fix this: it is a fact of "
          "CoBRHA.");
    }
    if (fixers.empty()) {
      if (v.reason == Reason::kNoHtb) {
        return F(
            " Het model kent geen wettelijk vertegenwoordiger (WV) van "
            "de onderneming; {} kan aan de hand van het "
            "ondernemingsnummer zeggen wie dat is.",
            " The model knows no legal representative (WV) of the "
            "enterprise; {} can tell who that is from the enterprise "
            "number.",
            Eranova());
      }
      if (v.subafdeling == kNoVertex && v.reason == Reason::kNotAUser) {
        // A user nowhere: NowhereText said where to ask.
        if (ties.enterprises.empty()) return "";
        return L(
            " Geen van die ondernemingen heeft al een "
            "hoofdtoegangsbeheerder (HTB); een wettelijk "
            "vertegenwoordiger (WV) stelt er eerst een aan (handleiding "
            "3.2).",
            " None of those enterprises has a main access manager (HTB) "
            "yet; a legal representative (WV) appoints one first "
            "(manual 3.2).");
      }
      return F(
          " Het model kent (nog) niemand die dit kan oplossen; voor "
          "hulp: {}.",
          " The model knows nobody (yet) who can fix this; for help: "
          "{}.",
          Eranova());
    }
    std::string who;
    for (const auto& [insz, f] : fixers) {
      std::string roles;
      for (const FixerRole& r : f.roles) {
        roles += (roles.empty() ? "" : ", ") + RoleText(r);
      }
      const std::string_view name = g_.person(f.person).name;
      who += (who.empty() ? "" : ", ") +
             (name.empty()
                  ? fmt::format("{} ({})", InszDisplay(insz), roles)
                  : fmt::format("{} ({}, {})", name, InszDisplay(insz), roles));
    }
    return F(" Wie dit kan oplossen: {}.", " Who can fix it: {}.", who);
  }

  const DelegationGraph& g_;
  const Catalogue& cat_;
  const uint64_t insz_;
  const Vertex person_;
  const AppId app_;
  const std::string hco_;
  const bool nl_;
  const uint64_t revision_;
};

}  // namespace

void ExplainAllowed(const DelegationGraph& graph, uint64_t insz, AppId app,
                    Lang lang, uint64_t revision, Vertex granting,
                    Explanation* out) {
  Writer(graph, insz, app, "", lang, revision).Allowed(granting, out);
}

std::string ExplainDenied(const DelegationGraph& graph, uint64_t insz,
                          AppId app, const std::string& hco, Lang lang,
                          uint64_t revision, const Verdict& verdict,
                          const Ties& ties, const Fixers& fixers) {
  return Writer(graph, insz, app, hco, lang, revision)
      .DeniedSummary(verdict, ties, fixers);
}

}  // namespace toegang
