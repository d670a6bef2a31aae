// The helpdesk queries: access, users, managed-by, graph (SPEC 4.6); who
// is in who_command.cc.
//
// Listings print one page (--limit N, default 100) and, when there is
// more, the --cursor that fetches the next; with --json one object
// {"items": [...], "next_cursor": TEXT|null, "revision": N}.
#include <fmt/format.h>

#include <functional>
#include <iostream>
#include <optional>

#include "cli_context.h"
#include "toegang/answer_json.h"
#include "toegang/error_codes.h"
#include "toegang/identifiers.h"
#include "toegang/labels.h"
#include "web/graph_svg.h"

namespace toegang::cli {
namespace {

namespace po = boost::program_options;

void AddPageOptions(po::options_description* desc) {
  desc->add_options()("limit", po::value<std::string>()->value_name("N"),
                      "entries per page (default 100, at most 10000)")(
      "cursor", po::value<std::string>()->value_name("C"),
      "the next page: the cursor the previous page ended with");
}

PageRequest PageFrom(const po::variables_map& vm) {
  PageRequest page;
  // Out of range values reach the engine, which says what is allowed.
  page.limit = static_cast<size_t>(UnsignedOption(vm, "limit", 100));
  page.cursor = TextOption(vm, "cursor");
  return page;
}

CommandOptions OneOption(const char* name, const char* value,
                         const char* help) {
  CommandOptions spec;
  spec.options.add_options()(name, po::value<std::string>()->value_name(value),
                             help);
  return spec;
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

// What a listing prints of one page: its JSON items and fields beside
// them, and its text lines (the header first).
struct ListingOut {
  nlohmann::json items = nlohmann::json::array();
  nlohmann::json fields = nlohmann::json::object();
  std::vector<std::string> text;
};

// The steps every listing shares: parse the options, open the engine, ask
// for one page, print it with the envelope. render fills out for the page;
// none is the line that says a first page is empty.
template <typename Entry>
int RunListing(
    const Context& ctx,
    const std::function<Result<Page<Entry>>(Engine&, const po::variables_map&,
                                            const PageRequest&)>& ask,
    const std::function<void(const Page<Entry>&, const po::variables_map&,
                             bool nl, ListingOut*)>& render,
    const char* none_nl, const char* none_en) {
  po::variables_map vm = ParseArgs(ctx);
  const PageRequest page = PageFrom(vm);
  int code = kExitOk;
  std::unique_ptr<Engine> engine = ctx.OpenEngine(false, &code);
  if (!engine) return code;
  Result<Page<Entry>> r = ask(*engine, vm, page);
  if (!r.ok()) return ctx.Fail(r.status());
  const bool nl = ctx.lang == "nl";
  ListingOut out;
  render(*r, vm, nl, &out);
  if (r->items.empty() && page.cursor.empty()) {
    out.text.push_back(nl ? none_nl : none_en);
  }
  nlohmann::json j = PageJson(*r, std::move(out.items), &out.text, nl);
  j.update(out.fields);
  ctx.Print(j, out.text);
  return kExitOk;
}

}  // namespace

CommandOptions AccessCommandOptions() {
  CommandOptions spec = OneOption("insz", "INSZ", "the person's INSZ");
  AddPageOptions(&spec.options);
  return spec;
}

int RunAccess(const Context& ctx) {
  return RunListing<AccessEntry>(
      ctx,
      [](Engine& engine, const po::variables_map& vm, const PageRequest& p) {
        return engine.Access(TextOption(vm, "insz"), p);
      },
      [](const Page<AccessEntry>& r, const po::variables_map& vm, bool nl,
         ListingOut* out) {
        const std::string canonical =
            Insz::Parse(TextOption(vm, "insz"))->ToString();
        out->fields["insz"] = canonical;
        out->text.push_back(
            fmt::format(fmt::runtime(nl ? "Toegang van {} (revisie {}):"
                                        : "Access of {} (revision {}):"),
                        InszDisplayText(canonical), r.revision));
        for (const AccessEntry& e : r.items) {
          out->items.push_back({{"application", e.application},
                                {"hco", e.hco},
                                {"facility_name", e.facility_name},
                                {"kbo", e.kbo}});
          out->text.push_back(fmt::format("  {:<10} HCO {:<15} {} (KBO {})",
                                          e.application, e.hco, e.facility_name,
                                          KboDisplayText(e.kbo)));
        }
      },
      "  geen: deze persoon mag geen toepassing gebruiken",
      "  none: this person may not use any application");
}

CommandOptions UsersCommandOptions() {
  CommandOptions spec =
      OneOption("hco", "HCO", "the facility's HCO number (CoBRHA)");
  spec.options.add_options()("app", po::value<std::string>()->value_name("APP"),
                             "only this application (default: any)");
  AddPageOptions(&spec.options);
  return spec;
}

int RunUsers(const Context& ctx) {
  return RunListing<UserEntry>(
      ctx,
      [](Engine& engine, const po::variables_map& vm, const PageRequest& p) {
        return engine.Users(TextOption(vm, "hco"), TextOption(vm, "app"), p);
      },
      [](const Page<UserEntry>& r, const po::variables_map& vm, bool nl,
         ListingOut* out) {
        const std::string canonical = Hco::Parse(TextOption(vm, "hco"))->str();
        const std::string app = TextOption(vm, "app");
        out->fields["hco"] = canonical;
        if (!app.empty()) out->fields["app"] = app;
        out->text.push_back(fmt::format(
            fmt::runtime(nl ? "Gebruikers van HCO {}{} (revisie {}):"
                            : "Users at HCO {}{} (revision {}):"),
            canonical, app.empty() ? "" : " (" + app + ")", r.revision));
        for (const UserEntry& u : r.items) {
          out->items.push_back({{"insz", u.person.insz},
                                {"name", u.person.name},
                                {"applications", u.applications}});
          out->text.push_back(
              fmt::format("  {}  {:<30} {}", InszDisplayText(u.person.insz),
                          u.person.name, Join(u.applications, nl)));
        }
      },
      "  geen", "  none");
}

CommandOptions ManagedByCommandOptions() {
  CommandOptions spec = OneOption("insz", "INSZ", "the administrator's INSZ");
  AddPageOptions(&spec.options);
  return spec;
}

int RunManagedBy(const Context& ctx) {
  return RunListing<ManagedEntry>(
      ctx,
      [](Engine& engine, const po::variables_map& vm, const PageRequest& p) {
        return engine.ManagedBy(TextOption(vm, "insz"), p);
      },
      [](const Page<ManagedEntry>& r, const po::variables_map& vm, bool nl,
         ListingOut* out) {
        const std::string canonical =
            Insz::Parse(TextOption(vm, "insz"))->ToString();
        out->fields["insz"] = canonical;
        out->text.push_back(
            fmt::format(fmt::runtime(nl ? "Beheerd door {} (revisie {}):"
                                        : "Administered by {} (revision {}):"),
                        InszDisplayText(canonical), r.revision));
        for (const ManagedEntry& e : r.items) {
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
              what = fmt::format(
                  fmt::runtime(nl ? "domein {} / {}" : "domain {} / {}"),
                  e.capacity, e.subdivision);
            } else {
              item["hco"] = e.hco;
              item["facility_name"] = e.facility_name;
              what = fmt::format("subafdeling HCO {} {} ({} / {})", e.hco,
                                 e.facility_name, e.capacity, e.subdivision);
            }
          }
          out->items.push_back(std::move(item));
          out->text.push_back(
              fmt::format(fmt::runtime(nl ? "  KBO {} {}: {}, als {}"
                                          : "  KBO {} {}: {}, as {}"),
                          KboDisplayText(e.kbo), e.enterprise_name, what,
                          RoleText(e.role, nl)));
        }
      },
      "  niets: deze persoon beheert niets",
      "  nothing: this person administers nothing");
}

