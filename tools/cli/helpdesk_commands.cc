// The helpdesk queries: access, users, managed-by, graph (SPEC 4.6); who
// is in who_command.cc.
//
// Listings print one page (--limit N, default 100) and, when there is
// more, the --cursor that fetches the next; with --json one object
// {"items": [...], "next_cursor": TEXT|null, "revision": N}.
#include <fmt/format.h>

#include <iostream>
#include <optional>

#include "cli_context.h"
#include "toegang/answer_json.h"
#include "toegang/identifiers.h"
#include "toegang/labels.h"

namespace toegang::cli {
namespace {

namespace po = boost::program_options;

void AddPageOptions(po::options_description* desc) {
  desc->add_options()("limit", po::value<std::string>(),
                      "entries per page (default 100)")(
      "cursor", po::value<std::string>(),
      "continue after the previous page (its next_cursor)");
}

PageRequest PageFrom(const po::variables_map& vm) {
  PageRequest page;
  // Out of range values reach the engine, which says what is allowed.
  page.limit = static_cast<size_t>(UnsignedOption(vm, "limit", 100));
  if (vm.count("cursor")) page.cursor = vm["cursor"].as<std::string>();
  return page;
}

std::string Required(const po::variables_map& vm, const std::string& name,
                     const std::string& command) {
  if (!vm.count(name)) {
    throw UsageError{command + " needs --" + name};
  }
  return vm[name].as<std::string>();
}

std::string Join(const std::vector<std::string>& items, bool nl) {
  if (items.empty()) return nl ? "geen" : "none";
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// The listing envelope, and the "more" line of text mode.
template <typename T>
nlohmann::json PageJson(const Page<T>& page, nlohmann::json items,
                        std::vector<std::string>* text, bool nl) {
  nlohmann::json j = {{"items", std::move(items)}, {"revision", page.revision}};
  if (page.next_cursor.empty()) {
    j["next_cursor"] = nullptr;
  } else {
    j["next_cursor"] = page.next_cursor;
    text->push_back(fmt::format(
        fmt::runtime(nl ? "(meer: --cursor {})" : "(more: --cursor {})"),
        page.next_cursor));
  }
  return j;
}

std::string RoleText(const std::string& role, bool nl) {
  if (role == "htb") return "HTB";
  if (role == "tb") return "TB";
  if (role == "co_tb") return "co-TB";
  if (role == "manager") return nl ? "subafdelingsbeheerder" : "manager";
  return role;
}

}  // namespace

int RunAccess(const Context& ctx) {
  po::options_description desc("access options");
  desc.add_options()("insz", po::value<std::string>(), "INSZ of the person");
  AddPageOptions(&desc);
  po::variables_map vm = ParseArgs(ctx, desc);
  const std::string insz = Required(vm, "insz", "access");
  const PageRequest page = PageFrom(vm);
  int code = kExitOk;
  std::unique_ptr<Engine> engine = ctx.OpenEngine(false, &code);
  if (!engine) return code;
  Result<Page<AccessEntry>> r = engine->Access(insz, page);
  if (!r.ok()) return ctx.Fail(r.status());
  const bool nl = ctx.lang == "nl";
  const std::string canonical = Insz::Parse(insz)->ToString();
  nlohmann::json items = nlohmann::json::array();
  std::vector<std::string> text = {
      fmt::format(fmt::runtime(nl ? "Toegang van {} (revisie {}):"
                                  : "Access of {} (revision {}):"),
                  canonical, r->revision)};
  for (const AccessEntry& e : r->items) {
    items.push_back({{"application", e.application},
                     {"hco", e.hco},
                     {"facility_name", e.facility_name},
                     {"kbo", e.kbo}});
    text.push_back(fmt::format("  {:<10} HCO {:<15} {} (KBO {})", e.application,
                               e.hco, e.facility_name, KboDisplayText(e.kbo)));
  }
  if (r->items.empty() && page.cursor.empty()) {
    text.push_back(nl ? "  geen: deze persoon mag geen toepassing gebruiken"
                      : "  none: this person may not use any application");
  }
  nlohmann::json j = PageJson(*r, std::move(items), &text, nl);
  j["insz"] = canonical;
  ctx.Print(j, text);
  return kExitOk;
}

int RunUsers(const Context& ctx) {
  po::options_description desc("users options");
  desc.add_options()("hco", po::value<std::string>(), "facility HCO number")(
      "app", po::value<std::string>(), "only this application (default: any)");
  AddPageOptions(&desc);
  po::variables_map vm = ParseArgs(ctx, desc);
  const std::string hco = Required(vm, "hco", "users");
  const std::string app = vm.count("app") ? vm["app"].as<std::string>() : "";
  const PageRequest page = PageFrom(vm);
  int code = kExitOk;
  std::unique_ptr<Engine> engine = ctx.OpenEngine(false, &code);
  if (!engine) return code;
  Result<Page<UserEntry>> r = engine->Users(hco, app, page);
  if (!r.ok()) return ctx.Fail(r.status());
  const bool nl = ctx.lang == "nl";
  const std::string canonical = Hco::Parse(hco)->str();
  nlohmann::json items = nlohmann::json::array();
  std::vector<std::string> text = {
      fmt::format(fmt::runtime(nl ? "Gebruikers van HCO {}{} (revisie {}):"
                                  : "Users at HCO {}{} (revision {}):"),
                  canonical, app.empty() ? "" : " (" + app + ")", r->revision)};
  for (const UserEntry& u : r->items) {
    items.push_back({{"insz", u.person.insz},
                     {"name", u.person.name},
                     {"applications", u.applications}});
    text.push_back(fmt::format("  {}  {:<30} {}", u.person.insz, u.person.name,
                               Join(u.applications, nl)));
  }
  if (r->items.empty() && page.cursor.empty()) {
    text.push_back(nl ? "  geen" : "  none");
  }
  nlohmann::json j = PageJson(*r, std::move(items), &text, nl);
  j["hco"] = canonical;
  if (!app.empty()) j["app"] = app;
  ctx.Print(j, text);
  return kExitOk;
}

int RunManagedBy(const Context& ctx) {
  po::options_description desc("managed-by options");
  desc.add_options()("insz", po::value<std::string>(),
                     "INSZ of the administrator");
  AddPageOptions(&desc);
  po::variables_map vm = ParseArgs(ctx, desc);
  const std::string insz = Required(vm, "insz", "managed-by");
  const PageRequest page = PageFrom(vm);
  int code = kExitOk;
  std::unique_ptr<Engine> engine = ctx.OpenEngine(false, &code);
  if (!engine) return code;
  Result<Page<ManagedEntry>> r = engine->ManagedBy(insz, page);
  if (!r.ok()) return ctx.Fail(r.status());
  const bool nl = ctx.lang == "nl";
  const std::string canonical = Insz::Parse(insz)->ToString();
  nlohmann::json items = nlohmann::json::array();
  std::vector<std::string> text = {
      fmt::format(fmt::runtime(nl ? "Beheerd door {} (revisie {}):"
                                  : "Administered by {} (revision {}):"),
                  canonical, r->revision)};
  for (const ManagedEntry& e : r->items) {
    nlohmann::json item = {{"kind", e.kind},
                           {"role", e.role},
                           {"kbo", e.kbo},
                           {"enterprise_name", e.enterprise_name}};
    std::string what;
    if (e.kind == "enterprise") {
      what = nl ? "onderneming" : "enterprise";
    } else {
      item["capacity"] = e.capacity;
      item["subdivision"] = e.subdivision;
      if (e.kind == "domain") {
        what =
            fmt::format(fmt::runtime(nl ? "domein {} / {}" : "domain {} / {}"),
                        e.capacity, e.subdivision);
      } else {
        item["hco"] = e.hco;
        item["facility_name"] = e.facility_name;
        what = fmt::format("subafdeling HCO {} {} ({} / {})", e.hco,
                           e.facility_name, e.capacity, e.subdivision);
      }
    }
    items.push_back(std::move(item));
    text.push_back(fmt::format(
        fmt::runtime(nl ? "  KBO {} {}: {}, als {}" : "  KBO {} {}: {}, as {}"),
        KboDisplayText(e.kbo), e.enterprise_name, what, RoleText(e.role, nl)));
  }
  if (r->items.empty() && page.cursor.empty()) {
    text.push_back(nl ? "  niets: deze persoon beheert niets"
                      : "  nothing: this person administers nothing");
  }
  nlohmann::json j = PageJson(*r, std::move(items), &text, nl);
  j["insz"] = canonical;
  ctx.Print(j, text);
  return kExitOk;
}

int RunGraph(const Context& ctx) {
  po::options_description desc("graph options");
  desc.add_options()("kbo", po::value<std::string>(), "enterprise number");
  po::variables_map vm = ParseArgs(ctx, desc);
  const std::string kbo = Required(vm, "kbo", "graph");
  int code = kExitOk;
  std::unique_ptr<Engine> engine = ctx.OpenEngine(false, &code);
  if (!engine) return code;
  Result<std::string> dot = engine->GraphDot(kbo);
  if (!dot.ok()) return ctx.Fail(dot.status());
  if (ctx.json) {
    ctx.Print({{"kbo", Kbo::Parse(kbo)->ToString()},
               {"dot", *dot},
               {"revision", engine->revision()}},
              {});
  } else {
    std::cout << *dot;
  }
  return kExitOk;
}

}  // namespace toegang::cli
