// The helpdesk's web pages (tools/serve/web/), through DecisionService
// without a socket: which listener serves them, routing, the headers every
// page carries, CSRF on the search form, no INSZ in any URL, escaping of
// names, the language switch, and what each page shows.
#include "web/web_pages.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "decision_service.h"
#include "support/test_federation.h"
#include "toegang/engine.h"
#include "web/html.h"
#include "web/i18n.h"

namespace toegang::testing {
namespace {

using serve::DecisionService;
using serve::HttpRequest;
using serve::HttpResponse;

constexpr const char* kScriptName = "<script>alert(1)</script>";
constexpr const char* kScriptInsz = "90010100123";

// A request's headers by lower-case name.
struct Headers {
  std::map<std::string, std::string> values;
  // How often a header occurs, where not once (a header given twice).
  std::map<std::string, size_t> counts;

  static size_t Count(const void* context, std::string_view name) {
    const auto* h = static_cast<const Headers*>(context);
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    auto it = h->counts.find(lower);
    if (it != h->counts.end()) return it->second;
    return Look(context, name).empty() ? 0 : 1;
  }

  static std::string_view Look(const void* context, std::string_view name) {
    const auto* h = static_cast<const Headers*>(context);
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    auto it = h->values.find(lower);
    return it == h->values.end() ? std::string_view() : it->second;
  }
};

// All values of a response header.
std::vector<std::string> HeaderValues(const HttpResponse& r,
                                      const std::string& name) {
  std::vector<std::string> out;
  for (const auto& [n, v] : r.headers) {
    if (n == name) out.push_back(v);
  }
  return out;
}

std::string Header(const HttpResponse& r, const std::string& name) {
  std::vector<std::string> v = HeaderValues(r, name);
  return v.empty() ? "" : v.front();
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class WebPagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fed_.BuildOcmwChain();
    ImportReport report;
    ASSERT_TRUE(fed_.engine()
                    .ImportPersons(fed_.dir().Write("script.csv",
                                                    std::string("insz,name\n") +
                                                        kScriptInsz + ",\"" +
                                                        kScriptName + "\"\n"),
                                   {}, &report)
                    .ok());
    service_ = std::make_unique<DecisionService>(&fed_.engine(),
                                                 serve::ServiceOptions{});
    // A first visit gives the CSRF cookie every form needs.
    HttpResponse home = Get("/");
    const std::string cookie = Header(home, "Set-Cookie");
    std::smatch m;
    ASSERT_TRUE(
        std::regex_search(cookie, m, std::regex("toegang_csrf=([0-9a-f]{32})")))
        << cookie;
    csrf_ = m[1];
  }

  HttpResponse Send(const std::string& method, const std::string& target,
                    std::map<std::string, std::string> headers = {},
                    const std::string& body = "", bool admin = true,
                    std::map<std::string, size_t> counts = {}) {
    Headers h;
    headers.emplace("host", "127.0.0.1:8081");
    h.values = std::move(headers);
    h.counts = std::move(counts);
    HttpRequest request;
    request.method = method;
    request.target = target;
    request.body = body;
    request.header = &Headers::Look;
    request.header_count = &Headers::Count;
    request.header_context = &h;
    request.admin = admin;
    return service_->Handle(request);
  }
  HttpResponse Get(const std::string& target,
                   std::map<std::string, std::string> headers = {}) {
    return Send("GET", target, std::move(headers));
  }
  // The search form as a browser of this page posts it.
  HttpResponse Search(const std::string& q, const std::string& lang = "nl") {
    std::string body = "csrf=" + csrf_ + "&q=";
    for (unsigned char c : q) {
      if (std::isalnum(c)) {
        body += static_cast<char>(c);
      } else {
        body += fmt::format("%{:02X}", c);
      }
    }
    return Send("POST", "/search",
                {{"cookie", "toegang_csrf=" + csrf_ + "; toegang_lang=" + lang},
                 {"origin", "http://127.0.0.1:8081"}},
                body);
  }
  // The page a search redirects to.
  HttpResponse Follow(const HttpResponse& r, const std::string& lang = "nl") {
    EXPECT_EQ(r.status, 303) << r.body;
    return Get(Header(r, "Location"), {{"cookie", "toegang_lang=" + lang}});
  }

  TestFederation fed_;
  std::unique_ptr<DecisionService> service_;
  std::string csrf_;
};

// i18n.h promises it: every key the pages' sources pass to T() or Tr()
// has its Dutch and English text in the table (else the page would show
// the key itself).
TEST(WebTextsTest, EveryKeyThePagesUseIsInTheTable) {
  const std::filesystem::path dir =
      std::filesystem::path(TOEGANG_ENGINE_SRC_DIR) / ".." / ".." / "tools" /
      "serve" / "web";
  const std::regex use("\\bTr?\\(\"([a-z_]+)\"");
  size_t uses = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".cc") continue;
    std::ifstream in(entry.path());
    const std::string text((std::istreambuf_iterator<char>(in)),
                           std::istreambuf_iterator<char>());
    for (auto it = std::sregex_iterator(text.begin(), text.end(), use);
         it != std::sregex_iterator(); ++it) {
      ++uses;
      EXPECT_TRUE(serve::web::HasText((*it)[1].str()))
          << entry.path().filename() << ": " << (*it)[1];
    }
  }
  EXPECT_GT(uses, 100u) << "the sources were not read";
}