CommandOptions GraphCommandOptions() {
  CommandOptions spec = OneOption("kbo", "KBO", "the enterprise number (KBO)");
  spec.options.add_options()(
      "format", po::value<std::string>()->value_name("dot|svg"),
      "dot (default): GraphViz's text; svg: the picture, drawn by "
      "Graphviz's library")(
      "detail", po::value<std::string>()->value_name("auto|full|summary"),
      "full: every user and right; summary: each subafdeling's users and "
      "rights counted; auto (default): summary above 200 users and rights");
  return spec;
}

int RunGraph(const Context& ctx) {
  po::variables_map vm = ParseArgs(ctx);
  const std::string kbo = vm["kbo"].as<std::string>();
  const std::string format = TextOption(vm, "format");
  if (!format.empty() && format != "dot" && format != "svg") {
    return ctx.Fail(Status::InvalidInput(
        code::kUsage, "--format is dot or svg, not \"" + format + "\""));
  }
  GraphOptions drawing;
  drawing.lang = ctx.lang == "nl" ? Lang::kNl : Lang::kEn;
  const std::string detail = TextOption(vm, "detail");
  if (detail == "full") {
    drawing.detail = GraphOptions::Detail::kFull;
  } else if (detail == "summary") {
    drawing.detail = GraphOptions::Detail::kSummary;
  } else if (!detail.empty() && detail != "auto") {
    return ctx.Fail(Status::InvalidInput(
        code::kUsage,
        "--detail is auto, full or summary, not \"" + detail + "\""));
  }
  int code = kExitOk;
  std::unique_ptr<Engine> engine = ctx.OpenEngine(false, &code);
  if (!engine) return code;
  Result<std::string> dot = engine->GraphDot(kbo, drawing);
  if (!dot.ok()) return ctx.Fail(dot.status());
  const std::string canonical = Kbo::Parse(kbo)->ToString();
  if (format == "svg") {
    const serve::web::Picture picture = serve::web::DotToSvg(*dot);
    if (picture.too_large) {
      return ctx.Fail(Status::InvalidInput(
          code::kUsage,
          fmt::format("the picture of KBO {} has {} KB of DOT, more than is "
                      "drawn here ({} KB): draw the summary (--detail "
                      "summary), or draw it with Graphviz (toegang graph "
                      "--kbo {} | dot -Tsvg > picture.svg)",
                      canonical, dot->size() / 1024,
                      serve::web::kMaxDotBytes / 1024, canonical)));
    }
    if (!picture.problem.empty()) {
      return ctx.Fail(Status::Storage(
          code::kInternal, "Graphviz could not draw it: " + picture.problem));
    }
    ctx.Print({{"kbo", canonical},
               {"svg", picture.svg},
               {"revision", engine->revision()}},
              {picture.svg});
    return kExitOk;
  }
  if (ctx.json) {
    ctx.Print(
        {{"kbo", canonical}, {"dot", *dot}, {"revision", engine->revision()}},
        {});
  } else {
    std::cout << *dot;
  }
  return kExitOk;
}

}  // namespace toegang::cli
