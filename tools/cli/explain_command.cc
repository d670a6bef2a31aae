// explain: why a person may or may not use an application (SPEC 4.5, 7).
#include <fmt/format.h>

#include "cli_context.h"
#include "toegang/answer_json.h"
#include "toegang/labels.h"
#include "toegang/queries.h"

namespace toegang::cli {
namespace {

namespace po = boost::program_options;

std::vector<std::string> ExplanationText(const Explanation& e, bool nl) {
  std::vector<std::string> lines = {e.summary};
  if (e.allowed) {
    lines.push_back(nl ? "Keten:" : "Chain:");
    for (const ChainLink& l : e.chain) {
      lines.push_back(fmt::format("  {:<12} {}", l.step, l.text));
    }
    lines.push_back(nl ? "Lukt het aanmelden toch niet?"
                       : "Logging in still fails?");
    for (const std::string& item : e.login_checklist) {
      lines.push_back("  - " + item);
    }
    return lines;
  }
  std::string candidate;
  if (!e.candidate_kbo.empty())
    candidate = "KBO " + KboDisplayText(e.candidate_kbo);
  if (!e.candidate_hco.empty()) {
    candidate += (candidate.empty() ? "" : ", ") + ("HCO " + e.candidate_hco);
  }
  lines.push_back(
      fmt::format(fmt::runtime(nl ? "Reden: {} (voorwaarde {}, handleiding {})"
                                  : "Reason: {} (condition {}, manual {})"),
                  e.reason, e.condition, e.manual));
  if (!candidate.empty()) {
    lines.push_back((nl ? "Kandidaat: " : "Candidate: ") + candidate);
  }
  if (!e.where_to_ask.empty()) {
    std::string where;
    for (const std::string& k : e.where_to_ask) {
      where += (where.empty() ? "KBO " : ", KBO ") + KboDisplayText(k);
    }
    lines.push_back((nl ? "Waar vragen: " : "Where to ask: ") + where);
  }
  if (e.fixers.empty()) {
    lines.push_back(nl ? "Wie kan het oplossen: niemand in het toegangsbeheer"
                       : "Who can fix it: nobody in access management");
  } else {
    // Who should act first comes first (Explanation::fixer_roles), each
    // with the role, where it is held and how to reach them there.
    lines.push_back(nl ? "Wie kan het oplossen:" : "Who can fix it:");
    const Lang lang = nl ? Lang::kNl : Lang::kEn;
    for (const FixerContact& c : e.fixer_roles) {
      std::string line =
          "  " + PersonLabel(c.person) + ": " + RoleLabel(c.role, lang);
      const std::string where = !c.hco.empty() ? "HCO " + c.hco
                                : !c.kbo.empty()
                                    ? "KBO " + KboDisplayText(c.kbo)
                                    : "";
      if (!where.empty()) line += (nl ? " van " : " of ") + where;
      for (const std::string* reach : {&c.email, &c.phone}) {
        if (!reach->empty()) line += ", " + *reach;
      }
      lines.push_back(std::move(line));
    }
  }
  return lines;
}

}  // namespace

CommandOptions ExplainCommandOptions() {
  CommandOptions spec;
  // clang-format off
  spec.options.add_options()
      ("insz", po::value<std::string>()->value_name("INSZ"),
       "the person's INSZ")
      ("app", po::value<std::string>()->value_name("APP"),
       "the application: code, name or alias")
      ("hco", po::value<std::string>()->value_name("HCO"),
       "only through this facility");
  // clang-format on
  return spec;
}

int RunExplain(const Context& ctx) {
  po::variables_map vm = ParseArgs(ctx);
  int code = kExitOk;
  std::unique_ptr<Engine> engine = ctx.OpenEngine(false, &code);
  if (!engine) return code;
  const std::string hco = TextOption(vm, "hco");
  const bool nl = ctx.lang == "nl";
  Result<Explanation> e =
      engine->Explain(vm["insz"].as<std::string>(), vm["app"].as<std::string>(),
                      hco, nl ? Lang::kNl : Lang::kEn);
  if (!e.ok()) return ctx.Fail(e.status());
  ctx.Print(ExplanationJson(*e), ExplanationText(*e, nl));
  return e->allowed ? kExitOk : kExitDenied;
}

}  // namespace toegang::cli