TEST_F(WebPagesTest, OnlyTheAdminListenerServesThePages) {
  for (const char* path : {"/", "/enterprise/0403019261", "/facility/12345",
                           "/assets/style.css"}) {
    HttpResponse r = Send("GET", path, {}, "", /*admin=*/false);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.content_type, "application/json") << path;
    EXPECT_EQ(Send("GET", path).status, 200) << path;
  }
  EXPECT_EQ(Send("POST", "/search", {}, "q=x", false).status, 404);
}

TEST_F(WebPagesTest, EveryPageCarriesTheSecurityHeaders) {
  for (const char* path :
       {"/", "/enterprise/0403019261", "/facility/12345", "/facility/999999",
        "/p/nothing", "/assets/style.css"}) {
    HttpResponse r = Get(path);
    const std::string csp = Header(r, "Content-Security-Policy");
    EXPECT_TRUE(Has(csp, "default-src 'self'")) << path << ": " << csp;
    EXPECT_TRUE(Has(csp, "script-src 'none'")) << path;
    EXPECT_TRUE(Has(csp, "frame-ancestors 'none'")) << path;
    EXPECT_FALSE(Has(csp, "unsafe-inline")) << path;
    EXPECT_EQ(Header(r, "Cache-Control"), "no-store") << path;
    EXPECT_EQ(Header(r, "X-Content-Type-Options"), "nosniff") << path;
    EXPECT_EQ(Header(r, "X-Frame-Options"), "DENY") << path;
    EXPECT_FALSE(Has(r.body, "<script")) << path;
  }
  HttpResponse css = Get("/assets/style.css");
  EXPECT_EQ(css.content_type, "text/css; charset=utf-8");
  EXPECT_EQ(Get("/assets/nothing.js").status, 404);
}

TEST_F(WebPagesTest, FormsCarryTheCsrfTokenOfTheCookie) {
  HttpResponse home = Get("/", {{"cookie", "toegang_csrf=" + csrf_}});
  EXPECT_TRUE(HeaderValues(home, "Set-Cookie").empty());  // kept
  EXPECT_TRUE(Has(home.body, "name=\"csrf\" value=\"" + csrf_ + "\""));
  EXPECT_TRUE(Has(home.body, "method=\"post\" action=\"/search\""));
  EXPECT_TRUE(Has(home.body, "<label for=\"q\">"));
  const std::string cookie = Header(Get("/"), "Set-Cookie");
  EXPECT_TRUE(Has(cookie, "HttpOnly")) << cookie;
  EXPECT_TRUE(Has(cookie, "SameSite=Strict")) << cookie;
}

TEST_F(WebPagesTest, SearchWithoutTheRightCsrfTokenIsRefused) {
  const std::string form = "q=Hilde&csrf=" + csrf_;
  // No cookie, a wrong field, another origin: 403, nothing searched.
  EXPECT_EQ(Send("POST", "/search", {}, form).status, 403);
  HttpResponse wrong =
      Send("POST", "/search", {{"cookie", "toegang_csrf=" + csrf_}},
           "q=Hilde&csrf=00000000000000000000000000000000");
  EXPECT_EQ(wrong.status, 403);
  EXPECT_FALSE(Has(wrong.body, "Hilde Bosmans"));
  EXPECT_EQ(Send("POST", "/search",
                 {{"cookie", "toegang_csrf=" + csrf_},
                  {"origin", "https://evil.example"}},
                 form)
                .status,
            403);
  EXPECT_EQ(Send("POST", "/search", {{"cookie", "toegang_csrf=" + csrf_}}, form)
                .status,
            200);
  // A search is a POST; the other pages only GET.
  HttpResponse get = Get("/search?q=Hilde");
  EXPECT_EQ(get.status, 405);
  EXPECT_EQ(Header(get, "Allow"), "POST");
  EXPECT_EQ(
      Send("POST", "/", {{"cookie", "toegang_csrf=" + csrf_}}, form).status,
      405);
}

TEST_F(WebPagesTest, AnInszInAnyFormLeadsToATokenNeverToTheNumber) {
  for (const std::string& q :
       {std::string(kUser1), std::string("81.05.00-035.52"),
        std::string("810500 035 52")}) {
    HttpResponse r = Search(q);
    ASSERT_EQ(r.status, 303) << q << ": " << r.body;
    const std::string location = Header(r, "Location");
    EXPECT_TRUE(std::regex_match(location, std::regex("/p/[0-9a-f]{32}")))
        << location;
    EXPECT_FALSE(Has(location, "810500")) << location;
    HttpResponse page = Follow(r);
    EXPECT_EQ(page.status, 200);
    EXPECT_TRUE(Has(page.body, "Ahmed El Amrani")) << page.body;
    EXPECT_TRUE(Has(page.body, "81.05.00-035.52"));
  }
  // A token expires.
  const std::string location = Header(Search(kUser1), "Location");
  service_->web().tokens().AdvanceForTests(std::chrono::minutes(31));
  HttpResponse expired = Get(location);
  EXPECT_EQ(expired.status, 404);
  EXPECT_FALSE(Has(expired.body, "Ahmed"));
}

