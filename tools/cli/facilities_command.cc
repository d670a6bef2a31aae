// facilities --kbo K: the enterprise's facilities as the TB sees them when
// activating a subafdeling (manual 2.1 step 2C, "een lijstje van alle
// voorzieningen" with name and HCO): type, status in CoBRHA, the
// subafdelingen each is already, and whether the OCMW rule (manual 1.1)
// allows the rule's applications there. JSON: WhoJson's "facilities".
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <string>
#include <vector>

#include "cli_context.h"
#include "toegang/answer_json.h"
#include "toegang/labels.h"

namespace toegang::cli {
namespace {

namespace po = boost::program_options;

std::vector<std::string> FacilitiesText(const WhoReport& w, bool nl) {
  const std::string who = EnterpriseLabel(w.name, KboDisplayText(w.kbo));
  const size_t n = w.facilities.size();
  std::vector<std::string> text = {
      nl ? fmt::format("{}: {} voorziening{} in CoBRHA{}", who, n,
                       n == 1 ? "" : "en",
                       w.ocmw ? " (een OCMW: de OCMW-regel geldt, "
                                "handleiding 1.1)"
                              : "")
         : fmt::format(
               "{}: {} facilit{} in CoBRHA{}", who, n, n == 1 ? "y" : "ies",
               w.ocmw ? " (an OCMW: the OCMW rule applies, manual 1.1)" : "")};
  for (const WhoReport::Facility& f : w.facilities) {
    std::string status = f.active ? "open" : (nl ? "gesloten" : "closed");
    text.push_back(fmt::format("  HCO {} {} (type {}, {})", f.hco, f.name,
                               f.type_code, status));
    std::string subs;
    for (const WhoReport::Facility::Activation& a : f.subafdelingen) {
      subs +=
          (subs.empty() ? "" : "; ") +
          fmt::format(
              "{} / {}: {}", a.capacity, a.subdivision,
              a.applications.empty()
                  ? std::string(nl ? "geen toepassingen" : "no applications")
                  : fmt::format("{}", fmt::join(a.applications, ", ")));
    }
    text.push_back("    subafdeling: " +
                   (subs.empty()
                        ? std::string(nl ? "nog geen (toegang subafdeling "
                                           "create, handleiding 3.6)"
                                         : "none yet (toegang subafdeling "
                                           "create, manual 3.6)")
                        : subs));
    std::string rule;
    for (const auto& [app, allowed] : f.facility_rule) {
      rule += (rule.empty() ? "" : ", ") +
              fmt::format("{} {}", app,
                          allowed ? (nl ? "toegelaten" : "allowed")
                                  : (nl ? "niet toegelaten" : "not allowed"));
    }
    if (!rule.empty()) {
      text.push_back((nl ? "    OCMW-regel: " : "    OCMW rule: ") + rule);
    }
  }
  if (w.facilities.empty()) {
    text.push_back(nl ? "  CoBRHA vermeldt geen voorzieningen voor deze "
                        "onderneming: importeer het voorzieningenbestand"
                      : "  CoBRHA lists no facilities for this enterprise: "
                        "import the facilities file");
  }
  text.push_back(fmt::format(
      fmt::runtime(nl ? "(revisie {})" : "(revision {})"), w.revision));
  return text;
}

}  // namespace

CommandOptions FacilitiesCommandOptions() {
  CommandOptions spec;
  spec.options.add_options()("kbo", po::value<std::string>()->value_name("KBO"),
                             "the enterprise (organizing body)");
  return spec;
}

int RunFacilities(const Context& ctx) {
  po::variables_map vm = ParseArgs(ctx);
  const std::string kbo = TextOption(vm, "kbo");
  if (kbo.empty()) throw UsageError{"facilities needs --kbo KBO"};
  int code = kExitOk;
  std::unique_ptr<Engine> engine = ctx.OpenEngine(false, &code);
  if (!engine) return code;
  Result<WhoReport> r = engine->Who(kbo);
  if (!r.ok()) return ctx.Fail(r.status());
  nlohmann::json j = WhoJson(*r);
  ctx.Print({{"kbo", j["kbo"]},
             {"name", j["name"]},
             {"ocmw", j["ocmw"]},
             {"facilities", j["facilities"]},
             {"revision", j["revision"]}},
            FacilitiesText(*r, ctx.lang == "nl"));
  return kExitOk;
}

}  // namespace toegang::cli