TEST_F(WebPagesTest, ADeniedPersonShowsTheReasonTheStepAndWhoCanFixIt) {
  // kUser1 holds ama-wvg; vipa is not authorized for the subafdeling.
  HttpResponse page = Follow(Search(kUser1, "en"), "en");
  ASSERT_EQ(page.status, 200);
  const size_t vipa = page.body.find("id=\"app-vipa\"");
  ASSERT_NE(vipa, std::string::npos) << page.body;
  const std::string row =
      page.body.substr(vipa, page.body.find("</tr>", vipa) - vipa);
  EXPECT_TRUE(Has(row, "denied")) << row;
  EXPECT_TRUE(Has(row, "application not authorized")) << row;
  EXPECT_TRUE(Has(row, "manual 3.6")) << row;
  EXPECT_TRUE(Has(row, "Hilde Bosmans")) << row;  // the HTB
  EXPECT_TRUE(Has(row, "htb@ocmw.gent")) << row;
  EXPECT_TRUE(Has(row, "+32 9 266 99 00")) << row;
  EXPECT_TRUE(Has(row, "Tom Claes")) << row;  // the TB
  EXPECT_TRUE(Has(row, ", TB")) << row;

  // The allowed application: the chain with who made each link.
  const size_t ama = page.body.find("id=\"app-ama-wvg\"");
  ASSERT_NE(ama, std::string::npos);
  const std::string allowed =
      page.body.substr(ama, page.body.find("</tr>", ama) - ama);
  EXPECT_TRUE(Has(allowed, "allowed")) << allowed;
  EXPECT_TRUE(Has(allowed, "made by")) << allowed;
  EXPECT_TRUE(Has(allowed, "Wendy Verhoeven")) << allowed;  // appointed HTB
  // Memberships, with who added the person.
  EXPECT_TRUE(Has(page.body, "HCO 12345")) << page.body;
}

TEST_F(WebPagesTest, ANameIsTextNeverMarkup) {
  HttpResponse hits = Search("<scr");
  ASSERT_EQ(hits.status, 200) << hits.body;
  EXPECT_TRUE(Has(hits.body, "&lt;script&gt;alert(1)&lt;/script&gt;"))
      << hits.body;
  EXPECT_FALSE(Has(hits.body, "<script"));
  // The query echoed in the search box, escaped too.
  EXPECT_TRUE(Has(hits.body, "value=\"&lt;scr\""));
  HttpResponse page = Follow(Search(kScriptInsz));
  EXPECT_TRUE(Has(page.body, "<h1 id=\"person-name\">&lt;script&gt;"));
  EXPECT_FALSE(Has(page.body, "<script"));
  EXPECT_EQ(serve::web::Html("<a href='x'>&\""),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;");
  // A bidirectional control is shown as an escape, never applied.
  EXPECT_EQ(serve::web::Html("a\xE2\x80\xAE"
                             "b"),
            "a\\u202Eb");
}

TEST_F(WebPagesTest, NameSearchIsPaginatedOverPersonsAndEnterprises) {
  HttpResponse r = Search("Hilde");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(Has(r.body, "Hilde Bosmans"));
  EXPECT_FALSE(Has(r.body, kEmpOcmw)) << "a person is linked by token";
  r = Search("ocmw");
  EXPECT_TRUE(Has(r.body, "/enterprise/0403019261")) << r.body;
  // Too short a name is a clear error.
  EXPECT_EQ(Search("H").status, 400);
}

TEST_F(WebPagesTest, KboAndHcoNumbersLeadToTheirPages) {
  HttpResponse r = Search("BE 0403.019.261");
  EXPECT_EQ(Header(r, "Location"), "/enterprise/0403019261");
  r = Search("12345");
  EXPECT_EQ(Header(r, "Location"), "/facility/12345");
  r = Search("999999");
  EXPECT_EQ(r.status, 404);
}

TEST_F(WebPagesTest, TheLanguageSwitchesOnEveryPage) {
  HttpResponse nl = Get("/enterprise/0403019261");
  EXPECT_TRUE(Has(nl.body, "<html lang=\"nl\""));
  EXPECT_TRUE(Has(nl.body, "href=\"/enterprise/0403019261?lang=en\""));
  HttpResponse en = Get("/enterprise/0403019261?lang=en");
  EXPECT_TRUE(Has(en.body, "<html lang=\"en\""));
  EXPECT_TRUE(Has(en.body, "Delegation picture"));
  bool remembered = false;
  for (const std::string& c : HeaderValues(en, "Set-Cookie")) {
    remembered |= Has(c, "toegang_lang=en");
  }
  EXPECT_TRUE(remembered);
  EXPECT_TRUE(Has(Get("/", {{"cookie", "toegang_lang=en"}}).body, "Search"));
  EXPECT_TRUE(Has(Get("/").body, "Zoeken"));
}

TEST_F(WebPagesTest, TheEnterprisePageDrawsThePictureWithMaskedInsz) {
  HttpResponse r = Get("/enterprise/0403019261");
  ASSERT_EQ(r.status, 200) << r.body;
  const size_t svg = r.body.find("<svg");
  ASSERT_NE(svg, std::string::npos) << r.body;
  const std::string picture =
      r.body.substr(svg, r.body.find("</svg>", svg) - svg);
  EXPECT_TRUE(Has(picture, "Hilde Bosmans"));
  // Graphviz writes '-' as &#45; in SVG text.
  EXPECT_TRUE(Has(picture, "85.07.30&#45;***.**")) << picture;
  EXPECT_FALSE(Has(picture, kEmpOcmw));
  EXPECT_FALSE(Has(picture, "033.28"));
  // The audit, paginated: the chain's five commits among the rows.
  EXPECT_TRUE(Has(r.body, "htb.appoint"));
  EXPECT_TRUE(Has(r.body, "user.add"));
  EXPECT_EQ(Get("/enterprise/0444712336").status, 404);  // valid, unknown
  EXPECT_EQ(Get("/enterprise/12").status, 404);
}

// Manual 2.1: the TB activates from the list of the enterprise's
// facilities; the page shows it, with the OCMW rule where it applies.
TEST_F(WebPagesTest, TheEnterprisePageListsItsFacilitiesAndTheOcmwRule) {
  auto facilities = [&](const std::string& target) {
    HttpResponse r = Get(target);
    EXPECT_EQ(r.status, 200) << r.body;
    const size_t at = r.body.find("<h2 id=\"facilities\">");
    EXPECT_NE(at, std::string::npos) << r.body;
    if (at == std::string::npos) return std::string();
    return r.body.substr(at, r.body.find("</table>", at) - at);
  };
  // OCMW Gent organizes 12345 (009), 45678 (089) and 10001 (009, closed).
  const std::string ocmw = facilities("/enterprise/0403019261");
  EXPECT_TRUE(Has(ocmw, "Voorzieningen in CoBRHA")) << ocmw;
  EXPECT_TRUE(Has(ocmw, "handleiding 1.1")) << ocmw;
  for (const char* hco : {kHcoOcmw, kHcoSociaalHuis, kHcoOcmwClosed}) {
    EXPECT_TRUE(Has(ocmw, fmt::format("href=\"/facility/{}\"", hco))) << hco;
  }
  const auto row = [&](const std::string& hco) {
    const size_t at = ocmw.find(fmt::format("href=\"/facility/{}\"", hco));
    return at == std::string::npos
               ? std::string()
               : ocmw.substr(at, ocmw.find("</tr>", at) - at);
  };
  EXPECT_TRUE(Has(row(kHcoOcmw), "ama-wvg: toegestaan")) << row(kHcoOcmw);
  EXPECT_TRUE(Has(row(kHcoOcmw), ": ama-wvg<br>")) << row(kHcoOcmw);
  EXPECT_TRUE(Has(row(kHcoSociaalHuis), "geen subafdeling"));
  EXPECT_TRUE(Has(row(kHcoSociaalHuis),
                  "ama-wvg: <span class=\"broken\">niet toegestaan"))
      << row(kHcoSociaalHuis);
  EXPECT_TRUE(Has(row(kHcoOcmwClosed), "gesloten")) << row(kHcoOcmwClosed);
  EXPECT_TRUE(Has(facilities("/enterprise/0403019261?lang=en"),
                  "Facilities in CoBRHA"));
  // De Linde is no OCMW: no rule column.
  const std::string wzc = facilities("/enterprise/0428759497");
  EXPECT_TRUE(Has(wzc, fmt::format("href=\"/facility/{}\"", kHcoWzc))) << wzc;
  EXPECT_FALSE(Has(wzc, "OCMW-regel")) << wzc;
}

TEST_F(WebPagesTest, TheAuditIsNewestFirstWithTheActorsNames) {
  HttpResponse r = Get("/enterprise/0403019261?lang=en");
  ASSERT_EQ(r.status, 200);
  const size_t start = r.body.find("id=\"audit\"");
  ASSERT_NE(start, std::string::npos);
  const std::string audit =
      r.body.substr(start, r.body.find("</table>", start) - start);
  EXPECT_TRUE(Has(audit, "newest first")) << audit;
  // The chain's first commit (the HTB's appointment) comes after its last
  // (the user added).
  const size_t added = audit.find("user.add");
  const size_t appointed = audit.find("htb.appoint");
  ASSERT_NE(added, std::string::npos) << audit;
  ASSERT_NE(appointed, std::string::npos) << audit;
  EXPECT_LT(added, appointed);
  // The actors by name, with the INSZ as every page shows persons.
  EXPECT_TRUE(Has(audit, "Tom Claes")) << audit;
  EXPECT_TRUE(Has(audit, "Wendy Verhoeven")) << audit;
  EXPECT_TRUE(Has(audit, "17.07.30-033.84")) << audit;
  EXPECT_FALSE(Has(audit, kEmp2Ocmw)) << "a person is linked by token";

  // The pages: 20 rows each, the next one older (here: the 20 newest rows
  // are these, the chain is on the second page).
  for (int i = 0; i < 10; ++i) {
    fed_.MustApply(M(Action::kAddCoTb, kEmpOcmw).Kbo(kOcmw).Insz(kUser2));
    fed_.MustApply(M(Action::kRemoveCoTb, kEmpOcmw).Kbo(kOcmw).Insz(kUser2));
  }
  AuditQuery q;
  q.kbo = kOcmw;
  q.newest_first = true;
  q.limit = 20;
  Result<std::vector<AuditRecord>> first = fed_.engine().Audit(q);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 20u);
  EXPECT_EQ(first->front().action, "tb.remove-co");
  EXPECT_GT(first->front().seq, first->back().seq);
  r = Get("/enterprise/0403019261");
  const std::string next = fmt::format(
      "href=\"/enterprise/0403019261?before={}#audit\"", first->back().seq);
  EXPECT_TRUE(Has(r.body, next)) << r.body;
  HttpResponse older =
      Get(fmt::format("/enterprise/0403019261?before={}", first->back().seq));
  EXPECT_TRUE(Has(older.body, "htb.appoint"));
  EXPECT_FALSE(Has(r.body.substr(r.body.find("id=\"audit\"")), "htb.appoint"));
}

// A service draws many pictures in its life. Graphviz's pango plugin keeps
// font data that freeing a context leaves dangling: a context per picture
// read freed memory at the second one (seen under AddressSanitizer, which
// the CI runs this suite with).
TEST_F(WebPagesTest, TheSamePictureIsDrawnAgainAndAgain) {
  std::string first;
  for (int i = 0; i < 3; ++i) {
    HttpResponse r = Get("/enterprise/0403019261");
    ASSERT_EQ(r.status, 200) << r.body;
    const size_t svg = r.body.find("<svg");
    ASSERT_NE(svg, std::string::npos) << "picture " << i;
    const std::string picture =
        r.body.substr(svg, r.body.find("</svg>", svg) - svg);
    if (i == 0) first = picture;
    EXPECT_EQ(picture, first) << "picture " << i;
  }
}

TEST_F(WebPagesTest, TheFacilityPageListsMembersWithAndWithoutRights) {
  fed_.MustApply(M(Action::kRevokeRight, kEmp2Ocmw)
                     .Hco(kHcoOcmw)
                     .Insz(kUser1)
                     .App("ama-wvg"));
  HttpResponse r = Get("/facility/12345?lang=en");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(Has(r.body, "Ahmed El Amrani"));
  EXPECT_TRUE(Has(r.body, "no rights"));
  EXPECT_TRUE(Has(r.body, "Els Van den Broeck"));  // the manager
  EXPECT_TRUE(Has(r.body, "/enterprise/0403019261"));
  HttpResponse unknown = Get("/facility/999999");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_TRUE(Has(unknown.body, "999999"));
}

// A valid INSZ of a person born on 1 January 1985 with sequence number seq.
std::string MemberInsz(int seq) {
  const uint64_t base = 850101ull * 1000 + static_cast<uint64_t>(seq);
  return fmt::format("{:09}{:02}", base, 97 - base % 97);
}

// The first cell of every row of the page's member tables.
std::vector<std::string> MemberCells(const std::string& body) {
  std::vector<std::string> out;
  const std::regex row(
      "<tr><td>(<a href=\"/p/[^<]*</a>[^<]*(<span "
      "class=\"id\">[^<]*</span>)?)</td>");
  for (auto it = std::sregex_iterator(body.begin(), body.end(), row);
       it != std::sregex_iterator(); ++it) {
    out.push_back((*it)[1]);
  }
  return out;
}

TEST_F(WebPagesTest, TheFacilityPageListsMembersAPageAtATime) {
  // 120 users more: 121 members, three pages of 50.
  for (int i = 1; i <= 120; ++i) {
    fed_.MustApply(
        M(Action::kAddUser, kEmp2Ocmw).Hco(kHcoOcmw).Insz(MemberInsz(i)));
  }
  std::set<std::string> seen;
  std::string target = "/facility/12345";
  std::vector<size_t> sizes;
  for (int page = 0; page < 10 && !target.empty(); ++page) {
    HttpResponse r = Get(target, {{"cookie", "toegang_lang=en"}});
    ASSERT_EQ(r.status, 200) << target;
    const std::vector<std::string> cells = MemberCells(r.body);
    sizes.push_back(cells.size());
    for (const std::string& c : cells) {
      EXPECT_TRUE(seen.insert(c).second) << "listed twice: " << c;
    }
    EXPECT_TRUE(Has(r.body, "Members " + std::to_string(50 * page + 1) + "-"))
        << r.body.substr(0, 4000);
    // The link to the next page carries codes and a number only.
    std::smatch next;
    const std::regex link("id=\"members-[^\"]*-next\" href=\"([^\"]*)\"");
    if (!std::regex_search(r.body, next, link)) break;
    target = next[1];
    target = std::regex_replace(target, std::regex("&amp;"), "&");
    EXPECT_TRUE(std::regex_match(
        target, std::regex("/facility/12345\\?capacity=[a-z-]+&subdivision="
                           "[a-z-]+&from=[0-9]+#members-[a-z-]+")))
        << target;
    target = target.substr(0, target.find('#'));  // a browser keeps it
  }
  EXPECT_EQ(sizes, (std::vector<size_t>{50, 50, 21}));
  EXPECT_EQ(seen.size(), 121u);
  // A position past the end shows the last page; one that is no number,
  // the first; another subafdeling's name changes nothing here.
  EXPECT_EQ(MemberCells(Get("/facility/12345?capacity=ehealth-gezondheidszorg"
                            "&subdivision=gezondheidszorg&from=100000")
                            .body)
                .size(),
            21u);
  EXPECT_EQ(MemberCells(Get("/facility/12345?capacity=ehealth-gezondheidszorg"
                            "&subdivision=gezondheidszorg&from=x")
                            .body)
                .size(),
            50u);
  EXPECT_EQ(MemberCells(Get("/facility/12345?capacity=other&subdivision="
                            "gezondheidszorg&from=100")
                            .body)
                .size(),
            50u);
}

// The manual's steps (item 4): served for the actor that the header the
// operator named asserts, on the admin listener only.
constexpr const char* kActorHeader = "x-toegang-actor";

std::string FormBody(
    const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    if (!body.empty()) body += '&';
    body += name + "=";
    for (unsigned char c : value) {
      body += std::isalnum(c) ? std::string(1, static_cast<char>(c))
                              : fmt::format("%{:02X}", c);
    }
  }
  return body;
}

class WebStepsTest : public WebPagesTest {
 protected:
  void SetUp() override {
    WebPagesTest::SetUp();
    serve::ServiceOptions options;
    options.actor_header = "X-Toegang-Actor";
    acting_ = std::make_unique<DecisionService>(&fed_.engine(), options);
  }

  // A request to the service that trusts the actor header.
  HttpResponse SendActing(const std::string& actor, const std::string& method,
                          const std::string& target,
                          const std::string& body = "", bool admin = true,
                          std::map<std::string, size_t> counts = {}) {
    Headers h;
    h.values = {{"host", "127.0.0.1:8081"},
                {"origin", "http://127.0.0.1:8081"},
                {"cookie", "toegang_csrf=" + csrf_ + "; toegang_lang=en"}};
    if (!actor.empty()) h.values[kActorHeader] = actor;
    h.counts = std::move(counts);
    HttpRequest request;
    request.method = method;
    request.target = target;
    request.body = body;
    request.header = &Headers::Look;
    request.header_count = &Headers::Count;
    request.header_context = &h;
    request.admin = admin;
    return acting_->Handle(request);
  }
  // A step as the page's form posts it, with the page's CSRF token.
  HttpResponse Step(const std::string& actor,
                    std::vector<std::pair<std::string, std::string>> fields,
                    bool admin = true) {
    fields.insert(fields.begin(), {"csrf", csrf_});
    return SendActing(actor, "POST", "/step", FormBody(fields), admin);
  }
  std::vector<AuditRecord> AuditRows() {
    AuditQuery q;
    q.limit = 100000;
    Result<std::vector<AuditRecord>> rows = fed_.engine().Audit(q);
    EXPECT_TRUE(rows.ok()) << rows.status().message();
    return rows.ok() ? *rows : std::vector<AuditRecord>{};
  }
  bool Allowed(const std::string& insz) {
    Result<bool> a = fed_.engine().Allowed(insz, "ama-wvg");
    EXPECT_TRUE(a.ok());
    return a.ok() && *a;
  }

  std::vector<std::pair<std::string, std::string>> AddUser2() {
    return {{"action", "user.add"},
            {"hco", kHcoOcmw},
            {"insz", kUser2},
            {"app", "ama-wvg"}};
  }

  std::unique_ptr<DecisionService> acting_;
};

TEST_F(WebStepsTest, WithoutTheHeaderThePagesOnlyRead) {
  // Configured, but no actor asserted: no form that changes anything.
  for (const char* path : {"/enterprise/0403019261", "/facility/12345"}) {
    HttpResponse r = SendActing("", "GET", path);
    ASSERT_EQ(r.status, 200) << path;
    EXPECT_FALSE(Has(r.body, "action=\"/step\"")) << path;
    EXPECT_FALSE(Has(r.body, "id=\"actor\"")) << path;
  }
  const uint64_t before = fed_.engine().revision();
  HttpResponse r = Step("", AddUser2());
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(fed_.engine().revision(), before);
  EXPECT_FALSE(Allowed(kUser2));
  // With the actor asserted, the same page offers the steps.
  HttpResponse acting = SendActing(kEmpOcmw, "GET", "/facility/12345");
  EXPECT_TRUE(Has(acting.body, "action=\"/step\"")) << acting.body;
  EXPECT_TRUE(Has(acting.body, "85.07.30-033.28"));  // who acts, shown
}

TEST_F(WebStepsTest, TheHeaderIsIgnoredWhenTheOperatorNamedNone) {
  // service_ trusts no header: the same header changes nothing.
  HttpResponse page =
      Send("GET", "/facility/12345", {{kActorHeader, kEmpOcmw}});
  ASSERT_EQ(page.status, 200);
  EXPECT_FALSE(Has(page.body, "action=\"/step\""));
  const uint64_t before = fed_.engine().revision();
  std::vector<std::pair<std::string, std::string>> fields = AddUser2();
  fields.insert(fields.begin(), {"csrf", csrf_});
  HttpResponse r = Send("POST", "/step",
                        {{kActorHeader, kEmpOcmw},
                         {"cookie", "toegang_csrf=" + csrf_},
                         {"origin", "http://127.0.0.1:8081"}},
                        FormBody(fields));
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(fed_.engine().revision(), before);
  EXPECT_FALSE(Allowed(kUser2));
}

TEST_F(WebStepsTest, TheHeaderIsIgnoredOnTheGatewayListener) {
  const uint64_t before = fed_.engine().revision();
  const size_t rows = AuditRows().size();
  HttpResponse r = Step(kEmpOcmw, AddUser2(), /*admin=*/false);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(fed_.engine().revision(), before);
  EXPECT_EQ(AuditRows().size(), rows);
  EXPECT_FALSE(Allowed(kUser2));
}

TEST_F(WebStepsTest, AnActorGivenTwiceIsRefused) {
  const uint64_t before = fed_.engine().revision();
  std::vector<std::pair<std::string, std::string>> fields = AddUser2();
  fields.insert(fields.begin(), {"csrf", csrf_});
  HttpResponse r = SendActing(kEmpOcmw, "POST", "/step", FormBody(fields), true,
                              {{kActorHeader, 2}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Header(r, "X-Toegang-Error"), "duplicate_input");
  EXPECT_EQ(fed_.engine().revision(), before);
  EXPECT_FALSE(Allowed(kUser2));
  HttpResponse page = SendActing(kEmpOcmw, "GET", "/facility/12345", "", true,
                                 {{kActorHeader, 2}});
  EXPECT_EQ(page.status, 400);
  EXPECT_FALSE(Has(page.body, "action=\"/step\""));
  // Not an INSZ: refused too.
  EXPECT_EQ(SendActing("12345678901", "GET", "/facility/12345").status, 400);
}

TEST_F(WebStepsTest, AFormWithoutTheCsrfTokenChangesNothing) {
  const uint64_t before = fed_.engine().revision();
  const size_t rows = AuditRows().size();
  std::vector<std::pair<std::string, std::string>> fields = AddUser2();
  fields.insert(fields.begin(), {"csrf", "00000000000000000000000000000000"});
  EXPECT_EQ(SendActing(kEmpOcmw, "POST", "/step", FormBody(fields)).status,
            403);
  fields.erase(fields.begin());  // no token at all
  EXPECT_EQ(SendActing(kEmpOcmw, "POST", "/step", FormBody(fields)).status,
            403);
  EXPECT_EQ(fed_.engine().revision(), before);
  EXPECT_EQ(AuditRows().size(), rows);  // not even a refusal recorded
  EXPECT_FALSE(Allowed(kUser2));
}

TEST_F(WebStepsTest, TheHtbAddsAUserAndGrantsTheRight) {
  // The page offers the step after may's answer.
  HttpResponse page = SendActing(kEmpOcmw, "GET", "/facility/12345");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(Has(page.body, "step-add-user-")) << page.body;
  HttpResponse added = Step(kEmpOcmw, {{"action", "user.add"},
                                       {"kbo", kOcmw},
                                       {"hco", kHcoOcmw},
                                       {"insz", kUser2}});
  ASSERT_EQ(added.status, 200) << added.body;
  EXPECT_TRUE(Has(added.body, "user.add")) << added.body;
  EXPECT_FALSE(Allowed(kUser2));  // a user without the right
  // The grant names the member by the token of the page, not by INSZ.
  HttpResponse granted =
      Step(kEmpOcmw, {{"action", "user.grant"},
                      {"hco", kHcoOcmw},
                      {"person", acting_->web().tokens().TokenFor(kUser2)},
                      {"app", "ama-wvg"}});
  ASSERT_EQ(granted.status, 200) << granted.body;
  EXPECT_TRUE(Allowed(kUser2));
  // The audit row is the CLI's: this action, this actor.
  const std::vector<AuditRecord> rows = AuditRows();
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows.back().action, "user.grant");
  EXPECT_EQ(rows.back().actor, kEmpOcmw);
  EXPECT_EQ(rows.back().outcome, "ok");
}

TEST_F(WebStepsTest, ARefusedStepShowsWhoCanTakeItAndIsAudited) {
  // kUser1 is a user, not a manager: the page shows may's refusal instead
  // of the form, naming who can.
  HttpResponse page = SendActing(kUser1, "GET", "/facility/12345");
  ASSERT_EQ(page.status, 200);
  EXPECT_FALSE(Has(page.body, "step-add-user-"));
  EXPECT_TRUE(Has(page.body, "not_authorized")) << page.body;
  EXPECT_TRUE(Has(page.body, "Hilde Bosmans")) << page.body;
  // Posted anyway: refused through Apply, recorded as the CLI's refusal.
  const uint64_t before = fed_.engine().revision();
  HttpResponse r = Step(kUser1, AddUser2());
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_TRUE(Has(r.body, "id=\"refusal\"")) << r.body;
  EXPECT_TRUE(Has(r.body, "not_authorized"));
  EXPECT_TRUE(Has(r.body, "Tom Claes")) << r.body;  // who can instead
  EXPECT_EQ(fed_.engine().revision(), before);
  const AuditRecord web = AuditRows().back();
  EXPECT_EQ(web.outcome, "refused");
  EXPECT_EQ(web.actor, kUser1);
  EXPECT_EQ(web.code, "not_authorized");
  // The CLI's own refusal of the same mutation: the same row.
  Result<CommitInfo> cli = fed_.engine().Apply(
      M(Action::kAddUser, kUser1).Hco(kHcoOcmw).Insz(kUser2).App("ama-wvg"));
  ASSERT_FALSE(cli.ok());
  const AuditRecord direct = AuditRows().back();
  EXPECT_NE(direct.seq, web.seq);
  EXPECT_EQ(direct.action, web.action);
  EXPECT_EQ(direct.kbo, web.kbo);
  EXPECT_EQ(direct.code, web.code);
  EXPECT_EQ(direct.detail, web.detail);
  EXPECT_EQ(direct.message, web.message);
}

TEST_F(WebStepsTest, ACascadeAsksForConfirmationFirst) {
  const std::string token = acting_->web().tokens().TokenFor(kUser1);
  const std::vector<std::pair<std::string, std::string>> remove = {
      {"action", "user.remove"}, {"hco", kHcoOcmw}, {"person", token}};
  const uint64_t before = fed_.engine().revision();
  HttpResponse ask = Step(kEmp2Ocmw, remove);
  ASSERT_EQ(ask.status, 200) << ask.body;
  EXPECT_TRUE(Has(ask.body, "id=\"confirm-step\"")) << ask.body;
  EXPECT_TRUE(Has(ask.body, "revoke 1 right")) << ask.body;
  EXPECT_TRUE(Has(ask.body, "name=\"confirm\" value=\"1\""));
  EXPECT_FALSE(Has(ask.body, kUser1)) << "the form names the person by token";
  EXPECT_EQ(fed_.engine().revision(), before);
  EXPECT_TRUE(Allowed(kUser1));
  std::vector<std::pair<std::string, std::string>> confirmed = remove;
  confirmed.emplace_back("confirm", "1");
  HttpResponse done = Step(kEmp2Ocmw, confirmed);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_TRUE(Has(done.body, "id=\"done\""));
  EXPECT_FALSE(Allowed(kUser1));
}

TEST_F(WebStepsTest, AFormThatNamesThePersonTwiceOrNoStepIsRefused) {
  const uint64_t before = fed_.engine().revision();
  HttpResponse twice =
      Step(kEmpOcmw, {{"action", "user.grant"},
                      {"hco", kHcoOcmw},
                      {"insz", kUser2},
                      {"person", acting_->web().tokens().TokenFor(kUser1)},
                      {"app", "ama-wvg"}});
  EXPECT_EQ(twice.status, 400);
  EXPECT_TRUE(Has(twice.body, "duplicate_input")) << twice.body;
  HttpResponse other = Step(kEmpOcmw, {{"action", "import.kbo"}});
  EXPECT_EQ(other.status, 400);
  EXPECT_EQ(fed_.engine().revision(), before);
}

TEST_F(WebStepsTest, TheHtbAuthorizesNamesManagersAndRemovesASubafdeling) {
  // For the HTB the page offers every step on the subafdeling ...
  HttpResponse page = SendActing(kEmpOcmw, "GET", "/facility/12345");
  ASSERT_EQ(page.status, 200);
  for (const char* form :
       {"id=\"step-authorize-", "id=\"step-add-manager-",
        "id=\"remove-manager-", "id=\"step-remove-subafdeling-"}) {
    EXPECT_TRUE(Has(page.body, form)) << form;
  }
  EXPECT_FALSE(Has(page.body, kUser3)) << "a manager is named by token";
  // ... and for a user of it none, with may's refusal instead.
  HttpResponse user = SendActing(kUser1, "GET", "/facility/12345");
  ASSERT_EQ(user.status, 200);
  for (const char* form :
       {"id=\"step-authorize-", "id=\"step-add-manager-",
        "id=\"remove-manager-", "id=\"step-remove-subafdeling-"}) {
    EXPECT_FALSE(Has(user.body, form)) << form;
  }
  EXPECT_TRUE(Has(user.body, "not_authorized"));

  auto facility = [&] {
    Result<FacilityCard> card = fed_.engine().WhoFacility(kHcoOcmw);
    EXPECT_TRUE(card.ok());
    return card.ok() ? *card : FacilityCard{};
  };
  HttpResponse authorized = Step(kEmpOcmw, {{"action", "subafdeling.authorize"},
                                            {"hco", kHcoOcmw},
                                            {"app", "vipa"}});
  ASSERT_EQ(authorized.status, 200) << authorized.body;
  ASSERT_EQ(facility().subafdelingen.size(), 1u);
  EXPECT_EQ(facility().subafdelingen[0].applications,
            (std::vector<std::string>{"ama-wvg", "vipa"}));
  // An application the catalogue does not know: refused, nothing changes.
  const uint64_t unchanged = fed_.engine().revision();
  HttpResponse unknown = Step(kEmpOcmw, {{"action", "subafdeling.authorize"},
                                         {"hco", kHcoOcmw},
                                         {"app", "no-such-app"}});
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_TRUE(Has(unknown.body, "unknown_application")) << unknown.body;
  EXPECT_EQ(fed_.engine().revision(), unchanged);

  HttpResponse added = Step(kEmpOcmw, {{"action", "subafdeling.add-beheerder"},
                                       {"hco", kHcoOcmw},
                                       {"insz", kUser2}});
  ASSERT_EQ(added.status, 200) << added.body;
  HttpResponse removed =
      Step(kEmpOcmw, {{"action", "subafdeling.remove-beheerder"},
                      {"hco", kHcoOcmw},
                      {"person", acting_->web().tokens().TokenFor(kUser3)}});
  ASSERT_EQ(removed.status, 200) << removed.body;
  ASSERT_EQ(facility().subafdelingen.size(), 1u);
  ASSERT_EQ(facility().subafdelingen[0].managers.size(), 1u);
  EXPECT_EQ(facility().subafdelingen[0].managers[0].insz, kUser2);

  // Removing the subafdeling takes its user, right, manager and
  // authorizations with it: confirmation first.
  const std::vector<std::pair<std::string, std::string>> remove = {
      {"action", "subafdeling.remove"}, {"hco", kHcoOcmw}};
  const uint64_t before = fed_.engine().revision();
  HttpResponse ask = Step(kEmpOcmw, remove);
  ASSERT_EQ(ask.status, 200) << ask.body;
  EXPECT_TRUE(Has(ask.body, "id=\"confirm-step\"")) << ask.body;
  EXPECT_EQ(fed_.engine().revision(), before);
  EXPECT_TRUE(Allowed(kUser1));
  std::vector<std::pair<std::string, std::string>> confirmed = remove;
  confirmed.emplace_back("confirm", "1");
  HttpResponse done = Step(kEmpOcmw, confirmed);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_TRUE(Has(done.body, "id=\"done\""));
  EXPECT_TRUE(facility().subafdelingen.empty());
  EXPECT_FALSE(Allowed(kUser1));

  // Each step is the CLI's audit row, with the HTB as the actor.
  std::vector<std::string> actions;
  for (const AuditRecord& row : AuditRows()) {
    if (row.actor == kEmpOcmw && row.outcome == "ok" &&
        row.action.starts_with("subafdeling.")) {
      actions.push_back(row.action);
    }
  }
  EXPECT_EQ(actions,
            (std::vector<std::string>{
                "subafdeling.authorize", "subafdeling.add-beheerder",
                "subafdeling.remove-beheerder",
                // the removal's cascade, a row for each op as on the CLI
                "subafdeling.remove-beheerder", "subafdeling.deauthorize",
                "subafdeling.deauthorize", "subafdeling.remove"}));
}

}  // namespace
}  // namespace toegang::testing
